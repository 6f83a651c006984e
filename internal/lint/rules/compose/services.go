package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

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

// hasProxy reports whether the project has a reverse proxy in front of its
// services: a proxy image, or Traefik routing labels.
func hasProxy(p *compose.Project) bool {
	for _, name := range p.ServiceNames() {
		s, _ := p.Service(name)
		if isProxy(s) {
			return true
		}
		for k := range s.Labels {
			if strings.HasPrefix(k, "traefik.http.routers.") {
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
