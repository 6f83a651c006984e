package proxy

import (
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX008", Name: "streaming-buffered", Severity: lint.Warning,
			Summary: "A location that serves a stream (server-sent events, /stream, /events) has proxy buffering on.",
			Rationale: "nginx buffers the upstream's response and sends nothing until its buffer fills or the response ends: " +
				"events arrive in bursts minutes late, or never (an LLM token stream shows up all at once).",
			Fix: "In that location: `proxy_buffering off; proxy_cache off; proxy_read_timeout 1h;` (or have the app send `X-Accel-Buffering: no`).",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			if d.Name != "location" || !isProxyLocation(d) || !streamingPath.MatchString(strings.Join(d.Args, " ")) {
				return
			}
			if d.EffectiveValue("proxy_buffering") != "off" {
				r.AddDirective(d, "location %s looks like a stream but proxy_buffering is on", strings.Join(d.Args, " "))
			}
		},
	})
}

var streamingPath = regexp.MustCompile(`(?i)(^|/|\b)(sse|events?|stream(ing)?|eventsource|subscribe)(/|$|\b)`)
