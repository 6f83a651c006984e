package crossfile

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF003", Name: "forwarded-headers-not-trusted", Severity: lint.Warning, Production: lint.Error,
			Summary: "An app behind a reverse proxy runs uvicorn or gunicorn without trusting the proxy's forwarded headers.",
			Rationale: "The app then believes every request is plain http from the proxy's address: url_for and redirects produce http:// " +
				"links on an https site, and browsers block the CSS as mixed content (seed 002), while logs and rate limits see one client.",
			Fix: "uvicorn and gunicorn: `--forwarded-allow-ips=<proxy address or *>` (or FORWARDED_ALLOW_IPS, or forwarded_allow_ips in " +
				"gunicorn.conf.py); Express: `app.set('trust proxy', 1)`; trust everything only when nothing but the proxy can reach the app.",
			Differences: "A proxy is a Traefik, Caddy or nginx-proxy label or variable on the service, an nginx, Caddy, Traefik or HAProxy " +
				"service in the project (by image or by the base of the Dockerfile it is built from; an nginx whose readable configs set " +
				"no forwarded header gives the app nothing to trust and does not count), or a proxy's config or a Kubernetes " +
				"Ingress kept in the project's directory. The server command is followed from compose or the Dockerfile into the scripts " +
				"it runs (an entrypoint script, sh -c, a Procfile, gunicorn.conf.py, a Python script calling uvicorn.run); " +
				"FastAPI's `fastapi run` is uvicorn.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			m := r.Model()
			proxy, ok := behindProxy(m, p, s)
			if !ok {
				return
			}
			f, _ := dockerfileOf(m, p, s)
			launch := m.Launch(contextDir(m, p, s), command(s, f))
			if trustsForwarded(m, s, f, launch) {
				return
			}
			server, where := "", project.Evidence{}
			if e, ok := launch.Find(uvicornRun); ok {
				server, where = "uvicorn", e
				if fastapiRun.MatchString(e.Value) {
					server = "fastapi run (uvicorn)"
				}
			} else if e, ok := launch.Find(gunicornRun); ok {
				server, where = "gunicorn", e
			}
			if server != "" {
				msg := "%s runs %s behind %s without --forwarded-allow-ips, so it ignores X-Forwarded-Proto and builds http:// links"
				if where.File != "" {
					r.AddFile(where.File, where.Line, 1, msg, name, server, proxy) // the script that starts it
					return
				}
				r.AddPos(p.LocateFirst([]string{"services", name, "command"}, []string{"services", name, "entrypoint"},
					[]string{"services", name, "build"}, []string{"services", name, "image"}, []string{"services", name}), msg, name, server, proxy)
				return
			}
			if dir := contextDir(m, p, s); dir != "" {
				if app := m.App(dir); app.Express != nil && !app.TrustsProxy {
					r.AddPos(p.LocateFirst([]string{"services", name, "build"}, []string{"services", name, "image"}, []string{"services", name}),
						"%s runs Express (%s:%d) behind %s without app.set('trust proxy', ...), so req.protocol and req.ip are the proxy's",
						name, app.Express.File, app.Express.Line, proxy)
				}
			}
		},
	})
}

var (
	// The server started, not a package installed or imported.
	// FastAPI's CLI (fastapi run) is uvicorn with uvicorn's defaults.
	uvicornRun  = regexp.MustCompile(`(?:^|[\s"'/=])uvicorn(?:\s+[\w.:-]+:\w|\s+--|\.run\(|["']?\s*,\s*["'][\w.]+:\w)|UvicornWorker|-m\s+uvicorn\b|\bfastapi\s+run\b`)
	fastapiRun  = regexp.MustCompile(`\bfastapi\s+run\b`)
	gunicornRun = regexp.MustCompile(`(?:^|[\s"'/=])gunicorn\s|-m\s+gunicorn\b|^web:\s*gunicorn`)
	// uvicorn reads proxy headers by default but trusts them only from
	// 127.0.0.1; gunicorn the same. Both need the proxy's address trusted.
	forwardedTrust = regexp.MustCompile(`forwarded[-_]allow[-_]ips|FORWARDED_ALLOW_IPS|ProxyHeadersMiddleware|ProxyFix\(`)
	noProxyHeaders = regexp.MustCompile(`--no-proxy-headers|proxy_headers\s*=\s*False`)
)

