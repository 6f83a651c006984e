package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX004", Name: "forwarded-headers-missing", Severity: lint.Warning, Production: lint.Error,
			Summary: "A proxied location does not pass Host, X-Forwarded-For and X-Forwarded-Proto to the app.",
			Rationale: "Without them the app sees the proxy's address as the client, its own upstream name as the host, and http as the " +
				"scheme: it builds http:// links on an https site (seed 002's blocked CSS), logs the wrong IPs and rate-limits everyone as one client.",
			Fix: "`proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme;` " +
				"(remember that a location's own proxy_set_header drops every inherited one).",
			Differences: "Locations that proxy back to nginx itself on the loopback, or include a proxy snippet the project does not hold (Debian's proxy_params sets these headers), are not judged.",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			if !isProxyLocation(d) || proxiesToItself(d) || includesProxySettings(d) {
				return
			}
			var missing []string
			for _, h := range []string{"Host", "X-Forwarded-For", "X-Forwarded-Proto"} {
				if !setsHeader(d, "proxy_set_header", h) {
					missing = append(missing, h)
				}
			}
			if len(missing) > 0 {
				r.AddDirective(d, "%s %s does not pass %s to the app", d.Name, strings.Join(d.Args, " "), strings.Join(missing, ", "))
			}
		},
	})
}
