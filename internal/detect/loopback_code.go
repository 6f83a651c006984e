package detect

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var (
	// codeEnvRead is a line that reads the environment or a configuration
	// library: its loopback literal is a default the deployment overrides
	// (process.env.DB_HOST || 'localhost', os.getenv("DB_HOST",
	// "localhost"), getEnv("DB_HOST", "127.0.0.1")).
	codeEnvRead = regexp.MustCompile(`process\.env|import\.meta\.env|\bos\.(?:getenv|environ|Getenv|LookupEnv)\b|\bgetenv\(|\b[Gg]et[A-Z]?\w*[Ee]nv\w*\(|\benv::var|\bstd::env\b|\bdotenv\b|\bviper\.|\bconfig\(|\bsettings\.|\benv\(|\benv\.\w+\(|\benv\s*=|\benvvar\s*=|envconfig:"|\benv:"`)
	// codeLoopbackURL is a string literal that is a database's address on
	// the loopback interface: a URL or host:port from the literal's first
	// character (flask-tutorial's 'mysql+mysqlconnector://root:root@
	// localhost:3306/test'), not a message that mentions one ("is it
	// running on localhost:5432?").
	codeLoopbackURL = regexp.MustCompile("[\"'`](?:[a-z][a-z0-9+]*://[^\"'`\\s/@]*@?)?(?:127\\.0\\.0\\.1|localhost|0\\.0\\.0\\.0):(3306|5432|6379|27017)\\b")
	// codeLoopbackScheme is a URL literal whose host is loopback with no
	// port (`mongodb://localhost/app`, `redis://127.0.0.1`): the scheme
	// names the database, and its default port is meant.
	codeLoopbackScheme = regexp.MustCompile("[\"'`]([a-z]+)(?:\\+[a-z0-9]+)?://(?:[^\"'`\\s/@]*@)?(127\\.0\\.0\\.1|localhost|0\\.0\\.0\\.0)(?:[/?\"'`]|$)")
	// schemeDatabases are the databases URL schemes name.
	schemeDatabases = map[string]string{"postgres": "postgres", "postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql", "mongodb": "mongodb", "redis": "redis", "rediss": "redis"}
	// codeLoopbackDSN is a keyword DSN on the loopback interface, as
	// lib/pq, pgx and gorm read it: "host=localhost user=root ... port=5432".
	codeLoopbackDSN = regexp.MustCompile(`["'` + "`" + `](?:\w+=\S*\s+)*host=(?:localhost|127\.0\.0\.1)\b[^"'` + "`" + `]*`)
	dsnPort         = regexp.MustCompile(`\bport=(\d{2,5})\b`)
	// codeLoopbackKey is a host key of an object, a dict or a constant set
	// to the loopback interface: `host: 'localhost',` (TypeORM's options),
	// `HOST: "localhost",` (a Sequelize config module), `'HOST':
	// 'localhost',` (Django's DATABASES), `DB_HOST = "127.0.0.1"` (Go).
	codeLoopbackKey = regexp.MustCompile(`^(\s*)["']?((?i:host|hostname|server|\w*_host))["']?\s*[:=]\s*["'](?:127\.0\.0\.1|localhost)["']\s*,?\s*$`)
	// codePortKey is a port key beside it.
	codePortKey = regexp.MustCompile(`^\s*["']?((?i:port|\w*_port))["']?\s*[:=]\s*["']?(\d{2,5})["']?\s*,?\s*$`)
	// codeDatabaseKey is a key only a database's settings have.
	codeDatabaseKey = regexp.MustCompile(`^\s*["']?(?i:database|dbname|db_name|\w*_database|\w*_db)["']?\s*[:=]|^\s*["']?(?i:dialect|engine|type|driver|client)["']?\s*[:=]\s*["'][^"']*(?i:postgres|pg|mysql|mariadb|mongo|redis|sqlite|django\.db)`)
	// notDatabaseHost is a host key of another service: mail, a cache
	// other than Redis, a queue, a dev server.
	notDatabaseHost = regexp.MustCompile(`(?i)mail|smtp|imap|memcache|amqp|rabbit|kafka|nats|elastic|proxy|webpack|vite|dev_?server|hmr|ldap|statsd|jaeger|otel|sentry`)
	// dbHostKey is a constant's name that says it is a database's host.
	dbHostKey = regexp.MustCompile(`(?i)^\s*["']?(?:db|database|pg|postgres|postgresql|mysql|maria\w*|mongo\w*|redis|sql)_?host`)
	// devOnly names a file or a block that configures development, tests
	// or seeding, not the deployed app (knexfile's development entry,
	// config.test.js, seed.py, scripts/seed/index.ts), by a directory or the
	// file's name.
	devKey       = regexp.MustCompile(`^["']?(?i:dev|development|test|testing|local)["']?\s*[:=]`)
	devCondition = regexp.MustCompile(`^(?:if|elif|else if|} else if)\b.*(?:DEBUG|NODE_ENV|development|[Tt]esting)|^class\s+\w*(?:Dev|Development|Test|Testing|Local)\w*\b`)
	// productionCondition is a condition that selects production, or
	// negates the development test (`if not DEBUG:`, NODE_ENV ===
	// 'production').
	productionCondition = regexp.MustCompile(`(?i)production|\bnot\b|!\s*\w|!==|!=`)
	devOnly             = regexp.MustCompile(`(?i)(?:^|[^a-z])(?:dev|development|tests?|testing|testutils?|specs?|local|examples?|samples?|seeds?|seeders?|fixtures?|mocks?|scripts?|e2e|hack|benchmarks?)(?:[^a-z]|$)`)
	// envSettings is a settings class whose fields the environment sets
	// (pydantic's BaseSettings: `redis_url: str = "redis://localhost:6379/0"`
	// is REDIS_URL's default), or a Go struct whose tags name variables.
	envSettings = regexp.MustCompile(`\bBaseSettings\b|\benv:"`)
)

