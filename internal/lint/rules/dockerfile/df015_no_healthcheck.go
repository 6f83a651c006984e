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
			Differences: "Only images that run a service are judged: an EXPOSE, a server or framework command (gunicorn, php-fpm, flask run, rails s), " +
				"an app its runtime or package manager runs (node dist/main.js, java -jar, npm run prod, bundle exec puma), a program the Dockerfile builds " +
				"(go build, cargo build, COPY --from a build stage) or a script it copies in and runs. A program the image only installs " +
				"(`ENTRYPOINT [\"traceroute\"]`, a pip-installed CLI) and a desktop app (DISPLAY, the X11 socket) have nothing to probe; " +
				"a one-off job started by a copied-in script looks like a service and is reported. " +
				"On by default (hadolint's DL3057 is off); an error under the production profile. A HEALTHCHECK inherited from an earlier stage counts.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil {
				return
			}
			hc := final.Last("HEALTHCHECK")
			switch {
			case hc == nil:
				if runsService(f, final) {
					r.WithFix(healthFix(final)).Add(final.From, "the final stage has no HEALTHCHECK")
				}
			case len(hc.Args) > 0 && strings.EqualFold(hc.Args[0], "NONE"):
				r.WithFix(healthFix(final)).Add(hc, "HEALTHCHECK NONE disables the health check the image would have")
			}
		},
	})
}

// runsService reports whether the stage looks like a long-running service,
// which a health check can probe, rather than a CLI tool or desktop app
// (`ENTRYPOINT ["traceroute"]`, an X11 image), which has nothing to probe.
// A service EXPOSEs a port, its command binds one or is a known server, or
// it runs the project's own code: an app run by its runtime or package
// manager (node dist/main.js, npm run prod, bundle exec puma), a program the
// Dockerfile builds, or a script it copies in. A program the image only
// installs (apt, apk, pip) is taken for a tool.
func runsService(f *df.File, st *df.Stage) bool {
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
	hasCmd := st.Last("CMD") != nil
	desktop := desktopApp(f, st)
	for _, kw := range []string{"ENTRYPOINT", "CMD"} {
		in := st.Last(kw)
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			if servers[strings.TrimRight(c.Name, "0123456789.")] || c.HasArg("serve", "server", "runserver", "s", "-S", "start") || listens(c) ||
				runsProjectCode(c) || frameworkServer(c) {
				return true
			}
			interpreter := c.Is("node", "python", "python3", "java", "ruby", "php", "dotnet", "deno", "bun")
			if interpreter && (len(c.Args) > 0 || kw == "ENTRYPOINT" && hasCmd) || builtHere(f, st, c.Name) {
				return true // an application the image was made to run, not a tool it installs
			}
			if kw == "CMD" && len(entrypoint) > 0 && entrypoint[0].Is("node", "python", "python3", "java", "ruby", "php") {
				return true // ENTRYPOINT ["python3"] CMD ["app.py"]
			}
			if kw == "CMD" && len(entrypoint) == 1 && st.Last("ENTRYPOINT").Exec {
				ep := entrypoint[0]
				joined := &df.Command{Name: ep.Name, Args: append(append(append([]string{}, ep.Args...), commandPath(c)), c.Args...)}
				if runsProjectCode(joined) || frameworkServer(joined) {
					return true // ENTRYPOINT ["streamlit"] CMD ["run", "chat.py"]
				}
			}
			if kw == "CMD" && len(entrypoint) == 0 && runtimeImage(st.Root()) {
				return true // distroless/nodejs runs CMD ["server.js"] with its own node
			}
			program := commandPath(c)
			if compiledInStage(st, program) {
				return true
			}
			// An entrypoint script usually ends in exec "$@", so with a CMD the
			// CMD says what runs (ENTRYPOINT ["/entrypoint.sh"] CMD ["mutt"]).
			if !desktop && (kw == "CMD" || !hasCmd) && copiedScript(f, st, program) {
				return true
			}
		}
	}
	return false
}

// runsProjectCode reports whether a package manager runs the project's own
// code: npm run prod, yarn start, pnpm dev, bundle exec puma.
func runsProjectCode(c *df.Command) bool {
	switch {
	case c.Is("npm", "yarn", "pnpm", "bun"):
		switch c.Sub() {
		case "", "install", "i", "ci", "add", "test", "t", "build", "help", "version":
			return false
		}
		return true
	case c.Is("bundle"):
		return c.Sub() == "exec"
	}
	return false
}

// frameworkServer reports whether a framework's CLI starts its server:
// flask run, fastapi run, streamlit run, go run, cargo run.
func frameworkServer(c *df.Command) bool {
	return c.Is("flask", "fastapi", "streamlit", "quart", "go", "cargo") && (c.Sub() == "run" || c.Sub() == "dev")
}

