package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/caddy"
)

func init() {
	registerCaddy(&lint.CaddyRule{
		Meta: lint.Meta{
			ID: "PX030", Name: "caddy-reverse-proxy-no-health-check", Severity: lint.Info, Production: lint.Warning,
			Summary: "A Caddy reverse_proxy has no active health check (health_uri).",
			Rationale: "Without one Caddy keeps sending requests to an upstream that is up but broken, and with several upstreams it " +
				"cannot take a bad one out of rotation.",
			Fix: "`reverse_proxy app:8000 { health_uri /healthz  health_interval 10s }`.",
		},
		Site: func(r *lint.Report, f *caddy.File, site *caddy.Directive) {
			for _, rp := range site.Find("reverse_proxy") {
				if len(rp.Find("health_uri")) == 0 && len(rp.Find("health_path")) == 0 {
					r.AddCaddy(rp, "reverse_proxy %s has no active health check", strings.Join(rp.Args, " "))
				}
			}
		},
	})
}
