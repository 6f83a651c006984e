package generate

import (
	"fmt"
	"strconv"

	"path"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/detect"
)

// Dockerfile writes a multi-stage Dockerfile for the plan's stack: the
// dependency layer cached apart from the source, BuildKit cache mounts,
// pinned base images overridable by build ARGs, a numeric non-root USER, a
// HEALTHCHECK that needs no curl or wget, an exec-form entrypoint and OCI
// labels from build args.
func Dockerfile(p *Plan) (File, error) {
	var body string
	switch p.Stack.Language {
	case "go":
		body = goDockerfile(p)
	case "python":
		body = pythonDockerfile(p)
	case "node":
		body = nodeDockerfile(p)
	case "rust":
		body = rustDockerfile(p)
	default:
		return File{}, fmt.Errorf("no Dockerfile generator for a %q stack", p.Stack.Language)
	}
	return File{Path: "Dockerfile", Content: withRuntimePragma(p.Stack, withProgramsStep(p.Stack, body))}, nil
}

const dockerfileHeader = detect.GeneratedMark + `. Build with BuildKit:
#   DOCKER_BUILDKIT=1 docker build --build-arg GIT_SHA=$(git rev-parse HEAD) .
# Base images are pinned; override them with --build-arg %s.
`

// runtimeTail is the end of every final stage: labels, the data directory,
// the user, the port, the health check and the entrypoint.
func runtimeTail(p *Plan, entry []string, dataFrom string) string {
	health := healthCommand(p)
	var b strings.Builder
	b.WriteString(`ARG GIT_SHA=unknown
ARG VERSION=dev
LABEL org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.title="` + p.Name + `" \
      dev.shipshape.health-path="` + p.HealthPath + `"
`)
	if p.DataDir != "" && dataFrom != "" {
		fmt.Fprintf(&b, "# The app's data (%s) lives on a volume mounted here, writable by the app user\n"+
			"# (a run without one gets an anonymous volume, so a read-only root still works).\n"+
			"COPY --from=%s --chown=%d:%d /out/data %s\nVOLUME [\"%s\"]\n", p.DataKind(), dataFrom, p.UID, p.UID, p.DataDir, p.DataDir)
	}
	if name, value, ok := p.sqliteEnv(); ok {
		what := "its SQLite file's path"
		if p.Stack.SQLiteVarURL {
			what = "its database's URL, whose fallback is a SQLite file beside the code,"
		}
		fmt.Fprintf(&b, "# The app reads %s from $%s (%s): a file on the volume.\nENV %s=%s\n",
			what, name, p.Stack.SQLiteVar.Where(), name, value)
	}
	for _, a := range p.Stack.AssetDirs {
		what := a.Dir
		if what == "." {
			what = "its own files"
		}
		fmt.Fprintf(&b, "# The app finds %s through $%s (%s: %s).\nENV %s=%s\n", what, a.Value, a.Where(), a.Why, a.Value, path.Join("/app", a.Dir))
	}
	if h := p.Stack.HomeDir; h != nil && p.DataDir != "" {
		fmt.Fprintf(&b, "# The app keeps its state in ~/%s (%s): the image's user has no home of its own (/, read-only), so $HOME is the volume.\nENV HOME=%s\n",
			h.Value, h.Where(), p.DataDir)
	}
	if v := p.Stack.DataDirVar; v != nil && p.DataDir != "" {
		fmt.Fprintf(&b, "# The app keeps its data in $%s (%s, %s): the volume.\nENV %s=%s\n",
			v.Value, v.Where(), v.Why, v.Value, p.DataDir)
	}
	if p.DataDir != "" {
		for _, d := range p.Stack.ConfigWriteDirs {
			if d.Volume {
				fmt.Fprintf(&b, "# The app keeps files in $%s (%s: %s): a directory on the volume.\nENV %s=%s\n",
					d.Value, d.Where(), d.Why, d.Value, path.Join(p.DataDir, d.Dir))
				continue
			}
			fmt.Fprintf(&b, "# The app creates %s (%s in %s:%d) in its working directory, on the read-only root: a directory on the volume.\nENV %s=%s\n",
				d.Dir, d.Why, d.File, d.Line, d.Value, path.Join(p.DataDir, d.Dir))
		}
	}
	if p.PortEnv != "" {
		value := fmt.Sprint(p.Port)
		if !strings.Contains(p.PortEnv, "PORT") || p.Stack.PortVarAddress {
			value = ":" + value // an address variable: LISTEN_ADDR=:8080
		}
		fmt.Fprintf(&b, "# The app reads its port from $%s.\nENV %s=%s\n", p.PortEnv, p.PortEnv, value)
	}
	if h := p.Stack.HostVar; h != nil && !(p.Stack.Language == "node" && h.Value == "HOST" && hostVar(p.Stack)) && h.Value != p.PortEnv {
		fmt.Fprintf(&b, "# The app binds the address in $%s (%s:%d): every address, not loopback.\nENV %s=0.0.0.0\n", h.Value, h.File, h.Line, h.Value)
	}
	for _, f := range p.Stack.ServeFlags {
		if value := p.serveFlagValue(f); f.Env != "" && value != "" {
			fmt.Fprintf(&b, "# $%s, which viper reads for --%s (%s:%d): %s.\nENV %s=%s\n", f.Env, f.Value, f.File, f.Line, f.Why, f.Env, value)
		}
	}
	fmt.Fprintf(&b, "USER %d:%d\nEXPOSE %d\n", p.UID, p.UID, p.Port)
	if p.stopsOnSIGINT() {
		fmt.Fprintf(&b, "# The app handles SIGINT (%s:%d), not SIGTERM: stop it with SIGINT to drain.\nSTOPSIGNAL SIGINT\n", p.Stack.SIGINT.File, p.Stack.SIGINT.Line)
	}
	fmt.Fprintf(&b, "HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 CMD %s\n", execForm(health))
	for _, f := range p.Stack.ServeFlags {
		if f.Env == "" {
			fmt.Fprintf(&b, "# --%s (%s:%d): %s.\n", f.Value, f.File, f.Line, f.Why)
		}
	}
	fmt.Fprintf(&b, "# Exec form: the app is PID 1 and receives SIGTERM itself.\nENTRYPOINT %s\n", execForm(entry))
	if args := p.serveFlagArgs(); len(args) > 0 {
		// Defaults, not part of the entrypoint: arguments a user or a tool
		// passes (a subcommand first) replace them rather than follow them.
		fmt.Fprintf(&b, "CMD %s\n", execForm(args))
	}
	return b.String()
}

func execForm(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = fmt.Sprintf("%q", a)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// healthCommand is the image's health check, in exec form: the language's
// own runtime where the image has one, a static probe binary otherwise.
func healthCommand(p *Plan) []string {
	switch p.Stack.Language {
	case "python":
		_, python := pythonRuntime(p.Stack)
		return []string{python, "-c", fmt.Sprintf("import urllib.request; urllib.request.urlopen('%s', timeout=2)", healthURL(p))}
	case "node":
		_, node := nodeRuntime(p.Stack)
		return []string{node, "-e", fmt.Sprintf("require('http').get('%s', { timeout: 2000 }, (r) => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))", healthURL(p))}
	default:
		return []string{"/app/healthcheck"}
	}
}

func healthURL(p *Plan) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", p.Port, p.HealthPath)
}

// --- Go -------------------------------------------------------------------

// goMigrateProgram is the repository's own migration program's package
// (./cmd/migrate) and the arguments that apply its migrations, when the
// release step is one.
func goMigrateProgram(p *Plan) (pkg string, args []string, ok bool) {
	m := p.Stack.Migrate
	if m == nil || p.Stack.Language != "go" || !strings.HasPrefix(m.Value, "./") {
		return "", nil, false
	}
	fields := strings.Fields(m.Value)
	return fields[0], fields[1:], true
}

// A migrationCLI is a migration tool's CLI the image builds from the module
// proxy, where the repository applies its migrations with that CLI: the
// migrations' format is the same across its major version, so a
// repository's older pin (go-rest-api's migrate/migrate:v4.10.0 image) is
// no reason to ship an older build. tags keep the Postgres driver, the
// only one whose URL init gives the CLI.
type migrationCLI struct {
	pkg, version, tags string
	// args are the CLI's arguments that apply dir's migrations to url.
	args func(dir, url string) []string
}

var migrationCLIs = map[string]migrationCLI{
	detect.GolangMigrate: {"github.com/golang-migrate/migrate/v4/cmd/migrate", "v4.19.1", "postgres", func(dir, url string) []string {
		return []string{"-path", dir, "-database", url, "up"}
	}},
	detect.Goose: {"github.com/pressly/goose/v3/cmd/goose", "v3.26.0", "no_clickhouse,no_libsql,no_mssql,no_mysql,no_sqlite3,no_vertica,no_ydb", func(dir, url string) []string {
		return []string{"-dir", dir, "postgres", url, "up"}
	}},
}

// migrationTool is how the image applies migrations with the CLI the
// repository runs (detect.GolangMigrate, detect.Goose), and the variable
// holding the Postgres URL the app connects with, which the release step
// passes the CLI as $(NAME) (Kubernetes expands it from the container's
// environment; compose and init --verify put its value in). ok is false
// for another tool, or a database whose URL the app's variables do not
// give as the CLI reads it (MySQL's is mysql://user:pass@tcp(host:port)/name
// for golang-migrate, a DSN for goose; an app reading host, port and user
// apart): the note that says nothing applies them stays.
func migrationTool(p *Plan) (cli migrationCLI, urlVar string, ok bool) {
	m := p.Stack.Migrate
	if m == nil || p.Stack.Language != "go" || p.Stack.Migrations == nil || !p.Has("postgres") {
		return migrationCLI{}, "", false
	}
	if cli, ok = migrationCLIs[m.Value]; !ok {
		return migrationCLI{}, "", false
	}
	for _, e := range appEnv(p, "app") {
		if strings.HasPrefix(e[1], "postgres://") || strings.HasPrefix(e[1], "postgresql://") {
			return cli, e[0], true
		}
	}
	return migrationCLI{}, "", false
}

