// Package generate writes the files `shipshape init` creates from a
// detected stack. Everything it writes must pass `shipshape check --profile
// production` with zero findings, and build and verify on a real engine.
package generate

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/source/ignorefile"
)

// File is one generated file, relative to the repository.
type File struct {
	Path    string
	Content string
}

// Options are what `shipshape init` was asked for; zero values are filled
// from the detected stack by Resolve.
type Options struct {
	Name       string // project name: compose project, Kubernetes objects, image name
	Image      string // repository CI pushes to (default ghcr.io/OWNER/NAME in CI, NAME locally)
	Port       int
	HealthPath string
	Entrypoint string // Go package, Python module:object or script, Node file, Rust binary
	Helm       bool   // a Helm chart instead of kustomize
	// SharedDatabase says the service is one of a project's, which share
	// one database: a login one service's code holds does not make it.
	SharedDatabase bool
	HPA            bool
	Ingress        string // host name; empty: no Ingress
	NetworkPolicy  bool
	Branch         string // the repository's default branch, which CI releases from
}

// Plan is a stack with every choice made: what the templates render.
type Plan struct {
	Options
	Stack *detect.Stack
	UID   int
	// ComposeKept is the repository's own compose file, kept in place of
	// the compose.yaml init would write ("" when init writes one).
	ComposeKept string
	// DataDir is where the app keeps its data in the container (a SQLite
	// database, or a directory it writes, such as uploads): a named volume
	// is mounted there, owned by UID.
	DataDir string
	// SQLiteLink is the SQLite file a Python app opens by a fixed path in
	// its working directory (sqlite:///./test.db), which the image links
	// to the same name on the data volume: SQLite follows the link and
	// keeps its journal beside the real file.
	SQLiteLink *detect.Evidence
	// PortEnv is the variable the app reads its port from; the image sets
	// it to Port.
	PortEnv string
	// Notes are things the user has to know or do, printed by init.
	Notes []string
}

// Command is what compose.yaml and init --verify's run pass the app after
// its entrypoint: the flags whose defaults put a database on loopback,
// pointed at the database's service (--mongoURI=mongodb://mongo:27017).
func (p *Plan) Command() []string {
	if p.Stack == nil {
		return nil
	}
	var args []string
	for _, f := range p.Stack.LoopbackFlags {
		args = append(args, "--"+f.Name+"="+strings.Replace(f.Default, f.Why, ComposeAddress(f.Value, f.Why), 1))
	}
	for _, c := range p.Stack.SettingChoices {
		args = append(args, "--"+c.Name+"="+c.Choice)
	}
	return args
}

// argsGivePort reports whether the program's arguments pass its port,
// which the image then sets to the plan's.
func argsGivePort(s *detect.Stack) bool {
	words := s.ArgWords
	for i := range words {
		if _, ok := detect.WithPort(words, i, 0); ok {
			return true
		}
	}
	return false
}

// ErrAmbiguous is what Resolve returns, inside an *AmbiguousError, when
// the evidence leaves a choice open and no option makes it.
var ErrAmbiguous = errors.New("the repository leaves a choice open")

// AmbiguousError lists the choices the user has to make.
type AmbiguousError struct {
	Choices []detect.Choice
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	for i, c := range e.Choices {
		if i > 0 {
			b.WriteString("; ")
		}
		if len(c.Candidates) == 0 {
			fmt.Fprintf(&b, "no %s found in the code: pass %s", c.What, c.Flag)
			if c.Hint != "" {
				fmt.Fprintf(&b, " (%s)", c.Hint)
			}
			continue
		}
		if c.Flag == "--health-path" {
			// The candidates are the routes found, none meant for health.
			fmt.Fprintf(&b, "no health route in the code; it serves ")
		} else if len(c.Candidates) == 1 {
			// One that is not taken silently: pocketbase's only program is
			// an example of the framework.
			fmt.Fprintf(&b, "one candidate for the %s, not taken unasked: %s at %s (%s): pass %s %s to build it", c.What,
				c.Candidates[0].Value, c.Candidates[0].Where(), c.Candidates[0].Why, c.Flag, c.Candidates[0].Value)
			continue
		} else {
			fmt.Fprintf(&b, "%d candidates for the %s (", len(c.Candidates), c.What)
		}
		for j, cand := range c.Candidates {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s at %s", cand.Value, cand.Where())
			if cand.Why != "" && c.Flag == "--health-path" {
				fmt.Fprintf(&b, " (%s)", cand.Why)
			}
		}
		if c.Flag == "--health-path" {
			fmt.Fprintf(&b, ": pass --health-path with one that answers 200 without a session, or add a cheap /healthz")
		} else {
			fmt.Fprintf(&b, "): pass %s to choose", c.Flag)
		}
	}
	return b.String()
}

func (e *AmbiguousError) Unwrap() error { return ErrAmbiguous }

