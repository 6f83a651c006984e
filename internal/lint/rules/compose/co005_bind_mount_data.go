package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO005", Name: "bind-mount-for-data", Severity: lint.Info, Production: lint.Warning,
			Summary: "Writable data lives in a host bind mount instead of a named volume.",
			Rationale: "A bind-mounted directory keeps the host's owner: a container running as a non-root UID gets \"permission denied\" " +
				"(seed 000 needed Podman's --userns=keep-id; seed 004 hit it when it dropped root). Named volumes are created with the " +
				"image's ownership and are portable across hosts.",
			Fix: "Use a named volume: `volumes: [app_data:/data]` with `app_data:` under the top-level `volumes:`.",
			Differences: "Development and test files are not judged: their mounts hand the host what it is meant to read (coverage and test reports). Read-only mounts, single files, sockets, source-code mounts (CO004), the host's own system directories " +
				"(/lib/modules, /usr/src, /proc, ...), dependency directories (node_modules, .venv) and project directories that hold files the project ships (configuration, scripts, pages) are not judged here.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			for _, item := range p.Items("services", name, "volumes") {
				src, target, readOnly := volumeSpec(item)
				if readOnly || isDevelopmentFile(p, item.Pos.File) || !isBindSource(src) || looksLikeFile(src) || looksLikeFile(target) || isSocket(src) || isHostSystemPath(src) || isDependencies(src) ||
					isSourceMount(r.Model(), p, s, src, target) || isCodeTarget(target) && !isRelativeHostPath(src) || p.IsBuildContext(s, src) ||
					r.Model().ShipsContent(p.WorkingDir, src) {
					continue
				}
				r.AddPos(item.Pos, "%s keeps %s in the host directory %s; a named volume avoids UID mismatches for non-root containers", name, target, src)
			}
		},
	})
}

func isSocket(p string) bool {
	return len(p) > 5 && p[len(p)-5:] == ".sock"
}

// hostSystemPaths are the host's own directories a container reads to work
// with the host (kernel modules and headers, devices, clock): they are not
// data, and a named volume could not stand in for them.
var hostSystemPaths = []string{"/lib/modules", "/usr/lib/modules", "/usr/src", "/proc", "/sys", "/dev", "/run", "/var/run", "/etc/localtime", "/etc/timezone"}

// isDependencies reports whether a path is an installed-dependencies
// directory (node_modules, a virtualenv, vendor), shared with a test runner
// or a dev server: rebuilt from a lock file, not data.
func isDependencies(path string) bool {
	base := path[strings.LastIndexByte(strings.TrimSuffix(path, "/"), '/')+1:]
	switch strings.TrimSuffix(base, "/") {
	case "node_modules", ".venv", "venv", "vendor", "site-packages":
		return true
	}
	return false
}

func isHostSystemPath(src string) bool {
	src = strings.TrimSuffix(src, "/")
	for _, p := range hostSystemPaths {
		if src == p || strings.HasPrefix(src, p+"/") {
			return true
		}
	}
	return false
}
