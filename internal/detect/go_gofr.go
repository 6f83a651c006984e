package detect

import (
	"path"
	"regexp"
	"strings"
)

// GoFr (gofr.dev) configures a program from the environment, and from
// ./configs/.env, which its readConfig loads from the working directory
// at gofr.New() (pkg/gofr/gofr.go; godotenv.Load, so the environment
// wins). The framework itself reads HTTP_PORT (8000 unset: default.go),
// DB_DIALECT with DB_HOST, DB_PORT, DB_USER, DB_PASSWORD and DB_NAME (a
// SQL database where DB_HOST is set), and REDIS_HOST and REDIS_PORT;
// and it serves GET /.well-known/health and /.well-known/alive itself
// once the program registers a route. Read at gofr v1.0.0 and v1.56.0
// (the tags of gofr-dev/gofr); App.Run stops on SIGTERM from v1.16.0.

// gofrConfigFile is GoFr's configuration file, against the working
// directory.
const gofrConfigFile = "configs/.env"

// gofrDialects are DB_DIALECT's values and the database each is.
var gofrDialects = map[string]string{"mysql": "mysql", "postgres": "postgres", "supabase": "postgres", "sqlite": "sqlite", "cockroachdb": "postgres"}

// gofrReads are the variables GoFr reads for a datasource, once the
// configuration names the datasource.
var gofrReads = map[string][]string{
	"sql":   {"DB_DIALECT", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "DB_NAME"},
	"redis": {"REDIS_HOST", "REDIS_PORT"},
}

var (
	// gofrNew is GoFr's constructor of an HTTP program.
	gofrNew = regexp.MustCompile(`\bgofr\.New\(\)`)
	// gofrMigrate is App.Migrate, which applies the program's
	// migrations at start, before it serves (pkg/gofr/migration).
	gofrMigrate = regexp.MustCompile(`\.Migrate\(\s*\w`)
)

// gofrUse is the chosen program's use of GoFr, nil where it does not
// serve with it.
func (r *repo) gofrUse(s *Stack) *frameworkUse {
	if u := r.goFrameworkOf(s); u != nil && u.name == "GoFr" && u.made != nil {
		return u
	}
	return nil
}

// gofrRegister is a registration that starts GoFr's HTTP server: a route,
// REST handlers, static files. Without one, Run serves no HTTP (a
// program of subscribers and cron jobs: httpRegistered stays false).
var gofrRegister = regexp.MustCompile(`\.(?:GET|POST|PUT|PATCH|DELETE)\(\s*"|\.AddRESTHandlers\(|\.AddStaticFiles\(`)

// gofrServesHTTP is the chosen GoFr program's use where it serves HTTP.
func (r *repo) gofrServesHTTP(s *Stack) *frameworkUse {
	u := r.gofrUse(s)
	if u == nil {
		return nil
	}
	inProgram := r.programFiles(s)
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") && inProgram(f) && r.findCode(f, gofrRegister) != nil {
			return u
		}
	}
	return nil
}

// gofrConfig is the configuration file GoFr reads where the program is
// run: the main package's directory (run from there) first, then the
// root; "" where the repository holds none or git ignores it (a clone
// lacks it).
func (r *repo) gofrConfig(s *Stack) string { return r.workdirFile(s, gofrConfigFile) }

// workdirFile is the file name, against the working directory, that a
// Go program finds where it is run: beside its main package (run from
// there) first, then at the root; "" where the repository holds none or
// git ignores it (a clone lacks it).
func (r *repo) workdirFile(s *Stack, name string) string {
	for _, dir := range []string{s.Entrypoints[0].Value, "."} {
		if f := path.Join(dir, name); r.read(f) != nil && !r.gitIgnored(f) {
			return f
		}
	}
	return ""
}

// gofrValue is what the program's configuration file sets name to, with
// where; nil where it sets nothing.
func (r *repo) gofrValue(s *Stack, name string) *Evidence {
	if f := r.gofrConfig(s); f != "" {
		if e := r.envValueIn([]string{f}, name); e != nil && e.Value != "" {
			return e
		}
	}
	return nil
}

