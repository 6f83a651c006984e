package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/source/caddy"
)

// caddyHeaders returns the response header names a site sets (and removes,
// with a leading -), from `header` directives in either form.
func caddyHeaders(site *caddy.Directive) map[string]bool {
	out := map[string]bool{}
	for _, h := range site.Find("header") {
		args := h.Args
		if len(args) > 0 && (strings.HasPrefix(args[0], "/") || strings.HasPrefix(args[0], "*") || strings.HasPrefix(args[0], "@")) {
			args = args[1:] // a matcher
		}
		if len(args) > 0 {
			out[strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(args[0], "+"), ">"))] = true
		}
		for _, sub := range h.Block {
			out[strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(sub.Name, "+"), ">"))] = true
		}
	}
	return out
}

// proxies reports whether a site reverse-proxies to an app.
func proxies(site *caddy.Directive) bool {
	return len(site.Find("reverse_proxy")) > 0
}
