package detect

import (
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

// A command is a way the repository itself says the app runs: the web
// process of a Procfile, the CMD or ENTRYPOINT of its Dockerfile, the exec
// line of a start script. What it names beats anything inferred from code.
type command struct {
	args []string
	at   Evidence // where; Why names the source
	// dir is the repository's directory the command runs in where the
	// repository's Dockerfile copies one directory's contents into its
	// working directory (COPY ./src .), nil otherwise.
	dir *Evidence
}

// maxCommandDepth bounds following a command into the scripts it runs.
const maxCommandDepth = 3

// startScripts are the usual names of a repository's start scripts.
var startScripts = []string{"boot.sh", "start.sh", "run.sh", "entrypoint.sh", "docker-entrypoint.sh",
	"scripts/start.sh", "scripts/run.sh", "scripts/entrypoint.sh", "scripts/boot.sh",
	"docker/entrypoint.sh", "docker/start.sh", "bin/start"}

var dockerExpose = regexp.MustCompile(`(?i)^\s*EXPOSE\s+(\d{2,5})(?:/tcp)?\s*$`)

// dockerfileExpose is the one port the repository's own Dockerfile
// exposes (restic/rest-server's EXPOSE 8000), nil when it exposes none or
// several.
func (r *repo) dockerfileExpose() *Evidence {
	for _, name := range r.repoDockerfiles() {
		var found []*Evidence
		for i, line := range r.read(name) {
			if m := dockerExpose.FindStringSubmatch(line); m != nil {
				found = append(found, &Evidence{Value: m[1], File: name, Line: i + 1, Why: "the repository's Dockerfile exposes it"})
			}
		}
		if len(found) == 1 {
			return found[0]
		}
		if len(found) > 1 {
			return nil
		}
	}
	return nil
}

// commands lists the run commands the repository declares, strongest
// first: Procfile, Dockerfile, start scripts.
// repoDockerfiles are where a repository keeps its own Dockerfile, in the
// order detection reads them.
var repoDockerfiles = []string{"Dockerfile", "Containerfile", "docker/Dockerfile", "Dockerfile.prod"}

// repoDockerfiles are repoDockerfiles, or where the repository has none
// of them, its one Dockerfile in a directory one or two levels down
// (nkanaev/yarr's etc/dockerfile, build/Dockerfile): not in a directory
// of tests, examples or documents, nor one of several.
func (r *repo) repoDockerfiles() []string {
	if r.otherDockerfile != nil {
		return *r.otherDockerfile
	}
	out := repoDockerfiles
	r.otherDockerfile = &out
	for _, name := range repoDockerfiles {
		if isFile(r.dir, name) {
			return out
		}
	}
	var found []string
	for _, pattern := range []string{"*/*", "*/*/*"} {
		matches, _ := filepath.Glob(filepath.Join(r.dir, pattern))
		for _, m := range matches {
			rel, _ := filepath.Rel(r.dir, m)
			rel = filepath.ToSlash(rel)
			base := strings.ToLower(path.Base(rel))
			if base != "dockerfile" && base != "containerfile" && base != "dockerfile.prod" || !isFile(r.dir, rel) {
				continue
			}
			skip := false
			for _, d := range strings.Split(path.Dir(rel), "/") {
				skip = skip || strings.HasPrefix(d, ".") || otherDockerfileDir.MatchString(d)
			}
			if !skip {
				found = append(found, rel)
			}
		}
	}
	if len(found) == 1 {
		out = append(append([]string{}, repoDockerfiles...), found[0])
		r.otherDockerfile = &out
	}
	return out
}

// otherDockerfileDir is a directory whose Dockerfile is not how the
// repository runs its service: tests', examples', documents', another
// tool's, a dependency's.
var otherDockerfileDir = regexp.MustCompile(`(?i)^(?:tests?|testdata|e2e|examples?|samples?|docs?|node_modules|vendor|third_party|tools?|scripts?|dev|devcontainer|\.devcontainer|ci|benchmarks?)$`)

func (r *repo) commands() []command {
	if r.cmds != nil {
		return r.cmds
	}
	out := []command{}
	for _, c := range r.procfile() {
		out = append(out, r.follow(c, 0)...)
	}
	for _, name := range r.repoDockerfiles() {
		if c, ok := r.dockerfileCommand(name); ok {
			out = append(out, r.follow(c, 0)...)
			break
		}
	}
	for _, name := range startScripts {
		out = append(out, r.scriptCommands(name, 0)...)
	}
	r.cmds = out
	return out
}

var procLine = regexp.MustCompile(`^([A-Za-z0-9_-]+):\s*(.+)$`)

// procfile reads a Procfile's web process (Heroku's name for the one that
// receives HTTP), or its only process.
func (r *repo) procfile() []command {
	var procs []command
	for i, line := range r.read("Procfile") {
		m := procLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil || isComment(line) {
			continue
		}
		cs := chain(m[2], Evidence{Value: m[2], File: "Procfile", Line: i + 1, Why: "Procfile " + m[1] + " process"})
		if m[1] == "web" {
			return cs
		}
		procs = append(procs, cs...)
	}
	return procs
}

// chain splits `flask db upgrade; gunicorn app:app` into its commands,
// the last first: a chain ends with what keeps running.
func chain(line string, at Evidence) []command {
	parts := segments(line)
	out := make([]command, 0, len(parts))
	for i := len(parts) - 1; i >= 0; i-- {
		if args := words(parts[i]); len(args) > 0 {
			out = append(out, command{args: args, at: at})
		}
	}
	return out
}

// dockerfileFinal is the final stage of the repository's Dockerfile
// name, read by the project's Dockerfile parser (BuildKit's); nil when
// there is none or it does not parse. Each file is parsed once.
func (r *repo) dockerfileFinal(name string) *dockerfile.Stage {
	if f := r.dockerfileParsed(name); f != nil {
		return f.FinalStage()
	}
	return nil
}

// dockerfileParsed is the repository's Dockerfile name, read by the
// project's Dockerfile parser (BuildKit's); nil when there is none or it
// does not parse. Each file is parsed once.
func (r *repo) dockerfileParsed(name string) *dockerfile.File {
	if f, done := r.dockerfiles[name]; done {
		return f
	}
	if r.dockerfiles == nil {
		r.dockerfiles = map[string]*dockerfile.File{}
	}
	r.dockerfiles[name] = nil
	lines := r.read(name)
	if len(lines) == 0 {
		return nil
	}
	// Docker builds a file with a Latin-1 comment; the parser wants UTF-8.
	text := strings.ToValidUTF8(strings.Join(lines, "\n")+"\n", "\uFFFD")
	f, err := dockerfile.Parse([]byte(text), dockerfile.Options{Path: name})
	if err != nil || f.FinalStage() == nil {
		return nil
	}
	r.dockerfiles[name] = f
	return f
}

// chainIndex is how far up the final stage's chain of bases st is (0: the
// final stage itself).
func chainIndex(final, st *dockerfile.Stage) int {
	for i, c := range final.Chain() {
		if c == st {
			return i
		}
	}
	return -1
}

// dockerfileCommand is the final stage's ENTRYPOINT followed by its CMD,
// read by the project's Dockerfile parser (BuildKit's): an instruction
// continued over several lines (prometheus's CMD [ "--config.file=...",
// \ "--storage.tsdb.path=/prometheus" ]) is one.
func (r *repo) dockerfileCommand(name string) (command, bool) {
	final := r.dockerfileFinal(name)
	if final == nil {
		return command{}, false
	}
	var entry, cmd []string
	var at, cmdAt Evidence
	read := func(in *dockerfile.Instruction) ([]string, Evidence) {
		text := strings.TrimSpace(in.Raw[len(in.Keyword):])
		ev := Evidence{Value: text, File: name, Line: in.Line, Why: name + " " + in.Keyword}
		if in.Exec {
			return append([]string{}, in.Args...), ev
		}
		if c := chain(strings.Join(in.Args, " "), ev); len(c) > 1 {
			// getfider/fider's CMD ./fider migrate && ./fider: the last
			// command is what serves; the ones before it are steps.
			return c[0].args, ev
		}
		return words(strings.Join(in.Args, " ")), ev
	}
	// An ENTRYPOINT clears the CMD a stage inherits from its base (a
	// dev stage's CMD ["go", "run", "."]), not one its own stage sets.
	ein, cin := final.Last("ENTRYPOINT"), final.Last("CMD")
	if ein != nil {
		entry, at = read(ein)
	}
	if cin != nil && (ein == nil || chainIndex(final, cin.Stage) <= chainIndex(final, ein.Stage)) {
		cmd, cmdAt = read(cin)
		if entry == nil {
			at = cmdAt
		}
	}
	// An entrypoint script that ends in `exec "$@"` runs the CMD: the CMD
	// is what serves.
	if inner := unwrap(entry); len(inner) == 0 && len(cmd) > 0 {
		// ENTRYPOINT ["tini", "--"]: the CMD is the program.
		args, dir := r.scriptInRepo(name, final, cmd)
		return command{args: args, at: cmdAt, dir: dir}, true
	} else if len(cmd) > 0 {
		script := strings.TrimPrefix(strings.TrimPrefix(inner[0], "./"), "/")
		sources := []string{strings.TrimPrefix(script, "app/")}
		if c, ok := r.copiedTo(name, final, inner[0]); ok {
			// minio's COPY dockerscripts/docker-entrypoint.sh
			// /usr/bin/docker-entrypoint.sh: the script is read where
			// the repository keeps it.
			sources = append(sources, c.Value)
		}
		for _, src := range sources {
			for _, l := range r.read(src) {
				if t := strings.TrimSpace(l); t == `exec "$@"` || t == "exec \"${@}\"" || t == `exec $@` {
					args, dir := r.scriptInRepo(name, final, cmd)
					return command{args: args, at: cmdAt, dir: dir}, true
				}
			}
		}
	}
	args, dir := r.scriptInRepo(name, final, append(append([]string{}, entry...), cmd...))
	return command{args: args, at: at, dir: dir}, len(args) > 0
}

// scriptCommands reads a start script for the lines that start a server:
// `exec X`, or a line that starts with a known server; the last first, as
// a script waits for its database and migrates before it execs the server.
func (r *repo) scriptCommands(name string, depth int) (out []command) {
	var lines [][]command
	defer func() {
		slices.Reverse(lines)
		for _, l := range lines {
			out = append(out, l...)
		}
	}()
	for i, line := range r.read(name) {
		t := strings.TrimSpace(line)
		if t == "" || isComment(t) {
			continue
		}
		args := words(t)
		if len(args) == 0 {
			continue
		}
		if args[0] != "exec" && !serverWord(args[0]) {
			continue
		}
		var line []command
		for _, c := range chain(t, Evidence{Value: t, File: name, Line: i + 1, Why: "start script " + name}) {
			line = append(line, r.follow(c, depth+1)...)
		}
		lines = append(lines, line)
	}
	return nil
}

// serverWord reports whether a command's first word starts a server.
func serverWord(w string) bool {
	switch path.Base(w) {
	case "gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve", "granian", "fastapi", "flask",
		"python", "python3", "node", "npm", "yarn", "pnpm", "next":
		return true
	}
	return false
}

// follow strips a command's wrappers (exec, env assignments, sh -c, tini,
// dumb-init) and, when what is left runs a script of the repository,
// reads that script's commands instead.
func (r *repo) follow(c command, depth int) []command {
	args := unwrap(c.args)
	c.args = args
	if len(args) == 0 {
		return nil
	}
	if depth < maxCommandDepth {
		script := strings.TrimPrefix(args[0], "./")
		if len(args) >= 2 && (args[0] == "sh" || args[0] == "bash" || args[0] == "/bin/sh" || args[0] == "/bin/bash") {
			script = strings.TrimPrefix(args[1], "./")
		}
		script = strings.TrimPrefix(script, "/app/")
		if strings.HasSuffix(script, ".sh") || contains(startScripts, script) {
			if inner := r.scriptCommands(script, depth); len(inner) > 0 {
				return inner
			}
		}
	}
	return []command{c}
}

var envAssign = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// pyRunners run a command in the project's environment (uv run X).
var pyRunners = map[string]bool{"uv": true, "poetry": true, "pipenv": true, "pdm": true, "hatch": true, "rye": true}

// runnerValueFlags are their options that take the next word as a value.
var runnerValueFlags = map[string]bool{"--with": true, "--python": true, "-p": true, "--env-file": true, "--package": true,
	"--extra": true, "--group": true, "--directory": true, "--project": true, "-e": true, "--env": true}

// unwrap removes what runs the command rather than being it.
func unwrap(args []string) []string {
	for len(args) > 0 {
		switch a := path.Base(args[0]); {
		case a == "exec" || a == "tini" || a == "dumb-init" || a == "env" || a == "cross-env" || a == "--":
			args = args[1:]
		case envAssign.MatchString(args[0]):
			args = args[1:]
		case a == "env-cmd" || a == "dotenv":
			args = unwrapEnvLoader(a, args[1:])
		case (a == "sh" || a == "bash") && len(args) >= 3 && args[1] == "-c":
			args = words(args[2])
		case strings.HasPrefix(args[0], "-") && len(args) > 1 && (args[0] == "-g" || args[0] == "-s"):
			args = args[1:] // tini's own flags
		case pyRunners[a] && len(args) > 2 && args[1] == "run":
			// uv run --frozen lnbits: the project's environment runs it.
			args = args[2:]
			for len(args) > 1 && strings.HasPrefix(args[0], "-") {
				if runnerValueFlags[args[0]] {
					args = args[1:]
				}
				args = args[1:]
			}
		default:
			return args
		}
	}
	return args
}

// envLoaderValueFlags are env-cmd's and dotenv-cli's options that take
// the next word as a value.
var envLoaderValueFlags = map[string]bool{"-f": true, "--file": true, "-e": true, "--environments": true, "-r": true, "--rc-file": true, "-v": true, "-c": true}

// unwrapEnvLoader drops the options of a program that loads an env file
// and runs the rest (env-cmd -f .env node s.js; env-cmd's older form
// env-cmd local.env fastify start, whose first word is the file;
// dotenv -e .env -- node s.js): the command it runs.
func unwrapEnvLoader(loader string, args []string) []string {
	file := false
	for len(args) > 1 && strings.HasPrefix(args[0], "-") {
		if args[0] == "--" {
			return args[1:]
		}
		file = file || args[0] == "-f" || args[0] == "--file" || args[0] == "-e" || args[0] == "-r" || args[0] == "--rc-file"
		if envLoaderValueFlags[args[0]] {
			args = args[1:]
		}
		args = args[1:]
	}
	if loader == "env-cmd" && !file && len(args) > 1 && strings.ContainsAny(args[0], "./") {
		args = args[1:] // env-cmd FILE command (before its -f)
	}
	return args
}

// words splits a shell command line into words, honouring quotes; it
// stops at the first ; && || | or # (the rest is another command).
func words(s string) []string {
	out, _ := wordsUntil(s)
	return out
}

// wordsUntil is words, and the index of the byte it stopped at (len(s)
// when it read the whole line).
func wordsUntil(s string) ([]string, int) {
	var out []string
	var cur strings.Builder
	in, quote, started := false, byte(0), false
	flush := func() {
		if started {
			out = append(out, cur.String())
		}
		cur.Reset()
		started = false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case in && ch == quote:
			in = false
		case in:
			cur.WriteByte(ch)
		case ch == '"' || ch == '\'':
			in, quote, started = true, ch, true
		case ch == ' ' || ch == '\t':
			flush()
		case ch == ';' || ch == '|' || ch == '&' || (ch == '#' && !started):
			flush()
			return out, i
		case ch == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			started = true
		default:
			cur.WriteByte(ch)
			started = true
		}
	}
	flush()
	return out, len(s)
}