func cgoFlag(p *Plan) string {
	if p.Stack.CGO != nil {
		return "1"
	}
	return "0"
}

func goDockerfile(p *Plan) string {
	probe := fmt.Sprintf(`package main; import ("net/http"; "os"; "time"); func main() { c := http.Client{Timeout: 2 * time.Second}; r, err := c.Get("%s"); if err != nil || r.StatusCode >= 400 { os.Exit(1) } }`, healthURL(p))
	// A cgo dependency links the C library (the cc runtime has it); the
	// programs the code runs need Debian's.
	runtime, cgo := runtimeImageOf(p), cgoFlag(p)
	envTouch := p.dataSubdirs() // after mkdir -p /probe /out/data
	if e := p.Stack.EnvFile; e != nil {
		envTouch += " && : > /out/empty.env"
		if p.Stack.EnvFileKeys {
			// The keys the example documents, no values: AutomaticEnv
			// takes each from the environment.
			envTouch = p.dataSubdirs() + ` && { sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1=/p' .env.example || :; } > /out/empty.env`
		}
	}
	genComment, genStep := "", ""
	steps := []*detect.Evidence{p.Stack.Generate, p.Stack.BoxEmbed}
	for i := range p.Stack.Placeholders {
		steps = append(steps, &p.Stack.Placeholders[i])
	}
	for _, e := range steps {
		// The repository's own generator, the step that packs its boxes
		// and the empty files its build embeds, in the build's RUN: their
		// output is what go build compiles.
		if e != nil {
			genComment += fmt.Sprintf("# %s:%d: %s.\n", e.File, e.Line, e.Why)
			genStep += e.Value + " && \\\n    "
		}
	}
	replaced := ""
	for _, e := range p.Stack.LocalReplaces {
		// go mod download reads the go.mod of a module replaced by a
		// directory of the repository.
		replaced += fmt.Sprintf("# %s:%d replaces a module with ./%s: the download reads its go.mod.\nCOPY %s/go.mod %s/go.sum* ./%s/\n", e.File, e.Line, e.Value, e.Value, e.Value, e.Value)
	}
	deps := `# Dependencies first: this layer is reused until go.mod or go.sum changes.
COPY go.mod go.sum* ./
` + replaced + `RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
`
	modFlag := ""
	if v := p.Stack.Vendored; v != nil {
		// The module proxy may refuse what the repository vendors.
		deps = fmt.Sprintf("# %s: the dependencies are vendored; the build uses them and downloads nothing.\nCOPY . .\n", v.File)
		modFlag = " -mod=vendor"
	}
	if pm := p.Stack.PackageManager; pm != nil && pm.File == "" {
		// No go.mod, and only the standard library imported (detect
		// stops otherwise): the module is made here, nothing resolved.
		deps = `COPY . .
# The repository has no go.mod and the code imports only the standard library:
# the build makes the module. Commit one (go mod init) to drop this step.
RUN go mod init app
`
	}
	tagsComment, tagsFlag := "", ""
	if t := p.Stack.BuildTags; t != nil {
		// The repository's own build tags: what they bring in is its
		// program as it ships it.
		tagsComment = fmt.Sprintf("# %s:%d builds the program with -tags %s.\n", t.File, t.Line, t.Value)
		tagsFlag = " -tags " + t.Value
	}
	migrateBuild, migrateCopy := "", ""
	if prog, _, ok := goMigrateProgram(p); ok {
		// The repository's migration program, the release step's.
		migrateBuild = fmt.Sprintf(` && \
    CGO_ENABLED=%s GOOS=$TARGETOS GOARCH=$TARGETARCH go build%s -trimpath -ldflags="-s -w" -o /out/migrate %s`, cgoFlag(p), modFlag, prog)
		migrateCopy = "COPY --from=build /out/migrate /app/migrate\n"
	} else if cli, _, ok := migrationTool(p); ok {
		// The tool's own CLI, with the driver the app's database needs,
		// from the module proxy (go install ignores the repository's
		// module; a cross build puts it in a directory of its
		// platform's name).
		migrateBuild = fmt.Sprintf(` && \
    GOFLAGS= CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go install -tags %s -trimpath -ldflags="-s -w" %s@%s && \
    find "$(go env GOPATH)/bin" -name %s -type f -exec cp {} /out/migrate \;`, cli.tags, cli.pkg, cli.version, path.Base(cli.pkg))
		migrateCopy = fmt.Sprintf("# %s: %s's CLI %s, the release step's.\nCOPY --from=build /out/migrate /app/migrate\n", p.Stack.Migrate.Where(), p.Stack.Migrate.Value, cli.version)
	}
	frontendCopy, frontendRuntime := "", ""
	if f := p.Stack.Frontend; f != nil && f.Runtime {
		// Read at run time from its path relative to the working
		// directory, where the repository's Dockerfile puts it.
		frontendRuntime = fmt.Sprintf("COPY --from=frontend /src/%s /app/%s\n", f.Out, f.Built())
	} else if f != nil {
		frontendCopy = fmt.Sprintf("COPY --from=frontend /src/%s ./%s\n", f.Out, f.Built())
	}
	images := "GO_IMAGE=... / RUNTIME_IMAGE=..."
	if p.Stack.Frontend != nil {
		images = "GO_IMAGE=... / NODE_IMAGE=... / RUNTIME_IMAGE=..."
	}
	var b strings.Builder
	fmt.Fprintf(&b, dockerfileHeader, images)
	fmt.Fprintf(&b, `ARG GO_IMAGE=%s
ARG RUNTIME_IMAGE=%s

%sFROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
%s%s%s%sRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    %sCGO_ENABLED=%s GOOS=$TARGETOS GOARCH=$TARGETARCH go build%s -trimpath -ldflags="-s -w" -o /out/app %s%s
# The runtime has no %s: the health check is a static probe.
RUN --mount=type=cache,target=/root/.cache/go-build \
    mkdir -p /probe /out/data%s && printf '%%s\n' '%s' > /probe/main.go && \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GO111MODULE=off go build -trimpath -ldflags="-s -w" -o /out/healthcheck /probe/main.go

%sFROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /out/app /app/server
COPY --from=build /out/healthcheck /app/healthcheck
`, goBuilder(p.Stack), runtime, frontendStage(p), cLibsBuildStep(p.Stack), deps, frontendCopy, genComment+tagsComment, genStep, cgo, modFlag+tagsFlag, p.Entrypoint, migrateBuild, probeLacks(p.Stack), envTouch, probe, passwdStage(p))
	b.WriteString(migrateCopy)
	b.WriteString(frontendRuntime)
	if p.Stack.UserLookup != nil {
		b.WriteString("COPY --from=passwd /out/passwd /etc/passwd\n")
	}
	if e := p.Stack.EnvFile; e != nil {
		if p.Stack.EnvFileKeys {
			fmt.Fprintf(&b, "# %s:%d: viper reads %s and the program exits without it; it holds the\n"+
				"# keys of .env.example without values, so AutomaticEnv takes each from the environment.\nCOPY --from=build /out/empty.env /app/%s\n",
				e.File, e.Line, e.Value, e.Value)
		} else {
			fmt.Fprintf(&b, "# %s:%d loads %s and exits without it; godotenv never overrides a variable\n"+
				"# that is set, so an empty file leaves the configuration to the environment.\nCOPY --from=build /out/empty.env /app/%s\n",
				e.File, e.Line, e.Value, e.Value)
		}
	}
	b.WriteString(runtimeCopies(p, "/src"))
	entry := append([]string{"/app/server"}, programArgs(p)...)
	b.WriteString(runtimeTail(p, entry, "build"))
	return b.String()
}

// programArgs are the words the image passes the program after its
// name: the arguments the repository's command gives it, or --args, with
// the plan's port where they give the port (the value of --port, the
// port's variable: peer's `--port ${PORT:=9000}` follows init --port
// 8080, and a privileged port moved to 8080 moves there too).
func programArgs(p *Plan) []string {
	words := p.Stack.ArgWords
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w
		if w, ok := detect.WithPort(words, i, p.Port); ok {
			out[i] = w
		}
	}
	return out
}

// passwdStage is a stage that gives the runtime's passwd file an entry for
// the app's user, when the code looks itself up there ("" otherwise): the
// runtime image has no shell to add one, and a lookup of a uid with no
// entry fails ("user: unknown userid 10001").
func passwdStage(p *Plan) string {
	e := p.Stack.UserLookup
	if e == nil {
		return ""
	}
	return fmt.Sprintf(`# %s:%d %s: the app's user gets an entry there.
FROM ${RUNTIME_IMAGE} AS runtime-passwd
FROM ${GO_IMAGE} AS passwd
COPY --from=runtime-passwd /etc/passwd /out/passwd
RUN printf 'app:x:%d:%d:app:/app:/sbin/nologin\n' >> /out/passwd

`, e.File, e.Line, e.Why, p.UID, p.UID)
}

// --- Python ---------------------------------------------------------------

// gitStep installs git in the build stage where a requirement comes from
// a git repository: the slim image has none, and pip stops on it
// (nachet-backend's requirements.txt:1, "Cannot find command 'git'").
func gitStep(s *detect.Stack) string {
	e := s.GitRequirement
	if e == nil {
		return ""
	}
	return fmt.Sprintf("# %s:%d installs a package from a git repository: pip runs git, in this stage only.\n"+
		"# shipshape:ignore DF040 the base image pins Debian's release, whose packages take only\n"+
		"# security and bug fixes; a version pin would break the build once the archive moves on.\n"+
		"RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n", e.File, e.Line)
}

// Pinned servers installed when the project's dependencies lack them.
const (
	gunicornPin  = "gunicorn==23.0.0"
	uvicornPin   = "uvicorn==0.32.1"
	hypercornPin = "hypercorn==0.17.3"
)

