package proxy

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX005", Name: "server-tokens-on", Severity: lint.Info, Production: lint.Warning,
			Summary:   "nginx announces its version in the Server header and on error pages.",
			Rationale: "The exact version tells a scanner which published vulnerabilities to try first.",
			Fix:       "`server_tokens off;` in `http {}`.",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			if d.IsServer() && d.EffectiveValue("server_tokens") != "off" {
				r.AddDirective(d, "this server sends nginx's version (server_tokens is not off)")
			}
		},
	})
}