// serverFlags are the options of Python servers that take a value: the
// word after one is not the app.
var serverFlags = map[string]bool{"-b": true, "--bind": true, "-w": true, "--workers": true, "-k": true, "--worker-class": true,
	"-c": true, "--config": true, "-t": true, "--timeout": true, "--log-level": true, "--access-logfile": true,
	"--error-logfile": true, "--log-file": true, "-e": true, "--env": true, "--chdir": true, "--threads": true, "--max-requests": true,
	"--max-requests-jitter": true, "--graceful-timeout": true, "--keep-alive": true, "--forwarded-allow-ips": true, "-n": true,
	"--name": true, "--pythonpath": true, "--worker-connections": true, "--host": true, "--port": true, "-p": true,
	"--app-dir": true, "--root-path": true, "--proxy-headers-list": true, "--workers-per-core": true, "--timeout-keep-alive": true,
	"--timeout-graceful-shutdown": true, "--log-config": true, "--env-file": true, "--uds": true, "--fd": true, "--loop": true,
	"--http": true, "--ws": true, "--lifespan": true, "--interface": true, "-u": true, "--user": true, "-g": true, "--group": true,
	"--limit-concurrency": true, "--backlog": true, "--ssl-keyfile": true, "--ssl-certfile": true, "-H": true, "--hostname": true,
	// gunicorn's other options with a value (isso's --worker-tmp-dir
	// /dev/shm had been taken for the app).
	"--worker-tmp-dir": true, "--limit-request-line": true, "--limit-request-fields": true, "--limit-request-field_size": true,
	"--paste": true, "--paster": true, "--reload-engine": true, "--reload-extra-file": true, "-m": true, "--umask": true,
	"--access-logformat": true, "--logger-class": true, "--log-config-json": true, "--log-syslog-to": true, "--log-syslog-prefix": true,
	"--log-syslog-facility": true, "--dogstatsd-tags": true, "--statsd-host": true, "--statsd-prefix": true, "--pid": true,
	"--keyfile": true, "--certfile": true, "--ssl-version": true, "--cert-reqs": true, "--ca-certs": true, "--ciphers": true,
	"--proxy-allow-from": true, "--header-map": true, "--forwarder-headers": true,
	// uvicorn's.
	"--reload-dir": true, "--reload-include": true, "--reload-exclude": true, "--reload-delay": true, "--ws-max-size": true,
	"--ws-max-queue": true, "--ws-ping-interval": true, "--ws-ping-timeout": true, "--ssl-keyfile-password": true,
	"--ssl-cert-reqs": true, "--ssl-ca-certs": true, "--ssl-ciphers": true, "--header": true, "--limit-max-requests": true,
	"--h11-max-incomplete-event-size": true}

