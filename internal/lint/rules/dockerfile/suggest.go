package dockerfile

import (
	"fmt"
	"sort"

	"github.com/shipshape/shipshape/internal/lint/baseimage"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

// Fix texts that name commands must fit the image they are for: a Node image
// has no python for a health check, Alpine has adduser rather than useradd,
// distroless and scratch have no shell at all. These build them from the
// stage's userland (baseimage.StageFamily) and runtime (baseimage.StageRuntime).

// userFix says how to run the stage as a non-root user.
func userFix(st *df.Stage) string {
	img := st.Root()
	if img.Registry == "" && img.Short() == "node" {
		return "Switch to the node user of the official image at the end, by number so that runAsNonRoot can verify it: `USER 1000:1000`."
	}
	switch baseimage.StageFamily(st) {
	case baseimage.Alpine:
		return "Create a user and switch to it at the end: `RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app` then `USER 10001:10001`."
	case baseimage.Distroless:
		return "Use the image's non-root user: `USER 65532:65532` (distroless `nonroot`), or the `:nonroot` tag; there is no shell to create one."
	case baseimage.Scratch:
		return "Add `USER 10001:10001` at the end: scratch has no /etc/passwd, and a numeric UID needs none. Give the files it writes to that UID with `COPY --chown=10001:10001`."
	case baseimage.RHEL:
		return "Switch to a non-root UID at the end: `USER 1001` (UBI images run as 1001 with group 0), or create one with `RUN useradd --uid 10001 --no-create-home app` where shadow-utils is installed."
	}
	return "Create a user and switch to it at the end: `RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin app` then `USER 10001:10001`."
}

// passwordlessUserFix says how to create a user without a password.
func passwordlessUserFix(st *df.Stage) string {
	if baseimage.StageFamily(st) == baseimage.Alpine {
		return "Create users without passwords (`adduser -D -H -s /sbin/nologin app`: -D leaves the password unset); authenticate at the app or proxy."
	}
	return ""
}

// healthFix suggests a HEALTHCHECK the stage can run with what it has.
func healthFix(st *df.Stage) string {
	url := fmt.Sprintf("http://127.0.0.1:%d/healthz", healthPort(st))
	switch baseimage.StageRuntime(st) {
	case baseimage.Node:
		return fmt.Sprintf("Add a HEALTHCHECK with the image's own Node (no curl needed): `HEALTHCHECK CMD [\"node\", \"-e\", "+
			"\"fetch('%s').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))\"]`.", url)
	case baseimage.Python:
		return fmt.Sprintf("Add a HEALTHCHECK with the image's own Python (no curl needed): `HEALTHCHECK CMD [\"python\", \"-c\", "+
			"\"import urllib.request; urllib.request.urlopen('%s', timeout=3)\"]`.", url)
	case baseimage.PHP:
		return fmt.Sprintf("Add a HEALTHCHECK with the image's own PHP: `HEALTHCHECK CMD [\"php\", \"-r\", "+
			"\"exit(@file_get_contents('%s') === false ? 1 : 0);\"]`.", url)
	case baseimage.Ruby:
		return fmt.Sprintf("Add a HEALTHCHECK with the image's own Ruby: `HEALTHCHECK CMD [\"ruby\", \"-rnet/http\", \"-e\", "+
			"\"exit Net::HTTP.get_response(URI('%s')).is_a?(Net::HTTPSuccess)\"]`.", url)
	}
	switch baseimage.StageFamily(st) {
	case baseimage.Distroless, baseimage.Scratch:
		return "Add a HEALTHCHECK the binary runs itself, since the image has no shell, curl or wget: `HEALTHCHECK CMD [\"/app\", \"healthcheck\"]` " +
			"(a subcommand that requests " + url + " and exits non-zero on failure)."
	case baseimage.Alpine:
		return fmt.Sprintf("Add a HEALTHCHECK with busybox wget, which Alpine has: `HEALTHCHECK CMD wget -q --spider %s || exit 1`.", url)
	}
	family := baseimage.StageFamily(st)
	if family != baseimage.Unknown && baseimage.StageHas(st, "curl") || installs(st, "curl") {
		return fmt.Sprintf("Add a HEALTHCHECK: `HEALTHCHECK CMD curl -fsS %s || exit 1`.", url)
	}
	install := map[baseimage.Family]string{
		baseimage.Debian: "`apt-get install -y --no-install-recommends curl`",
		baseimage.RHEL:   "`dnf install -y curl-minimal`",
	}[family]
	if install == "" {
		return fmt.Sprintf("Add a HEALTHCHECK with a tool the image has (curl, wget, the runtime) or the program's own check: "+
			"`HEALTHCHECK CMD curl -fsS %s || exit 1`, `HEALTHCHECK CMD [\"/app\", \"healthcheck\"]`.", url)
	}
	return fmt.Sprintf("Add a HEALTHCHECK: install curl in the final stage (%s) and use `HEALTHCHECK CMD curl -fsS %s || exit 1`, "+
		"or have the program check itself (`HEALTHCHECK CMD [\"/app\", \"healthcheck\"]`).", install, url)
}

// healthPort is the port the stage's server listens on, as far as the
// Dockerfile says: the command's --port/--bind, else the lowest EXPOSE, else 8080.
func healthPort(st *df.Stage) int {
	if p, ok := st.ServerPort(); ok {
		return p
	}
	var ports []int
	for _, s := range st.Chain() {
		for p := range s.Exposes() {
			ports = append(ports, p)
		}
	}
	if len(ports) > 0 {
		sort.Ints(ports)
		return ports[0]
	}
	return 8080
}

// pipefailFix says how to get pipefail in the stage's shell: Alpine has
// busybox ash, not bash.
func pipefailFix(st *df.Stage) string {
	if baseimage.StageFamily(st) == baseimage.Alpine && !installs(st, "bash") {
		return "Set `SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]` before the RUN (busybox ash has pipefail; Alpine has no bash), " +
			"or start the script with `set -o pipefail;`."
	}
	return ""
}

// installs reports whether a RUN of the stage or the stages it builds on
// installs the package.
func installs(st *df.Stage, pkg string) bool {
	for _, c := range st.Commands() {
		if pkgs, ok := installsPackages(c); ok {
			for _, p := range pkgs {
				if packageName(p) == pkg {
					return true
				}
			}
		}
	}
	return false
}

// dependencyOrderFix shows the manifest-first order for the ecosystem of
// the install command; "" keeps the rule's pip example.
func dependencyOrderFix(c *df.Command) string {
	switch commandEcosystem(c) {
	case baseimage.Node:
		return "Copy the manifests first, install, then copy the rest: `COPY package.json package-lock.json ./`, `RUN npm ci`, `COPY . .`."
	case baseimage.Go:
		return "Copy the module files first, download, then copy the rest: `COPY go.mod go.sum ./`, `RUN go mod download`, `COPY . .`."
	case baseimage.Ruby:
		return "Copy the manifests first, install, then copy the rest: `COPY Gemfile Gemfile.lock ./`, `RUN bundle install`, `COPY . .`."
	case baseimage.PHP:
		return "Copy the manifests first, install, then copy the rest: `COPY composer.json composer.lock ./`, `RUN composer install --no-dev`, `COPY . .`."
	case baseimage.Java:
		return "Copy the build files first, fetch dependencies, then copy the sources: `COPY pom.xml .`, `RUN mvn dependency:go-offline`, `COPY src ./src`."
	}
	return ""
}

// commandEcosystem names the ecosystem of a dependency install command.
func commandEcosystem(c *df.Command) baseimage.Runtime {
	switch {
	case c.Is("npm", "yarn", "pnpm", "bun"):
		return baseimage.Node
	case c.Is("go"):
		return baseimage.Go
	case c.Is("bundle", "gem"):
		return baseimage.Ruby
	case c.Is("composer"):
		return baseimage.PHP
	case c.Is("mvn", "gradle", "mvnw", "gradlew"):
		return baseimage.Java
	}
	return baseimage.Python
}