// loopbackCode finds, in the app's own code, the address of a database it
// talks to written on the loopback interface, with no variable to move it
// (a URL literal, a keyword DSN, a host key of an options object or
// settings dict): in a container that is the container itself, so the app
// cannot reach the database init starts, whatever variables it sets. The
// twelfth try met it in five of twelve repositories: a Sequelize config
// module's HOST, TypeORM's forRoot options, Flask's SQLALCHEMY_DATABASE_URI,
// a gorm DSN, Go constants. A line that reads the environment gives a
// default, not the address; development, test and seed files and blocks
// do not configure the deployed app. talks are the databases the app talks
// to, seen those already named.
func (r *repo) loopbackCode(s *Stack, talks, seen map[string]bool) {
	exts := langExts[s.Language]
	for _, f := range r.codeFiles() {
		// A Go file only the repository's own -tags build in is the
		// program's, whatever its name says (config_dev.go under -tags dev).
		tagged := path.Ext(f) == ".go" && s.BuildTags != nil && !r.goBuildsOnLinux(f)
		if !exts[path.Ext(f)] || devPath(f) && !tagged {
			continue
		}
		if r.find(f, envSettings) != nil {
			continue
		}
		lines := r.read(f)
		if tagged && !r.goBuiltWith(f, s.BuildTags) {
			continue // not in the program's build (config_prod.go beside the -tags dev the Makefile builds with)
		}
		for i, line := range lines {
			if isComment(line) || blockComment(line) || envNear(lines, i) && !(goFormatHost(line) && !envAround(lines, i)) {
				continue
			}
			db, addr := r.loopbackCodeLine(lines, i, talks)
			if db == "" || seen[db] || inDevBlock(lines, i) || readsVarFor(s, f, lines, db) {
				continue
			}
			seen[db] = true
			s.LoopbackConfig = append(s.LoopbackConfig, Evidence{Value: db, File: f, Line: i + 1, Why: addr})
		}
	}
}

// readsVarFor reports whether file (its lines) reads a variable named
// for db anywhere (postalsys/emailengine's lib/db.js falls back to
// config.dbs.redis, 'redis://127.0.0.1:6379/8', after
// readEnvValue('EENGINE_REDIS') || readEnvValue('REDIS_URL')): the
// loopback address there is a default the variable overrides, and the
// image sets that variable.
func readsVarFor(s *Stack, file string, lines []string, db string) bool {
	word := dbVarWord[db]
	if word == nil {
		return false
	}
	if slices.ContainsFunc(s.Env, func(e Evidence) bool { return e.File == file && word.MatchString(e.Value) }) {
		return true
	}
	// Through a reader the scan does not know (its scan.js imports
	// readEnvValue from lib/tools): the variable's name as a string.
	for _, line := range lines {
		for _, m := range quotedVarName.FindAllStringSubmatch(line, -1) {
			if strings.Contains(m[1], "_") && word.MatchString(m[1]) && !isComment(line) {
				return true
			}
		}
	}
	return false
}

// quotedVarName is a variable's name in quotes: 'REDIS_URL'.
var quotedVarName = regexp.MustCompile(`['"]([A-Z][A-Z0-9_]*)['"]`)

// dbVarWord names a database's kind in a variable's name that holds where
// it is: REDIS_URL, EENGINE_REDIS, PG_HOST, MONGODB_URI.
var dbVarWord = map[string]*regexp.Regexp{
	"redis":    regexp.MustCompile(`(?:^|_)REDIS(?:_(?:URL|URI|HOST|ADDR|ADDRESS))?$`),
	"postgres": regexp.MustCompile(`(?:^|_)(?:POSTGRES(?:QL)?|PG|DATABASE|DB)_(?:URL|URI|DSN|HOST)$`),
	"mysql":    regexp.MustCompile(`(?:^|_)(?:MYSQL|MARIADB|DATABASE|DB)_(?:URL|URI|DSN|HOST)$`),
	"mongodb":  regexp.MustCompile(`(?:^|_)MONGO(?:DB)?(?:_(?:URL|URI|HOST))?$`),
}