// appSpec is what a Python server's app argument looks like: a module,
// dotted or as a file path, with its object after a colon (app:app,
// src/main.py:app, isso.run); not a directory (/dev/shm), a number or a
// URL.
var appSpec = regexp.MustCompile(`^[A-Za-z_][\w.]*(?:/[A-Za-z_][\w.]*)*(?::.+)?$`)

// A run is what a command starts: a server with an app, a script, a
// module, and the port it binds when the command says.
type run struct {
	server  string // gunicorn, uvicorn, ..., flask, python, node, next
	target  string // module:app, file.py, -m module, file.js
	factory bool   // uvicorn --factory
	port    *Evidence
	portVar string   // $PORT in the port's place
	config  string   // gunicorn's -c/--config file
	worker  string   // gunicorn's -k/--worker-class
	args    []string // the words a Python script or module is given after it
}

var (
	bindPort  = regexp.MustCompile(`:(?:\$\{?(\w+)(?::-(\d+))?\}?|(\d{2,5}))$`)
	valuePort = regexp.MustCompile(`^(?:\$\{?(\w+)(?::-(\d+))?\}?|(\d{2,5}))$`)
)

// parseRun reads what a command starts.
func parseRun(c command) (run, bool) {
	args := c.args
	if len(args) == 0 {
		return run{}, false
	}
	var r run
	first := path.Base(args[0])
	rest := args[1:]
	switch {
	case (first == "python" || first == "python3") && len(rest) >= 2 && rest[0] == "-m":
		first, rest = rest[1], rest[2:]
		if first != "gunicorn" && first != "uvicorn" && first != "hypercorn" && first != "flask" && first != "daphne" {
			return run{server: "python", target: "-m " + first, args: rest}, true
		}
	case first == "python" || first == "python3":
		for i := 0; i < len(rest); i++ {
			a := rest[i]
			if a == "-W" || a == "-X" {
				i++ // -W ignore, -X dev: the interpreter's, not the script
				continue
			}
			if !strings.HasPrefix(a, "-") {
				return run{server: "python", target: a, args: rest[i+1:]}, true
			}
		}
		return run{}, false
	case first == "node":
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") {
				return run{server: "node", target: a}, true
			}
		}
		return run{}, false
	}
	r.server = first
	serves := false
	setPort := func(v string, re *regexp.Regexp) {
		m := re.FindStringSubmatch(v)
		if m == nil {
			return
		}
		r.portVar = m[1]
		p := m[3]
		if p == "" {
			p = m[2]
		}
		if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 65536 {
			e := c.at
			e.Value, e.Why = p, c.at.Why
			if r.portVar != "" {
				e.Why += ", default of $" + r.portVar
			}
			r.port = &e
		}
	}
	switch first {
	case "gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve", "granian", "fastapi", "flask", "next":
	default:
		return run{}, false
	}
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		name, value, hasValue := strings.Cut(a, "=")
		switch {
		case name == "--factory":
			r.factory = true
		case name == "-b" || name == "--bind" || name == "--listen":
			if !hasValue && i+1 < len(rest) {
				i++
				value = rest[i]
			}
			setPort(value, bindPort)
		case (name == "-k" || name == "--worker-class") && first == "gunicorn":
			if !hasValue && i+1 < len(rest) {
				i++
				value = rest[i]
			}
			r.worker = value
		case (name == "-c" || name == "--config") && first == "gunicorn":
			if !hasValue && i+1 < len(rest) {
				i++
				value = rest[i]
			}
			r.config = strings.TrimPrefix(value, "python:")
		case name == "--port" || name == "-p":
			if !hasValue && i+1 < len(rest) {
				i++
				value = rest[i]
			}
			setPort(value, valuePort)
		case strings.HasPrefix(a, "-"):
			if serverFlags[name] && !hasValue {
				i++
			}
		case first == "flask" || first == "next" || first == "fastapi":
			if a == "run" || a == "start" || a == "dev" {
				serves = true
				continue
			}
			if !serves {
				return run{}, false // flask db upgrade, next build: not the server
			}
			if r.target == "" {
				r.target = a
			}
		case r.target == "" && appSpec.MatchString(a):
			r.target = a
		}
	}
	return r, true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// scriptInRepo names the script an interpreter runs by its path in the
