package proxy

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX009", Name: "no-client-max-body-size", Severity: lint.Info,
			Summary:   "A proxying server does not set client_max_body_size.",
			Rationale: "The default of 1 MB rejects every larger upload with 413 before the app sees it; the limit should be a decision, sized for the app (small for an API, larger for uploads).",
			Fix:       "Set it where the app needs it: `client_max_body_size 10m;` (in http, server or the upload location).",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			if !d.IsServer() || len(d.Effective("client_max_body_size")) > 0 {
				return
			}
			proxies := false
			for _, l := range d.Find("location") {
				if len(l.Find("client_max_body_size")) > 0 {
					return
				}
				proxies = proxies || isProxyLocation(l)
			}
			if proxies || isProxyLocation(d) {
				r.AddDirective(d, "this server proxies with the default client_max_body_size of 1m")
			}
		},
	})
}
