package proxy

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	registerCompose(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "PX023", Name: "traefik-router-without-middlewares", ProductionOnly: true, Production: lint.Warning,
			Summary:   "A public Traefik router applies no middlewares (no rate limit, no security headers).",
			Rationale: "Traefik adds neither rate limiting nor security headers by itself; without middlewares the app gets raw internet traffic.",
			Fix:       "Attach middlewares: `traefik.http.routers.app.middlewares=ratelimit@file,secure-headers@file` (a rateLimit and a headers middleware).",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			for _, rt := range routers(s) {
				if _, ok := rt.labels["middlewares"]; !ok {
					r.AddPos(labelPos(p, name, rt.name, "rule"), "Traefik router %s of %s applies no middlewares", rt.name, name)
				}
			}
		},
	})
}