// gofrEnv adds the variables GoFr reads for the program: HTTP_PORT, and
// each datasource's that its configuration names.
func (r *repo) gofrEnv(s *Stack) {
	u := r.gofrUse(s)
	if u == nil {
		return
	}
	read := []string{"HTTP_PORT"}
	if r.gofrValue(s, "DB_DIALECT") != nil {
		read = append(read, gofrReads["sql"]...)
	}
	if r.gofrValue(s, "REDIS_HOST") != nil {
		read = append(read, gofrReads["redis"]...)
	}
	for _, name := range read {
		if !s.reads(name) {
			s.Env = append(s.Env, Evidence{Value: name, File: u.made.File, Line: u.made.Line, Why: "GoFr reads it"})
		}
	}
}

// gofrPort is the port a GoFr program listens on: HTTP_PORT of its
// configuration file, else GoFr's 8000; with HTTP_PORT as the variable.
func (r *repo) gofrPort(s *Stack) (port, variable *Evidence) {
	u := r.gofrServesHTTP(s)
	if u == nil {
		return nil, nil
	}
	variable = &Evidence{Value: "HTTP_PORT", File: u.made.File, Line: u.made.Line, Why: "GoFr listens on $HTTP_PORT"}
	if e := r.gofrValue(s, "HTTP_PORT"); e != nil && documentedPort.MatchString(e.Value) {
		e.Value = documentedPort.FindStringSubmatch(e.Value)[1]
		e.Why = "HTTP_PORT in " + e.File + ", which GoFr loads at start"
		return e, variable
	}
	return &Evidence{Value: "8000", File: u.made.File, Line: u.made.Line, Why: "GoFr's default, HTTP_PORT unset"}, variable
}

// gofrDatabases are the databases the program's configuration file
// names: DB_DIALECT's (without it GoFr opens no SQL database, v1.0.2 and
// v1.56.0 alike) and Redis where REDIS_HOST is set.
func (r *repo) gofrDatabases(s *Stack) []Evidence {
	if r.gofrUse(s) == nil {
		return nil
	}
	var out []Evidence
	if e := r.gofrValue(s, "DB_DIALECT"); e != nil {
		if db := gofrDialects[strings.ToLower(e.Value)]; db != "" {
			e.Value, e.Why = db, "GoFr's DB_DIALECT in "+e.File
			out = append(out, *e)
		}
	}
	if e := r.gofrValue(s, "REDIS_HOST"); e != nil {
		e.Value, e.Why = "redis", "GoFr's REDIS_HOST in "+e.File
		out = append(out, *e)
	}
	return out
}

// gofrRoutes are the routes GoFr serves itself.
func (r *repo) gofrRoutes(s *Stack) []route {
	u := r.gofrServesHTTP(s)
	if u == nil {
		return nil
	}
	var out []route
	for _, p := range []string{"/.well-known/alive", "/.well-known/health"} {
		out = append(out, route{Evidence: Evidence{Value: p, File: u.made.File, Line: u.made.Line, Why: "GoFr serves it by itself"}})
	}
	return out
}

// gofrExampleEnv is GoFr's configuration file as the repository's
// example env file where it has no other: the settings the program runs
// with (DB_DIALECT, its own keys), a secret left to fill in.
func (r *repo) gofrExampleEnv(s *Stack) ([]Evidence, string) {
	if r.gofrUse(s) == nil {
		return nil, ""
	}
	f := r.gofrConfig(s)
	if f == "" {
		return nil, ""
	}
	vars, _ := r.exampleEnvIn(f)
	return vars, f
}

// gofrMigrates is the program's App.Migrate call, in the file that makes
// its GoFr app: the migrations run at start, so no release step runs
// them.
func (r *repo) gofrMigrates(s *Stack) *Evidence {
	u := r.gofrUse(s)
	if u == nil {
		return nil
	}
	if e := r.findCode(u.made.File, gofrMigrate); e != nil {
		e.Value, e.Why = e.File, "GoFr's App.Migrate applies them at start"
		return e
	}
	return nil
}