// defaultPorts are the framework defaults when the code names no port.
var defaultPorts = map[string]int{"go": 8080, "python": 8000, "node": 3000, "rust": 8080}

var nameChars = regexp.MustCompile(`[^a-z0-9-]+`)

// SanitizeName turns a directory name into a DNS-1123 label usable as a
// compose project, image and Kubernetes name.
func SanitizeName(s string) string {
	s = strings.Trim(nameChars.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(s) > 50 {
		s = strings.TrimRight(s[:50], "-")
	}
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "app-" + s
	}
	return strings.TrimRight(s, "-")
}

// LoopbackConfig are the places the repository's configuration puts a
// database the files start on loopback (s.LoopbackConfig), leaving out
// databases nothing starts (Unconfigured): gorush's Redis address is no
// cause while its stat engine is memory.
func (p *Plan) LoopbackConfig() []detect.Evidence {
	var out []detect.Evidence
	for _, e := range p.Stack.LoopbackConfig {
		if !slices.ContainsFunc(p.Stack.Unconfigured, func(db detect.Evidence) bool { return db.Value == e.Value }) {
			out = append(out, e)
		}
	}
	return out
}

// Resolve fills what Options leave open from the stack and the language's
// conventions, and collects the notes the user must read.
func Resolve(s *detect.Stack, o Options) (*Plan, error) {
	if _, ok := defaultPorts[s.Language]; !ok {
		return nil, fmt.Errorf("no generator for a %q stack; supported: go, python, node, rust", s.Language)
	}
	p := &Plan{Options: o, Stack: s, UID: 10001}
	if def := s.DefaultSQL; def != nil {
		// The configuration's default runs; the other SQL databases are
		// settings the user chooses.
		st := *s
		st.Databases = nil
		var alt []string
		for _, d := range s.Databases {
			name, _, _ := strings.Cut(d.Value, ":")
			if name != def.Value && (name == "postgres" || name == "mysql" || name == "sqlite") {
				alt = append(alt, fmt.Sprintf("%s (%s:%d)", name, d.File, d.Line))
				continue
			}
			st.Databases = append(st.Databases, d)
		}
		p.Stack, s = &st, &st
		p.note("%s:%d: %s is %s; the code can also use %s, which the files do not run: add its service by hand and set the app's setting to switch",
			def.File, def.Line, def.Value, def.Why, strings.Join(alt, ", "))
	}
	// One SQL server per app: the compose file has one db service and one
	// DATABASE_URL. The first found wins; the others are named in a note.
	var sqlServer *detect.Evidence
	for i, db := range s.Databases {
		if db.Value != "postgres" && db.Value != "mysql" {
			continue
		}
		if sqlServer == nil {
			sqlServer = &s.Databases[i]
			continue
		}
		if p.Stack == s {
			st := *s
			st.Databases = nil
			for _, d := range s.Databases {
				if d.Value == sqlServer.Value || (d.Value != "postgres" && d.Value != "mysql") {
					st.Databases = append(st.Databases, d)
				}
			}
			p.Stack = &st
		}
		p.note("%s:%d mentions %s too; the files run %s (found at %s:%d) only: add a %s service by hand if the app needs both",
			db.File, db.Line, db.Value, sqlServer.Value, sqlServer.File, sqlServer.Line, db.Value)
	}
	s = p.Stack
	if p.Name = SanitizeName(o.Name); o.Name == "" {
		p.Name = "app"
	}
	if p.Image == "" {
		p.Image = p.Name
	}
	// The choices the evidence leaves open must be made by an option.
	var open []detect.Choice
	for _, c := range s.Ambiguous {
		if (c.Flag == "--entrypoint" && o.Entrypoint != "") || (c.Flag == "--health-path" && o.HealthPath != "") {
			continue
		}
		open = append(open, c)
	}
	if s.HealthPath == nil && o.HealthPath == "" && !hasChoice(open, "--health-path") && (len(s.Entrypoints) > 0 || o.Entrypoint != "") {
		// (Without a program, "no entry point" is the stop: its routes
		// are no question yet.)
		open = append(open, detect.Choice{What: "health route", Flag: "--health-path"})
	}
	// A change the repository needs comes first: no answer to a choice
	// makes an image of it work.
	if len(s.Needs) > 0 {
		var needs []string
		for _, n := range s.Needs {
			needs = append(needs, n.Where()+": "+n.Value)
		}
		return nil, fmt.Errorf("the repository needs a change before an image of it can work: %s", strings.Join(needs, "; "))
	}
	if len(open) > 0 {
		return nil, &AmbiguousError{Choices: open}
	}
	if s.PortVar != nil {
		p.PortEnv = s.PortVar.Value
	}
	if p.Port == 0 {
		p.Port = defaultPorts[s.Language]
		switch {
		case s.Port != nil:
			fmt.Sscan(s.Port.Value, &p.Port)
		case s.PortVar != nil:
			p.note("the app reads its port from $%s (%s:%d) with no default found; the image sets %s=%d", s.PortVar.Value, s.PortVar.File, s.PortVar.Line, s.PortVar.Value, p.Port)
		default:
			p.note("no listen port found in the code; assuming %d, the framework's usual one (pass --port to change it; init --verify checks it)", p.Port)
		}
	}
	if e := s.RunsTypeScript; e != nil && s.Language == "node" {
		if major := nodeMajor(s); major > 0 && major < 23 {
			// Node strips TypeScript's types unflagged from 23.6 and
			// 22.18; before, node refuses a .ts file
			// (ERR_UNKNOWN_FILE_EXTENSION).
			p.note("node runs %s itself (%s:%d, %s); Node %d strips types only from 22.18 on: pin that or a later Node (--build-arg NODE_IMAGE=... and RUNTIME_IMAGE=...), or compile it", e.Value, e.File, e.Line, e.Why, major)
		}
	}
	if p.Port < 1024 && o.Port == 0 && s.PortVar != nil {
		// A non-root process cannot bind a privileged port outside Docker's
		// default sysctl (Kubernetes, Podman): the variable moves it.
		p.note("the code's default port %d is privileged: the image sets $%s to listen on 8080 instead (pass --port to choose)", p.Port, s.PortVar.Value)
		p.Port = 8080
	} else if p.Port < 1024 && o.Port == 0 && argsGivePort(s) {
		// The arguments pass the port: the image passes 8080 with them.
		p.note("the port %d the program's arguments give is privileged: the image passes %s 8080 instead (pass --port to choose)", p.Port, detect.PortFlag)
		p.Port = 8080
	}
	if p.Port < 1 || p.Port > 65535 {
		return nil, fmt.Errorf("port %d is outside 1-65535", p.Port)
	}
	if p.Entrypoint == "" && len(s.Entrypoints) > 0 {
		p.Entrypoint = s.Entrypoints[0].Value
	}
	if p.Entrypoint == "" {
		return nil, fmt.Errorf("no entry point found (looked for a Procfile, the repository's Dockerfile CMD and start scripts; then a main package (Go), an app object, factory, console script or __main__ script (Python), a start script, \"main\" or server.js/index.js (Node), a package with src/main.rs or [[bin]] (Rust)); pass --entrypoint")
	}
	if p.HealthPath == "" {
		p.HealthPath = s.HealthPath.Value
		if strings.Contains(s.HealthPath.Why, "add a cheap /healthz") && s.HealthPath.Value == "/" {
			// A page, not a health check (not a handler named for one).
			p.note("health checks GET / (%s:%d): %s; then pass --health-path", s.HealthPath.File, s.HealthPath.Line, s.HealthPath.Why)
		}
	}
	if s.Language == "node" && s.Static == nil && detect.NoLock(s) {
		p.note("%s names %s, and the repository holds no lock file: the image resolves the dependencies when it builds, so two builds can install different releases; commit the lock file %s writes",
			s.PackageManager.Where(), s.PackageManager.Value, s.PackageManager.Value)
	}
	if e := s.NpmrcIgnored; e != nil && s.Language == "node" {
		p.note("%s leaves .npmrc out of the build context, so the image installs without its settings, %s; remove that line if the install needs them", e.Where(), e.Why)
	}
	if e := s.NpmrcCredential; e != nil && s.Language == "node" {
		p.note("%s holds a registry credential, or a ${VARIABLE} npm must fill (%s): the image installs without the file, and .dockerignore keeps it out; a private registry's packages need it as a build secret (RUN --mount=type=secret,id=npmrc,target=/root/.npmrc)",
			e.Where(), e.Value)
	}
	if !strings.HasPrefix(p.HealthPath, "/") || strings.ContainsAny(p.HealthPath, " '\"\\`$") {
		return nil, fmt.Errorf("health path %q must start with / and contain no spaces, quotes or $", p.HealthPath)
	}
	if strings.ContainsAny(strings.TrimPrefix(p.Entrypoint, "-m "), " '\"\\`$;&|") {
		return nil, fmt.Errorf("entry point %q must be a file, package, module:object or binary name", p.Entrypoint)
	}
	if s.Language == "go" && p.Entrypoint != "." && !strings.HasPrefix(p.Entrypoint, "./") {
		p.Entrypoint = "./" + p.Entrypoint
	}
	for _, db := range s.Databases {
		if db.Value == "sqlite" || strings.HasPrefix(db.Value, "sqlite:") {
			p.DataDir = "/app/data"
			if file := strings.TrimPrefix(db.Value, "sqlite:"); file != "sqlite" {
				if dir := path.Dir(file); path.IsAbs(file) {
					p.DataDir = dir
				} else if dir != "." {
					p.DataDir = path.Join(p.pyWorkdir(), dir) // relative to where it runs
				} else if s.Language == "python" && s.SQLiteVar == nil && s.SQLiteFixed == nil && !strings.HasPrefix(path.Clean(file), ".") {
					// In the working directory, /app, on the read-only
					// root: a link there to the file on the volume.
					link := db
					link.Value = path.Clean(file)
					p.SQLiteLink = &link
				}
			}
		}
	}
	if e := s.SQLiteFixed; e != nil && p.DataDir == "/app/data" && s.Framework != nil && s.Framework.Value == "django" && !strings.Contains(e.Why, "sqlite:///") && !strings.HasPrefix(path.Clean(e.Value), ".") {
		// BASE_DIR / 'db.sqlite3', startproject's own: BASE_DIR is the
		// directory of manage.py, so the file is that directory's. The
		// image links it to the volume (navya-gupta-004/Calender's
		// migrate step failed on the read-only root), or, in a directory
		// of its own, puts the volume there.
		root := path.Dir(djangoManage(s))
		if dir := path.Dir(path.Clean(e.Value)); dir != "." {
			p.DataDir = path.Join("/app", root, dir)
		} else {
			link := *e
			link.Value = path.Join(root, path.Clean(e.Value))
			p.SQLiteLink = &link
		}
	} else if e := s.SQLiteFixed; e != nil && p.DataDir == "/app/data" {
		// The volume would hold nothing: say where the file is instead.
		p.DataDir = ""
		read := fmt.Sprintf("os.environ.get('SQLITE_PATH', BASE_DIR / %q)", e.Value)
		if strings.Contains(e.Why, "sqlite:///") {
			// A SQLAlchemy URL (api-server-flask's config.py).
			read = "os.environ.get('DATABASE_URL') or the URL it builds now"
		}
		p.note("%s:%d puts the SQLite database at %s, beside the code (/app/%s in the image), on the read-only root, where a release's migration and any write fail and nothing persists: "+
			"read its path from a variable (%s) and run init again, or use a database server (DATABASE_URL)", e.File, e.Line, e.Value, e.Value, read)
	}
	if e := s.EnvFileOnly; e != nil {
		p.note("%s:%d: viper reads its settings from %s only (no AutomaticEnv), and the program exits without it: the environment compose and Kubernetes set never reaches it, and the image carries no such file (it would hold the secrets). "+
			"Call viper.AutomaticEnv() (with SetEnvKeyReplacer for nested keys) so the variables count, or mount the file at /app/%s where it runs", e.File, e.Line, e.Value, e.Value)
	}
	if e := s.NodeFlagsDropped; e != nil {
		p.note("%s:%d passes node %s, which the image leaves out: a development option, an --env-file (compose and Kubernetes set the variables; the image holds no .env), or a preload of a development dependency or of a file the image does not hold; move what the app needs at run time into its dependencies",
			e.File, e.Line, e.Value)
	}
	if e := s.DjangoNoStaticRoot; e != nil {
		p.note("%s (%s) sets no STATIC_ROOT: the image runs no collectstatic, which would stop the build, and with DEBUG off Django serves no static files; set STATIC_ROOT (and serve it, e.g. with whitenoise) for the site's CSS and scripts",
			e.Value, e.File)
	}
	if e, v := s.DjangoHosts, s.DjangoHostsVar; v != nil {
		p.note("%s:%d splits ALLOWED_HOSTS from $%s, which has no default (unset, the settings fail at import): the image sets it to localhost, 127.0.0.1 and [::1], which its health check and Kubernetes' probes send; add the name the proxy serves the site at in .env (separated by %q)",
			e.File, e.Line, v.Value, v.Why)
	} else if e != nil {
		p.note("%s:%d sets ALLOWED_HOSTS = %s: Django answers 400 (DisallowedHost) to any other Host header, so add the name the proxy serves the site at; keep 127.0.0.1, which the image's health check sends, and localhost, which the Kubernetes probes send (init sets their Host header: a pod's address is in no list)",
			e.File, e.Line, e.Value)
	}
	if s.SQLiteVar != nil && p.DataDir != "" {
		// The code reads the file's path from a variable: the image sets
		// it to a file on the volume (sqliteEnv), wherever its default is.
		p.DataDir = "/app/data"
	}
	if (s.DataDirVar != nil || len(s.ConfigWriteDirs) > 0) && p.DataDir == "" {
		p.DataDir = "/app/data" // the image points the variables at it
	}
	for _, f := range s.ServeFlags {
		if strings.HasPrefix(f.Kind, "data-") && p.DataDir == "" {
			p.DataDir = "/app/data" // the image passes the flag its place
		}
	}
	for _, db := range s.Unconfigured {
		p.note("%s:%d: the code imports a %s client; %s: none is started beside it (add one to compose.yaml if you configure it)", db.File, db.Line, db.Value, strings.TrimPrefix(db.Why, "imported by the code; "))
	}
	if e := s.DataVolume; e != nil && p.DataDir == "" {
		p.DataDir = e.Value // where the configuration the image carries keeps it
	}
	if e := s.WriteDir; e != nil && p.DataDir == "" {
		p.DataDir = path.Join("/app", e.Value)
	}
	if s.HomeDir != nil && p.DataDir == "" {
		// The image points $HOME at it: a home of its own, outside the
		// app's tree (where a data/ of the repository's may be).
		p.DataDir = HomeVolume
	}
	// After the data directory, which .dockerignore leaves out.
	if note := unreadableNote(p); note != "" {
		p.note("%s", note)
	}
	if note := codeLoginNote(p); note != "" {
		p.note("%s", note)
	}
	switch res, err := Runtime(s); {
	case err != nil:
		p.note("%s", res.Why)
	case res.EOL:
		p.note("%s: %s; the image pins it, with a DF084 suppression that says so: raise the declaration to move to a supported release", s.Version.File, res.Why)
	case s.VersionHint && s.Version != nil && res.Declared == "":
		// An end-of-life release where the repository runs it gave way
		// to the default (Runtime).
		p.note("%s", res.Why)
	}
	if e := s.KnexNoProduction; e != nil {
		p.note("%s:%d configures knex for %s, and none for production: the image runs NODE_ENV=production, so code that picks the knexfile's entry by NODE_ENV gets none (\"Cannot read properties of undefined (reading 'client')\"); add a production entry whose connection comes from the environment (process.env.DATABASE_URL)",
			e.File, e.Line, e.Value)
	}
	if e := s.OldPostgresDriver; e != nil && p.Has("postgres") {
		p.note("%s:%d requires github.com/lib/pq %s, which cannot log in with SCRAM-SHA-256 passwords (lib/pq v1.1.0 added them), the default of Postgres 14 and later (init starts %s): the app would stop with \"pq: unknown authentication response: 10\". Upgrade it: go get github.com/lib/pq@latest && go mod tidy",
			e.File, e.Line, e.Value, postgresImage)
	}
	if note := migrateNote(p); note != "" {
		p.note("%s", note)
	}
	if m := UnappliedMigrations(p); m != "" && s.Migrate == nil {
		p.note("%s, which nothing init writes applies: it knows no tool of the repository's that runs them (alembic, Django, Flask-Migrate, Prisma, a -migrate flag or a migration program of its own); a new database, init --verify's included, has none of their tables. Run them once per release before the app starts, with the tool the repository uses: a one-off compose service the app depends on, a Kubernetes Job",
			strings.ToUpper(m[:1])+m[1:])
	}
	setupNote(p)
	for i, f := range s.LoopbackFlags {
		dash := "-" // Go's flag package
		if s.Language == "node" {
			dash = "--"
		}
		p.note("%s:%d: the flag %s%s defaults to %s, which in a container is the container itself: compose.yaml and init --verify's run pass %s; on Kubernetes pass it in the Deployment's args, with your database's address",
			f.File, f.Line, dash, f.Name, f.Default, p.Command()[i])
	}
	for _, c := range s.SettingChoices {
		p.note("%s:%d: the flag -%s defaults to %q, a server init does not start; the code also takes %q (%s), and init starts %s: compose.yaml and init --verify's run pass --%s=%s. On Kubernetes pass it in the Deployment's args, or run %s and keep the default",
			c.File, c.Line, c.Name, c.Default, c.Choice, c.Switch.Where(), c.Value, c.Name, c.Choice, c.Default)
	}
	for _, m := range s.MissingConfigs {
		p.note("%s", missingConfigNote(m))
	}
	for _, e := range p.LoopbackConfig() {
		p.note("%s:%d points the app at %s on %s, which in a container is the container itself, not compose's %s; init sets no variable that overrides it: change it to %s there (or make the code read it from a variable), or the app will not reach its database (init --verify's run included)",
			e.File, e.Line, e.Value, e.Why, composeHost(e.Value), ComposeAddress(e.Value, e.Why))
	}
	unreadServiceNotes(p)
	aliasNotes(p)
	for _, b := range s.Brokers {
		if StartsBroker(b.Value) {
			continue // compose.yaml and init --verify's run start it
		}
		p.note("%s:%d imports a %s client: init starts no %s, neither in compose.yaml nor in init --verify's run; add the service where the app runs", b.File, b.Line, b.Value, b.Value)
	}
	if e := s.SetupCommand; e != nil {
		cmd := SetupCommand(p)
		p.note("%s:%d declares `%s`, which creates the database: run it once on a new one (docker compose run --rm --entrypoint %s app %s). It is not a migration, so no release runs it: read what it does first, it may drop what exists",
			e.File, e.Line, e.Why, cmd[0], strings.Join(cmd[1:], " "))
	}
	if e := s.UntrustedProxy; e != nil {
		p.note("%s:%d: the Express app has no `app.set('trust proxy', 1)`: behind the proxy req.protocol, req.ip and generated links are wrong; add it (check reports XF003 until then)", e.File, e.Line)
	} else if s.Templates != nil && s.Framework == nil {
		p.note("%s:%d renders templates: behind the proxy the app must honour X-Forwarded-Proto/-Host or generated links say http://", s.Templates.File, s.Templates.Line)
	}
	if s.SIGTERM == nil && !p.sigintOnly() {
		server := ""
		if s.Server != nil {
			server = s.Server.Value
		}
		switch {
		case s.Language == "go":
			p.note("the code does not handle SIGTERM: the Go runtime ends the process at once (killed by the signal: exit 143), cutting requests in flight; use signal.NotifyContext and http.Server.Shutdown")
		case s.Language == "rust":
			p.note("the code does not handle SIGTERM: the image runs it under tini, which stops it on SIGTERM without draining; handle SIGTERM (tokio::signal::unix) and drain for a graceful stop")
		case s.Language == "python" && (server != "" || strings.Contains(p.Entrypoint, ":")):
			// gunicorn and uvicorn stop gracefully on SIGTERM.
		case s.ClosesOnSIGTERM != nil:
			// The framework's server drains; the image ends the process
			// after it.
		case s.Language == "python" || (s.Language == "node" && p.framework() != "next"):
			p.note("the code does not handle SIGTERM, which PID 1 would ignore until killed: the entrypoint exits on it, without draining requests in flight; close the server in a SIGTERM handler for a graceful stop")
		}
	}
	programNotes(p)
	return p, nil
}