// runtimeImage reports whether the image's own entrypoint is a language
// runtime, so that CMD names the app it runs: distroless nodejs, python3, java.
func runtimeImage(img df.Image) bool {
	short := img.Short()
	return img.Distroless() && (strings.HasPrefix(short, "nodejs") || strings.HasPrefix(short, "python3") || strings.HasPrefix(short, "java"))
}

// desktopApp reports whether the image is a desktop app drawn on the host's
// X server: it sets DISPLAY, or its comments run it with the X11 socket or
// DISPLAY passed in (`docker run -v /tmp/.X11-unix:/tmp/.X11-unix -e DISPLAY`).
func desktopApp(f *df.File, st *df.Stage) bool {
	for _, s := range st.Chain() {
		for _, in := range s.All("ENV") {
			for _, p := range in.Pairs {
				if p.Key == "DISPLAY" {
					return true
				}
			}
		}
	}
	for _, c := range f.Comments {
		if strings.Contains(c.Text, ".X11-unix") || strings.Contains(c.Text, "DISPLAY") {
			return true
		}
	}
	return false
}

// commandPath returns argv[0] of the command as written, directory
// included: "./target/release/api" where Name is "api".
func commandPath(c *df.Command) string {
	if c.Instruction != nil {
		for _, a := range c.Instruction.Args {
			for _, w := range strings.Fields(a) {
				w = strings.Trim(w, `"'`)
				if path.Base(w) == c.Name {
					return w
				}
			}
		}
	}
	return c.Name
}

// compiledInStage reports whether a RUN of the stage compiles the program:
// `go build -o /srv/api`, `go build ./cmd/api`, `cargo build --release` then
// ./target/release/api.
func compiledInStage(st *df.Stage, program string) bool {
	name := path.Base(program)
	for _, c := range st.Commands() {
		switch {
		case c.Is("go") && (c.Sub() == "build" || c.Sub() == "install"):
			if out, ok := c.OptionValue("-o"); ok {
				if path.Base(out) == name || path.Clean(out) == path.Dir(program) {
					return true
				}
				continue
			}
			pkgs := c.Positional("-ldflags", "-tags", "-gcflags", "-mod", "-p")
			if len(pkgs) == 0 || len(pkgs) == 1 && pkgs[0] == "." {
				if strings.HasPrefix(program, "./") {
					return true // go build in the WORKDIR names the binary after the module's directory
				}
				continue
			}
			for _, p := range pkgs {
				if path.Base(p) == name {
					return true // go build ./cmd/api makes ./api
				}
			}
		case c.Is("cargo") && (c.Sub() == "build" || c.Sub() == "install"):
			if strings.Contains(program, "target/release/") || strings.Contains(program, "target/debug/") {
				return true
			}
			if bin, ok := c.OptionValue("--bin"); ok && bin == name {
				return true
			}
		}
	}
	return false
}

// copiedScript reports whether the program is a script the Dockerfile copies
// into the image (`COPY entrypoint.sh /usr/local/bin/`, or `COPY . .` then
// ./entrypoint.sh): the image's own service wrapper, not an installed tool.
func copiedScript(f *df.File, st *df.Stage, program string) bool {
	if !scriptExtensions[path.Ext(program)] {
		return false
	}
	chain := st.Chain()
	workdir := "/"
	var copies []*df.Instruction
	var dests []string
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			switch in.Keyword {
			case "WORKDIR":
				if len(in.Args) > 0 {
					workdir = path.Join(workdir, in.Args[0])
					if path.IsAbs(in.Args[0]) {
						workdir = path.Clean(in.Args[0])
					}
				}
			case "COPY", "ADD":
				if from, ok := in.Flag("from"); ok && !isStageRef(f, from) {
					continue // a file from another image
				}
				dest := in.Destination()
				if !path.IsAbs(dest) {
					dest = path.Join(workdir, dest)
				}
				copies = append(copies, in)
				dests = append(dests, path.Clean(dest))
			}
		}
	}
	bare := !strings.Contains(program, "/")
	if !bare && !path.IsAbs(program) {
		program = path.Join(workdir, program)
	}
	for i, in := range copies {
		dest := dests[i]
		if path.Base(dest) == path.Base(program) && (bare || dest == program) {
			return true // COPY run.sh /run.sh
		}
		for _, src := range in.SourcePaths() {
			if strings.Contains(src, "://") {
				continue
			}
			base := path.Base(src)
			if match, _ := path.Match(base, path.Base(program)); match && (bare || path.Join(dest, path.Base(program)) == program) {
				return true // COPY entrypoint.sh /usr/local/bin/, COPY *.sh /srv/
			}
			if !bare && (base == "." || base == "/" || path.Ext(base) == "") && strings.HasPrefix(program, dest+"/") {
				return true // COPY . /app: a directory's contents
			}
		}
	}
	return false
}

// scriptExtensions mark the files a Dockerfile copies in to run as scripts.
var scriptExtensions = map[string]bool{
	".sh": true, ".bash": true, ".py": true, ".rb": true, ".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".php": true, ".pl": true,
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
