package generate

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/lint/credential"
	sourcedockerfile "github.com/shipshape/shipshape/internal/source/dockerfile"
)

const shaRequired = "${GIT_SHA:?set GIT_SHA to the commit being deployed, e.g. GIT_SHA=$(git rev-parse --short=12 HEAD)}"

// appEnv is the environment the app gets for the services it talks to:
// name and value, where the value refers to a secret only through a
// required variable from .env. The names are the ones the code reads
// (POSTGRES_SERVER, DB_HOST, MONGODB_URI, ...); DATABASE_URL and REDIS_URL
// when the code reads none the files know. database is the name of the
// SQL server's database.
func appEnv(p *Plan, database string) [][2]string {
	var env [][2]string
	login := p.codeLogin()
	if login != nil {
		database = login.Database
	}
	if p.Has("postgres") {
		pg := withPort(p, serviceVars(p, postgresVars, "DATABASE_URL", database), "5432")
		if p.Stack.PostgresScheme != nil {
			for i := range pg {
				pg[i][1] = strings.Replace(pg[i][1], "postgresql://", "postgres://", 1)
			}
		}
		env = append(env, pg...)
	}
	if p.Has("mysql") && !p.Has("postgres") {
		env = append(env, withPort(p, serviceVars(p, mysqlVars, "DATABASE_URL", database), "3306")...)
	}
	if p.Has("mongodb") {
		env = append(env, serviceVars(p, slices.Concat(mongoVars, driverFileURLs(p, "mongodb", mongoVars)), "MONGODB_URI", database)...)
	}
	if p.Has("redis") {
		env = append(env, withPort(p, serviceVars(p, redisVars, "REDIS_URL", database), "6379")...)
	}
	env = append(env, driverEnv(p)...)
	env = append(env, brokerEnv(p)...)
	if h := p.Stack.HostVar; h != nil && slices.Contains(detect.ExampleEnvFiles, h.File) {
		// The example's loopback address would win over the image's.
		env = append(env, [2]string{h.Value, "0.0.0.0"})
	}
	if login != nil {
		// The database is made for the code's user: its URLs log in so.
		for i := range env {
			env[i][1] = strings.Replace(env[i][1], "://app:", "://"+login.User+":", 1)
		}
	}
	return uniqueNames(env)
}

// unreadServiceNotes says where the app gets a service's address under
// the usual name alone (MONGODB_URI, REDIS_URL, DATABASE_URL): the code
// reads no variable init knows for it (adminMongo builds its URL from
// CONN_NAME and DB_HOST; redis-commander takes --redis-host), so the
// files set a name the app may not read, which they must not claim it
// does. A flag passed or a configuration file's address has its own note.
func unreadServiceNotes(p *Plan) {
	for _, svc := range []struct {
		kind, fallback string
		vars           []serviceVar
	}{
		{"postgres", "DATABASE_URL", postgresVars},
		{"mysql", "DATABASE_URL", mysqlVars},
		{"mongodb", "MONGODB_URI", mongoVars},
		{"redis", "REDIS_URL", redisVars},
	} {
		if !p.Has(svc.kind) || svc.kind == "mysql" && p.Has("postgres") {
			continue
		}
		env := serviceVars(p, svc.vars, svc.fallback, "app")
		reads := slices.ContainsFunc(p.Stack.Env, func(e detect.Evidence) bool { return e.Value == svc.fallback })
		if len(env) != 1 || env[0][0] != svc.fallback || reads || p.servicePassedOtherwise(svc.kind) || p.namesHost(svc.kind) {
			continue
		}
		at := ""
		for _, db := range p.Stack.Databases {
			if db.Value == svc.kind || strings.HasPrefix(db.Value, svc.kind+":") {
				at = fmt.Sprintf(" (%s:%d)", db.File, db.Line)
				break
			}
		}
		p.note("the app talks to %s%s but its code reads no variable init knows for its address: compose.yaml and Kubernetes set $%s, the usual name, which it may not read; point the app at the service %q where it takes the address (a flag, a configuration file, another variable), or init --verify's run will not reach it",
			svc.kind, at, svc.fallback, dbServices[svc.kind])
	}
}

// servicePassedOtherwise reports whether the app gets the service's
// address from a flag init passes, or a configuration file is said to
// hold it.
func (p *Plan) servicePassedOtherwise(kind string) bool {
	for _, f := range p.Stack.LoopbackFlags {
		if f.Value == kind {
			return true
		}
	}
	return slices.ContainsFunc(p.LoopbackConfig(), func(e detect.Evidence) bool { return e.Value == kind })
}

// namesHost reports whether the code names the database's host (aliasNotes
// says what that means).
func (p *Plan) namesHost(kind string) bool {
	return slices.ContainsFunc(p.Stack.NamedHosts, func(e detect.Evidence) bool { return e.Value == kind })
}

// withPort gives the host variables the repository documents as
// host:port (AddressVars) the service's port beside its name.
func withPort(p *Plan, env [][2]string, port string) [][2]string {
	for i, e := range env {
		for _, a := range p.Stack.AddressVars {
			if a.Value == e[0] && !strings.ContainsAny(e[1], ":/") {
				env[i][1] = e[1] + ":" + port
			}
		}
	}
	return env
}

