package verify

import (
	"strings"
	"testing"
)

// The lines are what the runtimes and servers print, copied from real
// failures of each kind.
func TestFindCauses(t *testing.T) {
	cases := []struct {
		name    string
		lines   []string
		engine  string
		kind    CauseKind
		subject string
		advice  string // a phrase the advice must hold
	}{
		{"python module", []string{"Traceback (most recent call last):", `  File "/app/app.py", line 3, in <module>`, "    from flask_sqlalchemy import SQLAlchemy", "ModuleNotFoundError: No module named 'flask_sqlalchemy'"},
			"", MissingPythonModule, "flask_sqlalchemy", "requirements.txt"},
		{"python submodule", []string{"ModuleNotFoundError: No module named 'yaml.cyaml'"}, "", MissingPythonModule, "yaml.cyaml", "provides yaml"},
		{"python 2 import error", []string{"ImportError: No module named requests"}, "", MissingPythonModule, "requests", "requirements.txt"},
		{"node package", []string{"node:internal/modules/cjs/loader:1080", "  throw err;", "Error: Cannot find module 'express'", "Require stack:", "- /app/server.js"},
			"", MissingNodeModule, "express", `"dependencies"`},
		{"node ESM package", []string{"Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'fastify' imported from /app/dist/main.js"}, "", MissingNodeModule, "fastify", "package.json"},
		{"node entry file", []string{"Error: Cannot find module '/app/dist/main.js'"}, "", MissingFile, "/app/dist/main.js", "--entrypoint"},
		{"go config file (benbjohnson/wtf)", []string{"config file not found: ~/wtfd.conf"}, "", MissingConfig, "~/wtfd.conf", "ConfigMap"},
		{"viper config file in a JSON log (techschool/simplebank, zerolog)", []string{`{"level":"fatal","error":"Config File \"app\" Not Found in \"[/app]\"","time":"2026-12-01T08:30:00Z","message":"cannot load config"}`}, "", MissingConfig, "app", "mount it"},
		{"lib/pq v1.0.0 against SCRAM (zhashkevych/todo-app)", []string{`time="2026-12-02T10:00:00Z" level=fatal msg="failed to initialize db: pq: unknown authentication response: 10"`}, "", OldDatabaseDriver, "", "go get github.com/lib/pq@latest"},
		{"node-postgres requiring TLS of a server without it (javieraviles/node-typescript-koa-rest)", []string{"TypeORM connection error:  Error: The server does not support SSL connections", "    at Socket.<anonymous> (/app/node_modules/pg/lib/connection.js:72:37)"}, "", DatabaseUnreachable, "The server does not support SSL connections", "sslmode=disable"},
		{"a password the database does not know", []string{`FATAL: password authentication failed for user "app"`}, "", DatabaseUnreachable, `password authentication failed for user "app"`, "a user or password the database was not started with"},
		// MySQL's words, and no TLS advice for them (bezkoder/nodejs-
		// express-sequelize-mysql was told to add sslmode=disable).
		{"a util function Node 23 removed (nestjs-typeorm-postgresql's @nestjs/typeorm 7)", []string{"    if (util_1.isNullOrUndefined(entity)) {", "               ^", "TypeError: util_1.isNullOrUndefined is not a function"}, "", RemovedNodeAPI, "isNullOrUndefined", "Node 22, the last release that has it"},
		{"the same, as TypeScript 4.4 and Babel call it", []string{"TypeError: (0 , _util.isString) is not a function"}, "", RemovedNodeAPI, "isString", "which Node 23 removed"},
		{"MySQL refusing root", []string{"Failed to sync db: Access denied for user 'root'@'172.22.0.3' (using password: YES)"}, "", DatabaseUnreachable, "Access denied for user 'root'", "the app logs in with a user or password"},
		{"psycopg2 on an old libpq", []string{"psycopg2.OperationalError: SCRAM authentication requires libpq version 10 or above"}, "", OldDatabaseDriver, "", "libpq 10"},
		{"schema not migrated (miniflux)", []string{"the database schema is not up to date: current=v0 expected=v132"}, "", MissingMigration, "", "migrations"},
		{"viper config file", []string{`panic: Config File "app" Not Found in "[/app /etc/app]"`}, "", MissingConfig, "app", "mount it"},
		{"python file", []string{"FileNotFoundError: [Errno 2] No such file or directory: 'config.yaml'"}, "", MissingFile, "config.yaml", "COPY it"},
		// Programs the app runs by name that the image lacks (opengist's
		// git, a transcoder's ffmpeg), as each language reports them.
		{"go os/exec (thomiceli/opengist)", []string{`{"level":"fatal","error":"exec: \"git\": executable file not found in $PATH","message":"Failed to get git version"}`}, "", MissingProgram, "git", "the package that provides it"},
		{"node spawn", []string{"Error: spawn ffmpeg ENOENT", "    at ChildProcess._handle.onexit (node:internal/child_process:286:19)"}, "", MissingProgram, "ffmpeg", "final stage"},
		// Python's subprocess says what a missing file says: MissingFile's.
		{"python subprocess", []string{"FileNotFoundError: [Errno 2] No such file or directory: 'pg_dump'"}, "", MissingFile, "pg_dump", "a program the app runs"},
		{"a shell's", []string{"/bin/sh: 1: convert: not found"}, "", MissingProgram, "convert", "final stage"},
		{"the engine's, for the entrypoint", []string{`OCI runtime create failed: runc create failed: unable to start container process: exec: "python3": executable file not found in $PATH: unknown`}, "", BadEntrypoint, "python3", "--entrypoint"},
		{"node file", []string{"Error: ENOENT: no such file or directory, open '/app/.env.production'"}, "", MissingFile, "/app/.env.production", "COPY it"},
		{"go file", []string{"2024/05/01 10:00:00 open /app/config.json: no such file or directory"}, "", MissingFile, "/app/config.json", "COPY it"},
		{"python script", []string{"/usr/bin/python3.11: can't open file '/app/main.py': [Errno 2] No such file or directory"}, "", BadEntrypoint, "/app/main.py", "--entrypoint"},
		{"uvicorn module", []string{`ERROR:    Error loading ASGI app. Could not import module "main".`}, "", BadEntrypoint, "main", "--entrypoint"},
		{"gunicorn object", []string{"Failed to find attribute 'app' in 'wsgi'."}, "", BadEntrypoint, "wsgi", "--entrypoint"},
		{"exec format", []string{"exec /app/server: exec format error"}, "", BadEntrypoint, "/app/server", "architecture"},
		{"exec format, old engine", nil, "standard_init_linux.go:228: exec user process caused: exec format error", BadEntrypoint, "", "architecture"},
		{"no entrypoint, engine error", nil, `failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "gunicorn": executable file not found in $PATH: unknown`,
			BadEntrypoint, "gunicorn", "not in the image"},
		{"no entrypoint, log", []string{"exec /app/server: no such file or directory"}, "", BadEntrypoint, "/app/server", "CGO_ENABLED=0"},
		{"go binds IPv6 loopback, which the container lacks (muety/wakapi)", []string{"\x1b[37m2026-12-02 13:00:30.789\x1b[0m \x1b[31mERROR\x1b[0m \x1b[97mlisten tcp [::1]:3000: bind: cannot assign requested address\x1b[0m"}, "", AddressUnavailable, "[::1]:3000", "IPv6 address this container does not have"},
		{"node binds an address the container lacks", []string{"Error: listen EADDRNOTAVAIL: address not available 10.1.2.3:8080"}, "", AddressUnavailable, "10.1.2.3:8080", "bind every address"},
		{"go address in use", []string{"2024/05/01 listen tcp :8080: bind: address already in use"}, "", AddressInUse, "8080", "two servers"},
		{"node address in use", []string{"Error: listen EADDRINUSE: address already in use :::3000"}, "", AddressInUse, "3000", "port 3000"},
		{"gunicorn address in use", []string{"[2024-05-01 10:00:00 +0000] [1] [ERROR] Connection in use: ('0.0.0.0', 8000)"}, "", AddressInUse, "8000", "port 8000"},
		{"privileged port", []string{"2024/05/01 listen tcp :80: bind: permission denied"}, "", PrivilegedPort, "80", "--port"},
		{"node privileged port", []string{"Error: listen EACCES: permission denied 0.0.0.0:443"}, "", PrivilegedPort, "443", "--port"},
		{"python environ", []string{"    SECRET_KEY = os.environ['SECRET_KEY']", "  File \"<frozen os>\", line 679, in __getitem__", "KeyError: 'SECRET_KEY'"}, "", MissingEnv, "SECRET_KEY", "environment variable SECRET_KEY"},
		{"env required", []string{"panic: environment variable DATABASE_URL is required"}, "", MissingEnv, "DATABASE_URL", "DATABASE_URL is not set"},
		{"missing env", []string{"Error: Missing required environment variable: JWT_SECRET"}, "", MissingEnv, "JWT_SECRET", "JWT_SECRET"},
		{"var is not set", []string{"fatal: STRIPE_API_KEY is not set"}, "", MissingEnv, "STRIPE_API_KEY", "STRIPE_API_KEY"},
		// screego: the first of the alternatives, not the second (which
		// then asks for its secret too).
		{"one of two", []string{"2026-12-03T21:15:46Z FTL SCREEGO_EXTERNAL_IP or SCREEGO_TURN_EXTERNAL_IP must be set"}, "", MissingEnv, "SCREEGO_EXTERNAL_IP", "SCREEGO_EXTERNAL_IP"},
		{"django", []string{"django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty."}, "", MissingEnv, "SECRET_KEY", "SECRET_KEY"},
		{"psycopg", []string{`psycopg2.OperationalError: connection to server at "localhost" (127.0.0.1), port 5432 failed: Connection refused`}, "", DatabaseUnreachable, "5432", "compose"},
		{"node pg", []string{"Error: connect ECONNREFUSED 127.0.0.1:5432"}, "", DatabaseUnreachable, "127.0.0.1:5432", "localhost is the container itself"},
		{"go pq", []string{"dial tcp 127.0.0.1:5432: connect: connection refused"}, "", DatabaseUnreachable, "127.0.0.1:5432", "DATABASE_URL"},
		{"mysql", []string{"ERROR 2003 (HY000): Can't connect to MySQL server on 'localhost:3306' (111)"}, "", DatabaseUnreachable, "localhost:3306", "compose"},
		{"redis", []string{"redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused."}, "", DatabaseUnreachable, "localhost:6379", "compose"},
		{"db host", []string{`psycopg2.OperationalError: could not translate host name "db" to address: Name or service not known`}, "", DatabaseUnreachable, "db", "compose network"},
		{"read-only", []string{"OSError: [Errno 30] Read-only file system: '/app/instance'"}, "", ReadOnlyFileSystem, "/app/instance", "/tmp"},
		{"golang-migrate's own table is a migration not run", []string{`pq: relation "schema_migrations" does not exist`}, "", MissingMigration, "", "migrations"},
		{"no such table", []string{"sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such table: todo"}, "", MissingTable, "todo", "release step"},
		{"postgres relation", []string{`error: relation "users" does not exist`}, "", MissingTable, "users", "migrations"},
		{"sqlite", []string{"sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) unable to open database file", "(Background on this error at: https://sqlalche.me/e/20/e3q8)"}, "", SQLiteCannotOpen, "", "data volume"},
		{"node read-only", []string{"Error: EROFS: read-only file system, open '/app/logs/app.log'"}, "", ReadOnlyFileSystem, "/app/logs/app.log", "--writable"},
		{"permission", []string{"PermissionError: [Errno 13] Permission denied: '/app/data/db.sqlite3'"}, "", PermissionDenied, "/app/data/db.sqlite3", "--chown"},
		// Under the home directory of a uid with no passwd entry (HOME=/).
		{"home dir (node-red 5.0.7)", []string{"Error: ENOENT: no such file or directory, mkdir '/.node-red'"}, "", MissingFile, "/.node-red", "ENV HOME=/home/app"},
		{"home dir, go", []string{"mkdir /.config/app: read-only file system"}, "", ReadOnlyFileSystem, "/.config/app", "point HOME at a writable volume"},
		{"home dir, python", []string{"PermissionError: [Errno 13] Permission denied: '/.cache'"}, "", PermissionDenied, "/.cache", "under its home directory"},
		{"colours", []string{"\x1b[31mError: Cannot find module 'dotenv'\x1b[39m"}, "", MissingNodeModule, "dotenv", "package.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := FindCauses(c.lines, c.engine)
			if len(got) != 1 {
				t.Fatalf("causes = %+v, want one %s", got, c.kind)
			}
			if got[0].Kind != c.kind || got[0].Subject != c.subject {
				t.Errorf("cause = %s %q, want %s %q", got[0].Kind, got[0].Subject, c.kind, c.subject)
			}
			if !strings.Contains(got[0].Advice, c.advice) {
				t.Errorf("advice %q lacks %q", got[0].Advice, c.advice)
			}
			if got[0].Line == "" || strings.Contains(got[0].Line, "\x1b") {
				t.Errorf("line = %q", got[0].Line)
			}
		})
	}
}