// composeHost is the name compose.yaml gives a database kind's service.
func composeHost(kind string) string {
	switch kind {
	case "redis":
		return "redis"
	case "mongodb":
		return "mongo"
	}
	return "db"
}

// ComposeAddress is addr (127.0.0.1:3306) with the name compose.yaml and
// init --verify's run give the database kind's service (db:3306).
func ComposeAddress(kind, addr string) string {
	_, port, ok := strings.Cut(addr, ":")
	if !ok {
		return composeHost(kind) // a host key's value: the host alone
	}
	return composeHost(kind) + ":" + port
}

func hasChoice(list []detect.Choice, flag string) bool {
	for _, c := range list {
		if c.Flag == flag {
			return true
		}
	}
	return false
}

// migrateNote says where the project's migrations run, "" without any:
// in compose.yaml's app-migrate service, or, where the repository's own
// compose project is kept (p.ComposeKept), in none of its services.
func migrateNote(p *Plan) string {
	m := p.Stack.Migrate
	switch {
	case m == nil:
		return ""
	case m.Value == "prisma":
		return fmt.Sprintf("%s: Prisma migrations are applied with `prisma migrate deploy`, a build-time CLI the runtime image does not carry: run it from CI or a one-off build-stage container before each release", m.File)
	case MigrateCommand(p) == nil:
		why := "knex's CLI runs the knexfile's production configuration (the image's NODE_ENV=production), which it lacks"
		switch {
		case m.Value != detect.GolangMigrate && m.Value != detect.Goose:
		case !p.Has("postgres"):
			why = "init runs that CLI as a release step against Postgres only, whose URL it can give it, and the app's database is not Postgres"
		default:
			why = "init runs that CLI as a release step with the URL of the database the app reads from a variable, and the app reads none (it takes host, port and user apart, or from a file)"
		}
		return fmt.Sprintf("%s: %s, which nothing init writes applies: %s. A new database, init --verify's included, has none of their tables: run them once per release before the app starts (a one-off compose service the app depends on, a Kubernetes Job)",
			m.Where(), m.Why, why)
	case p.ComposeKept != "":
		return fmt.Sprintf("%s: migrations run once per release (%s) before the app starts, not in the app's entrypoint: the Kubernetes Job and deploy's release command run them; %s, kept as it is, has no service that does: add a one-off one that runs `%s` in the app's image, which the app depends on (condition: service_completed_successfully)",
			m.File, m.Why, p.ComposeKept, envRef.ReplaceAllString(strings.Join(MigrateCommand(p), " "), "$${$1:?set $1 in .env}"))
	}
	return fmt.Sprintf("%s: migrations run once per release in the compose service app-migrate (%s) before the app starts, not in the app's entrypoint", m.File, m.Why)
}