// uniqueNames keeps the first value of each variable: a compose mapping
// with a key twice is invalid (an app with Postgres and MongoDB may read
// DATABASE_URL, which both kinds claim).
func uniqueNames(env [][2]string) [][2]string {
	var out [][2]string
	seen := map[string]bool{}
	for _, e := range env {
		if !seen[e[0]] {
			seen[e[0]] = true
			out = append(out, e)
		}
	}
	return out
}

// driverName is a variable named for the kind of SQL database.
var driverName = regexp.MustCompile(`^(?:SQL|DB|DATABASE)_?(?:DRIVER|TYPE|DIALECT)$`)

// driverEnv sets such a variable the code reads to the kind's name where
// the code compares a value with that name (buraktabakoglu/TODO_APP's
// `if Dbdriver == "postgres"` over os.Getenv("DB_DRIVER"): unset, it
// opened no database and panicked on a nil pointer). Elsewhere the name
// it wants is not known (SQLAlchemy's postgresql+psycopg, pgx's
// database/sql "pgx"), and it is left to the code's default.
func driverEnv(p *Plan) [][2]string {
	sw := p.Stack.DriverSwitch
	if sw == nil || !p.Has(map[string]string{"postgres": "postgres", "postgresql": "postgres", "mysql": "mysql"}[sw.Value]) {
		return nil
	}
	var env [][2]string
	for _, e := range p.Stack.Env {
		if driverName.MatchString(e.Value) {
			env = append(env, [2]string{e.Value, sw.Value})
		}
	}
	return env
}

// A serviceVar is a kind of variable an app reads to find a service, and
// the value compose gives it; {db} in it is the SQL server's database.
type serviceVar struct {
	name  *regexp.Regexp
	value string
}

const (
	pgPassword    = "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
	mysqlPassword = "${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env}"
)

var (
	// DB_SOURCE is golang-migrate's and sqlc's tutorials' name for the
	// URL (techschool/simplebank's app.env); GOOSE_DBSTRING is goose's
	// own, which apps migrated with goose read too (P8ace/sampleGoApi's
	// env.GetString("GOOSE_DBSTRING", "host=localhost ...")).
	postgresVars = []serviceVar{
		{regexp.MustCompile(`^(?:DATABASE|DB|POSTGRES|POSTGRESQL|PG|SQL)_(?:URL|URI|DSN|SOURCE|CONN_STRING|CONNECTION_STRING)$|^SQLALCHEMY_DATABASE_URI$|^DSN$|^GOOSE_DBSTRING$`), "postgresql://app:" + pgPassword + "@db:5432/{db}?sslmode=disable"}, // compose's private network; drivers default to TLS
		{regexp.MustCompile(`^(?:DATABASE|DB|POSTGRES|PG|SQL)_?(?:HOST|SERVER|HOSTNAME|ADDR)$`), "db"},
		{regexp.MustCompile(`^(?:DATABASE|DB|POSTGRES|PG|SQL)_?PORT$`), "5432"},
		{regexp.MustCompile(`^(?:DATABASE|DB|POSTGRES|PG|SQL)_?(?:USER|USERNAME)$`), "app"},
		{regexp.MustCompile(`^(?:DATABASE|DB|POSTGRES|PG|SQL)_?(?:PASSWORD|PASS)$`), pgPassword},
		{regexp.MustCompile(`^(?:DATABASE|DB|POSTGRES|PG|SQL)_?(?:DB|NAME|DATABASE|DBNAME)$`), "{db}"},
		{regexp.MustCompile(`^(?:SQL|DB|DATABASE)_ENGINE$`), "django.db.backends.postgresql"},
	}
	mysqlVars = []serviceVar{
		{regexp.MustCompile(`^(?:DATABASE|DB|MYSQL|SQL)_(?:URL|URI|DSN|SOURCE|CONN_STRING|CONNECTION_STRING)$|^SQLALCHEMY_DATABASE_URI$|^DSN$`), "mysql://app:" + mysqlPassword + "@db:3306/{db}"},
		{regexp.MustCompile(`^(?:DATABASE|DB|MYSQL|SQL)_?(?:HOST|SERVER|HOSTNAME|ADDR)$`), "db"},
		{regexp.MustCompile(`^(?:DATABASE|DB|MYSQL|SQL)_?PORT$`), "3306"},
		{regexp.MustCompile(`^(?:DATABASE|DB|MYSQL|SQL)_?(?:USER|USERNAME)$`), "app"},
		{regexp.MustCompile(`^(?:DATABASE|DB|MYSQL|SQL)_?(?:PASSWORD|PASS)$`), mysqlPassword},
		{regexp.MustCompile(`^(?:DATABASE|DB|MYSQL|SQL)_?(?:DB|NAME|DATABASE|DBNAME)$`), "{db}"},
		{regexp.MustCompile(`^(?:SQL|DB|DATABASE)_ENGINE$`), "django.db.backends.mysql"},
	}
	mongoVars = []serviceVar{
		{regexp.MustCompile(`^(?:MONGO|MONGODB|DATABASE|DB)_(?:URL|URI|DSN|CONNECTION_STRING)$`), "mongodb://mongo:27017/app"},
		{regexp.MustCompile(`^MONGO(?:DB)?_?(?:HOST|SERVER)$`), "mongo"},
		{regexp.MustCompile(`^MONGO(?:DB)?_?PORT$`), "27017"},
		{regexp.MustCompile(`^MONGO(?:DB)?_?(?:DB|DATABASE|NAME|DBNAME)$`), "app"},
	}
	redisVars = []serviceVar{
		{regexp.MustCompile(`^(?:REDIS|CACHE|CELERY_BROKER|BROKER|RQ_REDIS|REDIS_TLS)_(?:URL|URI)$`), "redis://redis:6379/0"},
		// An address is host:port (go-redis's Options.Addr):
		// REDIS_ADDR, golang-mongodb-rest-api-starter's REDIS_DEFAULT_ADDR.
		{regexp.MustCompile(`^REDIS_(?:\w+_)?ADDR(?:ESS)?$|^REDISADDR$`), "redis:6379"},
		// The bare name is the server's host: Azure-Samples' voting app
		// passes os.environ['REDIS'] to redis.Redis(host); a URL's name
		// says URL.
		{regexp.MustCompile(`^REDIS(?:_?(?:HOST|SERVER|HOSTNAME))?$`), "redis"},
		{regexp.MustCompile(`^REDIS_?PORT$`), "6379"},
	}
)

