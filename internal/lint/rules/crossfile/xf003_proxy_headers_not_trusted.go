package crossfile

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF003", Name: "forwarded-headers-not-trusted", Severity: lint.Warning, Production: lint.Error,
			Summary: "An app behind a reverse proxy runs uvicorn or gunicorn without trusting the proxy's forwarded headers.",
			Rationale: "The app then believes every request is plain http from the proxy's address: url_for and redirects produce http:// " +
				"links on an https site, and browsers block the CSS as mixed content (seed 002), while logs and rate limits see one client.",
			Fix: "uvicorn: `--proxy-headers --forwarded-allow-ips=<proxy address or *>`; gunicorn: `--forwarded-allow-ips=<proxy address or *>` " +
				"(or FORWARDED_ALLOW_IPS); Express: `app.set('trust proxy', 1)`; trust everything only when nothing but the proxy can reach the app.",
			Differences: "A proxy is a Traefik router label on the service, or an nginx, Caddy, Traefik or HAProxy service in the project.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if !behindProxy(p, s) {
				return
			}
			f, ok := dockerfileOf(p, s)
			cmd := strings.Join(append(append([]string{}, s.Entrypoint...), s.Command...), " ")
			if ok {
				cmd = command(s, f)
			}
			env := s.Environment
			trusted := strings.Contains(cmd, "forwarded-allow-ips") || env["FORWARDED_ALLOW_IPS"] != nil
			switch {
			case strings.Contains(cmd, "uvicorn") && (!strings.Contains(cmd, "proxy-headers") || !trusted):
				r.AddPos(p.LocateFirst([]string{"services", name, "command"}, []string{"services", name, "build"}, []string{"services", name}),
					"%s runs uvicorn behind a proxy without --proxy-headers and --forwarded-allow-ips, so it builds http:// links", name)
			case strings.Contains(cmd, "gunicorn") && !trusted:
				r.AddPos(p.LocateFirst([]string{"services", name, "command"}, []string{"services", name, "build"}, []string{"services", name}),
					"%s runs gunicorn behind a proxy without --forwarded-allow-ips, so it ignores X-Forwarded-Proto", name)
			default:
				if dir := contextDir(p, s); dir != "" {
					if app := project.Scan(dir); app.Express != nil && !app.TrustsProxy {
						r.AddPos(p.LocateFirst([]string{"services", name, "build"}, []string{"services", name}),
							"%s runs Express (%s:%d) behind a proxy without app.set('trust proxy', ...), so req.protocol and req.ip are the proxy's", name, app.Express.File, app.Express.Line)
					}
				}
			}
		},
	})
}

// behindProxy reports whether the service is routed by Traefik labels, or
// the project runs a reverse proxy next to it.
func behindProxy(p *compose.Project, s types.ServiceConfig) bool {
	for k := range s.Labels {
		if strings.HasPrefix(k, "traefik.http.routers.") {
			return true
		}
	}
	for _, other := range p.ServiceNames() {
		o, _ := p.Service(other)
		img := strings.ToLower(o.Image)
		for _, proxy := range []string{"nginx", "traefik", "caddy", "haproxy"} {
			if strings.Contains(img, proxy) {
				return true
			}
		}
	}
	return false
}