func TestFindCauses_NothingKnown(t *testing.T) {
	for _, lines := range [][]string{
		nil,
		{"Listening on :8080", "GET /healthz 404"},
		{"connection refused"}, // a refused connection, but not to a database
		{"KeyError: 'name'"},   // a dictionary key, not a variable
		{"listen tcp :8080: bind: permission denied"},
	} {
		if got := FindCauses(lines, ""); len(got) != 0 {
			t.Errorf("FindCauses(%q) = %+v, want none", lines, got)
		}
	}
}

func TestFindCauses_EachOnce(t *testing.T) {
	lines := []string{"ModuleNotFoundError: No module named 'flask'", "ModuleNotFoundError: No module named 'flask'", "KeyError: 'SECRET_KEY'"}
	got := FindCauses(lines, "")
	if len(got) != 2 || got[0].Kind != MissingPythonModule || got[1].Kind != MissingEnv {
		t.Errorf("causes = %+v", got)
	}
}

// A flag the program requires, as its CLI library says so: the cause
// names the flag and --args.
func TestFindCauses_MissingRequiredFlag(t *testing.T) {
	for line, want := range map[string]string{
		"2026-12-04 04:37:02.547446 I | Missing required flags(s): --storage": "--storage",  // helm/chartmuseum
		`Error: required flag(s) "config" not set`:                            "--config",   // cobra
		`Required flag "provider" not set`:                                    "--provider", // urfave/cli v2
		"the required flag `--secret' was not specified":                      "--secret",   // go-flags
		"remark42: error: required flag --url not provided, try --help":       "--url",      // kingpin
	} {
		got := FindCauses([]string{line}, "")
		if len(got) != 1 || got[0].Kind != MissingFlag || got[0].Subject != want || !strings.Contains(got[0].Advice, "--args") {
			t.Errorf("%q: causes %+v, want the missing flag %s", line, got, want)
		}
	}
}