// UnappliedMigrations names the migrations the repository holds that no
// release step init writes applies ("" when there are none, or a step
// runs them): "the migrations in migrations/".
func UnappliedMigrations(p *Plan) string {
	if p == nil || p.Stack == nil || p.Stack.Migrations == nil || p.Stack.MigratesAtStart != nil || MigrateCommand(p) != nil {
		return ""
	}
	return "the migrations in " + p.Stack.Migrations.Value + "/"
}

// KeepComposeOf records that the repository's own compose file name is
// kept in place of the compose.yaml init would write, and says so in the
// notes that named compose.yaml's services.
func (p *Plan) KeepComposeOf(name string) {
	before := migrateNote(p)
	p.ComposeKept = name
	if before == "" {
		return
	}
	for i, n := range p.Notes {
		if n == before {
			p.Notes[i] = migrateNote(p)
		}
	}
}

// missingConfigNote says that the program's arguments hand it a
// configuration file the image will not hold, and how to give it one.
func missingConfigNote(m detect.MissingFile) string {
	var b strings.Builder
	if m.Library != "" {
		fmt.Fprintf(&b, "%s:%d reads its settings with %s, %s; the repository holds neither", m.File, m.Line, m.Library, m.Why)
		if m.Sample != "" {
			fmt.Fprintf(&b, "; %s looks like a sample of it", m.Sample)
		}
		fmt.Fprintf(&b, ": create %s (init copies it into the image), mount one at %s, or name variables for its settings in config/custom-environment-variables.json, or the app stops at its first config.get()", m.Repo, m.Value)
		return b.String()
	}
	fmt.Fprintf(&b, "%s:%d hands the program the configuration file %s, which the image will not hold", m.File, m.Line, m.Value)
	if m.Repo != "" {
		fmt.Fprintf(&b, " (the repository has no %s for init to copy there)", m.Repo)
	}
	if m.Sample != "" {
		fmt.Fprintf(&b, "; %s looks like a sample of it", m.Sample)
	}
	b.WriteString(": ")
	switch {
	case m.Repo != "":
		fmt.Fprintf(&b, "create %s (init copies it into the image), mount one at %s, or pass --args naming a file the repository holds", m.Repo, m.Value)
	default:
		fmt.Fprintf(&b, "mount one at %s (compose.yaml's volumes, a Kubernetes ConfigMap), or pass --args naming a file the repository holds, which init copies into the image", m.Value)
	}
	return b.String()
}

