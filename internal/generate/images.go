package generate

import (
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/detect"
)

// The base images the generator pins. Each is an exact version tag; a
// declared language version picks the newest patch this table knows for
// that minor (or the exact version when the project names one). The
// defaults are the references scripts/engine.sh builds stand-ins for, so
// the end-to-end suite builds what users get.
var (
	goPatches     = map[string]string{"1.22": "1.22.10", "1.23": "1.23.4", "1.24": "1.24.11", "1.25": "1.25.5", "1.26": "1.26.8"}
	pythonPatches = map[string]string{"3.9": "3.9.21", "3.10": "3.10.16", "3.11": "3.11.2", "3.12": "3.12.8", "3.13": "3.13.1"}
	nodePatches   = map[string]string{"18": "18.20.4", "20": "20.18.1", "22": "22.12.0", "24": "24.11.1"}

	defaultGo     = "1.26.8"
	defaultPython = "3.11.2"
	defaultNode   = "18.20.4"
	defaultRust   = "1.95.0"

	// Runtimes.
	staticRuntime = "gcr.io/distroless/static-debian12:nonroot"
	ccRuntime     = "gcr.io/distroless/cc-debian12:nonroot"

	// Services compose adds for detected databases, and the proxy. These are
	// the versions Debian bookworm ships, which is what the stand-ins hold.
	postgresImage = "postgres:15.18-bookworm"
	redisImage    = "redis:7.0.15-bookworm"
	mysqlImage    = "mysql:8.4.3"
	nginxImage    = "nginx:1.22.1"
)

var versionParts = regexp.MustCompile(`^(\d+)(?:\.(\d+))?(?:\.(\d+))?`)

// pin returns the exact version for a declared one: x.y.z as declared, x.y
// (or x for Node) through the table, nothing declared or unknown: the
// default.
func pin(declared *detect.Evidence, table map[string]string, def string, minorKey bool) string {
	if declared == nil {
		return def
	}
	m := versionParts.FindStringSubmatch(strings.TrimSpace(declared.Value))
	if m == nil {
		return def
	}
	if m[3] != "" {
		return m[1] + "." + m[2] + "." + m[3]
	}
	key := m[1]
	if minorKey {
		if m[2] == "" {
			return def
		}
		key += "." + m[2]
	}
	if v, ok := table[key]; ok {
		return v
	}
	if table == nil && m[2] != "" { // Rust: every x.y has an x.y.0
		return m[1] + "." + m[2] + ".0"
	}
	return def
}

func goBuilder(s *detect.Stack) string {
	return "golang:" + pin(s.Version, goPatches, defaultGo, true) + "-bookworm"
}

func pythonImage(s *detect.Stack) string {
	return "python:" + pin(s.Version, pythonPatches, defaultPython, true) + "-slim-bookworm"
}

func nodeImage(s *detect.Stack) string {
	return "node:" + pin(s.Version, nodePatches, defaultNode, false) + "-bookworm-slim"
}

// pythonRuntime is the final stage's image and its interpreter: Google's
// distroless python3-debian12 (Debian's Python 3.11, no shell, no pip) for a
// 3.11 project, the builder image otherwise.
func pythonRuntime(s *detect.Stack) (image, python string) {
	if v := pin(s.Version, pythonPatches, defaultPython, true); strings.HasPrefix(v, "3.11.") {
		return "gcr.io/distroless/python3-debian12:nonroot", "/usr/bin/python3"
	}
	return pythonImage(s), "python3"
}

// nodeRuntime is the final stage's image and its node binary: Google's
// distroless nodejs image of the project's major version (node and its
// libraries, no shell, no npm), or the builder image for a major it does
// not publish.
func nodeRuntime(s *detect.Stack) (image, node string) {
	major, _, _ := strings.Cut(pin(s.Version, nodePatches, defaultNode, false), ".")
	switch major {
	case "18", "20", "22":
		return "gcr.io/distroless/nodejs" + major + "-debian12:nonroot", "/nodejs/bin/node"
	}
	return nodeImage(s), "node"
}

func rustBuilder(s *detect.Stack) string {
	return "rust:" + pin(s.Version, nil, defaultRust, true) + "-slim-bookworm"
}
