package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

// What rules know about services.

// at returns where a service key is written, or the service itself.
func at(p *compose.Project, service string, keys ...string) compose.Pos {
	return p.LocateFirst(append([]string{"services", service}, keys...), []string{"services", service})
}

// imageOf parses a service's image reference, or false for build-only services.
func imageOf(s types.ServiceConfig) (dockerfile.Image, bool) {
	if s.Image == "" {
		return dockerfile.Image{}, false
	}
	return dockerfile.ParseImage(s.Image), true
}

// databases are images whose ports should never face the network.
var databases = map[string]bool{
	"postgres": true, "postgis": true, "mysql": true, "mariadb": true, "redis": true, "valkey": true, "mongo": true,
	"memcached": true, "rabbitmq": true, "elasticsearch": true, "opensearch": true, "cassandra": true, "couchdb": true,
	"influxdb": true, "clickhouse-server": true, "keydb": true, "timescaledb": true, "minio": true,
}

func isDatabase(s types.ServiceConfig) bool {
	img, ok := imageOf(s)
	return ok && databases[img.Short()]
}

// proxies are images that front other services.
var proxies = map[string]bool{"nginx": true, "traefik": true, "caddy": true, "haproxy": true, "envoy": true, "nginx-unprivileged": true, "openresty": true}

func isProxy(s types.ServiceConfig) bool {
	if img, ok := imageOf(s); ok && proxies[img.Short()] {
		return true
	}
	return false
}

// behindProxy reports whether a reverse proxy of the project fronts the
// service: its own Traefik routing labels, or a proxy service that depends
// on it or links to it, or one that names no service but runs, or may run,
// a configuration of the project's. An nginx with the image's default
// configuration serves static pages (whose scripts may call the API on its
// own published port) and fronts nothing.
func behindProxy(m *project.Model, p *compose.Project, name string, s types.ServiceConfig) bool {
	for k := range s.Labels {
		if strings.HasPrefix(k, "traefik.http.routers.") {
			return true
		}
	}
	for _, other := range p.ServiceNames() {
		o, _ := p.Service(other)
		if !isProxy(o) {
			continue
		}
		if _, ok := o.DependsOn[name]; ok {
			return true
		}
		for _, l := range o.Links {
			if target, _, _ := strings.Cut(l, ":"); target == name {
				return true
			}
		}
		if len(o.DependsOn) == 0 && len(o.Links) == 0 && (hasOwnConfig(o) || shipsProxyConfig(m, p)) {
			return true // it names nobody, and may route to anyone
		}
	}
	return false
}

// shipsProxyConfig reports whether the project holds a proxy configuration
// beside its compose file (seed 004's nginx.conf proxying to auth:8000),
// which the proxy service may well run even where the file does not say how.
func shipsProxyConfig(m *project.Model, p *compose.Project) bool {
	for _, name := range []string{"./nginx.conf", "./nginx", "./default.conf", "./Caddyfile", "./caddy", "./traefik.yml", "./traefik.yaml", "./traefik.toml", "./traefik", "./proxy"} {
		if m.Ships(p.WorkingDir, name) {
			return true
		}
	}
	return false
}

// hasOwnConfig reports whether a proxy service runs a configuration of the
// project's (built, mounted or given as a config), not the image's default,
// which proxies nothing.
func hasOwnConfig(s types.ServiceConfig) bool {
	if s.Build != nil || len(s.Configs) > 0 {
		return true
	}
	for _, v := range s.Volumes {
		for _, dir := range []string{"/etc/nginx", "/etc/caddy", "/etc/traefik", "/etc/haproxy", "/usr/local/etc/haproxy", "/etc/envoy", "/usr/local/openresty"} {
			if strings.HasPrefix(v.Target, dir) {
				return true
			}
		}
	}
	return false
}

// allInterfaces reports whether a published port listens on every interface.
func allInterfaces(port types.ServicePortConfig) bool {
	return port.Published != "" && (port.HostIP == "" || port.HostIP == "0.0.0.0" || port.HostIP == "::")
}

// dependents returns the services that depend on name.
func dependents(p *compose.Project, name string) []string {
	var out []string
	for _, other := range p.ServiceNames() {
		s, _ := p.Service(other)
		if _, ok := s.DependsOn[name]; ok {
			out = append(out, other)
		}
	}
	return out
}

// hasHealthcheck reports whether the service defines an enabled health check.
func hasHealthcheck(s types.ServiceConfig) bool {
	return s.HealthCheck != nil && !s.HealthCheck.Disable && len(s.HealthCheck.Test) > 0 && s.HealthCheck.Test[0] != "NONE"
}