// envNear is a line within a statement that reads the environment: the
// read on the line itself or on the three before it or the two after it,
// which is where a formatter puts it when it breaks the statement
// (black's `os.environ.get(` / `"DATABASE_URL",` / `"postgresql://
// localhost:5432/app",`, rustfmt's `.unwrap_or_else(...)` under
// `env::var(...)`, a destructuring `} = process.env;`). It may hide a
// hard-wired address beside an unrelated read: a missed note, where a
// wrong one would fail a working app.
// envAround is envNear without line i itself.
func envAround(lines []string, i int) bool {
	for j := max(0, i-3); j < len(lines) && j <= i+2; j++ {
		if j != i && codeEnvRead.MatchString(lines[j]) {
			return true
		}
	}
	return false
}

func envNear(lines []string, i int) bool {
	for j := max(0, i-3); j < len(lines) && j <= i+2; j++ {
		if codeEnvRead.MatchString(lines[j]) {
			return true
		}
	}
	return false
}

// goFormatHost reports whether a Go line builds a database URL with
// fmt.Sprintf whose format holds the loopback host itself, the reads on
// the line filling its other parts (drinkee's
// fmt.Sprintf("postgres://localhost:5432/%s?sslmode=%s",
// os.Getenv("POSTGRES_DBNAME"), ...)): no variable moves the host, and
// only reads on the lines around it can.
func goFormatHost(line string) bool {
	m := goSprintfLoopback.FindStringSubmatchIndex(line)
	// A read before the call may be the URL's own, the format its
	// fallback (getEnv("DSN", fmt.Sprintf(...))).
	return m != nil && !codeEnvRead.MatchString(line[m[2]:m[3]]) && !codeEnvRead.MatchString(line[:m[0]])
}

// goSprintfLoopback is fmt.Sprintf's format with a URL's loopback host
// and its port written in it, the lines nearby aside.
var goSprintfLoopback = regexp.MustCompile(`\bfmt\.Sprintf\(\s*"([a-z]+(?:\+[a-z0-9]+)?://(?:[^"@/]*@)?(?:localhost|127\.0\.0\.1):\d+[^"]*)"`)

// blockComment is a line of a block comment or a doc comment (` * e.g.
// 'postgres://localhost:5432/app'`, `/* ... */`) or a docstring's.
func blockComment(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "* ") || t == "*" || strings.HasPrefix(t, "/*") || strings.HasPrefix(t, `"""`) || strings.HasPrefix(t, "'''")
}

// loopbackCodeLine is the database (one the app talks to) and its
// loopback address that line i of a code file gives (host:port where the
// line has both, the host alone where a key or host= holds it), or "".
func (r *repo) loopbackCodeLine(lines []string, i int, talks map[string]bool) (string, string) {
	line := lines[i]
	if m := codeLoopbackURL.FindStringSubmatch(line); m != nil {
		db := servicePorts[m[1]]
		if !talks[db] {
			return "", ""
		}
		return db, loopbackService.FindString(line)
	}
	if m := codeLoopbackScheme.FindStringSubmatch(line); m != nil {
		if db := schemeDatabases[m[1]]; talks[db] {
			return db, m[2] // the host alone: no port follows it
		}
		return "", ""
	}
	host := "localhost"
	if strings.Contains(line, "127.0.0.1") {
		host = "127.0.0.1"
	}
	if m := codeLoopbackDSN.FindString(line); m != "" {
		db := ""
		if p := dsnPort.FindStringSubmatch(m); p != nil {
			db = servicePorts[p[1]]
		} else if strings.Contains(m, "dbname=") {
			db = onlySQL(talks)
		}
		if !talks[db] {
			return "", ""
		}
		return db, host // host= holds the host alone
	}
	k := codeLoopbackKey.FindStringSubmatch(line)
	if k == nil || notDatabaseHost.MatchString(line) {
		return "", ""
	}
	if k[1] == "" && !dbHostKey.MatchString(line) {
		// A module's constant: its block is the whole file, so only a
		// name that says database counts (DB_HOST, not EMAIL_HOST).
		return "", ""
	}
	// The block around it: the lines indented as it is, 10 at most each
	// way, up to a line indented less.
	indent := project.Indent(line)
	inside := func(j int) bool {
		return strings.TrimSpace(lines[j]) == "" || project.Indent(lines[j]) >= indent
	}
	// The port that goes with the host: PORT beside HOST, DB_PORT beside
	// DB_HOST, not API_PORT (clean-architecture-go-v2's constants).
	prefix := keyPrefix(k[2], "host")
	db, keyed, other := "", false, false
	for j := i - 1; j >= 0 && j >= i-10 && inside(j); j-- {
		db, keyed, other = blockKey(lines[j], prefix, db, keyed, other)
	}
	for j := i + 1; j < len(lines) && j <= i+10 && inside(j); j++ {
		db, keyed, other = blockKey(lines[j], prefix, db, keyed, other)
	}
	if other {
		return "", "" // its port is another service's (smtp's 1025, memcached's 11211)
	}
	name := strings.ToLower(line)
	switch {
	case db != "":
	case strings.Contains(name, "redis"):
		db = "redis"
	case strings.Contains(name, "mongo"):
		db = "mongodb"
	case keyed:
		db = onlySQL(talks)
	}
	if !talks[db] {
		return "", ""
	}
	return db, host // the key holds the host alone
}

