package generate

import (
	"fmt"
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
	if err != nil {
		def := c.Default(rt)
		def.Why = fmt.Sprintf("%s declares %q, which resolves to no release (%v): %s %s, the default", s.Version.File, s.Version.Value, err, rt.Name(), def.Version)
		return def, fmt.Errorf("%s: %w", s.Version.File, err)
	}
	return res, nil
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
// building before bookworm.
func pythonImage(s *detect.Stack) string {
	v := pinned(s)
	return "python:" + v.Version + "-slim-" + pythonSuite(v.Release.Line)
}

func pythonSuite(line string) string {
	switch line {
	case "2.7":
		return "buster"
	case "3.6":
		return "bullseye"
	case "3.7", "3.8", "3.9", "3.10", "3.11", "3.12":
		return "bookworm"
	}
	return "trixie"
}

// pythonRuntime is the final stage's image and its interpreter: Google's
// distroless python3 image of the project's line when there is one
// (python3-debian12 holds Debian bookworm's 3.11, python3-debian13
// trixie's 3.13; no shell, no pip), the builder image otherwise.
func pythonRuntime(s *detect.Stack) (image, python string) {
	switch pinned(s).Release.Line {
	case "3.11":
		return "gcr.io/distroless/python3-debian12:nonroot", "/usr/bin/python3"
	case "3.13":
		return "gcr.io/distroless/python3-debian13:nonroot", "/usr/bin/python3"
	}
	return pythonImage(s), "python3"
}

// nodeImage is the builder: the slim image of the newest Debian release
// the official node images were built on for the project's line.
func nodeImage(s *detect.Stack) string {
	v := pinned(s)
	return "node:" + v.Version + "-" + nodeSuite(v.Release.Line) + "-slim"
}

func nodeSuite(line string) string {
	switch line {
	case "10", "11", "12", "13", "15":
		return "buster"
	case "14", "16", "17", "19":
		return "bullseye"
	}
	return "bookworm"
}

// nodeRuntime is the final stage's image and its node binary: Google's
// distroless nodejs image of the project's major version (node and its
// libraries, no shell, no npm) for the majors it publishes, or the builder
// image for the others.
func nodeRuntime(s *detect.Stack) (image, node string) {
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
