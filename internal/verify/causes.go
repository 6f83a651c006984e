package verify

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// CauseKind names a reason an app fails to start that its log (or the
// engine's error) gives away.
type CauseKind string

const (
	MissingPythonModule CauseKind = "missing-python-module"
	MissingNodeModule   CauseKind = "missing-node-module"
	MissingFile         CauseKind = "missing-file"
	MissingConfig       CauseKind = "missing-configuration-file"
	BadEntrypoint       CauseKind = "entrypoint"
	AddressInUse        CauseKind = "address-in-use"
	PrivilegedPort      CauseKind = "privileged-port"
	MissingEnv          CauseKind = "missing-environment-variable"
	DatabaseUnreachable CauseKind = "database-unreachable"
	ReadOnlyFileSystem  CauseKind = "read-only-file-system"
	PermissionDenied    CauseKind = "permission-denied"
	SQLiteCannotOpen    CauseKind = "sqlite-cannot-open"
	MissingTable        CauseKind = "missing-table"
	MissingMigration    CauseKind = "missing-migration"
	AddressUnavailable  CauseKind = "address-unavailable"
	OldDatabaseDriver   CauseKind = "old-database-driver"
	RemovedNodeAPI      CauseKind = "removed-node-api"
	MissingProgram      CauseKind = "missing-program"
	MissingFlag         CauseKind = "missing-flag"
)

// Cause is one recognised reason, with the log line that shows it.
type Cause struct {
	Kind CauseKind `json:"kind"`
	// Subject is what the cause is about: the module, file, variable,
	// address or port.
	Subject string `json:"subject,omitempty"`
	Line    string `json:"line"`
	Advice  string `json:"advice"`
}

// causePattern recognises one cause in one line; subject returns what it
// is about from the match (and may reject it by returning ok false).
type causePattern struct {
	kind    CauseKind
	re      *regexp.Regexp
	subject func(m []string, line string) (string, bool)
	advice  func(subject string) string
}

func group(i int) func([]string, string) (string, bool) {
	return func(m []string, _ string) (string, bool) { return m[i], true }
}

// firstGroup is the first non-empty submatch: for patterns with one
// alternative per message shape.
func firstGroup(m []string, _ string) (string, bool) {
	for _, s := range m[1:] {
		if s != "" {
			return s, true
		}
	}
	return "", true
}

var (
	dbAddr  = regexp.MustCompile(`((?:\[[0-9a-fA-F:]+\]|[\w.-]+):(?:5432|3306|6379|27017|5672))\b|port (5432|3306|6379|27017|5672)\b`)
	dbWords = regexp.MustCompile(`(?i)postgres|psycopg|\bpq:|mysql|maria|redis|mongo|sqlalchemy|database|prisma|sequelize|typeorm|knex|diesel|sqlx|:5432\b|:3306\b|:6379\b|:27017\b`)
	// A port in a message: gunicorn's ('0.0.0.0', 8000), else the last
	// :NNNN (a timestamp's minutes come before the address).
	tuplePort = regexp.MustCompile(`', (\d{2,5})\)`)
	colonPort = regexp.MustCompile(`:(\d{2,5})\b`)
	ansi      = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
)

