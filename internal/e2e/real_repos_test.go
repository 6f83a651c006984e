package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// realRepos are public web services nobody in this project wrote, at a
// pinned version, taken at test time from the Go module proxy (a module's
// zip is its repository's tree: Dockerfile, Makefile, Procfile and all)
// or, for Node services, the npm registry (the package as its authors
// publish it: their code, package.json and whatever files they ship, no
// lock file); nothing of theirs is committed here. They are the ones the proxy this
// project's CI reaches serves: of the 24 Go services the corpus and the
// newcomer trials used, it refuses 20 (403); node_exporter, mailpit,
// statsd_exporter and distribution were found among the others it serves. Each must pass init --verify
// as a newcomer runs it, with the facts init reads from its code.
var realRepos = []struct {
	module, version string
	flags           []string
	facts           []string // lines init's output must hold
}{
	// Node-RED, from npm: `npm start` runs red.js, which keeps its flows
	// and settings in ~/.node-red (red.js:141): the image's user has no
	// home (/, read-only), so init points $HOME at the data volume
	// (before: `mkdir '/.node-red'` ENOENT, exit 1). Its routes are in
	// its @node-red/editor-api dependency: the health route is the flag
	// init asks for, / (the editor).
	{"npm:node-red", "5.0.7", []string{"--health-path", "/"},
		[]string{"entrypoint   red.js", "port         1880                         settings.js:148 (default of $PORT)", "home         .node-red                    red.js:141", "its data (~/.node-red) on a volume at /home/app"}},
	// CORS Anywhere, from npm: its Procfile's `node server.js`, port and
	// host from $PORT and $HOST; / answers its usage page. The package
	// ships test/key.pem, which .dockerignore keeps out at any depth.
	{"npm:cors-anywhere", "0.4.4", []string{"--health-path", "/"},
		[]string{"entrypoint   server.js                    Procfile:1", "port         8080                         server.js:4 (default of $PORT)"}},
	// PeerJS's server, from npm: its package ships dist/ (no sources to
	// build), and its start script runs dist/bin/peerjs.js with --port
	// ${PORT:=9000}, which the image, having no shell, passes as
	// --port 9000. No flag: init --verify passes as a newcomer runs it.
	{"npm:peer", "1.0.2", nil,
		[]string{"entrypoint   dist/bin/peerjs.js           package.json:71 (package.json scripts.start)", "arguments    --port 9000", "health       /                            dist/bin/peerjs.js:2"}},
	// TiddlyWiki, from npm: its main is a library's (boot/boot.js), and
	// the server needs arguments (an edition, --listen): the flags choose
	// the program and give them, and init asks no more.
	{"npm:tiddlywiki", "5.4.1", []string{"--entrypoint", "tiddlywiki.js", "--args", "editions/server --listen host=0.0.0.0 port=8080", "--port", "8080", "--health-path", "/status"},
		[]string{"also       boot/boot.js                 package.json:16 (package.json main)", "arguments    editions/server --listen host=0.0.0.0 port=8080  (--args)"}},
	// Its root program is the server, sendmail/ a client (chosen by flag).
	// The port is the default of the package variable its http.Server's
	// Addr names; server/ embeds ui/, inside which the root package.json's
	// esbuild script writes ui/dist (git ignores it): a Node stage builds
	// it. v1.27.11, since v1.33.1's lock file pins a sass-embedded the
	// npm registry no longer serves.
	{"github.com/axllent/mailpit", "v1.27.11", []string{"--entrypoint", "."},
		[]string{"port         8025                         config/config.go:40", "front end    server/ui/dist (npm run build)", "health       /livez", "page         /                            server/server.go:87", "ok   page            GET / on port 8025: 200 OK"}},
	// Its Dockerfile runs the program by name with `serve
	// /etc/distribution/config.yml`, a file it copies from
	// cmd/registry/config-dev.yml, which keeps the data in its VOLUME
	// /var/lib/registry; the Redis client it imports is for a cache that
	// configuration does not configure. The /debug/health route found is
	// the debug server's (:5001): the first run's diagnosis finds / 200 on
	// :5000 and init changes the route itself.
	{"github.com/distribution/distribution/v3", "v3.1.2", nil,
		[]string{"carried      cmd/registry/config-dev.yml to /etc/distribution/config.yml", "data         /var/lib/registry",
			"Changed: --health-path / (was /debug/health)", "the code imports a redis client"}},
	// net/http with Go 1.22 method patterns: GET /{$} is the health route.
	{"github.com/mccutchen/go-httpbin/v2", "v2.26.0", nil,
		[]string{"health       /                            httpbin/httpbin.go:"}},
	// Its option table gives port 8080 (the loopback LISTEN_ADDR is
	// replaced by $PORT, which the image sets); Postgres is started for
	// the run.
	{"miniflux.app/v2", "v2.3.5", nil,
		[]string{"port         8080                         internal/config/options.go:", "health       /healthcheck", "database     postgres", "page         /                            internal/http/server/routes.go:46", "ok   page            GET / on port 8080: 200 OK", "served its health route and its page /"}},
	// Its only program outside examples/ is a generator its Makefile runs:
	// the example server is chosen by flag; cobra's serve subcommand runs
	// it, and its --http default (loopback) is replaced; SQLite on a volume.
	{"github.com/pocketbase/pocketbase", "v0.36.8", []string{"--entrypoint", "examples/base"},
		[]string{"port         8090                         cmd/serve.go:", "arguments    serve", "health       /api/health"}},
	// Its listen address is exporter-toolkit's kingpin flag,
	// kingpinflag.AddFlags(kingpin.CommandLine, ":9100").
	{"github.com/prometheus/node_exporter", "v1.12.1", nil,
		[]string{"port         9100                         node_exporter.go:203 (the default of its --web.listen-address flag)"}},
	// Another Prometheus exporter, found served later: its kingpin
	// --web.listen-address flag (a plain kingpin.Flag call, not
	// exporter-toolkit's AddFlags), and /-/healthy, the Prometheus
	// liveness route (main.go:533; /-/ready until /-/healthy was read as
	// a health route). Its landing page is net/http's / on a ServeMux, a
	// catch-all: no page fact.
	{"github.com/prometheus/statsd_exporter", "v0.31.0", nil,
		[]string{"port         9102                         main.go:247 (the default of its --web.listen-address flag)", "health       /-/healthy                   main.go:533"}},
	// The port is its flag's default, 9898, not 8080; Redis started.
	{"github.com/stefanprodan/podinfo", "v1.8.1-0.20250910200901-e86405a8674e", nil,
		[]string{"port         9898                         cmd/podinfo/main.go:", "health       /healthz", "database     redis", "page         /                            pkg/api/http/server.go:99", "ok   page            GET / on port 9898: 200 OK"}},
}