// connectionString is a variable's name that says it holds a service's
// address as a URL (ATLAS_URI, MONGO_CONNECTION_STRING).
var connectionString = regexp.MustCompile(`_(?:URL|URI|CONNECTION_STRING)$`)

// driverFileURLs are, as kinds of variable, the connection strings the
// code reads in the file that imports kind's driver (mongodb-express-rest-
// api-example's db/conn.mjs reads ATLAS_URI, MongoDB Atlas's name, and
// hands it to new MongoClient): there the URL is the driver's, whatever
// its name, and gets url. A name another service's variables claim is
// not one of them, nor one the repository documents as another scheme's
// URL; and when the code reads a name of kind's own (MONGODB_URI), the
// driver's URL is that one: hackathon-starter's app.js imports mongoose
// and reads MONGODB_URI, and also BASE_URL (http://localhost:8080 in its
// .env.example, the site's own URL), which is no database's.
// kinds are the service's own, the URL's first.
func driverFileURLs(p *Plan, kind string, kinds []serviceVar) []serviceVar {
	var file string
	for _, db := range p.Stack.Databases {
		if db.Value == kind {
			file = db.File
		}
	}
	if file == "" || slices.ContainsFunc(p.Stack.Env, func(e detect.Evidence) bool { return kinds[0].name.MatchString(e.Value) }) {
		return nil
	}
	var out []serviceVar
	for _, e := range p.Stack.Env {
		if e.File != file || !connectionString.MatchString(e.Value) || claimed(e.Value) {
			continue
		}
		if doc := documentedScheme(p, e.Value); doc != "" && schemeFamily(doc+"://") != kind {
			continue
		}
		out = append(out, serviceVar{regexp.MustCompile(`^` + regexp.QuoteMeta(e.Value) + `$`), kinds[0].value})
	}
	return out
}

// queryAppended reports whether the code appends a query string to the
// variable's value (detect.Stack.QueryAppended).
func queryAppended(p *Plan, name string) bool {
	for _, e := range p.Stack.QueryAppended {
		if e.Value == name {
			return true
		}
	}
	return false
}

// claimed reports whether a variable's name is one of a service's kinds.
func claimed(name string) bool {
	for _, kinds := range [][]serviceVar{postgresVars, mysqlVars, mongoVars, redisVars} {
		for _, k := range kinds {
			if k.name.MatchString(name) {
				return true
			}
		}
	}
	return false
}

