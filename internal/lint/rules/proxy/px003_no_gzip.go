package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX003", Name: "no-gzip", Severity: lint.Info,
			Summary:   "A server does not compress text responses (gzip off, or gzip_types without CSS, JavaScript and JSON).",
			Rationale: "Uncompressed HTML, CSS, JS and JSON are 3-10 times larger on the wire; `gzip on` alone compresses only text/html.",
			Fix:       "`gzip on; gzip_types text/plain text/css application/json application/javascript text/xml application/xml image/svg+xml; gzip_min_length 256; gzip_vary on;`",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			if !d.IsServer() {
				return
			}
			if d.EffectiveValue("gzip") != "on" {
				r.AddDirective(d, "this server does not gzip its responses")
				return
			}
			types := strings.Join(effectiveArgs(d, "gzip_types"), " ")
			if types != "*" && (!strings.Contains(types, "text/css") || !strings.Contains(types, "javascript") || !strings.Contains(types, "json")) {
				r.AddDirective(d, "gzip_types does not cover CSS, JavaScript and JSON, so only text/html is compressed")
			}
		},
	})
}

// effectiveArgs returns every argument of the effective directives.
func effectiveArgs(d *nginx.Directive, name string) []string {
	var out []string
	for _, e := range d.Effective(name) {
		out = append(out, e.Args...)
	}
	return out
}
