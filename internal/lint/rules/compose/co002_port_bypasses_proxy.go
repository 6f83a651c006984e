package compose

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO002", Name: "port-bypasses-proxy", Severity: lint.Warning, Production: lint.Error,
			Summary: "A service behind the project's reverse proxy also publishes its port on every interface.",
			Rationale: "The app is then reachable directly, around the proxy's TLS, rate limits and headers; Docker's port publishing also " +
				"bypasses host firewalls such as ufw (seed 004 published every microservice on 0.0.0.0).",
			Differences: "Ports published by a development override (compose.override.yaml, `*.dev.*`) are for the developer's browser and are not judged. A service counts as behind the proxy when it has Traefik router labels, or a proxy service (nginx, Traefik, Caddy, HAProxy, Envoy) depends on it, links to it, or names no service but runs a configuration of the project's (built, mounted under /etc/nginx and the like, given as a config, or held beside the compose file: nginx.conf, Caddyfile, traefik.yml).",
			Fix:         "Remove the `ports:` and let the proxy reach the service on the compose network, or bind to loopback: `127.0.0.1:8000:8000`.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if isProxy(s) || isDatabase(s) || !behindProxy(r.Model(), p, name, s) {
				return
			}
			for i, port := range s.Ports {
				pos := at(p, name, "ports", itoa(i))
				if allInterfaces(port) && !isDevelopmentFile(p, pos.File) {
					r.AddPos(pos, "%s publishes port %s on all interfaces although a proxy fronts it", name, port.Published)
				}
			}
		},
	})
}
