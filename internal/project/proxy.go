package project

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/source/nginx"
)

// Proxy is a reverse proxy's configuration kept in the project: an nginx
// config that proxies, a Caddyfile with reverse_proxy, a Traefik or HAProxy
// config, a Kubernetes Ingress, IngressRoute or HTTPRoute. An app in such a
// project is reached through that proxy, not directly.
type Proxy = Evidence

var (
	nginxProxying   = regexp.MustCompile(`(?m)^\s*(?:proxy_pass|uwsgi_pass|fastcgi_pass|grpc_pass)\s`)
	caddyProxying   = regexp.MustCompile(`(?m)^\s*reverse_proxy\s`)
	haproxyBackend  = regexp.MustCompile(`(?m)^\s*backend\s`)
	traefikDynamic  = regexp.MustCompile(`(?m)^\s*(?:routers|services|loadBalancer)\s*:|\[http\.routers`)
	ingressManifest = regexp.MustCompile(`(?m)^kind:\s*(?:Ingress|IngressRoute|HTTPRoute)\s*$`)
)

const maxProxyDepth = 4

// Proxies lists the reverse proxy configurations under dir, a few levels
// deep, each with the first line that makes it one.
func (m *Model) Proxies(dir string) []Proxy {
	return m.proxies.get(filepath.Clean(dir), func() []Proxy { return findProxies(dir) })
}

func findProxies(dir string) []Proxy {
	var out []Proxy
	files := 0
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			if path != dir && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".") || strings.Count(rel, string(filepath.Separator)) >= maxProxyDepth) {
				return filepath.SkipDir
			}
			return nil
		}
		if files >= maxFiles {
			return filepath.SkipAll
		}
		re, what := proxyPattern(d.Name())
		if re == nil {
			return nil
		}
		files++
		info, err := d.Info()
		if err != nil || info.Size() > maxFileSize {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		if loc := re.FindIndex(data); loc != nil {
			start := loc[0] + len(data[loc[0]:loc[1]]) - len(bytes.TrimLeft(data[loc[0]:loc[1]], " \t\r\n"))
			out = append(out, Proxy{Value: what, File: path, Line: 1 + bytes.Count(data[:start], []byte("\n"))})
		}
		return nil
	})
	return out
}

// proxyPattern says, by a file's name, which proxy's config it may be and
// what line makes it one that proxies.
func proxyPattern(name string) (*regexp.Regexp, string) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lower, "caddyfile") || strings.HasSuffix(lower, ".caddyfile") || strings.HasSuffix(lower, ".caddy"):
		return caddyProxying, "caddy"
	case strings.Contains(lower, "nginx") && (strings.Contains(lower, ".conf") || strings.HasSuffix(lower, ".template")),
		strings.HasSuffix(lower, ".conf") || strings.HasSuffix(lower, ".conf.template"):
		return nginxProxying, "nginx"
	case strings.HasPrefix(lower, "haproxy") && strings.HasSuffix(lower, ".cfg"):
		return haproxyBackend, "haproxy"
	case strings.Contains(lower, "traefik") && (strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".toml")):
		return traefikDynamic, "traefik"
	case strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml"):
		return ingressManifest, "ingress"
	}
	return nil, ""
}

// Nginx loads an nginx config and the files it includes, or nil when it
// does not load.
func (m *Model) Nginx(path string) *nginx.Config {
	return m.nginx.get(filepath.Clean(path), func() *nginx.Config {
		cfg, err := nginx.Load(path, nginx.Options{})
		if err != nil {
			return nil
		}
		return cfg
	})
}

// NginxConfigsAt is the .conf file at path, or the .conf files in the
// directory at path.
func (m *Model) NginxConfigsAt(path string) []string {
	info := m.Stat(path)
	switch {
	case info == nil:
		return nil
	case !info.IsDir():
		if strings.HasSuffix(path, ".conf") || strings.HasSuffix(path, ".conf.template") {
			return []string{path}
		}
		return nil
	}
	var out []string
	for _, e := range m.Entries(path) {
		if ok, _ := filepath.Match("*.conf", e.Name()); ok {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	return out
}