// causePatterns, first match per line: the specific before the general
// (an entrypoint that is missing before any missing file).
var causePatterns = []causePattern{
	// A program the app runs by name (git, ffmpeg) that the image lacks:
	// Go's os/exec, Node's spawn, a shell's (Python's subprocess says
	// FileNotFoundError, as a missing file does: MissingFile's). The
	// engine's own "exec: ...: executable file not found" is the
	// entrypoint's (below): it comes with the OCI runtime's words.
	{MissingProgram, regexp.MustCompile(`exec: \\?"([A-Za-z0-9][\w.+-]*)\\?": executable file not found in \$PATH|\bspawn(?:Sync)? ([A-Za-z0-9][\w.+-]*) ENOENT|\bsh: (?:\d+: )?([A-Za-z0-9][\w.+-]*): (?:command )?not found`), func(m []string, l string) (string, bool) {
		s, _ := firstGroup(m, l)
		return s, !strings.Contains(l, "OCI runtime") && !strings.Contains(l, "container process")
	}, func(s string) string {
		return fmt.Sprintf("the app runs the program %s, which the image does not hold: install the package that provides it in the final stage (shipshape init does when it finds the call in the code; it may be built from a name it could not read)", s)
	}},
	{BadEntrypoint, regexp.MustCompile(`(?:exec:? "?([^"\s:]+)"?: )?exec format error`), group(1), func(s string) string {
		return fmt.Sprintf("the entrypoint%s is built for another CPU architecture than the engine's (exec format error): build for the engine's platform (docker build --platform), or fix the binary the image copies", spaceIf(s))
	}},
	{BadEntrypoint, regexp.MustCompile(`exec:? "?([^"\s:]+)"?: (?:stat [^:]+: )?(?:no such file or directory|executable file not found in \$PATH)`), group(1), func(s string) string {
		return fmt.Sprintf("the entrypoint %s cannot be run: it is not in the image (check ENTRYPOINT/CMD and what the final stage copies), or, for a binary that is there, its dynamic loader is missing (a cgo binary on a static base: build with CGO_ENABLED=0); pass --entrypoint to shipshape init if it named the wrong program", s)
	}},
	{BadEntrypoint, regexp.MustCompile(`exec:? "?([^"\s:]+)"?: permission denied`), group(1), func(s string) string {
		return fmt.Sprintf("the entrypoint %s is not executable by the container's user: chmod +x it in the build stage (COPY --chmod=0755)", s)
	}},
	{BadEntrypoint, regexp.MustCompile(`can't open file '([^']+)'|Could not import module "([^"]+)"|Failed to find attribute '[^']+' in '([^']+)'|Failed to find application object '[^']+' in '([^']+)'`), firstGroup, func(s string) string {
		return fmt.Sprintf("the server cannot load %s: the image runs the wrong module or file: pass --entrypoint (module:object, or the script) to shipshape init", s)
	}},
	{MissingPythonModule, regexp.MustCompile(`(?:ModuleNotFoundError|ImportError): No module named '?([\w.]+)'?`), group(1), func(s string) string {
		top, _, _ := strings.Cut(s, ".")
		return fmt.Sprintf("Python cannot import %s: add the package that provides %s to requirements.txt (or pyproject.toml) so the build installs it; if %s is your own code, it is not in the image (.dockerignore?) or the entrypoint names the wrong module (--entrypoint)", s, top, top)
	}},
	{MissingFile, regexp.MustCompile(`Cannot find (?:module|package) '([./][^']*)'`), group(1), func(s string) string {
		return fmt.Sprintf("node cannot find %s: the file is not in the image (.dockerignore, or a build output the Dockerfile does not copy) or the entrypoint is wrong: pass --entrypoint to shipshape init", s)
	}},
	{MissingNodeModule, regexp.MustCompile(`Cannot find (?:module|package) '([^']+)'`), group(1), func(s string) string {
		return fmt.Sprintf("node cannot load the package %s: add it to \"dependencies\" (not devDependencies, which the image leaves out) in package.json and commit the lockfile", s)
	}},
	{PrivilegedPort, regexp.MustCompile(`listen tcp[46]? \S*:(\d+): bind: permission denied|listen EACCES: permission denied \S*:(\d+)|bind\(\)? to \S*:(\d+) failed \(13: Permission denied\)`), func(m []string, l string) (string, bool) {
		s, _ := firstGroup(m, l)
		n, err := strconv.Atoi(s)
		return s, err == nil && n < 1024
	}, func(s string) string {
		return fmt.Sprintf("the app binds port %s, below 1024, which a non-root user may not: listen on a port above 1024 (8080) and pass that as --port", s)
	}},
	{AddressInUse, regexp.MustCompile(`(?i)address already in use|EADDRINUSE|Errno 98|Connection in use`), func(m []string, l string) (string, bool) {
		if m := tuplePort.FindStringSubmatch(l); m != nil {
			return m[1], true
		}
		if all := colonPort.FindAllStringSubmatch(l, -1); all != nil {
			return all[len(all)-1][1], true
		}
		return "", true
	}, func(s string) string {
		return fmt.Sprintf("something in the container already holds port%s when the app binds it: two servers start (a framework's dev server beside the production one, or the app binding twice); start one", spaceIf(s))
	}},
	// Go's "listen tcp [::1]:3000: bind: cannot assign requested address",
	// Node's EADDRNOTAVAIL: the container has no such address. The engine
	// gives containers no IPv6 unless configured, so ::1 is absent
	// (wakapi binds [::1]:3000 beside 0.0.0.0:3000 by default).
	{AddressUnavailable, regexp.MustCompile(`listen tcp[46]? (\S+?): bind: cannot assign requested address|listen EADDRNOTAVAIL: address not available (\S+)|Errno 99\] (?:Cannot assign requested address|Address not available)`), firstGroup, func(s string) string {
		what := "an address"
		if s != "" {
			what = s
		}
		if strings.Contains(s, "::1") || strings.HasPrefix(s, "[") {
			return fmt.Sprintf("the app binds %s, an IPv6 address this container does not have (the engine gives containers no IPv6 unless configured): turn its IPv6 listen off or make it every address (the setting or variable it reads), or enable IPv6 where it runs", what)
		}
		return fmt.Sprintf("the app binds %s, which this container does not have: bind every address (0.0.0.0), or the one the container gets", what)
	}},
	{MissingEnv, regexp.MustCompile(`KeyError: '([A-Z][A-Z0-9_]*)'|` +
		`(?i:environment variable|env var(?:iable)?)s? ["'` + "`" + `]?([A-Z][A-Z0-9_]+)["'` + "`" + `]? (?i:is )?(?i:required|not set|missing|must be set|undefined|not defined|empty)|` +
		`(?i:missing|required|set the|please set)(?i: required)? (?i:environment variable|env var(?:iable)?)s?:? ["'` + "`" + `]?([A-Z][A-Z0-9_]+)|` +
		`\b([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{4,})\b(?: or [A-Z][A-Z0-9_]+)* (?i:environment variable )?(?:is required|is not set|must be set|is missing|not set|is undefined|is empty)|` +
		`The ([A-Z][A-Z0-9_]+) setting must not be empty`), firstGroup, func(s string) string {
		return fmt.Sprintf("the app stops because the environment variable %s is not set: set it where the app runs (.env for compose, the Kubernetes Secret), and give it a default or a clear error in the code; verify runs the image with no environment of its own", s)
	}},
	// A Postgres driver older than SCRAM-SHA-256 passwords, Postgres 14's
	// default: lib/pq before v1.1.0 (zhashkevych/todo-app's v1.0.0),
	// libpq before 10 under psycopg2, node-postgres 7.
	// A util.isX function Node 23 removed, which old dependencies call
	// (EyeOfCode/nestjs-typeorm-postgresql's @nestjs/typeorm 7:
	// util_1.isNullOrUndefined), as TypeScript's output names the module
	// (newer TypeScript and Babel call it as (0, util_1.isX)(...) and
	// (0, _util.isX)). util.isArray stayed.
	{RemovedNodeAPI, regexp.MustCompile(`\b_?util(?:_\d+)?\.(is(?:NullOrUndefined|Null|Undefined|Boolean|Buffer|Date|Error|Function|Number|Object|Primitive|RegExp|String|Symbol))\)? is not a function`), firstGroup, func(s string) string {
		return fmt.Sprintf("the app (or a dependency) calls util.%s, which Node 23 removed: upgrade the dependency, or build on Node 22, the last release that has it (declare it: .nvmrc with 22, or engines.node in package.json)", s)
	}},
	{OldDatabaseDriver, regexp.MustCompile(`unknown authentication response: 10\b|SCRAM authentication requires libpq version 10|authentication method 10 not supported|Unknown authenticationOk message type`), func([]string, string) (string, bool) { return "", true }, func(string) string {
		return "the app's Postgres driver cannot log in with SCRAM-SHA-256 passwords, the default of Postgres 14 and later: upgrade the driver (Go's github.com/lib/pq to v1.1.0 or later: go get github.com/lib/pq@latest; pg 8 for Node; a psycopg built against libpq 10 or later); a database that keeps md5 passwords (POSTGRES_HOST_AUTH_METHOD=md5 with POSTGRES_INITDB_ARGS=--auth-host=md5) is the weaker way round it"
	}},
	// The database answered and refused the connection's terms: a client
	// that requires TLS of a server without it (node-postgres with ssl set,
	// lib/pq's default sslmode=require), or a password it does not know.
	{DatabaseUnreachable, regexp.MustCompile(`(?i)(the server does not support SSL connections|SSL is not enabled on the server)`), group(1), func(s string) string {
		return fmt.Sprintf("the database refused the app's connection (%s): the app asks for TLS, which a database on the same network does not offer; add sslmode=disable to its URL (or ssl: false in the client's options)", s)
	}},
	// A user or password the database does not know: Postgres's and
	// MySQL's words (bezkoder/nodejs-express-sequelize-mysql logs in as
	// root with the password its config module holds).
	{DatabaseUnreachable, regexp.MustCompile(`(?i)(password authentication failed for user "[^"]*"|Access denied for user '[^']*')`), group(1), func(s string) string {
		return fmt.Sprintf("the database refused the app's login (%s): the app logs in with a user or password the database was not started with (written in its code or configuration, or in a variable it does not read); use the ones the database has", s)
	}},
	{DatabaseUnreachable, regexp.MustCompile(`(?i)could not translate host name "([^"]+)"|dial tcp: lookup (db|postgres|mysql|mariadb|redis|mongo\w*|database)\b|getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (db|postgres|mysql|mariadb|redis|mongo\w*|database)\b`), firstGroup, func(s string) string {
		return fmt.Sprintf("the app looks for its database at the host %s, which exists only on the compose network: verify runs the image alone; start it with docker compose up, or let the app start without its database and report it on the health route", s)
	}},
	{DatabaseUnreachable, regexp.MustCompile(`(?i)connection refused|ECONNREFUSED|could not connect to server|Can't connect to MySQL server|Is the server running on`), func(m []string, l string) (string, bool) {
		if !dbWords.MatchString(l) {
			return "", false
		}
		if a := dbAddr.FindStringSubmatch(l); a != nil {
			s, _ := firstGroup(a, l)
			return s, true
		}
		return "", true
	}, func(s string) string {
		at := ""
		if s != "" {
			at = " at " + s
		}
		return fmt.Sprintf("the app cannot reach its database%s and stops: verify runs the image alone, and inside a container localhost is the container itself; run it with compose (DATABASE_URL pointing at the db service), or let the app start without its database and report it on the health route", at)
	}},
	{ReadOnlyFileSystem, regexp.MustCompile(`(?i)read-only file system(?:: '([^']+)'|, \w+ '([^']+)')?|(/\S+): read-only file system`), firstGroup, func(s string) string {
		return fmt.Sprintf("the app writes%s, but the root file system is read-only, as production should run it: write under /tmp or a mounted volume (verify --writable tells whether this is the only problem)", spaceIf(s))
	}},
	// SQLite says only that it cannot open the file (solnone/FastAPI-
	// SQLite's ./test.db in the read-only working directory): where the
	// file is comes from the code, not the log.
	{SQLiteCannotOpen, regexp.MustCompile(`(?i)unable to open database file|attempt to write a readonly database|SQLITE_CANTOPEN|SQLITE_READONLY`), func([]string, string) (string, bool) { return "", true }, func(string) string {
		return "the app cannot open or write its SQLite database: its path is on the read-only root (a relative path lands in the working directory) or in a directory that does not exist; put the file on the data volume, through the variable or setting the app reads its path from"
	}},
	{PermissionDenied, regexp.MustCompile(`PermissionError: \[Errno 13\] Permission denied: '([^']+)'|EACCES: permission denied, \w+ '([^']+)'|(?:open|mkdir|create|remove) (\S+): permission denied`), firstGroup, func(s string) string {
		return fmt.Sprintf("the app may not write %s as the container's non-root user: create it in the Dockerfile owned by that user (COPY --chown, RUN chown), or write under /tmp or a volume", s)
	}},
	{MissingConfig, regexp.MustCompile(`(?i)\bconfig(?:uration)?(?: file)? (?:not found|does not exist|is missing)[:\s]+['"]?([^\s'"]+)|Config File \\?"([^"\\]+)\\?" Not Found in|no config(?:uration)? file (?:found|given)(?: (?:at|in) ['"]?([^\s'"]+))?`), firstGroup, func(s string) string {
		return fmt.Sprintf("the app stops without its configuration file%s, which the repository does not hold (it is written per installation, often with secrets): write one as the project's README says, mount it into the container (compose: a volume or a configs entry; Kubernetes: a ConfigMap or Secret) and point the app at it", spaceIf(s))
	}},
	// miniflux: "the database schema is not up to date: current=v0
	// expected=v132" (it migrates only with RUN_MIGRATIONS=1); golang-
	// migrate's and Django's own words for a database nobody migrated.
	{MissingMigration, regexp.MustCompile(`(?i)schema is not up[ -]to[ -]date|database is not up[ -]to[ -]date|no migration has been applied|you have \d+ unapplied migration|relation "schema_migrations" does not exist`), func([]string, string) (string, bool) { return "", true }, func(string) string {
		return "the app stops because its database schema has not been migrated: run the project's migrations before the app starts (its migrate command or switch, as a release step: compose's one-off migrate service, a pre-deploy Job on Kubernetes)"
	}},
	// A table the app queries that nobody created: SQLite's, Postgres's
	// and MySQL's words (patrickloeber/flask-todo creates its tables only
	// under if __name__ == "__main__", which gunicorn never runs).
	{MissingTable, regexp.MustCompile(`no such table: ([\w.]+)|relation "([\w.]+)" does not exist|Table '([\w.]+)' doesn't exist`), firstGroup, func(s string) string {
		return fmt.Sprintf("the app queries the table %s, which its database does not have: nothing created its tables. Run the project's migrations or the step that creates them (db.create_all(), flask init-db, its migrate command) before the app starts, as a release step", s)
	}},
	// A flag the program requires, in its CLI library's words: cobra's
	// `required flag(s) "storage" not set`, urfave/cli's `Required flag
	// "storage" not set`, go-flags' `the required flag `--secret' was not
	// specified`, kingpin's `required flag --storage not provided`,
	// chartmuseum's own `Missing required flags(s): --storage`.
	{MissingFlag, regexp.MustCompile(`(?i)missing required flags?(?:\(s\))?:\s*(--?[\w.-]+)|required flags?(?:\(s\))?\s+"([\w.-]+)"|the required flags?\s+\x60(--?[\w.-]+)'|required flag (--?[\w.-]+) not provided`), func(m []string, line string) (string, bool) {
		f, _ := firstGroup(m, line)
		if !strings.HasPrefix(f, "-") {
			f = "--" + f
		}
		return f, true
	}, func(s string) string {
		return fmt.Sprintf("the program stops without the flag %s, which it requires and nothing passes: pass it with init --args (the image's CMD), e.g. --args \"%s=...\" with the value the project's documentation gives, and run init --verify again", s, s)
	}},
	{MissingFile, regexp.MustCompile(`FileNotFoundError: \[Errno 2\] No such file or directory: '([^']+)'|ENOENT: no such file or directory, \w+ '([^']+)'|(?:open|stat|lstat|read) (\S+): no such file or directory`), firstGroup, func(s string) string {
		advice := fmt.Sprintf("the app opens %s, which is not in the image: COPY it (and check .dockerignore), mount it, or set the variable that points at it", s)
		if !strings.ContainsAny(s, "/.") {
			// Python's subprocess says the same of a program it cannot find.
			advice += fmt.Sprintf("; if %s is a program the app runs (subprocess), install the package that provides it in the final stage", s)
		}
		return advice
	}},
}