// serviceVars are the variables of one kind the code reads, with values;
// fallback alone (with the first kind's value) when it reads none.
func serviceVars(p *Plan, kinds []serviceVar, fallback, database string) [][2]string {
	var out [][2]string
	family := schemeFamily(kinds[0].value)
	kinds = append(urlPartVars(p, family, kinds), kinds...)
	for _, e := range p.Stack.Env {
		documented := documentedScheme(p, e.Value)
		for _, k := range kinds {
			// APP_DSN, which go-env reads for a field tagged DSN, holds
			// what DSN does.
			named := k.name.MatchString(e.Value) || k.name.MatchString(p.Stack.EnvBase[e.Value])
			switch {
			case documented == "":
				// Undocumented, under the app's own prefix and naming its
				// service: eduardolat/pgbackweb's PBW_POSTGRES_CONN_STRING
				// (beside PBW_ENCRYPTION_KEY) is a POSTGRES_CONN_STRING.
				named = named || strings.Contains(k.value, "://") && familyWord[family] != nil &&
					prefixedName(k.name, e.Value, p.Stack.Env) && familyWord[family].MatchString(e.Value)
			case schemeFamily(documented+"://") == family:
				// Documented as this service's URL under the app's own
				// prefix: mongo-express's ME_CONFIG_MONGODB_URL is a
				// MONGODB_URL (its .env.example:9, mongodb://...).
				named = named || prefixedName(k.name, e.Value, p.Stack.Env)
				// Documented as this service's URL: the URL, where the
				// name reads as another kind of it (go-social's DB_ADDR,
				// an address). A name that reads as none of them
				// (TEST_DATABASE_URL) is not this service's.
				k = kinds[0]
			case !strings.Contains(k.value, "://"):
				named = false // another service's URL gets no host of ours
			}
			if named {
				value := strings.ReplaceAll(k.value, "{db}", database)
				if queryAppended(p, e.Value) {
					// The code adds its own query: ours would make two.
					// The query is after the path's last slash (the
					// password's ${…:?…} has a ? too).
					if i := strings.LastIndex(value, "/"); i >= 0 {
						if j := strings.IndexByte(value[i:], '?'); j >= 0 {
							value = value[:i+j]
						}
					}
				}
				out = append(out, [2]string{e.Value, value})
				break
			}
		}
	}
	if len(out) == 0 {
		out = append(out, [2]string{fallback, strings.ReplaceAll(kinds[0].value, "{db}", database)})
	}
	return out
}

// otherEnvironment is a prefix that names another environment's
// variable (TEST_DATABASE_URL is the tests' database, not the app's).
var otherEnvironment = regexp.MustCompile(`(?:^|_)(?:TEST|TESTING|CI|DEV|LOCAL|E2E|STAGING|STAGE|PROD|PRODUCTION|SHADOW|REPLICA|READ|SOURCE|BACKUP|OLD|LEGACY)(?:_|$)`)

// familyWord names a service's family in a variable's name.
var familyWord = map[string]*regexp.Regexp{
	"postgres": regexp.MustCompile(`(?:^|_)(?:POSTGRES(?:QL)?|PG)_`),
	"mysql":    regexp.MustCompile(`(?:^|_)(?:MYSQL|MARIADB)_`),
	"mongodb":  regexp.MustCompile(`(?:^|_)MONGO(?:DB)?_`),
	"redis":    regexp.MustCompile(`(?:^|_)REDIS_`),
}

// prefixedName reports whether name is a kind's name after a prefix of the
// app's own (ME_CONFIG_ + MONGODB_URL): one other variable the code reads
// shares it (mongo-express reads thirty ME_CONFIG_ ones), and it names no
// other environment (TEST_DATABASE_URL is the tests' database;
// STAGING_DATABASE_URL, read alone, another deployment's).
func prefixedName(kind *regexp.Regexp, name string, env []detect.Evidence) bool {
	for i := 1; i < len(name)-1; i++ {
		if name[i] != '_' || !kind.MatchString(name[i+1:]) {
			continue
		}
		prefix := name[:i+1]
		shared := slices.ContainsFunc(env, func(e detect.Evidence) bool { return e.Value != name && strings.HasPrefix(e.Value, prefix) })
		return shared && !otherEnvironment.MatchString(name[:i])
	}
	return false
}

// roleNames are names of each part of a connection URL that one of a
// service's kinds of variable claims (DB_HOST for Postgres and MySQL,
// MONGO_HOST, REDIS_HOST).
var roleNames = map[string][]string{
	"host":     {"DB_HOST", "MONGO_HOST", "REDIS_HOST"},
	"port":     {"DB_PORT", "MONGO_PORT", "REDIS_PORT"},
	"user":     {"DB_USER"},
	"password": {"DB_PASSWORD"},
	"name":     {"DB_NAME", "MONGO_DB"},
}

// urlPartVars are, as kinds of variable, those the code puts into a part
// of a family URL it builds (detect.URLPart): POSTGRES_SERVICE in the
// host of postgres://…@${process.env.POSTGRES_SERVICE}:… gets what
// DB_HOST would, whatever its name says.
func urlPartVars(p *Plan, family string, kinds []serviceVar) []serviceVar {
	var out []serviceVar
	for _, u := range p.Stack.URLParts {
		if u.Scheme != family {
			continue
		}
	role:
		for _, k := range kinds {
			for _, n := range roleNames[u.Role] {
				if k.name.MatchString(n) {
					out = append(out, serviceVar{regexp.MustCompile(`^` + regexp.QuoteMeta(u.Value) + `$`), k.value})
					break role
				}
			}
		}
	}
	return out
}

// documentedScheme is the scheme the repository documents name's value
// with ("postgres" for DB_ADDR=postgres://...), "" when it documents none.
func documentedScheme(p *Plan, name string) string {
	for _, u := range p.Stack.URLVars {
		if u.Value == name {
			return u.Scheme
		}
	}
	return ""
}

// schemeFamily is the service a connection URL is for: postgres:// and
// postgresql+psycopg:// alike.
func schemeFamily(url string) string {
	scheme, _, _ := strings.Cut(url, "://")
	scheme, _, _ = strings.Cut(scheme, "+")
	switch scheme {
	case "postgres", "postgresql", "pgsql":
		return "postgres"
	case "mysql", "mysql2", "mariadb":
		return "mysql"
	case "redis", "rediss":
		return "redis"
	case "mongodb":
		return "mongodb"
	}
	return scheme
}

