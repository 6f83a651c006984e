package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX010", Name: "websocket-upgrade-incomplete", Severity: lint.Error,
			Summary:   "A location passes the Upgrade header without HTTP/1.1 and a Connection header.",
			Rationale: "nginx talks HTTP/1.0 to upstreams by default and drops hop-by-hop headers: the WebSocket handshake never reaches the app and the client gets 400 or a hang.",
			Fix:       "`proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\";` (or `$connection_upgrade` from a map).",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			if !isProxyLocation(d) || !setsHeader(d, "proxy_set_header", "Upgrade") {
				return
			}
			var missing []string
			if d.EffectiveValue("proxy_http_version") != "1.1" {
				missing = append(missing, "proxy_http_version 1.1")
			}
			if !setsHeader(d, "proxy_set_header", "Connection") {
				missing = append(missing, "proxy_set_header Connection")
			}
			if len(missing) > 0 {
				r.AddDirective(d, "%s %s forwards Upgrade without %s, so WebSockets fail", d.Name, strings.Join(d.Args, " "), strings.Join(missing, " and "))
			}
		},
	})
}
