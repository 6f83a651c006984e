package dockerfile

import (
	"path"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF015", Name: "no-healthcheck", Severity: lint.Info, Production: lint.Error,
			Hadolint:  []string{"DL3057"},
			Summary:   "The final stage has no HEALTHCHECK (or disables it with HEALTHCHECK NONE).",
			Rationale: "Without a health check Docker, compose `service_healthy` and a deploy cannot tell a hung app from a working one (seed 004).",
			Fix: "Add a HEALTHCHECK that uses what the image has, e.g. `HEALTHCHECK CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')\"]`. " +
				"Each finding names the check for its image: the runtime's own (node -e fetch, python -c urllib, php -r), busybox wget on Alpine, the program's own subcommand on distroless or scratch.",
			Differences: "Only images that serve the network are judged (an EXPOSE, a server command or a server image's own command): " +
				"a CLI tool or desktop app has nothing to probe. On by default (hadolint's DL3057 is off); an error under the production profile. A HEALTHCHECK inherited from an earlier stage counts.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil {
				return
			}
			hc := final.Last("HEALTHCHECK")
			switch {
			case hc == nil:
				if servesNetwork(f, final) {
					r.WithFix(healthFix(final)).Add(final.From, "the final stage has no HEALTHCHECK")
				}
			case len(hc.Args) > 0 && strings.EqualFold(hc.Args[0], "NONE"):
				r.WithFix(healthFix(final)).Add(hc, "HEALTHCHECK NONE disables the health check the image would have")
			}
		},
	})
}

// servesNetwork reports whether the stage looks like a long-running network
// service, which a health check can probe: it EXPOSEs a port, its command
// binds one or is a known server, or it runs a server image's own command.
// A CLI tool or desktop app (`ENTRYPOINT ["traceroute"]`) has nothing to probe.
func servesNetwork(f *df.File, st *df.Stage) bool {
	if runsWasm(st) {
		return false // a Wasm module run by a Wasm runtime: no program in the image to run a check with
	}
	for _, s := range st.Chain() {
		if len(s.Exposes()) > 0 {
			return true
		}
	}
	if _, ok := st.ServerPort(); ok {
		return true
	}
	if img := st.Root(); serverImages[img.Short()] || strings.Contains(img.Short(), "gunicorn") || strings.Contains(img.Short(), "uvicorn") ||
		img.Short() == "php" && (strings.Contains(img.Tag, "apache") || strings.Contains(img.Tag, "fpm")) {
		return true // a server image, even when a script wraps its server
	}
	var entrypoint []*df.Command
	if in := st.Last("ENTRYPOINT"); in != nil && in.Script != nil {
		entrypoint = in.Script.Commands
	}
	for _, kw := range []string{"ENTRYPOINT", "CMD"} {
		in := st.Last(kw)
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			if servers[c.Name] || c.HasArg("serve", "server", "runserver", "s", "-S", "start") || listens(c) {
				return true
			}
			interpreter := c.Is("node", "python", "python3", "java", "ruby", "php", "dotnet", "deno", "bun")
			if interpreter && (len(c.Args) > 0 || kw == "ENTRYPOINT" && st.Last("CMD") != nil) || builtHere(f, st, c.Name) {
				return true // an application the image was made to run, not a tool it installs
			}
			if kw == "CMD" && len(entrypoint) > 0 && entrypoint[0].Is("node", "python", "python3", "java", "ruby", "php") {
				return true // ENTRYPOINT ["python3"] CMD ["app.py"]
			}
		}
	}
	return false
}

// listens reports whether a command is told where to listen: --host
// 0.0.0.0, --bind, --port.
func listens(c *df.Command) bool {
	for _, a := range c.Args {
		name, _, _ := strings.Cut(a, "=")
		switch {
		case name == "--bind" || name == "--port" || name == "--listen" || name == "-b" || name == "-p":
			return true
		case strings.Contains(a, "0.0.0.0") || strings.HasPrefix(a, ":") && len(a) > 1 && a[1] >= '0' && a[1] <= '9':
			return true
		}
	}
	return false
}

// servers are programs that serve the network.
var servers = map[string]bool{
	"gunicorn": true, "uvicorn": true, "hypercorn": true, "daphne": true, "waitress-serve": true, "nginx": true, "httpd": true,
	"apache2-foreground": true, "caddy": true, "php-fpm": true, "puma": true, "unicorn": true, "traefik": true, "haproxy": true,
	"catalina.sh": true, "pm2-runtime": true, "serve": true, "http-server": true, "envoy": true, "redis-server": true, "postgres": true,
	"mysqld": true, "mongod": true, "sshd": true, "named": true, "dnsmasq": true, "coredns": true, "squid": true, "privoxy": true,
	"tor": true, "mosquitto": true, "slapd": true, "radiusd": true, "freeradius": true, "zkServer.sh": true, "znc": true, "mpd": true,
	"openvpn": true, "distccd": true, "distccd-init": true, "nzbget": true, "memcached": true, "dockerd": true, "registry": true,
}

// serverImages are images whose own command is a server.
var serverImages = map[string]bool{
	"nginx": true, "httpd": true, "caddy": true, "traefik": true, "haproxy": true, "tomcat": true, "jetty": true, "redis": true,
	"postgres": true, "mysql": true, "mariadb": true, "mongo": true, "rabbitmq": true, "memcached": true, "nginx-unprivileged": true,
	"rethinkdb": true, "elasticsearch": true, "kibana": true, "grafana": true, "prometheus": true, "consul": true, "vault": true,
}

// builtHere reports whether the program is a file the stage copies from a
// build stage: the service a multi-stage build compiles.
func builtHere(f *df.File, st *df.Stage, program string) bool {
	for _, in := range st.All("COPY") {
		if from, ok := in.Flag("from"); !ok || !isStageRef(f, from) {
			continue
		}
		if path.Base(in.Destination()) == program {
			return true
		}
		for _, src := range in.SourcePaths() {
			if path.Base(src) == program {
				return true
			}
		}
	}
	return false
}

// runsWasm reports whether the stage's command is a WebAssembly module.
func runsWasm(st *df.Stage) bool {
	for _, kw := range []string{"ENTRYPOINT", "CMD"} {
		if in := st.Last(kw); in != nil && in.Script != nil && len(in.Script.Commands) > 0 {
			return strings.HasSuffix(in.Script.Commands[0].Name, ".wasm")
		}
	}
	return false
}