const composeHardening = `    read_only: true
    tmpfs:
      - /tmp
    cap_drop: [ALL]
    security_opt:
      - no-new-privileges:true
    restart: unless-stopped
`

// limits is the resource limits and log rotation of a service.
func limits(cpus, memory string) string {
	return fmt.Sprintf(`    deploy:
      resources:
        limits:
          cpus: %q
          memory: %s
    logging:
      driver: json-file
      options:
        max-size: "10m"
        max-file: "3"
`, cpus, memory)
}

// Compose writes compose.yaml: the apps behind nginx, the databases they
// talk to with health checks, named volumes, limits, log rotation and
// secrets from .env.
func Compose(set *Set) File {
	var b strings.Builder
	fmt.Fprintf(&b, `# Generated by shipshape init. Secrets come from .env (start from .env.example), never from this file.
#   GIT_SHA=$(git rev-parse --short=12 HEAD) docker compose up -d --build --wait
# The app is reached through nginx on http://127.0.0.1:8080 (PROXY_PORT changes the port).
name: %s
services:
`, set.Name)
	var volumes []string
	for _, svc := range set.Services {
		volumes = append(volumes, composeApp(&b, set, svc)...)
	}
	database := set.database()
	user, name := sqlLogin(set.codeLogin(), database)
	switch {
	case set.has("postgres"):
		fmt.Fprintf(&b, `  db:
    image: %s
    environment:
      POSTGRES_USER: %s
      POSTGRES_DB: %s
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}
    volumes:
      - db_data:/var/lib/postgresql/data
%s%s    healthcheck:
      test: ["CMD", "pg_isready", "-U", "%s", "-d", "%s"]
      interval: 5s
      timeout: 3s
      retries: 10
    shm_size: 128m
    # Fast shutdown: SIGTERM would wait for every client to disconnect.
    stop_signal: SIGINT
    restart: unless-stopped
    stop_grace_period: 30s
`+limits("1.0", "1G"), postgresImage, user, name, setupVolumes(set), composeAliases(set.hostAliases("db")), user, name)
		volumes = append(volumes, "db_data")
	case set.has("mysql"):
		login := fmt.Sprintf(`      MYSQL_USER: %s
      MYSQL_DATABASE: %s
      MYSQL_PASSWORD: ${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env}
      MYSQL_RANDOM_ROOT_PASSWORD: "yes"
`, user, name)
		if user == "root" { // the code logs in as root
			login = fmt.Sprintf(`      MYSQL_DATABASE: %s
      MYSQL_ROOT_PASSWORD: ${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env}
`, name)
		}
		fmt.Fprintf(&b, `  db:
    image: %s
    environment:
%s    volumes:
      - db_data:/var/lib/mysql
%s%s    healthcheck:
      test: ["CMD", "mysqladmin", "ping", "-h", "127.0.0.1"]
      interval: 5s
      timeout: 3s
      retries: 20
    restart: unless-stopped
`+limits("1.0", "1G"), mysqlImage, login, setupVolumes(set), composeAliases(set.hostAliases("db")))
		volumes = append(volumes, "db_data")
	}
	if set.has("mongodb") {
		fmt.Fprintf(&b, `  mongo:
    image: %s
    volumes:
      - mongo_data:/data/db
%s    healthcheck:
      test: ["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"]
      interval: 5s
      timeout: 3s
      retries: 20
    restart: unless-stopped
`+limits("1.0", "1G"), mongoImage, composeAliases(set.hostAliases("mongo")))
		volumes = append(volumes, "mongo_data")
	}
	if set.has("redis") {
		fmt.Fprintf(&b, `  redis:
    image: %s
    command: ["redis-server", "--appendonly", "yes"]
    volumes:
      - redis_data:/data
%s    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 5s
      timeout: 3s
      retries: 10
    restart: unless-stopped
`+limits("0.5", "256M"), redisImage, composeAliases(set.hostAliases("redis")))
		volumes = append(volumes, "redis_data")
	}
	volumes = append(volumes, composeBrokers(&b, set)...)
	fmt.Fprintf(&b, `  proxy:
    image: %s
    command: ["nginx", "-g", "daemon off;"]
    ports:
      - "127.0.0.1:${PROXY_PORT:-8080}:8080"
    configs:
      - source: nginx
        target: /etc/nginx/nginx.conf
    depends_on:
`, nginxImage)
	for _, svc := range set.Services {
		fmt.Fprintf(&b, "      %s:\n        condition: service_healthy\n", svc.Name)
	}
	b.WriteString(strings.Replace(composeHardening, "cap_drop: [ALL]", "cap_drop: [ALL]\n    cap_add: [CHOWN, SETGID, SETUID]", 1))
	b.WriteString(limits("0.5", "128M"))
	b.WriteString(`configs:
  nginx:
    file: ./deploy/proxy/nginx.conf
`)
	if len(volumes) > 0 {
		b.WriteString("volumes:\n")
		for _, v := range volumes {
			fmt.Fprintf(&b, "  %s:\n", v)
		}
	}
	return File{Path: "compose.yaml", Content: b.String()}
}

