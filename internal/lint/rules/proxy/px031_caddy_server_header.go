package proxy

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/caddy"
)

func init() {
	registerCaddy(&lint.CaddyRule{
		Meta: lint.Meta{
			ID: "PX031", Name: "caddy-server-header", Severity: lint.Info,
			Summary:   "A Caddy site passes on the Server header (Caddy's, or the app's behind it).",
			Rationale: "The header names the server software, and behind reverse_proxy often the app server and its version too: a free hint for scanners.",
			Fix:       "`header -Server` in the site.",
		},
		Site: func(r *lint.Report, f *caddy.File, site *caddy.Directive) {
			if !caddyHeaders(site)["-server"] {
				r.AddCaddy(site, "site %s does not remove the Server header", site.Name)
			}
		},
	})
}
