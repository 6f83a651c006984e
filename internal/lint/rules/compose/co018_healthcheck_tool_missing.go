package compose

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/baseimage"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO018", Name: "service-healthcheck-tool-missing", Severity: lint.Error,
			Summary: "A healthcheck calls curl or wget, which the service's image does not have.",
			Rationale: "The check then fails forever: the service is marked unhealthy and everything that waits for `service_healthy` " +
				"never starts, although the app is fine.",
			Fix:         "Check with what the image has (`pg_isready`, `redis-cli ping`, `python -c 'import urllib.request; ...'`, the app's own binary), or install curl in the image.",
			Differences: "Judged for well-known images named in `image:`, and for services built from a Dockerfile by what its final stage is based on and installs.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if !hasHealthcheck(s) {
				return
			}
			has, from, ok := toolsOf(r.Model(), p, s)
			if !ok {
				return
			}
			test := strings.Join(s.HealthCheck.Test, " ")
			for _, tool := range []string{"curl", "wget"} {
				if !has(tool) && mentionsCommand(test, tool) {
					r.AddPos(at(p, name, "healthcheck", "test"), "the healthcheck of %s runs %s, which %s does not ship", name, tool, from)
					return
				}
			}
		},
	})
}

// mentionsCommand reports whether a healthcheck test runs the command.
func mentionsCommand(test, cmd string) bool {
	for _, f := range strings.FieldsFunc(test, func(r rune) bool { return r == ' ' || r == ';' || r == '&' || r == '|' || r == '"' || r == '\'' }) {
		if f == cmd || strings.HasSuffix(f, "/"+cmd) {
			return true
		}
	}
	return false
}

// toolsOf says which tools the service's image has: from its Dockerfile when
// it is built here, else from what is known of the named image.
func toolsOf(m *project.Model, p *compose.Project, s types.ServiceConfig) (has func(string) bool, from string, ok bool) {
	if f, built := builtFrom(m, p, s); built {
		final := f.FinalStage()
		if final == nil {
			return nil, "", false
		}
		return func(tool string) bool { return baseimage.StageHas(final, tool) }, "the image built from " + f.Path, true
	}
	img, named := imageOf(s)
	if !named {
		return nil, "", false
	}
	curl, wget, known := baseimage.HTTPTools(img)
	if !known {
		return nil, "", false
	}
	return func(tool string) bool { return tool == "curl" && curl || tool == "wget" && wget }, fmt.Sprintf("%q", s.Image), true
}

// builtFrom parses the Dockerfile a service's build section names, or
// false when it has none or the file cannot be read.
func builtFrom(m *project.Model, p *compose.Project, s types.ServiceConfig) (*dockerfile.File, bool) {
	build, ok := p.BuildFile(s)
	if !ok {
		return nil, false
	}
	return m.Dockerfile(build)
}