// composeApp writes one app service and returns the volumes it uses.
func composeApp(b *strings.Builder, set *Set, svc Service) []string {
	p := svc.Plan
	fmt.Fprintf(b, `  %s:
    build:
      context: %s
      args:
        GIT_SHA: %s
    image: %s:%s
    env_file:
      - path: .env
        required: false
`, svc.Name, svc.Dir, shaRequired, p.Image, shaRequired)
	env := appEnv(p, set.database())
	if name, value, ok := p.sqliteEnv(); ok {
		// The image sets it too; here it wins over an .env value that
		// would move the file off the volume. Not in appEnv: Kubernetes
		// takes those from a Secret, where the image's value would be lost.
		env = uniqueNames(append(env, [2]string{name, value}))
	}
	if len(env) > 0 {
		b.WriteString("    environment:\n")
		for _, e := range env {
			fmt.Fprintf(b, "      %s: %s\n", e[0], e[1])
		}
	}
	if args := p.Command(); len(args) > 0 {
		fmt.Fprintf(b, "    command: %s\n", execForm(args))
	}
	fmt.Fprintf(b, "    expose:\n      - \"%d\"\n", p.Port)
	var volumes []string
	if p.DataDir != "" {
		v := "data"
		if len(set.Services) > 1 {
			v = svc.Name + "_data"
		}
		fmt.Fprintf(b, "    volumes:\n      - %s:%s\n", v, p.DataDir)
		volumes = append(volumes, v)
	}
	var deps [][2]string
	if p.Has("postgres") || p.Has("mysql") {
		deps = append(deps, [2]string{"db", "service_healthy"})
	}
	migrate := MigrateCommand(p)
	if p.Has("mongodb") {
		deps = append(deps, [2]string{"mongo", "service_healthy"})
	}
	if p.Has("redis") {
		deps = append(deps, [2]string{"redis", "service_healthy"})
	}
	deps = append(deps, brokerDependsOn(p)...)
	if len(deps) > 0 || migrate != nil {
		b.WriteString("    depends_on:\n")
		for _, d := range deps {
			fmt.Fprintf(b, "      %s:\n        condition: %s\n", d[0], d[1])
		}
		if migrate != nil {
			fmt.Fprintf(b, "      %s-migrate:\n        condition: service_completed_successfully\n", svc.Name)
		}
	}
	// The image's own health check, repeated so that compose (and check)
	// see it without reading the Dockerfile.
	fmt.Fprintf(b, "    healthcheck:\n      test: %s\n      interval: 10s\n      timeout: 3s\n      start_period: 15s\n      retries: 3\n",
		execForm(append([]string{"CMD"}, healthCommand(p)...)))
	b.WriteString(composeHardening)
	b.WriteString("    stop_grace_period: 30s\n" + limits("1.0", "512M"))
	if migrate != nil {
		// The release step: the new image applies the migrations once,
		// before the app starts, not in every container's entrypoint.
		env := appEnv(p, set.database())
		pairs := make([]string, len(env))
		for i, e := range env {
			pairs[i] = e[0] + "=" + e[1]
		}
		fmt.Fprintf(b, "  %s-migrate:\n    image: %s:%s\n    entrypoint: %s\n    env_file:\n      - path: .env\n        required: false\n",
			svc.Name, p.Image, shaRequired, execForm(ExpandRefs(migrate, pairs)))
		if len(env) > 0 {
			b.WriteString("    environment:\n")
			for _, e := range env {
				fmt.Fprintf(b, "      %s: %s\n", e[0], e[1])
			}
		}
		if p.DataDir != "" {
			// The SQLite file the app opens: migrated where the app reads it.
			fmt.Fprintf(b, "    volumes:\n      - %s:%s\n", volumes[0], p.DataDir)
		}
		if len(deps) > 0 {
			b.WriteString("    depends_on:\n")
			for _, d := range deps {
				fmt.Fprintf(b, "      %s:\n        condition: %s\n", d[0], d[1])
			}
		}
		b.WriteString(strings.Replace(composeHardening, "    restart: unless-stopped\n", "    restart: \"no\"\n", 1))
		b.WriteString(limits("0.5", "256M"))
	}
	return volumes
}

