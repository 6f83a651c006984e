package crossfile

import (
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF005", Name: "health-path-not-routed", Severity: lint.Error,
			Summary: "A health check requests a path the application's code does not serve.",
			Rationale: "The check gets 404 forever: the container is marked unhealthy and everything waiting for it never starts, " +
				"usually because the check says /health and the app says /healthz.",
			Fix: "Point the check at the route the app registers, or add the route.",
			Differences: "Reads the code in the service's build context, or in the context CI builds its image from " +
				"(FastAPI, Flask, Django, net/http, chi, gin, echo, Express, Fastify routes); silent when no route is found at all. " +
				"A route also answers a path that ends with it, as routers are mounted under prefixes (include_router, url_prefix, app.use). " +
				"FastAPI's own docs page (/docs, or the literal docs_url its constructor passes) counts as served.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			m := r.Model()
			dir := contextDir(m, p, s)
			if dir == "" {
				return
			}
			check, where := healthURL(m, p, name, s)
			if check == "" {
				return
			}
			app := m.App(dir)
			if !app.CodeRoutes() || app.Serves(check) {
				return
			}
			r.AddPos(where, "the health check of %s requests %s, which the code in %s does not serve", name, check, dir)
		},
	})
}

// urlPath is the path a check requests: of a URL, or of a scheme-less
// localhost:8000/health as curl and wget accept it.
var urlPath = regexp.MustCompile(`(?:https?://[^/\s"']+|\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::\d+)?)(/[^\s"')|;&]*)`)

// healthURL returns the path the service's health check requests and where
// that check is written: compose's healthcheck, else the Dockerfile's.
func healthURL(m *project.Model, p *compose.Project, name string, s types.ServiceConfig) (string, compose.Pos) {
	if s.HealthCheck != nil && len(s.HealthCheck.Test) > 0 {
		if m := urlPath.FindStringSubmatch(strings.Join(s.HealthCheck.Test, " ")); m != nil && !strings.Contains(m[1], "$") {
			return m[1], p.LocateFirst([]string{"services", name, "healthcheck", "test"}, []string{"services", name})
		}
		return "", compose.Pos{}
	}
	f, ok := dockerfileOf(m, p, s)
	if !ok || f.FinalStage() == nil {
		return "", compose.Pos{}
	}
	hc := f.FinalStage().Last("HEALTHCHECK")
	if hc == nil {
		return "", compose.Pos{}
	}
	if m := urlPath.FindStringSubmatch(strings.Join(hc.Args, " ")); m != nil && !strings.Contains(m[1], "$") {
		return m[1], p.LocateFirst([]string{"services", name, "build"}, []string{"services", name, "image"}, []string{"services", name})
	}
	return "", compose.Pos{}
}
