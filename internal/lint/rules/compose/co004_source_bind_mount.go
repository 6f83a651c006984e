package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO004", Name: "source-bind-mount", Severity: lint.Warning, Production: lint.Error,
			Summary: "A production compose file bind-mounts source code into a service (`./app:/app`).",
			Rationale: "The container then runs whatever is on the host's disk, not the image that was built, tested and tagged: " +
				"code is mutable at run time and the deploy is not reproducible (seed 004: \"`./services/*/app:/app` in production\").",
			Fix: "Move the mount to a development override (compose.override.yaml or compose.dev.yaml) and run the image's own code in production.",
			Differences: "Source is something the project holds, mounted over an application directory (/app, /code, /usr/src/app, ...) " +
				"or the service's own build context; a directory the repository does not hold (./data) is the service's data (CO005). " +
				"Files named as development overrides (`*override*`, `*.dev.*`, `*.local.*`, `*.test.*`) may mount source; read-only config files are fine.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			for _, item := range p.Items("services", name, "volumes") {
				if item.Pos.File == "" || isDevelopmentFile(p, item.Pos.File) {
					continue
				}
				src, target, readOnly := volumeSpec(item)
				if readOnly && looksLikeFile(src) {
					continue
				}
				if isSourceMount(r.Model(), p, s, src, target) {
					r.AddPos(item.Pos, "%s bind-mounts %s over %s: production runs the host's files, not the image", name, src, target)
				}
			}
		},
	})
}

// isSourceMount reports whether a volume mounts the project's source:
// something the project holds (not ./data, which the service fills), over an
// application directory or from the service's own build context.
func isSourceMount(m *project.Model, p *compose.Project, s types.ServiceConfig, src, target string) bool {
	return isRelativeHostPath(src) && m.Ships(p.WorkingDir, src) && (isCodeTarget(target) || p.IsBuildContext(s, src))
}

func isDevelopmentFile(p *compose.Project, path string) bool {
	for _, f := range p.Files {
		if f.Path == path {
			return f.Development()
		}
	}
	return false
}

// codeDirs are where images keep their application code.
var codeDirs = []string{"/app", "/usr/src/app", "/code", "/src", "/srv/app", "/opt/app", "/var/www", "/home/app", "/workspace"}

func isCodeTarget(target string) bool {
	for _, d := range codeDirs {
		if target == d || strings.HasPrefix(target, d+"/") {
			return true
		}
	}
	return false
}

func isRelativeHostPath(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "."
}

func looksLikeFile(p string) bool {
	base := p[strings.LastIndexByte(p, '/')+1:]
	return strings.Contains(base, ".") && !strings.HasPrefix(base, ".") || extensionless[strings.ToLower(base)]
}

// extensionless are configuration files whose names carry no extension.
var extensionless = map[string]bool{"caddyfile": true, "corefile": true, "htpasswd": true, ".htpasswd": true, "crontab": true, "hosts": true}