// MigrateCommand is the command that applies the app's migrations in its
// own image, or nil when the project declares none init can run (Prisma's
// CLI is a build-time tool the runtime image does not carry: a note says
// so).
func MigrateCommand(p *Plan) []string {
	m := p.Stack.Migrate
	if m != nil && p.Stack.Language == "go" && strings.HasPrefix(m.Value, "-") {
		// The program's own migrate flag (miniflux's -migrate): it
		// migrates and exits.
		return []string{"/app/server", m.Value}
	}
	if _, args, ok := goMigrateProgram(p); ok {
		// The repository's own migration program (ecom's cmd/migrate).
		return append([]string{"/app/migrate"}, args...)
	}
	if cli, urlVar, ok := migrationTool(p); ok {
		// The URL is the app's own, as a reference ExpandRefs resolves
		// where no Kubernetes does. Where the app appends its own query
		// (sslmode=disable), the URL it is given has none, and lib/pq,
		// golang-migrate's driver, would require TLS, which the database
		// beside it does not serve: the step adds what the app does.
		url := "$(" + urlVar + ")"
		if queryAppended(p, urlVar) {
			url += "?sslmode=disable"
		}
		args := cli.args("/app/"+p.Stack.Migrations.Value, url)
		readsGoose := slices.ContainsFunc(appEnv(p, p.database()), func(e [2]string) bool { return e[0] == "GOOSE_DBSTRING" })
		if m.Value == detect.Goose && (urlVar == "GOOSE_DBSTRING" || readsGoose) {
			// goose's CLI reads its own variable from the environment, the
			// step's too, and then takes the argument after the driver for
			// the command ("goose run: \"postgresql://...\": no such
			// command" with the URL given as well).
			args = slices.DeleteFunc(args, func(a string) bool { return a == url })
		}
		return append([]string{"/app/migrate"}, args...)
	}
	if m != nil && m.Value == "knex" && p.Stack.Language == "node" && p.Stack.Knexfile != nil && p.Stack.KnexNoProduction == nil {
		// knex's own CLI from the app's dependencies, in /app beside the
		// knexfile; NODE_ENV=production picks its configuration.
		_, node := nodeRuntime(p.Stack)
		return []string{node, "node_modules/knex/bin/cli.js", "migrate:latest", "--knexfile", p.Stack.Knexfile.Value}
	}
	if m == nil || p.Stack.Language != "python" {
		return nil
	}
	_, python := pythonRuntime(p.Stack)
	switch m.Value {
	case "django":
		return []string{python, djangoManage(p.Stack), "migrate", "--noinput"}
	case "alembic":
		return []string{python, "-m", "alembic", "upgrade", "head"}
	case "flask-migrate":
		cmd := []string{python, "-m", "flask", "--app", strings.TrimSuffix(p.Entrypoint, "()"), "db", "upgrade"}
		if dir := p.Stack.Migrations; dir != nil && dir.Value != "migrations" {
			cmd = append(cmd, "--directory", dir.Value) // not at the root (detect's flaskMigrationsDir)
		}
		return cmd
	}
	return nil
}

// envRef is a Kubernetes reference to a variable of the container's
// environment in a command: $(NAME).
var envRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// ExpandRefs puts into cmd the values of the $(NAME) references it makes
// to the variables in env (NAME=value), as Kubernetes does for a
// container's command: for compose, whose values are its own
// interpolations of .env, and for init --verify's run. A name env lacks
// stays as it is.
func ExpandRefs(cmd []string, env []string) []string {
	values := map[string]string{}
	for _, e := range env {
		if k, v, ok := strings.Cut(e, "="); ok {
			values[k] = v
		}
	}
	out := make([]string, len(cmd))
	for i, w := range cmd {
		out[i] = envRef.ReplaceAllStringFunc(w, func(ref string) string {
			if v, ok := values[envRef.FindStringSubmatch(ref)[1]]; ok {
				return v
			}
			return ref
		})
	}
	return out
}

// SetupCommand is the command in the image that creates a new database
// the way the project declares (flaskr's `flask init-db`), nil when it
// declares none. Unlike MigrateCommand, no release runs it: it is for a
// database that is new, as init --verify's run's is.
func SetupCommand(p *Plan) []string {
	e := p.Stack.SetupCommand
	if e == nil {
		return nil
	}
	_, python := pythonRuntime(p.Stack)
	return []string{python, "-m", "flask", "--app", strings.TrimSuffix(p.Entrypoint, "()"), e.Value}
}

// EnvExample lists the variables compose needs, without values.
func EnvExample(set *Set) File {
	var b strings.Builder
	b.WriteString("# Copy to .env (never committed) and fill in. Generated by shipshape init.\n")
	// The passwords of the databases compose.yaml runs; none when the
	// repository's own compose project is kept, and no compose.yaml is
	// written (brocoders/nestjs-boilerplate's .env.example got a
	// POSTGRES_PASSWORD nothing read), unless the code reads the name.
	kept := set.Services[0].Plan.ComposeKept != ""
	password := ""
	if l := set.codeLogin(); l != nil && l.Password != "" && !kept {
		fmt.Fprintf(&b, "# The password %s connects with, which the code holds: the database must have it.\n", l.Where())
		password = l.Password
	}
	for _, db := range []struct {
		name, value string
		runs        bool
	}{{"POSTGRES_PASSWORD", password, set.has("postgres")}, {"MYSQL_PASSWORD", password, set.has("mysql")}, {"RABBITMQ_PASSWORD", "", set.talksTo("rabbitmq")}} {
		if db.runs && (!kept || set.reads(db.name)) {
			b.WriteString(db.name + "=" + db.value + "\n")
		}
	}
	// Grouped by kind across the services, each variable once; each
	// service's list made once (it renders the service's Dockerfile).
	vars := make([][]dotenvVar, len(set.Services))
	for i, svc := range set.Services {
		vars[i] = dotenvVars(svc.Plan, set.database())
	}
	listed := map[string]bool{}
	for _, kind := range []string{dotenvSecret, dotenvDocumented, dotenvRequired} {
		heading := ""
		for i, svc := range set.Services {
			for _, v := range vars[i] {
				if v.kind != kind || listed[v.name] {
					continue
				}
				if h := v.heading(svc.Dir); h != heading {
					heading = h
					fmt.Fprintf(&b, "# %s:\n", h)
				}
				listed[v.name] = true
				fmt.Fprintf(&b, "%s\n", v.line)
			}
		}
	}
	for _, svc := range set.Services {
		if v := svc.Plan.Stack.DjangoHostsVar; v != nil && !listed[v.Value] {
			// The image sets it (unset, the settings fail at import);
			// commented, since .env wins over the image.
			listed[v.Value] = true
			fmt.Fprintf(&b, "# The image sets %s to its local names (%s); add the name the site is served at:\n# %s=%q\n",
				v.Value, v.Where(), v.Value, djangoLocalHosts(v)+v.Why+"example.com")
		}
	}
	return File{Path: ".env.example", Content: b.String()}
}

