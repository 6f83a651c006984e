package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX002", Name: "no-rate-limit", Severity: lint.Info, Production: lint.Warning,
			Summary:   "A proxied location has no limit_req.",
			Rationale: "Without a rate limit one client (a scraper, a retry loop, a small attack) can take every app worker; the proxy is the cheap place to stop it (seed 004).",
			Fix:       "Define a zone in http (`limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;`) and apply it: `limit_req zone=api burst=20 nodelay;`.",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			if isProxyLocation(d) && len(d.Effective("limit_req")) == 0 {
				r.AddDirective(d, "%s %s proxies without a rate limit", d.Name, strings.Join(d.Args, " "))
			}
		},
	})
}
