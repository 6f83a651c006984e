package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/baseimage"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO018", Name: "service-healthcheck-tool-missing", Severity: lint.Error,
			Summary: "A healthcheck calls curl or wget, which the service's image does not have.",
			Rationale: "The check then fails forever: the service is marked unhealthy and everything that waits for `service_healthy` " +
				"never starts, although the app is fine.",
			Fix:         "Check with what the image has (`pg_isready`, `redis-cli ping`, `python -c 'import urllib.request; ...'`, the app's own binary), or install curl in the image.",
			Differences: "Judged for well-known images named in `image:`; services built from a Dockerfile are the cross-file rules' business.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			img, ok := imageOf(s)
			if !ok || s.Build != nil || !hasHealthcheck(s) {
				return
			}
			curl, wget, known := baseimage.HTTPTools(img)
			if !known {
				return
			}
			test := strings.Join(s.HealthCheck.Test, " ")
			for _, tool := range []string{"curl", "wget"} {
				has := tool == "curl" && curl || tool == "wget" && wget
				if !has && mentionsCommand(test, tool) {
					r.AddPos(at(p, name, "healthcheck", "test"), "the healthcheck of %s runs %s, which %q does not ship", name, tool, s.Image)
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