// A dotenvVar is a variable the app reads from .env, which compose.yaml
// passes it and the Kubernetes Secret is made from: its name, the line
// .env.example gives it, its kind, and for one the repository's example
// env file documents, where.
type dotenvVar struct {
	name, line, kind string
	doc              *detect.Evidence
}

// The kinds of dotenvVar, in the order .env.example lists them.
const (
	dotenvSecret     = "secret"
	dotenvDocumented = "documented"
	dotenvRequired   = "required"
)

// heading is the comment over the variables of v's kind in .env.example.
func (v dotenvVar) heading(dir string) string {
	switch v.kind {
	case dotenvSecret:
		return "Secrets the code reads, which nothing else sets"
	case dotenvDocumented:
		return "What " + path.Join(dir, v.doc.File) + " documents, which the app gets as documented (init --verify's run too)"
	}
	return "Variables the code requires, which nothing else sets (the app exits without them)"
}

// dotenvVars are the variables a service reads from .env besides those
// compose.yaml sets:
//   - the secrets the code reads that nothing else sets (Massad/gin-
//     boilerplate signs its tokens with os.Getenv("ACCESS_SECRET"),
//     models/auth.go:66, empty when .env does not say it);
//   - what its example env file documents, which the verify run got
//     (express-typescript-2024's .env.template: CORS_ORIGIN and the rate
//     limits its envalid schema requires): without them the deployed app
//     exits. A development mode gets production's value, a secret is left
//     to fill in;
//   - the variables it requires that neither sets.
//
// What the image sets is left out: .env would win over it.
func dotenvVars(p *Plan, database string) []dotenvVar {
	given := map[string]bool{}
	for _, e := range appEnv(p, database) {
		given[e[0]] = true
	}
	var out []dotenvVar
	for _, e := range p.Stack.Env {
		if credential.LooksSecretName(e.Value) && !given[e.Value] {
			given[e.Value] = true
			out = append(out, dotenvVar{name: e.Value, line: e.Value + "=", kind: dotenvSecret})
		}
	}
	documented := slices.Concat(p.Stack.ExampleEnv, p.Stack.ComposeEnv)
	if len(documented)+len(p.Stack.Required) == 0 {
		return out
	}
	if p.PortEnv != "" {
		given[p.PortEnv] = true
	}
	if f, err := Dockerfile(p); err == nil {
		if df, err := sourcedockerfile.Parse([]byte(f.Content), sourcedockerfile.Options{Path: "Dockerfile"}); err == nil && df.FinalStage() != nil {
			maps.Copy(given, df.FinalStage().EnvKeys())
		}
	}
	dev := map[string]string{}
	for _, d := range p.Stack.DevModes {
		name, _, _ := strings.Cut(d.Value, "=")
		dev[name] = d.Value
	}
	for _, e := range documented {
		if given[e.Value] {
			continue
		}
		given[e.Value] = true
		v := dotenvVar{name: e.Value, line: e.Why, kind: dotenvDocumented, doc: &e}
		switch {
		case dev[e.Value] != "":
			v.line = dev[e.Value]
		case credential.LooksSecretName(e.Value):
			v.line = e.Value + "="
		}
		out = append(out, v)
	}
	for _, e := range p.Stack.Required {
		if !given[e.Value] {
			given[e.Value] = true
			out = append(out, dotenvVar{name: e.Value, line: e.Value + "=", kind: dotenvRequired})
		}
	}
	return out
}

// djangoLocalHosts are the names ALLOWED_HOSTS needs for the image's
// health check and Kubernetes' probes, joined as the settings split them.
func djangoLocalHosts(v *detect.Evidence) string {
	return strings.Join([]string{"localhost", "127.0.0.1", "[::1]"}, v.Why)
}

// DotenvSecrets are the secrets the app reads from .env that nothing else
// sets (listed in .env.example, to fill in).
func DotenvSecrets(p *Plan) []string {
	var out []string
	for _, v := range dotenvVars(p, p.database()) {
		if v.kind == dotenvSecret {
			out = append(out, v.name)
		}
	}
	return out
}
