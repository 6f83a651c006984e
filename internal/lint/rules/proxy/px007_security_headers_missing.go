package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX007", Name: "security-headers-missing", Severity: lint.Info, Production: lint.Warning,
			Summary: "Responses lack basic security headers: X-Content-Type-Options, X-Frame-Options (or a CSP frame-ancestors), " +
				"Referrer-Policy, and Strict-Transport-Security on TLS servers.",
			Rationale: "These headers stop MIME sniffing, clickjacking, leaking URLs to other sites and downgrades to http; the proxy is the " +
				"one place to set them for every app behind it. A location with its own add_header silently drops all inherited ones.",
			Fix: "In the server: `add_header X-Content-Type-Options nosniff always; add_header X-Frame-Options DENY always; " +
				"add_header Referrer-Policy strict-origin-when-cross-origin always;` and on TLS `add_header Strict-Transport-Security \"max-age=31536000\" always;` " +
				"— and repeat them in any location that has its own add_header.",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			server := d
			if d.Name == "location" {
				if len(d.Find("add_header")) == 0 {
					return // inherits the server's, judged there
				}
				server = d.Enclosing("server")
			} else if !d.IsServer() {
				return
			}
			want := []string{"X-Content-Type-Options", "Referrer-Policy"}
			if server != nil && isTLSServer(server) {
				want = append(want, "Strict-Transport-Security")
			}
			var missing []string
			for _, h := range want {
				if !setsHeader(d, "add_header", h) {
					missing = append(missing, h)
				}
			}
			if !setsHeader(d, "add_header", "X-Frame-Options") && !frameAncestors(d) {
				missing = append(missing, "X-Frame-Options")
			}
			if len(missing) == 0 {
				return
			}
			where := "this server"
			if d.Name == "location" {
				where = "location " + strings.Join(d.Args, " ") + " (its own add_header drops the server's)"
			}
			r.AddDirective(d, "%s does not send %s", where, strings.Join(missing, ", "))
		},
	})
}

func frameAncestors(d *nginx.Directive) bool {
	for _, h := range d.Effective("add_header") {
		if len(h.Args) > 1 && strings.EqualFold(h.Args[0], "Content-Security-Policy") && strings.Contains(h.Args[1], "frame-ancestors") {
			return true
		}
	}
	return false
}
