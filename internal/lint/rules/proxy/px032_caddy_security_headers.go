package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/caddy"
)

func init() {
	registerCaddy(&lint.CaddyRule{
		Meta: lint.Meta{
			ID: "PX032", Name: "caddy-security-headers-missing", Severity: lint.Info, Production: lint.Warning,
			Summary:   "A Caddy site sets no X-Content-Type-Options, X-Frame-Options (or CSP) or Strict-Transport-Security.",
			Rationale: "Caddy adds none of these by itself; they stop MIME sniffing, clickjacking and downgrades to http for every app behind it.",
			Fix:       "`header { X-Content-Type-Options nosniff  X-Frame-Options DENY  Referrer-Policy strict-origin-when-cross-origin  Strict-Transport-Security \"max-age=31536000\" }`",
		},
		Site: func(r *lint.Report, f *caddy.File, site *caddy.Directive) {
			h := caddyHeaders(site)
			var missing []string
			if !h["x-content-type-options"] {
				missing = append(missing, "X-Content-Type-Options")
			}
			if !h["x-frame-options"] && !h["content-security-policy"] {
				missing = append(missing, "X-Frame-Options")
			}
			if !h["strict-transport-security"] && !plainHTTP(site) {
				missing = append(missing, "Strict-Transport-Security")
			}
			if len(missing) > 0 {
				r.AddCaddy(site, "site %s does not send %s", site.Name, strings.Join(missing, ", "))
			}
		},
	})
}

// plainHTTP reports whether a site serves only http:// (no automatic HTTPS).
func plainHTTP(site *caddy.Directive) bool {
	for _, a := range site.Addresses() {
		if !strings.HasPrefix(a, "http://") && !strings.HasPrefix(a, ":80") {
			return false
		}
	}
	return true
}