// FindCauses recognises the common reasons an app does not start in its
// log lines (oldest first) and the engine's own error, if any. Each cause
// is named once, with the first line that shows it.
func FindCauses(lines []string, engineErr string) []Cause {
	var out []Cause
	seen := map[string]bool{}
	if engineErr != "" {
		lines = append([]string{engineErr}, lines...)
	}
	for _, raw := range lines {
		line := strings.TrimSpace(ansi.ReplaceAllString(raw, ""))
		for _, p := range causePatterns {
			m := p.re.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			subject, ok := p.subject(m, line)
			if !ok {
				continue
			}
			if key := string(p.kind) + "\x00" + subject; !seen[key] {
				seen[key] = true
				advice := p.advice(subject)
				if h := homeAdvice(p.kind, subject); h != "" {
					advice = h
				}
				out = append(out, Cause{Kind: p.kind, Subject: subject, Line: clip(line, 200), Advice: advice})
			}
			break
		}
	}
	return out
}

// homeDotPath is a dot entry at the root, /.node-red or /.config/app: a
// path under the home directory of a user that has none (a uid with no
// passwd entry gets HOME=/).
var homeDotPath = regexp.MustCompile(`^/\.[\w.-]+(?:/|$)`)

// homeAdvice is the advice for a file the app cannot create or write under
// its home directory, or "" for another path: node-red's `mkdir
// '/.node-red'`, an XDG library's /.config and /.local.
func homeAdvice(kind CauseKind, subject string) string {
	if kind != MissingFile && kind != ReadOnlyFileSystem && kind != PermissionDenied || !homeDotPath.MatchString(subject) {
		return ""
	}
	return fmt.Sprintf("the app writes %s, under its home directory, which is / for the image's user (a uid with no passwd entry; / is not writable): "+
		"point HOME at a writable volume (ENV HOME=/home/app beside VOLUME /home/app), or set the app's own option for where it keeps its state", subject)
}

func spaceIf(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
