package generate

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/runtimes"
)

// The base images the generator pins. Language versions come from the
// runtimes catalog: what the project declares, resolved to an exact
// release, or the catalog's default. scripts/engine.sh builds stand-ins
// for the defaults' references, so the end-to-end suite builds what users
// get.
var (
	// Runtimes.
	staticRuntime = "gcr.io/distroless/static-debian12:nonroot"
	ccRuntime     = "gcr.io/distroless/cc-debian12:nonroot"
	// The runtime of a compiled program that runs other programs (git,
	// ffmpeg): Debian slim, the release the builders are built on, which
	// apt-get can add their packages to.
	debianRuntimeImage = "debian:12.15-slim"

	// Services compose adds for detected databases, and the proxy. These are
	// the versions Debian bookworm ships, which is what the stand-ins hold.
	postgresImage = "postgres:15.18-bookworm"
	redisImage    = "redis:7.0.15-bookworm"
	mysqlImage    = "mysql:8.4.3"
	mongoImage    = "mongo:8.0.4"
	nginxImage    = "nginx:1.22.1"
)

var languageRuntimes = map[string]runtimes.Runtime{
	"go": runtimes.Go, "python": runtimes.Python, "node": runtimes.Node, "rust": runtimes.Rust,
}

// versionFile is the file that declares a stack's language release.
var versionFile = map[string]string{"node": ".nvmrc", "python": ".python-version", "go": "go.mod", "rust": "rust-toolchain.toml"}

// Runtime is the exact language release the stack's images pin, and why.
// A declaration the catalog cannot resolve (unreadable, or no release
// satisfies it) gets the default, and the error says what was wrong, for
// init to show.
func Runtime(s *detect.Stack) (runtimes.Resolution, error) {
	rt, ok := languageRuntimes[s.Language]
	if !ok {
		return runtimes.Resolution{}, fmt.Errorf("no runtime catalog for a %q stack", s.Language)
	}
	c := runtimes.Today()
	if s.Version == nil {
		return c.Default(rt), nil
	}
	res, err := c.Declared(rt, s.Version.File, s.Version.Value)
	if err == nil && res.EOL && s.VersionHint {
		def := c.Default(rt)
		older := ""
		for _, r := range c.Supported(rt) {
			if runtimes.Older(res.Release.Line, r.Line) && (older == "" || runtimes.Older(r.Line, older)) {
				older = r.Line
			}
		}
		def.Why = fmt.Sprintf("%s runs %s %s, %s, which is no declaration of what the app needs: %s %s, the default", s.Version.Where(), rt.Name(), s.Version.Value, c.Support(res.Release), rt.Name(), def.Version)
		if older != "" && older != def.Release.Line {
			def.Why += fmt.Sprintf("; an app that needs an API removed since then fails its verify run: %s %s is the oldest supported release, which a declaration (%s: %s) pins", rt.Name(), older, versionFile[s.Language], older)
		}
		return def, nil
	}
	if err != nil {
		def := c.Default(rt)
		def.Why = fmt.Sprintf("%s declares %q, which resolves to no release (%v): %s %s, the default", s.Version.File, s.Version.Value, err, rt.Name(), def.Version)
		return def, fmt.Errorf("%s: %w", s.Version.File, err)
	}
	return res, nil
}

// BuilderImage is the build stage's image init writes for the stack: its
// language's official image at the release it resolves to.
func BuilderImage(s *detect.Stack) string {
	switch s.Language {
	case "go":
		return goBuilder(s)
	case "python":
		return pythonImage(s)
	case "node":
		return nodeImage(s)
	case "rust":
		return rustBuilder(s)
	}
	return ""
}

// pinned is the resolved runtime, the default when the declaration
// resolves to nothing.
func pinned(s *detect.Stack) runtimes.Resolution {
	res, _ := Runtime(s)
	return res
}

func goBuilder(s *detect.Stack) string {
	return "golang:" + pinned(s).Version + "-bookworm"
}

// pythonImage is the builder: the slim image of the Debian release its
// distroless runtime is built from (trixie from 3.13 on, bookworm for the
// lines it carries), older suites for lines the official images stopped
// building before bookworm, and for patches older than the suite's first.
func pythonImage(s *detect.Stack) string {
	v := pinned(s)
	return "python:" + v.Version + "-slim-" + pythonSuite(v.Release.Line, v.Version)
}

// pythonFirstOn is, by line, the first patch docker-library/python
// published for each Debian suite newer than buster (its versions.json
// history, 2022-01 to 2026-06; bullseye variants from before 2022 are
// taken from that history's first record of each line): an exact patch a
// repository pins that is older gets the newest suite it was built on,
// since python:3.10.2-slim-bookworm or python:3.13.5-slim-trixie was
// never published.
var pythonFirstOn = map[string]map[string]string{
	"3.7":  {"bookworm": "3.7.17", "bullseye": "3.7.12"},
	"3.8":  {"bookworm": "3.8.17", "bullseye": "3.8.12"},
	"3.9":  {"bookworm": "3.9.17", "bullseye": "3.9.10"},
	"3.10": {"bookworm": "3.10.12", "bullseye": "3.10.0"},
	"3.11": {"bookworm": "3.11.4", "bullseye": "3.11.0"},
	"3.12": {"bookworm": "3.12.0"},
	"3.13": {"trixie": "3.13.6", "bookworm": "3.13.0"},
	"3.14": {"trixie": "3.14.0"},
}