// TestInitVerify_RealRepositories runs init --verify on each real
// repository and requires it to pass, with the facts above.
func TestInitVerify_RealRepositories(t *testing.T) {
	t.Parallel() // see "Parallel tests" in proxy_acme_test.go
	for _, r := range realRepos {
		t.Run(filepath.Base(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(r.module, "npm:"), "/v2"), "/v3")), func(t *testing.T) {
			var dir string
			if pkg, ok := strings.CutPrefix(r.module, "npm:"); ok {
				dir = npmTree(t, pkg, r.version)
			} else {
				dir = moduleTree(t, r.module, r.version)
			}
			code, out, errOut := initVerify(t, dir, append([]string{"--force"}, r.flags...)...)
			if code != 0 || !strings.Contains(out, "passed verify") {
				t.Fatalf("init --verify %s@%s: exit %d\n%s%s", r.module, r.version, code, out, errOut)
			}
			for _, f := range r.facts {
				if !strings.Contains(out, f) {
					t.Errorf("init's output lacks %q:\n%s", f, out)
				}
			}
		})
	}
}

// moduleTree downloads module@version from the Go module proxy and copies
// its tree into a new git repository.
func moduleTree(t *testing.T, module, version string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", module+"@"+version)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=on")
	data, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(data, &info); err != nil || jerr != nil || info.Dir == "" {
		t.Fatalf("go mod download %s@%s: %v %s %s", module, version, err, info.Error, data)
	}
	dir := filepath.Join(t.TempDir(), filepath.Base(info.Dir))
	copyTree(t, info.Dir, dir)
	commitAll(t, dir, "source")
	return dir
}

// npmTree fetches pkg@version's tarball from the npm registry with npm
// pack and lays it out in a new git repository. Files get the modes npm
// gives an installed package (0644, directories 0755): some old tarballs
// hold 0640 files, which the image's user could not read.
func npmTree(t *testing.T, pkg, version string) string {
	t.Helper()
	tmp := t.TempDir()
	cmd := exec.Command("npm", "pack", "--silent", pkg+"@"+version)
	cmd.Dir = tmp
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("npm pack %s@%s: %v %s", pkg, version, err, out)
	}
	tgz := filepath.Join(tmp, strings.TrimSpace(string(out)))
	unpacked := filepath.Join(tmp, "unpacked")
	if err := os.Mkdir(unpacked, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("tar", "-xzf", tgz, "-C", unpacked, "--strip-components=1", "--no-same-permissions", "--no-same-owner").CombinedOutput(); err != nil {
		t.Fatalf("unpacking %s: %v %s", tgz, err, out)
	}
	if out, err := exec.Command("chmod", "-R", "u+rwX", unpacked).CombinedOutput(); err != nil {
		t.Fatalf("chmod: %v %s", err, out)
	}
	dir := filepath.Join(t.TempDir(), pkg)
	copyTree(t, unpacked, dir)
	commitAll(t, dir, "source")
	return dir
}

// TestInitVerify_FastifyCLIProject: what `fastify generate` writes (the
// project fastify-cli 7.4.1, from the npm registry, starts a Fastify
// user with) passes init --verify with no flag: its start script runs
// `fastify start -l info app.js`, so the image runs fastify-cli's bin with
// those arguments, on $PORT 3000, with $FASTIFY_ADDRESS at every address
// (fastify-cli listens on localhost where it recognises no container, as
// under Podman), and fastify-cli's own SIGTERM handling (close-with-grace)
// stops it. Before, init ran app.js, a plugin that starts nothing.
func TestInitVerify_FastifyCLIProject(t *testing.T) {
	tmp := t.TempDir()
	cmd := exec.Command("npx", "-y", "fastify-cli@7.4.1", "generate", "app")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fastify-cli generate: %v\n%s", err, out)
	}
	dir := filepath.Join(tmp, "app")
	commitAll(t, dir, "fastify generate")
	code, out, errOut := initVerify(t, dir)
	if code != 0 || !strings.Contains(out, "passed verify") {
		t.Fatalf("init --verify: exit %d\n%s%s", code, out, errOut)
	}
	for _, f := range []string{
		"entrypoint   node_modules/fastify-cli/cli.js package.json:11 (package.json scripts.start (fastify-cli, which loads app.js and listens))",
		"host from    $FASTIFY_ADDRESS", "signals      handles SIGTERM", "health       /                            routes/root.js:4",
	} {
		if !strings.Contains(out, f) {
			t.Errorf("init's output lacks %q:\n%s", f, out)
		}
	}
}