func (p *Plan) note(format string, args ...any) {
	p.Notes = append(p.Notes, fmt.Sprintf(format, args...))
}

// unreadableNote says which of the files the image copies other users may
// not read (and directories they may not enter), leaving out those the
// .dockerignore init writes keeps out of the build; "" when there are none.
func unreadableNote(p *Plan) string {
	ignore := ignorefile.Parse("", []byte(DockerIgnore(p).Content), ignorefile.Dockerignore)
	var files, dirs []string
	for _, e := range p.Stack.Unreadable {
		dir := strings.HasSuffix(e.Value, "/")
		if ignoredPath(ignore, strings.TrimSuffix(e.Value, "/"), dir) {
			continue
		}
		if dir {
			dirs = append(dirs, e.Value+" ("+e.Why+")")
		} else {
			files = append(files, e.Value+" ("+e.Why+")")
		}
	}
	if len(files)+len(dirs) == 0 {
		return ""
	}
	var what []string
	if len(files) > 0 {
		what = append(what, fmt.Sprintf("%d file(s) other users may not read: %s", len(files), firstFew(files, 3)))
	}
	if len(dirs) > 0 {
		what = append(what, fmt.Sprintf("%d directory(ies) they may not enter: %s", len(dirs), firstFew(dirs, 3)))
	}
	return fmt.Sprintf("the image copies %s with their modes and root as owner, so its user %d cannot read them and the app fails at start (EACCES): "+
		"chmod a+r the files and a+rx the directories before building (a checkout under umask 027 or 077, or an unpacked tarball, leaves such modes)",
		strings.Join(what, ", and "), p.UID)
}