func pythonSuite(line, version string) string {
	switch line {
	case "2.7":
		return "buster"
	case "3.6":
		return "bullseye"
	}
	if first, ok := pythonFirstOn[line]; ok {
		return suiteOf(first, version, "buster")
	}
	return "trixie" // a line newer than the table, built on trixie as the newest are
}

// suiteOf is the newest Debian suite whose first image of the line is not
// newer than version, or older when none is.
func suiteOf(first map[string]string, version, older string) string {
	for _, suite := range []string{"trixie", "bookworm", "bullseye", "buster"} {
		if f, ok := first[suite]; ok && !runtimes.Older(version, f) {
			return suite
		}
	}
	return older
}

// pythonRuntime is the final stage's image and its interpreter: Google's
// distroless python3 image of the project's line when there is one
// (python3-debian12 holds Debian bookworm's 3.11, python3-debian13
// trixie's 3.13; no shell, no pip), the builder image otherwise.
func pythonRuntime(s *detect.Stack) (image, python string) {
	if debianRuntime(s) {
		return pythonImage(s), "python3"
	}
	switch pinned(s).Release.Line {
	case "3.11":
		return "gcr.io/distroless/python3-debian12:nonroot", "/usr/bin/python3"
	case "3.13":
		return "gcr.io/distroless/python3-debian13:nonroot", "/usr/bin/python3"
	}
	return pythonImage(s), "python3"
}

// nodeImage is the builder: the slim image of the newest Debian release
// the official node images were built on for the project's line (bookworm,
// as the distroless nodejs runtimes are), older for a line or patch from
// before bookworm's images.
func nodeImage(s *detect.Stack) string {
	v := pinned(s)
	return "node:" + v.Version + "-" + nodeSuite(v.Release.Line, v.Version) + "-slim"
}

// nodeFirstOn is, by line, the first release nodejs/docker-node built on
// each suite (its history): node:18.12.1-bookworm-slim was never
// published, node:18.12.1-bullseye-slim was.
var nodeFirstOn = map[string]map[string]string{
	"12": {"buster": "12.6.0"},
	"14": {"bullseye": "14.17.5", "buster": "14.0.0"},
	"16": {"bullseye": "16.6.2", "buster": "16.0.0"},
	"18": {"bookworm": "18.16.0", "bullseye": "18.0.0"},
	"20": {"bookworm": "20.3.0", "bullseye": "20.0.0"},
}

func nodeSuite(line, version string) string {
	if first, ok := nodeFirstOn[line]; ok {
		return suiteOf(first, version, "stretch")
	}
	switch line {
	case "10", "11", "13", "15":
		return "buster"
	case "17", "19":
		return "bullseye"
	}
	return "bookworm"
}

// nodeRuntime is the final stage's image and its node binary: Google's
// distroless nodejs image of the project's major version (node and its
// libraries, no shell, no npm) for the majors it publishes, or the builder
// image for the others.
func nodeRuntime(s *detect.Stack) (image, node string) {
	if debianRuntime(s) {
		return nodeImage(s), "node"
	}
	switch major := pinned(s).Release.Line; major {
	case "20", "22", "24":
		return "gcr.io/distroless/nodejs" + major + "-debian12:nonroot", "/nodejs/bin/node"
	}
	return nodeImage(s), "node"
}

func rustBuilder(s *detect.Stack) string {
	return "rust:" + pinned(s).Version + "-slim-bookworm"
}

// withRuntimePragma marks a Dockerfile whose project declares a runtime
// past its end of life: init honours the declaration (the code may need
// that release) and says why at the top of the file, as a pragma check
// reads (DF084), where a reviewer sees it too. Raising the declared
// version and running init again drops it.
func withRuntimePragma(s *detect.Stack, body string) string {
	res, err := Runtime(s)
	if err != nil || !res.EOL || s.Version == nil {
		return body
	}
	def := runtimes.Today().Default(res.Runtime).Release
	pragma := fmt.Sprintf("# shipshape:ignore-file DF084 %s declares %q, which only end-of-life releases satisfy: %s %s, end of life since %s; raise it to move to %s %s\n",
		s.Version.File, res.Declared, res.Runtime.Name(), res.Version, res.Release.EOL.Format(time.DateOnly), res.Runtime.Name(), def.Line)
	i := strings.Index(body, "\nARG ")
	if i < 0 {
		return pragma + body
	}
	return body[:i+1] + pragma + body[i+1:]
}

// nodeMajor is the major release of the Node the stack's images run.
func nodeMajor(s *detect.Stack) int {
	major, _ := strconv.Atoi(pinned(s).Release.Line) // Node's lines are its majors: "24"
	return major
}