func pythonDockerfile(p *Plan) string {
	s := p.Stack
	pm := "pip"
	if s.PackageManager != nil {
		pm = s.PackageManager.Value
	}
	fw := p.framework()
	server := ""
	if s.Server != nil {
		server = s.Server.Value
	}
	runtime, python := pythonRuntime(s)
	entry := pythonEntry(p, python)
	extra := ""
	isApp := strings.Contains(p.Entrypoint, ":") && !strings.HasPrefix(p.Entrypoint, "call:")
	app := p.Entrypoint
	if _, e, ok := p.pyRunDir(); ok {
		app = e // imported from the directory it runs in
	}
	switch {
	case isApp && server == "hypercorn":
		// The repository's own ASGI server (ai-cfia/nachet-backend's Quart
		// app), which stops gracefully on SIGTERM.
		if s.ServerUndeclared {
			extra = " " + hypercornPin
		}
		entry = []string{python, "-m", "hypercorn", "--bind", fmt.Sprintf("0.0.0.0:%d", p.Port), "--graceful-timeout", "20", app}
	case isApp && (asgiFramework(fw) || (fw == "" && server == "uvicorn")):
		if server != "uvicorn" || s.ServerUndeclared {
			extra = " " + uvicornPin
		}
		entry = []string{python, "-m", "uvicorn", app, "--host", "0.0.0.0", "--port", fmt.Sprint(p.Port),
			"--proxy-headers", "--forwarded-allow-ips", "*", "--timeout-graceful-shutdown", "20"}
		if app, ok := strings.CutSuffix(app, "()"); ok {
			entry = append([]string{python, "-m", "uvicorn", "--factory", app}, entry[4:]...)
		}
	case isApp:
		if server != "gunicorn" || s.ServerUndeclared {
			extra = " " + gunicornPin
		}
		entry = []string{python, "-m", "gunicorn", "--bind", fmt.Sprintf("0.0.0.0:%d", p.Port), "--workers", "2"}
		if w := s.WorkerClass; w != nil {
			// The repository's worker class: an ASGI application or an
			// aiohttp factory answers nothing under the sync worker.
			// (Its package is the repository's dependency, as its own
			// command needs it.)
			entry = append(entry, "--worker-class", w.Value)
		}
		entry = append(entry, "--forwarded-allow-ips", "*", "--access-logfile", "-", "--graceful-timeout", "20", app)
	}
	// Every package manager ends in a requirements list installed into
	// /opt/deps (no virtualenv: its interpreter path would not exist in a
	// runtime with another Python layout).
	const install = "pip install --target /opt/deps -r "
	var deps string
	switch pm {
	case "uv":
		deps = `COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/pip python3 -m venv /opt/tools && /opt/tools/bin/pip install uv==0.5.11 && \
    /opt/tools/bin/uv export --frozen --no-dev --no-hashes -o /tmp/requirements.txt && \
    ` + install + "/tmp/requirements.txt" + extra
	case "poetry":
		deps = `COPY pyproject.toml poetry.lock* ./
RUN --mount=type=cache,target=/root/.cache/pip python3 -m venv /opt/tools && \
    /opt/tools/bin/pip install poetry==1.8.5 && \
    /opt/tools/bin/poetry export --only main --without-hashes -o /tmp/requirements.txt && \
    ` + install + "/tmp/requirements.txt" + extra
	case "pdm":
		// pdm.lock's pins, read with the standard library (pdm itself is
		// no dependency of the app): each package of the default group
		// (a lock before 4.4 names none, and all count), once, with its
		// environment marker; one locked from git or a URL by its source.
		deps = `COPY pyproject.toml pdm.lock ./
RUN --mount=type=cache,target=/root/.cache/pip \
    python3 -c "import tomllib; ps = {p['name']: p for p in tomllib.load(open('pdm.lock', 'rb')).get('package', []) if 'default' in p.get('groups', ['default'])}; print('\n'.join((n + ' @ git+' + p['git'] + ('@' + p['revision'] if p.get('revision') else '') if p.get('git') else n + ' @ ' + p['url'] if p.get('url') else n + '==' + p['version']) + ('; ' + p['marker'] if p.get('marker') else '') for n, p in sorted(ps.items())))" > /tmp/requirements.txt && \
    ` + install + "/tmp/requirements.txt" + extra
	case "pipenv":
		deps = `COPY Pipfile Pipfile.lock* ./
RUN --mount=type=cache,target=/root/.cache/pip python3 -m venv /opt/tools && \
    /opt/tools/bin/pip install pipenv==2024.4.0 && /opt/tools/bin/pipenv requirements > /tmp/requirements.txt && \
    ` + install + "/tmp/requirements.txt" + extra
	default:
		if pm := s.PackageManager; pm != nil && strings.HasSuffix(pm.File, ".txt") {
			deps = "COPY " + pm.File + " ./" + pm.File + "\n"
			if pm.File == "requirements.txt" {
				deps = "COPY requirements.txt ./\n"
			}
			for _, inc := range s.Requirements {
				// Files requirements.txt includes (-r base.txt), at their paths.
				deps += "COPY " + inc + " ./" + inc + "\n"
			}
			if extra != "" && s.HashedRequirements != nil {
				// Hash-checking mode takes the whole command line: the
				// server is a second install.
				extra = " && " + strings.TrimSuffix(install, "-r ") + strings.TrimSpace(extra)
			}
			deps += "RUN --mount=type=cache,target=/root/.cache/pip " + install + pm.File + extra
		} else if pm != nil && pm.File == "setup.py" {
			// setup.py alone: its install_requires, by installing the
			// project, which needs its source.
			deps = "COPY . .\n# shipshape:ignore DF075 setup.py alone declares the dependencies: installing them installs the project, from its source (a requirements.txt would let this layer be reused)\n" +
				"RUN --mount=type=cache,target=/root/.cache/pip " + strings.TrimSuffix(install, "-r ") + "." + extra
		} else {
			// pip with PEP 621 metadata: the declared dependencies.
			deps = `COPY pyproject.toml ./
RUN --mount=type=cache,target=/root/.cache/pip \
    python3 -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project'].get('dependencies', [])))" > /tmp/requirements.txt && \
    ` + install + "/tmp/requirements.txt" + extra
		}
	}
	var b strings.Builder
	images, frontend, frontendCopy := "PYTHON_IMAGE=... / RUNTIME_IMAGE=...", "", ""
	if f := s.Frontend; f != nil {
		images = "PYTHON_IMAGE=... / NODE_IMAGE=... / RUNTIME_IMAGE=..."
		frontend = strings.TrimSuffix(frontendStage(p), "\n")
		frontendCopy = fmt.Sprintf("COPY --from=frontend /src/%s ./%s\n", f.Out, f.Built())
	}
	fmt.Fprintf(&b, dockerfileHeader, images)
	fmt.Fprintf(&b, `ARG PYTHON_IMAGE=%s
ARG RUNTIME_IMAGE=%s
%s
FROM ${PYTHON_IMAGE} AS build
# A private or mirrored index, when the build is given one (unset: PyPI).
ARG PIP_INDEX_URL PIP_TRUSTED_HOST
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=/opt/deps
WORKDIR /app
RUN mkdir -p /opt/deps /out/data
%s# Dependencies first: this layer is reused until the dependency files change.
%s
COPY . .
%s`, pythonImage(s), runtime, frontend, gitStep(s), deps, frontendCopy)
	if e := s.PackageRoot; e != nil {
		fmt.Fprintf(&b, "# %s: %s: importable by that name from /pkgroot, as from / in an image that keeps it at /%s.\n"+
			"RUN mkdir -p /out/pkgroot && ln -s /app /out/pkgroot/%s\n", e.Where(), e.Why, e.Value, e.Value)
	}
	if e := s.SelfInstall; e != nil && (s.PackageManager == nil || s.PackageManager.File != "setup.py") {
		pretend := ""
		if s.SelfVersionFromGit {
			// .git stays out of the build's context: setuptools_scm (and
			// hatch-vcs) take this version instead of failing.
			pretend = "SETUPTOOLS_SCM_PRETEND_VERSION=0.0.0+image "
		}
		fmt.Fprintf(&b, "# %s: the code reads its own installed metadata: the project is installed too, without its dependencies.\n"+
			"RUN --mount=type=cache,target=/root/.cache/pip %spip install --no-deps --target /opt/deps .\n", e.Where(), pretend)
	}
	settings := ""
	if e := s.DjangoSettings; e != nil {
		settings = fmt.Sprintf("# %s: %s.\nENV DJANGO_SETTINGS_MODULE=%s\n", e.Where(), e.Why, e.Value)
	}
	if e := s.DjangoHostsVar; e != nil {
		// The settings fail at import without it; the names the image's
		// health check and Kubernetes' probes send. The site's own name
		// comes from .env (compose) or the Secret.
		settings += fmt.Sprintf("# %s splits ALLOWED_HOSTS from $%s, which has no default: the local names; add the site's in .env.\nENV %s=%q\n",
			e.Where(), e.Value, e.Value, djangoLocalHosts(e))
	}
	b.WriteString(settings)
	if e := s.DjangoNoStaticRoot; fw == "django" && e != nil {
		fmt.Fprintf(&b, "# No collectstatic: %s (%s) sets no STATIC_ROOT, without which it stops the build.\n", e.Value, e.File)
	} else if fw == "django" {
		b.WriteString("RUN python3 " + djangoManage(s) + " collectstatic --noinput\n")
	}
	if l := p.SQLiteLink; l != nil {
		at := path.Join(p.pyWorkdir(), l.Value)
		fmt.Fprintf(&b, "# %s opens its SQLite file as %s, on the read-only root: a link to\n"+
			"# the file on the volume (SQLite follows it, and keeps its journal beside the file).\nRUN ln -sf %s %s\n",
			l.Where(), at, path.Join(p.DataDir, path.Base(l.Value)), at)
	}
	pythonPath := "/opt/deps"
	if s.ImportRoot != "" {
		pythonPath += ":/app/" + s.ImportRoot // a src layout's modules
	}
	if _, _, ok := p.pyRunDir(); !ok && s.RunDir != nil && s.RunDir.Value != s.ImportRoot {
		// Run from /app (its migrations name paths from there), its
		// modules still import each other as in the directory the
		// repository runs them in.
		pythonPath += ":/app/" + s.RunDir.Value
	}
	workdir := "WORKDIR /app\n"
	if e := s.PackageRoot; e != nil {
		// /pkgroot/NAME is a link to /app: the code imports itself as NAME.
		pythonPath += ":/pkgroot"
		workdir += "COPY --from=build /out/pkgroot /pkgroot\n"
	}
	if dir, _, ok := p.pyRunDir(); ok {
		// Where the repository's own image runs it: its imports and the
		// files it opens by relative paths are there.
		workdir = strings.Replace(workdir, "WORKDIR /app\n", fmt.Sprintf("# %s: %s.\nWORKDIR /app/%s\n", s.RunDir.Where(), s.RunDir.Why, dir), 1)
	}
	fmt.Fprintf(&b, `
FROM ${RUNTIME_IMAGE}
ENV PYTHONPATH=%s PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
%sCOPY --from=build /opt/deps /opt/deps
COPY --from=build /app /app
%s`, pythonPath, workdir, settings)
	b.WriteString(runtimeTail(p, entry, "build"))
	return b.String()
}

