package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/source/nginx"
)

// isProxyLocation reports whether a location (or server) passes requests to
// an upstream.
func isProxyLocation(d *nginx.Directive) bool {
	return (d.Name == "location" || d.IsServer()) && len(d.Find("proxy_pass")) > 0
}

// setsHeader reports whether proxy_set_header (or add_header) with the name
// is in force in d, following nginx's inheritance.
func setsHeader(d *nginx.Directive, directive, header string) bool {
	for _, h := range d.Effective(directive) {
		if len(h.Args) > 0 && strings.EqualFold(h.Args[0], header) {
			return true
		}
	}
	return false
}

// isTLSServer reports whether a server block terminates TLS.
func isTLSServer(server *nginx.Directive) bool {
	for _, l := range server.Find("listen") {
		for _, a := range l.Args {
			if a == "ssl" || a == "quic" || strings.HasSuffix(a, ":443") || a == "443" {
				return true
			}
		}
	}
	return len(server.Effective("ssl_certificate")) > 0
}
