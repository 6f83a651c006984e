package crossfile

import (
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF007", Name: "upstream-port-mismatch", Severity: lint.Error,
			Summary: "An nginx config mounted into the project's proxy sends requests to a service port the service does not listen on.",
			Rationale: "The proxy answers 502 Bad Gateway for every request to that location, while the app itself is healthy: " +
				"the usual cause is a port changed in one file and not the other.",
			Fix: "Make the upstream (`server auth:8000;` or `proxy_pass http://auth:8000`) use the port the service EXPOSEs.",
			Differences: "Follows the nginx configs bind-mounted into an nginx service (a file or a conf.d directory), or COPYed into an image " +
				"built FROM nginx; the service's ports come from compose (`expose`, `ports`), its Dockerfile's EXPOSE and the port its command binds.",
		},
		Project: func(r *lint.Report, p *compose.Project) {
			m := r.Model()
			for _, name := range p.ServiceNames() {
				s, _ := p.Service(name)
				var confs []string
				if strings.Contains(strings.ToLower(s.Image), "nginx") {
					confs = mountedNginxConfigs(m, p, s)
				} else if f, ok := buildDockerfile(m, p, s); ok && f.FinalStage() != nil && strings.Contains(f.FinalStage().Root().Name, "nginx") {
					confs = append(mountedNginxConfigs(m, p, s), copiedNginxConfigs(m, f)...)
				}
				for _, conf := range confs {
					if cfg := m.Nginx(conf); cfg != nil {
						checkUpstreams(r, p, cfg)
					}
				}
			}
		},
	})
}

// mountedNginxConfigs returns the host files bind-mounted into nginx's
// config directory: a .conf file, or the .conf files of a mounted
// directory (./nginx/conf.d:/etc/nginx/conf.d).
func mountedNginxConfigs(m *project.Model, p *compose.Project, s types.ServiceConfig) []string {
	var out []string
	for _, v := range s.Volumes {
		if v.Type != types.VolumeTypeBind || !strings.HasPrefix(v.Target, "/etc/nginx") {
			continue
		}
		src := v.Source
		if !filepath.IsAbs(src) {
			src = filepath.Join(p.WorkingDir, src)
		}
		out = append(out, m.NginxConfigsAt(src)...)
	}
	return out
}

// copiedNginxConfigs returns the files of the build context that the
// Dockerfile of an nginx image COPYs into its config directory.
func copiedNginxConfigs(m *project.Model, f *dockerfile.File) []string {
	var out []string
	for _, st := range f.FinalStage().Chain() {
		for _, in := range st.All("COPY") {
			if _, from := in.Flag("from"); from || !f.ContextKnown() {
				continue
			}
			if dest, _ := in.Expand(in.Destination()); !strings.HasPrefix(dest, "/etc/nginx") {
				continue
			}
			for _, src := range in.SourcePaths() {
				out = append(out, m.NginxConfigsAt(filepath.Join(f.ContextDir, src))...)
			}
		}
	}
	return out
}

func checkUpstreams(r *lint.Report, p *compose.Project, cfg *nginx.Config) {
	upstreams := map[string][]*nginx.Directive{}
	cfg.Walk(func(d *nginx.Directive) {
		if d.Name == "upstream" && len(d.Args) > 0 {
			upstreams[d.Args[0]] = d.Find("server")
		}
	})
	check := func(d *nginx.Directive, hostport string) {
		host, portText, err := net.SplitHostPort(hostport)
		if err != nil {
			host, portText = hostport, "80"
		}
		s, ok := p.Service(host)
		if !ok {
			return
		}
		port, err := strconv.Atoi(portText)
		if err != nil {
			return
		}
		listening := servicePorts(r.Model(), p, s)
		if len(listening) > 0 && !listening[port] {
			r.AddFile(d.File, d.Line, 1, "nginx sends requests to %s:%d, but service %s listens on %s", host, port, host, dockerfile.PortList(listening))
		}
	}
	cfg.Walk(func(d *nginx.Directive) {
		switch {
		case d.Name == "server" && d.Parent != nil && d.Parent.Name == "upstream" && len(d.Args) > 0:
			check(d, d.Args[0])
		case d.Name == "proxy_pass" && len(d.Args) > 0:
			u, err := url.Parse(d.Args[0])
			if err != nil || strings.Contains(u.Host, "$") {
				return
			}
			if _, isUpstream := upstreams[u.Hostname()]; isUpstream {
				return // judged at its server lines
			}
			hostport := u.Host
			if u.Port() == "" {
				hostport = u.Hostname() + ":80"
			}
			check(d, hostport)
		}
	})
}

// servicePorts is every container port a service is known to listen on.
func servicePorts(m *project.Model, p *compose.Project, s types.ServiceConfig) map[int]bool {
	out := map[int]bool{}
	for _, e := range s.Expose {
		if n, err := strconv.Atoi(strings.Split(e, "/")[0]); err == nil {
			out[n] = true
		}
	}
	for _, port := range s.Ports {
		out[int(port.Target)] = true
	}
	f, ok := dockerfileOf(m, p, s)
	if ok {
		for port := range exposedPorts(f) {
			out[port] = true
		}
	}
	for port := range commandPorts(m.Launch(contextDir(m, p, s), command(s, f))) {
		out[port] = true
	}
	return out
}