// runtimeCopies copies what a compiled program opens at run time by a
// relative path into its working directory, /app.
func runtimeCopies(p *Plan, src string) string {
	var b strings.Builder
	for i, f := range p.Stack.RuntimeFiles {
		if i == 0 {
			b.WriteString("# Read at run time by a relative path: beside the program.\n")
		}
		fmt.Fprintf(&b, "COPY --from=build %s/%s /app/%s\n", src, f.Value, f.Value)
	}
	for _, c := range p.Stack.CarriedFiles {
		fmt.Fprintf(&b, "# %s:%d: %s.\nCOPY --from=build %s/%s %s\n", c.File, c.Line, c.Why, src, c.Value, c.Dest)
	}
	return b.String()
}

// djangoManage is the Django project's manage.py: in the directory the
// project lives in (shynet/manage.py), the root's otherwise.
func djangoManage(s *detect.Stack) string {
	if m := s.Migrate; m != nil && m.Value == "django" {
		return m.File
	}
	return "manage.py"
}

// pythonEntry runs a script (app.py), a module (-m app) or a console
// script's function (call:pkg.cli:main), with the program's arguments
// after it. As PID 1 a Python program ignores SIGTERM unless it handles
// it: the entry then exits on it.
func pythonEntry(p *Plan, python string) []string {
	// Under -c the words after the code are sys.argv[1:], as after a
	// script: a console script's function and runpy's module read them
	// there.
	return append(pythonProgram(p, python), programArgs(p)...)
}

func pythonProgram(p *Plan, python string) []string {
	handles := p.Stack.SIGTERM != nil
	onTerm := "lambda *_: sys.exit(0)"
	if p.sigintOnly() {
		// The code drains on Ctrl-C: SIGTERM raises KeyboardInterrupt too.
		onTerm = "signal.default_int_handler"
	}
	e := p.Entrypoint
	if _, script, ok := p.pyRunDir(); ok {
		e = script // run in its directory
	}
	switch {
	case strings.HasPrefix(e, "call:"):
		module, fn, _ := strings.Cut(strings.TrimPrefix(e, "call:"), ":")
		code := fmt.Sprintf("import sys; from %s import %s; sys.exit(%s())", module, fn, fn)
		if !handles {
			code = "import signal; signal.signal(signal.SIGTERM, " + onTerm + "); " + code
			code = strings.Replace(code, "import signal; ", "import signal, sys; ", 1)
		}
		return []string{python, "-c", code}
	case strings.HasPrefix(e, "-m "):
		module := strings.TrimPrefix(e, "-m ")
		if handles {
			return []string{python, "-m", module}
		}
		return []string{python, "-c", fmt.Sprintf("import runpy, signal, sys; signal.signal(signal.SIGTERM, %s); runpy.run_module(%q, run_name='__main__', alter_sys=True)", onTerm, module)}
	case handles:
		return []string{python, e}
	}
	insert := ""
	if dir := path.Dir(e); dir != "." && !strings.HasPrefix(e, "/") && !strings.HasPrefix(e, "..") {
		// As `python src/main.py` puts src/ first on the path: modules
		// beside the script import (the working directory stays too).
		insert = fmt.Sprintf("sys.path.insert(0, %q); ", path.Join("/app", dir))
	}
	return []string{python, "-c", fmt.Sprintf("import runpy, signal, sys; signal.signal(signal.SIGTERM, %s); %ssys.argv = [%q] + sys.argv[1:]; runpy.run_path(%q, run_name='__main__')", onTerm, insert, e, e)}
}

// pyWorkdir is the working directory of the Python program the image
// runs: /app, or the directory the repository's Dockerfile runs it in.
func (p *Plan) pyWorkdir() string {
	if dir, _, ok := p.pyRunDir(); ok {
		return path.Join("/app", dir)
	}
	return "/app"
}

// pyRunDir is the directory the Python program the image runs runs in,
// and its entry point there (a script's path, an app's module), where
// the repository's Dockerfile runs it in a directory it fills with one
// of the repository's (Stack.RunDir): gunicorn and uvicorn import from
// the working directory, as a script's own directory is on its path.
func (p *Plan) pyRunDir() (dir, entry string, ok bool) {
	d := p.Stack.RunDir
	if d == nil || p.Stack.Migrations != nil || p.Stack.Migrate != nil {
		// Migrations name their paths from the repository's root
		// (alembic.ini's script_location, Flask-Migrate's directory):
		// the release step runs in /app, and so does the program, its
		// script's directory on its path (pythonProgram).
		return "", "", false
	}
	if script, ok := strings.CutPrefix(p.Entrypoint, d.Value+"/"); ok {
		return d.Value, script, true
	}
	if app, ok := strings.CutPrefix(p.Entrypoint, strings.ReplaceAll(d.Value, "/", ".")+"."); ok && strings.Contains(app, ":") {
		return d.Value, app, true
	}
	return "", "", false
}

// --- Node -----------------------------------------------------------------

// nodePreloads reports whether the node the image runs takes --import,
// with which a module runs before the program, for any entry point: 18.19
// and later in 18 (18.18's loader refuses a file without an extension,
// bin/www), and every 20 and later, since the distroless runtimes of 20,
// 22 and 24 run their line's newest release whatever the builder pins.
func nodePreloads(version string) bool {
	var major, minor int
	if _, err := fmt.Sscanf(version, "%d.%d", &major, &minor); err != nil {
		return false
	}
	return major == 18 && minor >= 19 || major >= 20
}

// nodeCompiles reports whether the Node image compiles the app in a build
// stage (TypeScript, Next.js, NestJS).
func (p *Plan) nodeCompiles() bool {
	fw := p.framework()
	if p.Stack.RunsTypeScript != nil && fw != "next" && fw != "nestjs" && !detect.FullStack(fw) {
		return false // node runs the sources (tsconfig's noEmit)
	}
	return p.Stack.TypeScript != nil || fw == "next" || fw == "nestjs" || detect.FullStack(fw)
}

