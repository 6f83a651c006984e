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

// proxiesToItself reports whether a location passes requests back to this
// nginx over the loopback, on no port or one the server listens on
// (`proxy_pass $scheme://127.0.0.1/jsonify`): an internal sub-request to
// another location, not an app behind the proxy.
func proxiesToItself(d *nginx.Directive) bool {
	passes := d.Find("proxy_pass")
	if len(passes) == 0 || len(passes[0].Args) == 0 {
		return false
	}
	target := passes[0].Args[0]
	if _, rest, ok := strings.Cut(target, "://"); ok {
		target = rest
	}
	target, _, _ = strings.Cut(target, "/")
	host, port := target, ""
	if i := strings.LastIndexByte(target, ':'); i >= 0 && !strings.HasSuffix(target, "]") {
		host, port = target[:i], target[i+1:]
	}
	if host != "127.0.0.1" && host != "localhost" && host != "[::1]" {
		return false
	}
	if port == "" {
		return true
	}
	server := d
	if !d.IsServer() {
		server = d.Enclosing("server")
	}
	if server == nil {
		return false
	}
	for _, l := range server.Find("listen") {
		if len(l.Args) > 0 && (l.Args[0] == port || strings.HasSuffix(l.Args[0], ":"+port)) {
			return true
		}
	}
	return false
}

// includesProxySettings reports whether d, or a block around it, includes a
// proxy snippet the project does not hold (Debian's proxy_params, an image's
// proxy.conf): the headers and timeouts it sets cannot be read.
func includesProxySettings(d *nginx.Directive) bool {
	for b := d; b != nil; b = b.Parent {
		for _, inc := range b.Find("include") {
			if inc.Unresolved && len(inc.Args) > 0 && strings.Contains(strings.ToLower(inc.Args[0]), "proxy") {
				return true
			}
		}
	}
	return false
}