// blockKey reads one line of a host key's block: the database its port
// names, whether it has a key only database settings have, and whether
// its port is another service's.
func blockKey(line, prefix, db string, keyed, other bool) (string, bool, bool) {
	if p := codePortKey.FindStringSubmatch(line); p != nil && db == "" && !other && keyPrefix(p[1], "port") == prefix {
		db = servicePorts[p[2]]
		other = db == ""
	}
	return db, keyed || codeDatabaseKey.MatchString(line), other
}

// keyPrefix is a key's name before its suffix, lower-cased: "db" of
// DB_HOST, "" of host.
func keyPrefix(key, suffix string) string {
	k := strings.ToLower(key)
	return strings.TrimSuffix(strings.TrimSuffix(k, suffix), "_")
}

// onlySQL is the one SQL database the app talks to, "" for none or both.
func onlySQL(talks map[string]bool) string {
	switch {
	case talks["postgres"] && !talks["mysql"]:
		return "postgres"
	case talks["mysql"] && !talks["postgres"]:
		return "mysql"
	}
	return ""
}

// inDevBlock is a line inside a block whose key names development or
// tests (a knexfile's development entry, Django's DATABASES under a
// `if DEBUG:`), by the nearest line above indented less.
func inDevBlock(lines []string, i int) bool {
	indent := project.Indent(lines[i])
	for j := i - 1; j >= 0 && j >= i-30; j-- {
		t := strings.TrimSpace(lines[j])
		if t == "" {
			continue
		}
		if in := project.Indent(lines[j]); in < indent {
			if devKey.MatchString(t) || devCondition.MatchString(t) && !productionCondition.MatchString(t) || elseOfProduction(lines, j) {
				return true
			}
			indent = in
			if in == 0 {
				return false
			}
		}
	}
	return false
}

// elseStart is the line an else branch starts on: `} else {`, `else {`,
// `else:`.
var elseStart = regexp.MustCompile(`^(?:\}\s*)?else\s*(?:\{|:)\s*$`)

// productionTest is a condition that selects production: NODE_ENV ===
// 'production', ENV == "production", not DEBUG.
var productionTest = regexp.MustCompile(`^(?:\}\s*)?(?:if|elif)\b.*(?:(?:NODE_ENV|ENV|ENVIRONMENT|APP_ENV)['"\])\s]*==(?:=)?\s*['"]production['"]|\bnot\s+(?:settings\.)?DEBUG\b|!\s*(?:config\.)?(?:isDev|DEBUG)\b)`)

// elseOfProduction reports whether line j starts the else branch of an
// if that selects production (bradtraversy/mern-tutorial's `if
// (process.env.NODE_ENV === 'production') { ...static... } else {
// app.get('/', ...) }`): what it holds runs only in development. The if
// is the nearest line above at j's indentation that starts with if.
func elseOfProduction(lines []string, j int) bool {
	if !elseStart.MatchString(strings.TrimSpace(lines[j])) {
		return false
	}
	indent := project.Indent(lines[j])
	for k := j - 1; k >= 0 && k >= j-60; k-- {
		t := strings.TrimSpace(lines[k])
		if t == "" || project.Indent(lines[k]) != indent {
			continue
		}
		if strings.HasPrefix(t, "if") || strings.HasPrefix(t, "} else if") || strings.HasPrefix(t, "elif") {
			return productionTest.MatchString(t)
		}
	}
	return false
}

var camelBoundary = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// devPath is a file of development, tests or seeding by its directories or
// its name (scripts/seed/index.ts, config_dev.go, seedModel.py); a dotfile
// (.env.example) is configuration, read as such.
func devPath(f string) bool {
	if strings.HasPrefix(path.Base(f), ".") {
		return false
	}
	return devOnly.MatchString(camelBoundary.ReplaceAllString(strings.TrimSuffix(f, path.Ext(f)), "${1}_${2}"))
}