// repository where the command names it by its path in the image
// (emailengine's CMD ["node", "/emailengine/server.js"] under WORKDIR
// /emailengine, which its COPYs fill): the file at the rest of that path.
//
// Where a COPY of one directory's contents into the working directory
// put the script (Malinnik/grozny-hack's WORKDIR /app, COPY ./src . and
// python main.py: src/main.py), it is that directory's file, and the
// directory, which the program runs in, is returned too.
func (r *repo) scriptInRepo(name string, final *dockerfile.Stage, args []string) ([]string, *Evidence) {
	if len(args) < 2 || !interpreters[path.Base(args[0])] {
		return args, nil
	}
	wd := workdir(final)
	if wd != "/" {
		if rest, ok := strings.CutPrefix(args[1], wd+"/"); ok && isFile(r.dir, rest) {
			args = append([]string{}, args...)
			args[1] = rest
			return args, nil
		}
	}
	abs := args[1]
	if !path.IsAbs(abs) {
		abs = path.Join(wd, abs)
	}
	rel, ok := strings.CutPrefix(abs, strings.TrimSuffix(wd, "/")+"/")
	if !ok || isFile(r.dir, rel) || path.Base(rel) == "manage.py" {
		// Django's manage.py is found with its project wherever the
		// repository keeps them (RedbeanGit/BackMyPic's COPY src /app).
		return args, nil
	}
	for _, in := range final.All("COPY") {
		if _, from := in.Flag("from"); from {
			continue
		}
		srcs := in.SourcePaths()
		dest, ok := copyDest(in, wd)
		if !ok || len(srcs) != 1 || path.Clean(dest) != wd {
			continue
		}
		src := path.Clean(strings.TrimPrefix(srcs[0], "./"))
		if src == "." || strings.HasPrefix(src, "..") || strings.ContainsAny(src, "*?[$") || !isDir(r.dir, src) || !isFile(r.dir, path.Join(src, rel)) {
			continue
		}
		args = append([]string{}, args...)
		args[1] = path.Join(src, rel)
		return args, &Evidence{Value: src, File: name, Line: in.Line, Why: "the repository's Dockerfile copies its contents into the working directory it runs " + rel + " in"}
	}
	return args, nil
}

// interpreters run the script their first argument names.
var interpreters = map[string]bool{"node": true, "nodejs": true, "bun": true, "python": true, "python3": true, "tsx": true, "ts-node": true}

// workdir is the working directory of a stage's commands: its WORKDIRs
// and those of the stages it is built on, in order ("/" for none).
func workdir(final *dockerfile.Stage) string {
	wd := "/"
	chain := final.Chain() // nearest first
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].All("WORKDIR") {
			if len(in.Args) == 0 {
				continue
			}
			d := in.Args[0]
			if !path.IsAbs(d) {
				d = path.Join(wd, d)
			}
			wd = path.Clean(d)
		}
	}
	return wd
}