func nodeDockerfile(p *Plan) string {
	s := p.Stack
	fw := p.framework()
	if s.Static != nil {
		return staticDockerfile(p)
	}
	compiles := p.nodeCompiles()
	// A JavaScript app whose server needs what its build script writes
	// (BuildFirst) is built in the build stage, which then leaves its
	// dependencies behind: the runtime copies the tree it built.
	// So is one whose own install script builds it (Heroku's recipe,
	// "postinstall": "npm run build" with webpack).
	buildsFirst := !compiles && (s.BuildFirst != nil || s.InstallBuild != nil) && fw != "next"
	// A compiled app whose entry is no file of an output directory
	// (thelounge's index.js, which requires ./dist/server): what it
	// reads of the build is not known, so the runtime takes the tree the
	// build leaves, as for buildsFirst.
	_, _, nested := strings.Cut(strings.TrimPrefix(p.Entrypoint, "./"), "/")
	// So is a workspace's: what it imports of its members is their
	// build, in their directories.
	// So is a program the repository holds outside the build's output
	// (uptime-kuma's server/server.js, which requires ../src/util).
	whole := buildsFirst || compiles && fw != "next" && (!nested || len(s.WorkspaceMembers) > 0 || s.EntryInSource)
	build := compiles || s.Prisma != nil || buildsFirst
	t := nodeToolsOf(s)
	manifests, prodInstall, fullInstall, runBuild, exec := t.manifests, t.prodInstall, t.install, t.run("build"), t.exec
	switch {
	case !compiles && !buildsFirst:
		runBuild = "true"
	case s.BuildScript == nil && s.TypeScript != nil && s.InstallBuild == nil:
		runBuild = exec + "tsc" // no build script: the compiler itself
	}
	fullInstall, runBuild = installBuild(s, t, fullInstall, runBuild)
	switch {
	case whole && s.Prisma != nil:
		// The generated Prisma client is the one part of node_modules the
		// runtime takes from here.
		runBuild += " && mv node_modules/.prisma /tmp/prisma-client && rm -rf " + strings.Join(append(moduleDirs(s), s.BuildCaches...), " ") + " && mkdir node_modules && mv /tmp/prisma-client node_modules/.prisma"
	case whole:
		runBuild += " && rm -rf " + strings.Join(append(moduleDirs(s), s.BuildCaches...), " ")
	}
	if s.Prisma != nil {
		// The Prisma client is generated from the schema, not installed.
		runBuild = exec + "prisma generate --schema " + s.Prisma.Value + " && " + runBuild
	}
	cache := t.cache
	var b strings.Builder
	runtime, node := nodeRuntime(s)
	fmt.Fprintf(&b, dockerfileHeader, "NODE_IMAGE=... / RUNTIME_IMAGE=...")
	runtimeNote := "has node and nothing else: no shell, no npm"
	switch {
	case debianRuntime(s):
		runtimeNote = "is Node's Debian image: the app runs programs, which it adds"
	case !strings.HasPrefix(runtime, "gcr.io/distroless/"):
		runtimeNote = "is Node's Debian image: no distroless image holds this release"
	}
	fmt.Fprintf(&b, `ARG NODE_IMAGE=%s
# The runtime %s.
ARG RUNTIME_IMAGE=%s

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
%s# Production dependencies first: reused until the lock file changes.
COPY %s ./
%s%sRUN %s %s && mkdir -p node_modules /out/data
`, nodeImage(s), runtimeNote, runtime, installEnv(s), manifests, t.extra, t.prodNote, cache, prodInstall)
	if fw == "next" {
		runBuild += " && mkdir -p public" // the runtime copies public/, which is optional
	}
	if build {
		note := ""
		if e := s.InstallBuild; e != nil {
			note = fmt.Sprintf("# %s:%d: its %s script builds it: run here, after the tree, not by the install.\n", e.File, e.Line, e.Value)
		}
		if buildsFirst && s.BuildFirst != nil {
			note += fmt.Sprintf("# %s (%s): what the server serves is built here,\n# without the run's environment (a setting the build reads is fixed now).\n", s.BuildFirst.Why, s.BuildFirst.Where())
		}
		fmt.Fprintf(&b, `
FROM ${NODE_IMAGE} AS build
WORKDIR /app
%sCOPY %s ./
%sRUN %s %s
COPY . .
%s%sRUN %s
`, installEnv(s), manifests, t.extra, cache, fullInstall, buildEnv(s), note, runBuild)
	}
	// The front end the server serves, in a stage of its own.
	b.WriteString("\n" + strings.TrimPrefix(frontendStage(p), "\n"))
	b.WriteString(`FROM ${RUNTIME_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
`)
	entry := []string{node, p.Entrypoint}
	if s.SIGTERM == nil && fw != "next" {
		// As PID 1 node would ignore SIGTERM until killed: exit on it, or
		// hand it to the code's SIGINT handler, which drains.
		// import() loads CommonJS and ES modules alike.
		onTerm := "process.exit(0)"
		if p.sigintOnly() {
			onTerm = "process.emit('SIGINT', 'SIGINT')"
		}
		if s.ClosesOnSIGTERM != nil {
			// The framework's server drains on it; what else keeps the
			// process alive (a database pool) ends 5 s later.
			onTerm = "setTimeout(() => process.exit(0), 5000).unref()"
		}
		handler := fmt.Sprintf("process.once('SIGTERM', () => %s)", onTerm)
		if nodePreloads(pinned(s).Version) {
			// A preload leaves the program node's main module, as it is
			// when run directly: `if (require.main === module)
			// app.listen()` listens, and process.argv holds the file.
			entry = []string{node, "--import", "data:text/javascript," + handler, p.Entrypoint}
		} else {
			// Before --import: import() under -e loads CommonJS and ES
			// modules alike, but no module is the main one.
			entry = []string{node, "-e", fmt.Sprintf("%s; import(%q)", handler, "/app/"+strings.TrimPrefix(p.Entrypoint, "./"))}
			if s.Args != nil {
				// Under -e the words after it start at process.argv[1]:
				// the file, then the arguments, as when node runs it.
				entry = append(entry, "/app/"+strings.TrimPrefix(p.Entrypoint, "./"))
			}
		}
	}
	entry = append(entry, programArgs(p)...)
	if fw != "next" {
		entry = slices.Insert(entry, 1, s.NodeFlagWords...) // node's own options, before the preload and the file
	}
	switch {
	case fw == "next":
		fmt.Fprintf(&b, `ENV HOSTNAME=0.0.0.0 PORT=%d
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
`, p.Port)
		entry = []string{node, "server.js"}
	case whole:
		b.WriteString(depsModules(s) + "COPY --from=build /app ./\n")
	case compiles:
		out, _, _ := strings.Cut(strings.TrimPrefix(p.Entrypoint, "./"), "/")
		fmt.Fprintf(&b, "%sCOPY --from=build /app/package.json ./\n", depsModules(s))
		if out != "node_modules" {
			// (A serve command's bin is in the production install; the
			// build it serves is among the runtime files.)
			fmt.Fprintf(&b, "COPY --from=build /app/%s ./%s\n", out, out)
		}
		// The build output alone otherwise: views, public/, a data file
		// its arguments name.
		b.WriteString(runtimeCopies(p, "/app"))
	default:
		b.WriteString(depsModules(s) + "COPY . .\n")
	}
	if s.Prisma != nil {
		b.WriteString("COPY --from=build /app/node_modules/.prisma ./node_modules/.prisma\n")
	}
	if f := s.Frontend; f != nil {
		fmt.Fprintf(&b, "COPY --from=frontend /src/%s ./%s\n", f.Out, f.Out)
	}
	if hostVar(s) {
		b.WriteString("# The app reads the address to bind from $HOST: all interfaces, not loopback.\nENV HOST=0.0.0.0\n")
	}
	b.WriteString(runtimeTail(p, entry, "deps"))
	return b.String()
}

// moduleDirs are the node_modules directories a production install
// fills: the root's, and a workspace member's own (pnpm links each
// member's dependencies there; npm and Yarn put a version that differs
// from the root's there).
func moduleDirs(s *detect.Stack) []string {
	out := []string{"node_modules"}
	for _, m := range s.WorkspaceMembers {
		out = append(out, m.Value+"/node_modules")
	}
	return out
}

// depsModules copies the production install's node_modules into the
// runtime: a workspace's whole stage, whose members hold their own (the
// manifests in it are the tree's, or replaced by the tree's copied after
// it).
func depsModules(s *detect.Stack) string {
	if len(s.WorkspaceMembers) > 0 {
		return "# A workspace: its members' own node_modules too.\nCOPY --from=deps /app ./\n"
	}
	return "COPY --from=deps /app/node_modules ./node_modules\n"
}

// buildEnv sets the variables the build needs (the build stage's only).
func buildEnv(s *detect.Stack) string {
	var b strings.Builder
	for _, e := range s.BuildEnv {
		fmt.Fprintf(&b, "# %s:%d: %s.\nENV %s\n", e.File, e.Line, e.Why, e.Value)
	}
	for i, e := range s.BuildArgs {
		if i == 0 {
			fmt.Fprintf(&b, "# %s:%d: %s: pass each with --build-arg (empty, the build passes).\n# Its value is fixed in the image: a secret belongs in $env/dynamic/private.\n", e.File, e.Line, e.Why)
		}
		fmt.Fprintf(&b, "ARG %s=\n", e.Value)
	}
	return b.String()
}

// installEnv sets the variables every install of the dependencies needs
// (an install stage's only).
func installEnv(s *detect.Stack) string {
	var b strings.Builder
	for _, e := range s.InstallEnv {
		if e.Value == detect.LegacyOpenSSL && nodeMajor(s) < 17 {
			continue // its OpenSSL hashes md4; it does not know the flag
		}
		at := e.File
		if e.Line > 0 {
			at += ":" + strconv.Itoa(e.Line)
		}
		fmt.Fprintf(&b, "# %s: %s.\nENV %s\n", at, e.Why, e.Value)
	}
	return b.String()
}

// hostVar reports whether the code reads $HOST (the address it binds).
func hostVar(s *detect.Stack) bool {
	for _, e := range s.Env {
		if e.Value == "HOST" {
			return true
		}
	}
	return false
}

// staticServer serves a single-page app's files: an unprivileged Node
// process (the runtime has no shell and no web server of its own), index.html
// for paths that are not files, and a clean exit on SIGTERM.
const staticServer = `import http from "node:http"; import fs from "node:fs"; import path from "node:path";
const root = "/app/public", port = Number(process.env.PORT || %d);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif", ".ico": "image/x-icon", ".webp": "image/webp", ".woff2": "font/woff2", ".woff": "font/woff", ".txt": "text/plain", ".map": "application/json", ".wasm": "application/wasm" };
const server = http.createServer((req, res) => {
  let file = path.join(root, path.normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)));
  if (!file.startsWith(root)) { res.writeHead(400).end(); return; }
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) file = path.join(root, "index.html");
    const type = types[path.extname(file)] || "application/octet-stream";
    const cache = file.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    res.writeHead(200, { "content-type": type, "cache-control": cache, "x-content-type-options": "nosniff" });
    if (req.method === "HEAD") { res.end(); return; }
    fs.createReadStream(file).on("error", () => res.end()).pipe(res);
  });
});
server.listen(port, "0.0.0.0");
process.once("SIGTERM", () => server.close(() => process.exit(0)));
`

// corepack readies the package's manager: corepack's shims, and the
// release the lock file needs when the package names none (corepack
// would otherwise take the newest).
func corepack(s *detect.Stack) string {
	if pin := s.ManagerPin; pin != nil {
		return "corepack enable && corepack prepare " + pin.Value + " --activate && "
	}
	return "corepack enable && "
}

// nodeTools are how a package's dependencies are installed, whole (a
// build's) or for production, and its scripts run, by its own package
// manager.
type nodeTools struct {
	manifests, install, prodInstall, cache string
	// extra are COPY lines for what the install reads beside the
	// manifests: Yarn 2+'s .yarn directory (a release its .yarnrc.yml's
	// yarnPath names, plugins, patches).
	extra string
	// prodNote is a comment line on what the production install cannot
	// leave out.
	prodNote string
	run      func(script string) string
	exec     string // runs a dependency's program: "npx --no-install "
}

// dropOwnScripts takes the package's own install-time scripts out of the
// dependency stage's package.json (not the image's): the dependencies'
// scripts still run.
var dropOwnScripts = editPackageJSON("for (const k of ['preinstall', 'install', 'postinstall', 'prepare']) delete (p.scripts || {})[k];")

