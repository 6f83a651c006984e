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
			Differences: "Reads the code in the service's build context (FastAPI, Flask, Django, net/http, chi, gin, echo, Express, Fastify routes); " +
				"silent when no route is found at all.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			dir := contextDir(p, s)
			if dir == "" {
				return
			}
			check, where := healthURL(p, name, s)
			if check == "" {
				return
			}
			app := project.Scan(dir)
			if len(app.Routes) == 0 || app.Serves(check) {
				return
			}
			r.AddPos(where, "the health check of %s requests %s, which the code in %s does not serve", name, check, dir)
		},
	})
}

var urlPath = regexp.MustCompile(`https?://[^/\s"']+(/[^\s"')]*)`)

// healthURL returns the path the service's health check requests and where
// that check is written: compose's healthcheck, else the Dockerfile's.
func healthURL(p *compose.Project, name string, s types.ServiceConfig) (string, compose.Pos) {
	if s.HealthCheck != nil && len(s.HealthCheck.Test) > 0 {
		if m := urlPath.FindStringSubmatch(strings.Join(s.HealthCheck.Test, " ")); m != nil {
			return m[1], p.LocateFirst([]string{"services", name, "healthcheck", "test"}, []string{"services", name})
		}
		return "", compose.Pos{}
	}
	f, ok := dockerfileOf(p, s)
	if !ok || f.FinalStage() == nil {
		return "", compose.Pos{}
	}
	hc := f.FinalStage().Last("HEALTHCHECK")
	if hc == nil {
		return "", compose.Pos{}
	}
	if m := urlPath.FindStringSubmatch(strings.Join(hc.Args, " ")); m != nil {
		return m[1], p.LocateFirst([]string{"services", name, "build"}, []string{"services", name})
	}
	return "", compose.Pos{}
}
