package proxy

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/caddy"
)

func init() {
	registerCaddy(&lint.CaddyRule{
		Meta: lint.Meta{
			ID: "PX033", Name: "caddy-no-encode", Severity: lint.Info,
			Summary:   "A Caddy site does not compress responses (no `encode`).",
			Rationale: "Caddy does not compress by default; HTML, CSS, JS and JSON go out 3-10 times larger than needed.",
			Fix:       "`encode zstd gzip` in the site.",
		},
		Site: func(r *lint.Report, f *caddy.File, site *caddy.Directive) {
			if len(site.Find("encode")) == 0 {
				r.AddCaddy(site, "site %s does not compress its responses", site.Name)
			}
		},
	})
}