// editPackageJSON is a command that rewrites the stage's package.json
// with node, the statement given changing p, the parsed file.
func editPackageJSON(change string) string {
	return `node -e "const p = require('./package.json'); ` + change + ` require('fs').writeFileSync('package.json', JSON.stringify(p))"`
}

// ownScriptNote says why the production install leaves the package's own
// script out: one that builds (InstallBuild) builds from the tree, which
// this stage has not; the build stage runs it (hackathon-starter's
// postinstall, `patch-package && npm run scss`, needs no dev dependency).
func ownScriptNote(s *detect.Stack, e *detect.Evidence) string {
	if b := s.InstallBuild; b != nil && b.Value == e.Value {
		return fmt.Sprintf("# %s:%d: its own %s script builds from the tree, which this stage has not: this stage's package.json goes without it, and the build stage runs it.\n", e.File, e.Line, e.Value)
	}
	return fmt.Sprintf("# %s:%d: its own %s script needs the dev dependencies, which this install leaves out: this stage's package.json goes without it.\n", e.File, e.Line, e.Value)
}

func nodeToolsOf(s *detect.Stack) nodeTools {
	t := managerTools(s)
	if ms := s.MemberLifecycleScripts; len(ms) > 0 && !strings.Contains(t.prodInstall, "--ignore-scripts") {
		// The members' own install-time scripts (a prepare that runs
		// tsc) need their dev dependencies, which this install leaves
		// out: this stage's copies of their package.json go without them.
		var files []string
		for _, m := range ms {
			files = append(files, fmt.Sprintf("'%s'", m.File))
		}
		t.prodInstall = fmt.Sprintf(`node -e "const fs = require('fs'); for (const f of [%s]) { const p = JSON.parse(fs.readFileSync(f)); for (const k of ['preinstall', 'install', 'postinstall', 'prepare']) delete (p.scripts || {})[k]; fs.writeFileSync(f, JSON.stringify(p)) }" && `,
			strings.Join(files, ", ")) + t.prodInstall
		t.prodNote += fmt.Sprintf("# %s: its own %s script needs the dev dependencies, which this install leaves out: this stage's copy of its package.json goes without it.\n", ms[0].File, ms[0].Why)
	}
	if s.Npmrc != nil {
		// The install's settings (legacy-peer-deps, a hoisting rule).
		t.manifests += " .npmrc"
	}
	if s.PnpmWorkspaceFile != nil {
		// Its settings are the lock file's: a frozen install without
		// them stops (ERR_PNPM_LOCKFILE_CONFIG_MISMATCH).
		t.manifests += " pnpm-workspace.yaml"
	}
	var b strings.Builder
	if len(s.WorkspaceMembers) > maxMemberCopies {
		// So many COPY layers would near the engine's layer limit: the
		// tree, before the install, which is then redone on any change.
		fmt.Fprintf(&b, "# %s:%d: a workspace of %d members, whose package.json the install reads: the tree comes first.\n%sCOPY . ./\n",
			s.WorkspaceMembers[0].File, s.WorkspaceMembers[0].Line, len(s.WorkspaceMembers), workspaceIgnore)
	} else if len(s.WorkspaceMembers) > 0 {
		// A workspace's root install reads every member's package.json:
		// copied to their places before it, as the manifests are.
		fmt.Fprintf(&b, "# %s:%d: a workspace: the install reads each member's package.json.\n", s.WorkspaceMembers[0].File, s.WorkspaceMembers[0].Line)
		for _, m := range s.WorkspaceMembers {
			fmt.Fprintf(&b, "COPY %s/package.json %s/\n", m.Value, m.Value)
		}
	}
	for _, d := range s.PnpmPatches {
		fmt.Fprintf(&b, "COPY %s ./%s\n", d.Value, d.Value)
	}
	t.extra += b.String()
	return t
}

// installBuild is the install and the build of a package whose own
// install script builds it (InstallBuild): run by the install, before
// the sources are copied, it would build nothing, so the install runs on
// a copy of package.json without the package's own scripts, and the
// build after the tree runs the build script and that install script,
// once where the one only runs the other. Others' are as given.
func installBuild(s *detect.Stack, t nodeTools, install, build string) (string, string) {
	e := s.InstallBuild
	if e == nil {
		return install, build
	}
	install = dropOwnScripts + " && " + install
	switch {
	case s.BuildScript == nil || build == "true":
		build = t.run(e.Value)
	case !s.InstallBuildAlone:
		build = t.run("build") + " && " + t.run(e.Value) + strings.TrimPrefix(build, t.run("build"))
	}
	return install, build
}

// maxMemberCopies is the most workspace members whose package.json
// files the install stages copy one by one (a layer each).
const maxMemberCopies = 40

// managerTools are the package manager's commands for the package alone.
func managerTools(s *detect.Stack) nodeTools {
	pm := "npm"
	if s.PackageManager != nil {
		pm = s.PackageManager.Value
	}
	cp := corepack(s)
	switch {
	case pm == "pnpm":
		t := nodeTools{manifests: "package.json pnpm-lock.yaml", install: cp + "pnpm install --frozen-lockfile",
			prodInstall: cp + "pnpm install --frozen-lockfile --prod", cache: "--mount=type=cache,target=/root/.local/share/pnpm/store",
			run: func(script string) string { return cp + "pnpm run " + script }, exec: cp + "pnpm exec "}
		if e := s.LifecycleScript; e != nil {
			// The package's own script (husky) needs its dev dependencies:
			// this stage's package.json goes without it (pnpm rebuild
			// after --ignore-scripts would run it too).
			t.prodInstall = dropOwnScripts + " && " + cp + "pnpm install --frozen-lockfile --prod"
			t.prodNote = ownScriptNote(s, e)
		}
		if detect.NoLock(s) {
			// No lock file to hold the install to: pnpm resolves.
			t.manifests = "package.json"
			t.install = strings.ReplaceAll(t.install, "--frozen-lockfile", "--no-frozen-lockfile")
			t.prodInstall = strings.ReplaceAll(t.prodInstall, "--frozen-lockfile", "--no-frozen-lockfile")
		}
		return t
	case pm == "yarn" && s.Berry != nil:
		// Yarn 2+: --immutable, a cache of its own; production alone by
		// workspaces focus, or every dependency where it lacks it.
		t := nodeTools{manifests: "package.json yarn.lock", install: cp + "yarn install --immutable", prodInstall: cp + "yarn install --immutable",
			cache: "--mount=type=cache,target=/root/.yarn/berry/cache,sharing=locked",
			run:   func(script string) string { return cp + "yarn run " + script }, exec: cp + "yarn "}
		if s.BerryFocus {
			t.prodInstall = cp + "yarn workspaces focus --all --production"
		} else {
			t.prodNote = "# Yarn before 4 installs for production alone only with its workspace-tools plugin, which .yarnrc.yml does not list: dev dependencies ship too.\n"
		}
		for _, f := range s.BerryFiles {
			if f == ".yarn" {
				t.extra = "COPY .yarn ./.yarn\n"
			} else {
				t.manifests += " " + f
			}
		}
		if detect.NoLock(s) {
			// No lock file to hold the install to: Yarn writes one.
			t.manifests = strings.Replace(t.manifests, "package.json yarn.lock", "package.json", 1)
			t.install = strings.ReplaceAll(t.install, " --immutable", "")
			t.prodInstall = strings.ReplaceAll(t.prodInstall, " --immutable", "")
		}
		return t
	case pm == "yarn":
		t := nodeTools{manifests: "package.json yarn.lock", install: cp + "yarn install --frozen-lockfile",
			prodInstall: cp + "yarn install --frozen-lockfile --production", cache: yarnCache,
			run: func(script string) string { return cp + "yarn run " + script }, exec: cp + "yarn "}
		if e := s.LifecycleScript; e != nil {
			// As for pnpm: Yarn 1's --ignore-scripts would skip the
			// dependencies' scripts (native modules) too.
			t.prodInstall = dropOwnScripts + " && " + cp + "yarn install --frozen-lockfile --production"
			t.prodNote = ownScriptNote(s, e)
		}
		if detect.NoLock(s) {
			t.manifests = "package.json"
			t.install = strings.ReplaceAll(t.install, " --frozen-lockfile", "")
			t.prodInstall = strings.ReplaceAll(t.prodInstall, " --frozen-lockfile", "")
		}
		return t
	}
	// The production install runs no install script; npm rebuild then
	// runs the dependencies' (native modules), and the package's own
	// preinstall, install and postinstall, which need its dev
	// dependencies: its stage's package.json goes without them (below).
	t := nodeTools{manifests: "package.json package-lock.json", install: "npm ci --no-audit --no-fund",
		prodInstall: "npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm rebuild", cache: "--mount=type=cache,target=/root/.npm",
		run: func(script string) string { return "npm run " + script }, exec: "npx --no-install "}
	if detect.NoLock(s) {
		// No lock file yet (a front end's own, client/package.json, too:
		// bradtraversy/devconnector_2.0's): npm ci refuses, npm install
		// resolves. It
		// resolves the dev dependencies too, --omit=dev or not, and one
		// that the registry lacks stops the production install
		// (verdaccio's package as published: @verdaccio/e2e-cli 3.2.0):
		// this stage's copy of package.json drops them first (with node:
		// npm pkg came in npm 7.20, after the npm of Node 14 and 15).
		t.manifests, t.install = "package.json", "npm install --no-audit --no-fund"
		t.prodInstall = editPackageJSON("delete p.devDependencies;") + " && npm install --omit=dev --no-audit --no-fund --ignore-scripts && npm rebuild"
	}
	if e := s.LifecycleScript; e != nil {
		// npm rebuild runs the package's own install scripts too, not
		// only its dependencies': a postinstall of `npm run build` ran
		// tsc, a dev dependency (sh: 1: tsc: not found).
		t.prodInstall = dropOwnScripts + " && " + t.prodInstall
		t.prodNote = ownScriptNote(s, e)
	}
	return t
}