// trustsForwarded reports whether the service's server trusts the proxy's
// forwarded headers: a flag or setting in what it runs, FORWARDED_ALLOW_IPS
// in compose's environment or the image's ENV, or the app wrapping itself
// in a proxy-headers middleware (Starlette's, werkzeug's ProxyFix).
func trustsForwarded(m *project.Model, s types.ServiceConfig, f *dockerfile.File, launch project.Launch) bool {
	text := launch.Text()
	if noProxyHeaders.MatchString(text) {
		return false
	}
	if forwardedTrust.MatchString(text) || s.Environment["FORWARDED_ALLOW_IPS"] != nil {
		return true
	}
	if f != nil && f.FinalStage() != nil && f.FinalStage().EnvKeys()["FORWARDED_ALLOW_IPS"] {
		return true
	}
	return f != nil && f.ContextKnown() && m.App(f.ContextDir).TrustsProxy
}

// behindProxy reports whether the service is reached through a reverse
// proxy, and which: a router label (Traefik, caddy-docker-proxy), an
// nginx-proxy VIRTUAL_HOST, a proxy service in the project, or a proxy's
// config or an Ingress in the project's directory.
func behindProxy(m *project.Model, p *compose.Project, s types.ServiceConfig) (string, bool) {
	// A service labelled for both is named after Traefik every run, not
	// after whichever label the map gives first.
	for k, v := range s.Labels {
		if strings.HasPrefix(k, "traefik.http.routers.") || k == "traefik.enable" && v == "true" {
			return "Traefik", true
		}
	}
	for k := range s.Labels {
		if k == "caddy" || strings.HasPrefix(k, "caddy.") || strings.HasPrefix(k, "caddy_") {
			return "Caddy", true
		}
	}
	if s.Environment["VIRTUAL_HOST"] != nil {
		return "nginx-proxy", true
	}
	for _, other := range p.ServiceNames() {
		o, _ := p.Service(other)
		if other == s.Name {
			continue
		}
		proxy, ok := proxyImage(o.Image)
		var confs []string
		if ok && proxy == "nginx" {
			confs = mountedNginxConfigs(m, p, o)
		}
		if f, built := buildDockerfile(m, p, o); !ok && built && f.FinalStage() != nil {
			if proxy, ok = proxyImage(f.FinalStage().Root().Name); ok && proxy == "nginx" {
				confs = append(mountedNginxConfigs(m, p, o), copiedNginxConfigs(m, f)...)
			}
		}
		if ok && forwardsHeaders(m, confs) {
			return proxy + " (service " + other + ")", true
		}
	}
	for _, cfg := range m.Proxies(p.WorkingDir) {
		if cfg.Value == "nginx" && !forwardsHeaders(m, []string{cfg.File}) {
			continue // Caddy, Traefik and ingress controllers forward them unasked
		}
		rel, err := filepath.Rel(p.WorkingDir, cfg.File)
		if err != nil {
			rel = cfg.File
		}
		return "the " + cfg.Value + " config " + filepath.ToSlash(rel), true
	}
	return "", false
}

// forwardsHeaders reports whether nginx, configured by confs, sends the
// app forwarded headers: an nginx whose configs set none (no
// proxy_set_header X-Forwarded-*, no include of proxy_params) gives the
// app nothing to trust. Unknown configs are taken to forward them.
func forwardsHeaders(m *project.Model, confs []string) bool {
	if len(confs) == 0 {
		return true
	}
	for _, c := range confs {
		data, err := m.File(c)
		if err != nil || forwardingDirective.Match(data) {
			return true
		}
	}
	return false
}

var forwardingDirective = regexp.MustCompile(`(?i)X-Forwarded-|\bForwarded\b|\binclude\b`)

// proxyImage names the reverse proxy an image runs, if it is one.
func proxyImage(image string) (string, bool) {
	img := strings.ToLower(image)
	for _, proxy := range []string{"nginx", "traefik", "caddy", "haproxy", "envoy"} {
		if strings.Contains(img, proxy) {
			return proxy, true
		}
	}
	return "", false
}
