package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX001", Name: "proxy-timeouts-missing", Severity: lint.Warning,
			Summary: "A proxied location does not set proxy_connect_timeout, proxy_send_timeout and proxy_read_timeout.",
			Rationale: "nginx then waits 60 s per phase for a hung upstream, holding a worker connection each time; under load the proxy " +
				"runs out of connections before the app recovers (seed 004 had to add all three).",
			Fix:         "Set all three, in the location or once in `http {}`: `proxy_connect_timeout 5s; proxy_send_timeout 30s; proxy_read_timeout 30s;`.",
			Differences: "Locations that proxy back to nginx itself on the loopback, or include a proxy snippet the project does not hold (proxy_params), are not judged.",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			if !isProxyLocation(d) || proxiesToItself(d) || includesProxySettings(d) {
				return
			}
			var missing []string
			for _, name := range []string{"proxy_connect_timeout", "proxy_send_timeout", "proxy_read_timeout"} {
				if len(d.Effective(name)) == 0 {
					missing = append(missing, name)
				}
			}
			if len(missing) > 0 {
				r.AddDirective(d, "%s %s proxies without %s (nginx waits 60s)", d.Name, strings.Join(d.Args, " "), strings.Join(missing, ", "))
			}
		},
	})
}