// frontendStage builds the single-page app the Go program embeds, in a
// stage of its own, from the app's directory alone (its package manager's
// patches and workspace files included); "" when there is none.
func frontendStage(p *Plan) string {
	f := p.Stack.Frontend
	if f == nil {
		return ""
	}
	held := "Git does not hold it; it is built here."
	if f.Shared {
		held = "Git holds part of it; the build adds the rest."
	}
	t := nodeToolsOf(f.Stack)
	build := strings.TrimPrefix(t.run(f.Script.Value), "corepack enable && ")
	if f.Run != "" {
		build = f.Run // the repository's Dockerfile's own command
	}
	arg := "ARG NODE_IMAGE=" + nodeImage(f.Stack) + "\n"
	if p.Stack.Language == "node" {
		arg = "" // the service's own Node image, declared above
	}
	if f.FromRoot {
		// A Makefile rule's recipe, run from the root as make runs it,
		// after the install in the package's directory: its manifests
		// first, so the install is reused until they change.
		install := t.install
		first := "WORKDIR /src\nCOPY . ./\n" + workspaceIgnore // a workspace member installs at the root
		if f.Workspace == nil {
			first = fmt.Sprintf("WORKDIR %s\n%sRUN %s %s\nWORKDIR /src\nCOPY . ./\n", path.Join("/src", f.Dir), manifestsCopy(f.Dir, t), t.cache, install)
			if f.Dir == "." {
				first = "WORKDIR /src\n" + manifestsCopy(".", t) + "RUN " + t.cache + " " + install + "\nCOPY . ./\n"
			}
			install = ""
		}
		run := build
		if install != "" {
			run = t.cache + " " + install + " && " + build
		}
		if strings.Contains(" "+build, " cd ") {
			first += "# shipshape:ignore DF061 the Makefile rule's recipe, run as make runs it\n"
		}
		return fmt.Sprintf(`%s
# %s; %s:%d (%s): %s.
# %s
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend
%s%sRUN %s

`, arg, frontendUse(f), f.Script.File, f.Script.Line, f.Script.Value, f.Script.Why, held,
			installEnv(f.Stack), first, run)
	}
	if w := f.Workspace; w != nil {
		// A member of the root's pnpm workspace: installed from the root,
		// whose lock file and workspace settings (patches, .npmrc) it is,
		// built in its directory, from the whole tree: a member's build
		// reads beside it (gogs' web/ reads ../conf/locale).
		return fmt.Sprintf(`%s
# %s; %s:%d (%q): %s.
# %s %s:%d: %s is %s.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend
WORKDIR /src
%sCOPY . ./
%sRUN %s %s
WORKDIR %s
RUN %s

`, arg, frontendUse(f), f.Script.File, f.Script.Line, f.Script.Value, f.Script.Why, held, w.File, w.Line, w.Value, w.Why,
			installEnv(f.Stack), workspaceIgnore, t.cache, t.install, path.Join("/src", f.Dir), build)
	}
	if f.Dir == "." {
		// The package is the repository's root (linkding's): its
		// manifests first, so the install is reused until they change.
		return fmt.Sprintf(`%s
# %s; %s:%d (%q): %s.
# %s
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend
WORKDIR /src
%s%sRUN %s %s
COPY . ./
RUN %s

`, arg, frontendUse(f), f.Script.File, f.Script.Line, f.Script.Value, f.Script.Why, held,
			installEnv(f.Stack), manifestsCopy(".", t), t.cache, t.install, build)
	}
	return fmt.Sprintf(`%s
# %s; %s:%d (%q): %s.
# %s
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend
WORKDIR %s
%sCOPY %s/ ./
RUN %s %s && %s

`, arg, frontendUse(f), f.Script.File, f.Script.Line, f.Script.Value, f.Script.Why, held,
		path.Join("/src", f.Dir), installEnv(f.Stack), f.Dir, t.cache, t.install, build)
}

// workspaceIgnore says why a pnpm workspace's front-end stage copies the
// tree before it installs (check's DF075).
const workspaceIgnore = "# shipshape:ignore DF075 a pnpm workspace installs from every member's package.json: the tree comes first\n"

// manifestsCopy copies the front end's package manifests (and Yarn 2+'s
// release) from dir into the stage's working directory.
func manifestsCopy(dir string, t nodeTools) string {
	var files []string
	for _, m := range strings.Fields(t.manifests) {
		files = append(files, path.Join(dir, m))
	}
	return fmt.Sprintf("COPY %s ./\n%s", strings.Join(files, " "), t.extra)
}

// frontendUse says how the program takes its front end's build output.
func frontendUse(f *detect.Frontend) string {
	if f.Runtime {
		return fmt.Sprintf("The program serves %s at run time (%s:%d: %s)", f.Out, f.Embed.File, f.Embed.Line, f.Embed.Why)
	}
	takes := fmt.Sprintf("%s:%d embeds %s", f.Embed.File, f.Embed.Line, f.Embed.Value)
	if f.Embed.Why != "" { // a packr or go.rice box
		takes = fmt.Sprintf("%s:%d takes %s as %s", f.Embed.File, f.Embed.Line, f.Embed.Value, f.Embed.Why)
	}
	switch {
	case f.Dest != "":
		return takes + ", which the build fills with " + f.Out
	case f.Embed.Value != f.Out:
		return takes + ", which holds " + f.Out
	}
	return takes
}

// staticDockerfile builds a single-page app and serves its files.
func staticDockerfile(p *Plan) string {
	s := p.Stack
	t := nodeToolsOf(s)
	manifests, install, runBuild, cache := t.manifests, t.install, t.run("build"), t.cache
	install, runBuild = installBuild(s, t, install, runBuild)
	// One line: a Dockerfile instruction ends at the line's end.
	server := strings.ReplaceAll(strings.ReplaceAll(fmt.Sprintf(staticServer, p.Port), "\n", " "), "'", `'"'"'`)
	runtime, node := nodeRuntime(s)
	var b strings.Builder
	fmt.Fprintf(&b, dockerfileHeader, "NODE_IMAGE=... / RUNTIME_IMAGE=...")
	fmt.Fprintf(&b, `ARG NODE_IMAGE=%s
# The runtime has node and nothing else: it serves the built files.
ARG RUNTIME_IMAGE=%s

FROM ${NODE_IMAGE} AS build
WORKDIR /app
%s# Dependencies first: reused until the lock file changes.
COPY %s ./
%sRUN %s %s
COPY . .
RUN %s && mkdir -p /out && printf '%%s' '%s' > /out/serve.mjs

FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /app/%s /app/public
COPY --from=build /out/serve.mjs /app/serve.mjs
`, nodeImage(s), runtime, installEnv(s), manifests, t.extra, cache, install, runBuild, server, s.Static.Value)
	b.WriteString(runtimeTail(p, []string{node, "/app/serve.mjs"}, ""))
	return b.String()
}

// --- Rust -----------------------------------------------------------------

func rustDockerfile(p *Plan) string {
	s := p.Stack
	bin := p.Entrypoint
	workspace := s.Workspace != nil
	for _, e := range s.Entrypoints {
		if e.File != "Cargo.toml" {
			workspace = true
		}
	}
	binFlag := " --bin " + bin
	// The probe speaks HTTP/1.0 over std::net: the runtime has no curl.
	host, _ := strings.CutPrefix(healthURL(p), "http://")
	addr, reqPath, _ := strings.Cut(host, "/")
	probe := fmt.Sprintf(`use std::io::{Read, Write}; use std::net::TcpStream; use std::time::Duration; fn check() -> std::io::Result<bool> { let mut s = TcpStream::connect("%s")?; s.set_read_timeout(Some(Duration::from_secs(2)))?; s.write_all(b"GET /%s HTTP/1.0\r\nHost: localhost\r\n\r\n")?; let mut b = [0u8; 12]; s.read_exact(&mut b)?; Ok(b[9] == 50) } fn main() { std::process::exit(if check().unwrap_or(false) { 0 } else { 1 }) }`,
		addr, reqPath)
	var b strings.Builder
	fmt.Fprintf(&b, dockerfileHeader, "RUST_IMAGE=... / RUNTIME_IMAGE=...")
	fmt.Fprintf(&b, `ARG RUST_IMAGE=%s
ARG RUNTIME_IMAGE=%s

FROM ${RUST_IMAGE} AS build
WORKDIR /src
`, rustBuilder(s), runtimeImageOf(p))
	if !workspace {
		b.WriteString(`# Dependencies first: fetched against a stub until Cargo.toml or Cargo.lock changes.
COPY Cargo.toml Cargo.lock* ./
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    mkdir -p src && printf 'fn main() {}\n' > src/main.rs && cargo fetch && rm -rf src
`)
	}
	fmt.Fprintf(&b, `COPY . .
# target/ is a cache mount: compiled dependencies are reused across builds.
RUN --mount=type=cache,target=/usr/local/cargo/registry --mount=type=cache,target=/src/target \
    cargo build --release --locked%s && mkdir -p /out/data && cp target/release/%s /out/app
# The runtime has no %s: the health check is a static probe.
RUN printf '%%s\n' '%s' > /tmp/probe.rs && rustc -C opt-level=s -C strip=symbols -o /out/healthcheck /tmp/probe.rs

FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /out/app /app/server
COPY --from=build /out/healthcheck /app/healthcheck
`, binFlag, bin, probeLacks(s), probe)
	b.WriteString(runtimeCopies(p, "/src"))
	entry := []string{"/app/server"}
	if needsInit(p) {
		// As PID 1 a program without a SIGTERM handler ignores SIGTERM
		// until it is killed; under tini it is a child, and SIGTERM's
		// default action stops it.
		b.WriteString("COPY --from=tini /usr/bin/tini-static /app/tini\n")
		entry = []string{"/app/tini", "--", "/app/server"}
	}
	entry = append(entry, programArgs(p)...)
	b.WriteString(runtimeTail(p, entry, "build"))
	out := b.String()
	if needsInit(p) {
		// Debian's static tini, from a stage of its own so the build
		// stage's cache is untouched.
		out = strings.Replace(out, "\nFROM ${RUST_IMAGE} AS build\n", `
FROM ${RUST_IMAGE} AS tini
RUN apt-get update && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 && rm -rf /var/lib/apt/lists/*

FROM ${RUST_IMAGE} AS build
`, 1)
	}
	return out
}