// ignoredPath reports whether .dockerignore keeps a path out, itself or
// through a directory above it.
func ignoredPath(ignore *ignorefile.List, rel string, dir bool) bool {
	for p, isDir := rel, dir; p != "." && p != ""; p, isDir = path.Dir(p), true {
		if ignored, _ := ignore.Match(p, isDir); ignored {
			return true
		}
	}
	return false
}

// firstFew joins the first n items and says how many more there are.
func firstFew(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// HomeVolume is the data volume of an app that keeps its state under its
// home directory, and the image's $HOME.
const HomeVolume = "/home/app"

// Has reports whether the stack talks to the database kind (postgres,
// mysql, redis, sqlite).
// ProbeHost is the Host header the Kubernetes probes send, "" for the
// pod's address: Django checks it against ALLOWED_HOSTS, where a pod's
// address never is, so its probes say localhost.
func (p *Plan) ProbeHost() string {
	if p.framework() == "django" {
		return "localhost"
	}
	return ""
}

func (p *Plan) Has(kind string) bool { return p.Stack.Has(kind) }

// stopsOnSIGINT reports whether the image's stop signal is SIGINT: a
// compiled program (Go, Rust) that drains on SIGINT but does not handle
// SIGTERM. Node and Python programs get an entry that turns SIGTERM into
// their SIGINT handling instead (see sigintOnly), which works where
// STOPSIGNAL is ignored (Kubernetes).
func (p *Plan) stopsOnSIGINT() bool {
	return p.sigintOnly() && (p.Stack.Language == "go" || p.Stack.Language == "rust")
}

// sigintOnly reports whether the code handles SIGINT but not SIGTERM.
func (p *Plan) sigintOnly() bool {
	return p.Stack.SIGTERM == nil && p.Stack.SIGINT != nil
}

// packageManager is the detected package manager's name, or "".
func (p *Plan) packageManager() string {
	if p.Stack.PackageManager == nil {
		return ""
	}
	return p.Stack.PackageManager.Value
}

// framework is the detected framework's name, or "".
func (p *Plan) framework() string {
	if p.Stack.Framework == nil {
		return ""
	}
	return p.Stack.Framework.Value
}

// Service is one app of a repository: its compose service name, its
// directory (the build context, relative; "." when the repository is one
// service) and its plan.
type Service struct {
	Name string
	Dir  string
	Plan *Plan
}

// Set is what one init writes for: a repository that is one service, or
// several services in subdirectories (seed 004's six services behind nginx)
// that share one compose project, proxy, manifests and workflow.
type Set struct {
	Options
	Services []Service
}

// Single is the set of a repository that is one service.
func Single(p *Plan) *Set {
	return &Set{Options: p.Options, Services: []Service{{Name: "app", Dir: ".", Plan: p}}}
}

// has reports whether any service talks to the database kind.
func (s *Set) has(kind string) bool {
	for _, svc := range s.Services {
		if svc.Plan.Has(kind) {
			return true
		}
	}
	return false
}

// reads reports whether a service's code reads the variable name.
func (s *Set) reads(name string) bool {
	for _, svc := range s.Services {
		if slices.ContainsFunc(svc.Plan.Stack.Env, func(e detect.Evidence) bool { return e.Value == name }) {
			return true
		}
	}
	return false
}

// kubeName is a service's name in Kubernetes: the project's for a single
// service, project-service otherwise.
func (s *Set) kubeName(svc Service) string {
	if len(s.Services) == 1 {
		return s.Name
	}
	return s.Name + "-" + svc.Name
}

// Project writes every file init creates for one service.
func Project(p *Plan) ([]File, error) {
	return ProjectSet(Single(p))
}

// ProjectSet writes every file init creates for a set of services: a
// Dockerfile and .dockerignore in each service's directory, and one
// compose project, proxy, set of manifests and workflow for all.
func ProjectSet(set *Set) ([]File, error) {
	if len(set.Services) == 0 {
		return nil, fmt.Errorf("no services")
	}
	var files []File
	for _, svc := range set.Services {
		df, err := Dockerfile(svc.Plan)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", svc.Dir, err)
		}
		ignore := DockerIgnore(svc.Plan)
		df.Path, ignore.Path = path.Join(svc.Dir, df.Path), path.Join(svc.Dir, ignore.Path)
		files = append(files, df, ignore)
		if reqs := svc.Plan.Stack.InferredRequirements; len(reqs) > 0 {
			files = append(files, File{Path: path.Join(svc.Dir, "requirements.txt"), Content: detect.RequirementsFile(reqs)})
		}
	}
	files = append(files, Compose(set), EnvExample(set))
	switch {
	case set.Helm && len(set.Services) > 1:
		return nil, fmt.Errorf("--helm writes one chart per service: run init --helm in each service's directory, or leave out --helm for kustomize manifests of all %d services", len(set.Services))
	case set.Helm:
		files = append(files, Helm(set.Services[0].Plan)...)
	default:
		files = append(files, Kustomize(set)...)
	}
	files = append(files, Proxy(set)...)
	files = append(files, Workflow(set))
	return files, nil
}

// sqliteEnv is the variable the app reads its SQLite file's path from and
// the file on the data volume the image sets it to: the default's name
// (todo.db) in DataDir. ok is false when the path is not read from a
// variable.
func (p *Plan) sqliteEnv() (name, value string, ok bool) {
	v := p.Stack.SQLiteVar
	if v == nil || p.DataDir == "" {
		return "", "", false
	}
	file := "app.db"
	for _, db := range p.Stack.Databases {
		if f, found := strings.CutPrefix(db.Value, "sqlite:"); found && path.Base(f) != "." && path.Base(f) != "/" {
			file = path.Base(f)
		}
	}
	if p.Stack.SQLiteVarURL {
		return v.Value, "sqlite:///" + path.Join(p.DataDir, file), true
	}
	return v.Value, path.Join(p.DataDir, file), true
}