// needsInit reports whether a compiled program needs an init process to
// stop on SIGTERM: it does not handle SIGTERM (one that drains on SIGINT
// gets that through tini under STOPSIGNAL SIGINT; where the stop signal is
// ignored, as on Kubernetes, SIGTERM still stops it). Go's runtime exits on
// SIGTERM by itself.
func needsInit(p *Plan) bool {
	return p.Stack.Language == "rust" && p.Stack.SIGTERM == nil
}

// GeneratedIgnoreMark opens the .dockerignore init writes.
const GeneratedIgnoreMark = "# Generated by shipshape init"

// DockerIgnore keeps the build context small and secrets out of it.
// Secrets are left out at any depth (**/): a bare *.pem matches the
// context's top directory only, and cors-anywhere's test/key.pem was
// shipped, which verify's secret scan then failed.
func DockerIgnore(p *Plan) File {
	common := []string{GeneratedIgnoreMark + ": keep the build context small and secrets out of it.",
		".git", ".github", ".forgejo", ".shipshape", "**/.env", "**/.env.*", envExampleException, "**/*.pem", "**/*.key", "Dockerfile", ".dockerignore",
		"compose*.yaml", "docker-compose*.yml", "deploy/", "tmp/"}
	lang := map[string][]string{
		"go":     {"**/*_test.go", "**/testdata", "bin/", "dist/"},
		"python": {"**/__pycache__", "**/*.pyc", ".venv/", "venv/", ".pytest_cache/", ".mypy_cache/", "*.db", "*.sqlite3"},
		"node":   {"node_modules/", "npm-debug.log*", ".next/", "coverage/", "*.db"},
		"rust":   {"target/", "*.db"},
	}[p.Stack.Language]
	if p.Stack.Language == "node" && (p.nodeCompiles() || p.Stack.Static != nil || p.Stack.ShipsDist == nil) {
		// The image builds dist/, or it is a local build git ignores.
		// Where the repository holds it and nothing builds it, dist/ is
		// what runs (a package published to npm: maildev's
		// dist/bin/maildev.js).
		lang = append(lang, "dist/")
	}
	dataLine := ""
	if p.DataDir != "" && strings.HasPrefix(p.DataDir, "/app/") {
		dataLine = strings.TrimPrefix(p.DataDir, "/app/") + "/" // project/media/, not media/: .dockerignore patterns start at the root
		lang = append(lang, dataLine)
	}
	if p.Stack.Berry != nil {
		// Yarn 2+'s package cache and Plug'n'Play loader: the install
		// fetches and links node_modules in the image.
		lang = append(lang, ".yarn/cache/", ".yarn/install-state.gz", ".pnp.*")
	}
	for _, c := range p.Stack.BuildCaches {
		// The build tools' caches of a local build (Nx's .nx, which
		// grows with every build): the image builds afresh. docmost's
		// own .dockerignore says **/.nx too.
		lang = append(lang, "**/"+c)
	}
	if p.Stack.NpmrcCredential != nil {
		// A registry credential: no layer may keep it (init's note).
		lang = append(lang, ".npmrc")
	}
	if f := p.Stack.Frontend; f != nil && f.Stack != nil && f.Stack.NpmrcCredential != nil {
		lang = append(lang, path.Join(f.Dir, ".npmrc"))
	}
	if len(p.Stack.WorkspaceMembers) > 0 || p.Stack.Frontend != nil {
		// The image installs a member's or a front end's dependencies.
		lang = append(lang, "**/node_modules")
	}
	if f := p.Stack.Frontend; f != nil {
		// The image builds the front end: a local build stays out of
		// the context (a directory the repository holds part of stays
		// in: the build adds to it).
		if !f.Shared {
			lang = append(lang, f.Out+"/")
		}
	}
	if len(p.Stack.KeyFiles) > 0 {
		lang = append(lang, "# Certificates the code names (no private key): the app reads them.")
		for _, k := range p.Stack.KeyFiles {
			lang = append(lang, "!"+k.Value)
		}
	}
	if len(p.Stack.Embeds) > 0 || len(p.Stack.Boxes) > 0 || len(p.Stack.RuntimeFiles) > 0 || len(p.Stack.CarriedFiles) > 0 {
		// Exceptions come last: they win over the patterns above.
		lang = append(lang, "# What the build embeds and the program reads at run time come from the source tree: the build needs them.")
		inside := false
		kept := slices.Concat(p.Stack.Embeds, p.Stack.Boxes, p.Stack.RuntimeFiles)
		for _, c := range p.Stack.CarriedFiles {
			kept = append(kept, c.Evidence)
		}
		for _, e := range kept {
			if f := p.Stack.Frontend; f == nil || e.Value != f.Out {
				lang = append(lang, "!"+e.Value)
				inside = inside || f != nil && strings.HasPrefix(f.Out, e.Value+"/")
			}
		}
		if inside {
			// The front end is built inside an embedded directory: a
			// local build stays out all the same.
			lang = append(lang, p.Stack.Frontend.Out+"/")
		}
	}
	// A directory these name for build output or scratch that holds the
	// program's sources stays (static-file-server's bin/serve), and so
	// does a Go program's package named like its data directory (wakapi's
	// data/data.go, which the build compiles: the image holds the binary
	// alone, and no source under the volume). Only those: elsewhere the
	// data directory and a front end's build output stay out whatever
	// else they hold.
	lines := slices.DeleteFunc(append(common, lang...), func(l string) bool {
		keep := slices.Contains([]string{"bin/", "dist/", "tmp/", "deploy/"}, l) || l == dataLine && p.Stack.Language == "go"
		return keep && slices.Contains(p.Stack.CodeDirs, strings.TrimSuffix(l, "/"))
	})
	return File{Path: ".dockerignore", Content: strings.Join(lines, "\n") + "\n"}
}

// serveFlagArgs are the flags the image passes the program, whose
// defaults do not work in a container, where no variable sets them (see
// serveFlagValue).
func (p *Plan) serveFlagArgs() []string {
	var args []string
	for _, f := range p.Stack.ServeFlags {
		if value := p.serveFlagValue(f); f.Env == "" && value != "" {
			args = append(args, "--"+f.Value+"="+value)
		}
	}
	return args
}

// serveFlagValue is the value the image gives a serve flag: every
// address (the port kept), the data volume.
func (p *Plan) serveFlagValue(f detect.ServeFlag) string {
	switch f.Kind {
	case "listen":
		if i := strings.LastIndex(f.Default, ":"); i >= 0 && strings.Count(f.Default, ":") == 1 {
			return "0.0.0.0" + f.Default[i:]
		}
		return "0.0.0.0"
	case "data-file":
		return path.Join(p.DataDir, path.Base(f.Default))
	case "data-dir":
		return p.DataDir
	case "data-subdir":
		return path.Join(p.DataDir, path.Base(path.Clean(f.Default)))
	case "choice":
		return f.Default
	}
	return ""
}

// dataSubdirs are the directories the data volume holds for the
// program's data flags (data-subdir), made in the build stage's
// /out/data: " /out/data/files /out/data/meta", "" when none.
func (p *Plan) dataSubdirs() string {
	var b strings.Builder
	for _, f := range p.Stack.ServeFlags {
		if f.Kind == "data-subdir" {
			b.WriteString(" /out/data/" + path.Base(path.Clean(f.Default)))
		}
	}
	for _, d := range p.Stack.ConfigWriteDirs {
		if d.Volume {
			b.WriteString(" /out/data/" + d.Dir)
		}
	}
	return b.String()
}

// DataKind says what the data directory holds: what the code writes
// there (a directory it creates, the directory a variable names, a
// directory under its home, what its Dockerfile's VOLUME keeps, a flag's
// directory), else the SQLite database. The Dockerfile's comment on the
// volume and init's plan line both say it.
func (p *Plan) DataKind() string {
	if e := p.Stack.WriteDir; e != nil && p.DataDir == path.Join("/app", e.Value) {
		return fmt.Sprintf("%s, which %s:%d creates", e.Value, e.File, e.Line)
	}
	if v := p.Stack.DataDirVar; v != nil {
		return "$" + v.Value
	}
	if h := p.Stack.HomeDir; h != nil && p.DataDir == HomeVolume {
		return "~/" + h.Value
	}
	if v := p.Stack.DataVolume; v != nil && p.DataDir == v.Value {
		return "what " + v.Where() + " keeps there"
	}
	var flags []string
	for _, f := range p.Stack.ServeFlags {
		if strings.HasPrefix(f.Kind, "data-") {
			flags = append(flags, "--"+f.Value)
		}
	}
	if len(flags) > 0 {
		return strings.Join(flags, ", ")
	}
	if ds := p.Stack.ConfigWriteDirs; len(ds) > 0 && !slices.ContainsFunc(p.Stack.Databases, func(e detect.Evidence) bool {
		return strings.HasPrefix(e.Value, "sqlite")
	}) {
		return "$" + ds[0].Value // what it writes there
	}
	return "the SQLite database"
}

// yarnCache is yarn's cache, one build step at a time: yarn 1 writes it
// without locks, and the build and runtime stages install at once
// (BuildKit runs independent stages together), which corrupted it
// (EEXIST, ENOENT) on excalidraw/excalidraw-room.
const yarnCache = "--mount=type=cache,target=/usr/local/share/.cache/yarn,sharing=locked"

// asgiFramework reports whether fw's app is an ASGI application, which
// uvicorn serves (gunicorn's sync worker cannot).
func asgiFramework(fw string) bool {
	switch fw {
	case "fastapi", "starlette", "quart", "sanic", "litestar", "falcon-asgi":
		return true
	}
	return false
}
