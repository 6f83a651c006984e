package project

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/testutil"
)

func TestScan_RoutesAndRequiredEnv(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"app/main.py":             "import os\nfrom fastapi import FastAPI\napp = FastAPI()\nDB = os.environ[\"DATABASE_URL\"]\nLEVEL = os.environ.get(\"LOG_LEVEL\", \"info\")\n\n@app.get(\"/healthz\")\ndef healthz():\n    return {}\n\n@router.get('/items/{item_id}')\ndef item(item_id: int): ...\n",
		"svc/main.go":             "package main\nfunc main() {\n\thttp.HandleFunc(\"GET /livez\", live)\n\tr.Get(\"/api/v1/users\", users)\n}\n",
		"svc/auth.go":             "package main\nfunc me(c *gin.Context) {\n\tid, _ := c.Get(\"userId\")\n\tc.JSON(200, id)\n}\n",
		"web/server.js":           "app.get('/ready', (req, res) => res.send('ok'))\nrouter.route('POST', batchPath, handle)\nfastify.get(\n  '/welcome',\n  async () => ({}),\n)\nserver.route({\n  method: 'GET',\n  path: '/live',\n  handler,\n})\nserver.route({\n  method: 'POST',\n  path: '/login',\n})\napi.use('/up', function (req, res) { res.json({ status: 'ok' }) })\napp.use('/static', express.static('public'))\nthis.app.express.get('/pa11y', h)\n",
		"node_modules/x/index.js": "app.get('/hidden', h)\n",
	})
	app := Scan(dir)
	// A query is no part of the route (argo-cd probes /healthz?full=true).
	for _, path := range []string{"/healthz", "/items/42", "/livez", "/api/v1/users", "/ready", "/healthz/", "/welcome", "/live", "/up", "/pa11y", "/healthz?full=true", "/livez#x"} {
		if !app.Serves(path) {
			t.Errorf("%s not found in %v", path, app.Routes)
		}
	}
	if app.Serves("/hidden") || app.Serves("/health") || app.Serves("/health?z=/healthz") || app.Serves("/userId") || app.Serves("/POST") || app.Serves("/login") || app.Serves("/static") {
		t.Error("routes found where there are none")
	}
	if len(app.RequiredEnv) != 1 || app.RequiredEnv[0].Value != "DATABASE_URL" || app.RequiredEnv[0].Line != 4 {
		t.Fatalf("required env = %+v", app.RequiredEnv)
	}
}

func TestScan_ListenPorts(t *testing.T) {
	cases := []struct {
		file, code string
		want       string // "" when no port is known
	}{
		{"main.py", "uvicorn.run(app, host=\"0.0.0.0\", port=8000)\n", "8000"},
		{"app.py", "    app.run(debug=False, port=5000)\n", "5000"},
		{"app.py", "port = int(os.environ.get(\"PORT\", \"8080\"))\n", "8080"},
		{"app.py", "port = int(os.getenv('PORT', 9000))\n", "9000"},
		{"main.go", "log.Fatal(http.ListenAndServe(\":8080\", mux))\n", "8080"},
		{"main.go", "srv := &http.Server{Addr: \"0.0.0.0:9090\", Handler: h}\n", "9090"},
		{"main.go", "r.Run(\":3000\")\n", "3000"},
		{"main.go", "ln, err := net.Listen(\"tcp\", \":7000\")\n", "7000"},
		{"server.js", "app.listen(3000, () => console.log('up'))\n", "3000"},
		{"server.js", "const port = process.env.PORT || 4000;\n", "4000"},
		{"server.ts", "await fastify.listen({ port: 3001, host: '0.0.0.0' })\n", "3001"},
		{"main.rs", "let listener = tokio::net::TcpListener::bind(\"0.0.0.0:3000\").await?;\n", "3000"},
		{"main.rs", "let addr = SocketAddr::from(([0, 0, 0, 0], 8080));\n", "8080"},
		{"main.rs", "HttpServer::new(f).bind((\"0.0.0.0\", 8080))?\n", "8080"},
		{"server.js", "app.listen(port)\n", ""},
		// hoppscotch's backend (main.ts:93), and two more shapes of a
		// default after a read.
		{"main.ts", "  await app.listen(configService.get('PORT') || 3170);\n", "3170"},
		{"server.js", "server.listen(opts.port ?? 8081, () => {})\n", "8081"},
		{"server.js", "app.listen(process.env.APP_PORT || process.env.PORT || '5050')\n", "5050"},
		{"server.js", "app.listen(port || fallback)\n", ""},
		{"main.go", "http.ListenAndServe(addr, nil)\n", ""},
		{"main.go", "addr := flag.String(\"addr\", \":8080\", \"listen address\")\n", "8080"},
		{"main.go", "var server = restserver.Server{Path: \"/tmp/restic\", Listen: \":8000\", Log: \"\"}\n", "8000"},
		{"main.go", "fs.Int(\"port\", 9000, \"port\")\n", "9000"},
		// filebrowser's cmd/root.go: an address flag's default is no
		// port (127 of 127.0.0.1 had been read as one); the port flag's is.
		{"main.go", "flags.StringP(\"address\", \"a\", \"127.0.0.1\", \"address to listen on\")\n", ""},
		{"main.go", "flags.StringP(\"port\", \"p\", \"8080\", \"port to listen on\")\n", "8080"},
	}
	for _, c := range cases {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, c.file), []byte(c.code), 0o644); err != nil {
			t.Fatal(err)
		}
		app := Scan(dir)
		got := ""
		if len(app.Listens) > 0 {
			got = app.Listens[0].Value
			if app.Listens[0].Line != 1 {
				t.Errorf("%q: line %d, want 1", c.code, app.Listens[0].Line)
			}
		}
		if got != c.want {
			t.Errorf("%q: port %q, want %q", c.code, got, c.want)
		}
	}
}

// memos' shape: viper.SetEnvPrefix("memos") then AutomaticEnv, so its
// port default is read from $MEMOS_PORT, not $PORT.
func TestScan_ViperEnvPrefix(t *testing.T) {
	dir := t.TempDir()
	code := "package main\n\nfunc init() {\n\tviper.SetDefault(\"port\", 8081)\n\tviper.SetEnvPrefix(\"memos\")\n\tviper.AutomaticEnv()\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	app := Scan(dir)
	if len(app.Listens) != 1 || app.Listens[0].Value != "8081" || !strings.Contains(app.Listens[0].Why, "$MEMOS_PORT") {
		t.Errorf("listens %+v, want 8081 from $MEMOS_PORT", app.Listens)
	}
}

// zhashkevych/todo-app's shape: viper.GetString("port") with no
// AutomaticEnv reads configs/config.yml, not $PORT (init printed "port
// from $PORT cmd/main.go:59"); with AutomaticEnv in another file, or the
// same name read by os.Getenv too, the variable is read.
func TestScan_ViperKeysAreVariablesOnlyWithAutomaticEnv(t *testing.T) {
	main := "package main\n\nfunc main() {\n\tviper.SetConfigFile(\"configs/config.yml\")\n\tsrv.Run(viper.GetString(\"port\"), h)\n\t_ = viper.GetString(\"db.host\")\n}\n"
	for _, tc := range []struct {
		name         string
		files        map[string]string
		env, portVar string
	}{
		{"no AutomaticEnv", map[string]string{"cmd/main.go": main}, "", ""},
		{"AutomaticEnv in another file", map[string]string{"cmd/main.go": main, "config/config.go": "package config\n\nfunc init() {\n\tviper.AutomaticEnv()\n}\n"},
			"PORT@cmd/main.go:5 DB_HOST@cmd/main.go:6", "PORT@cmd/main.go:5"},
		{"os.Getenv too", map[string]string{"cmd/main.go": main, "cmd/port.go": "package main\n\nvar port = os.Getenv(\"PORT\")\n"},
			"PORT@cmd/main.go:5", "PORT@cmd/main.go:5 PORT@cmd/port.go:3"}, // each file's read: the program's may be the second (uptime-kuma's)
	} {
		dir := testutil.WriteTree(t, tc.files)
		app := Scan(dir)
		if got := namesAt(dir, app.Env); got != tc.env {
			t.Errorf("%s: env %q, want %q", tc.name, got, tc.env)
		}
		if got := namesAt(dir, app.PortVars); got != tc.portVar {
			t.Errorf("%s: port vars %q, want %q", tc.name, got, tc.portVar)
		}
	}
}

// TestScan_GoEnvWrapperCalls: a Go function that returns the variable its
// first parameter names is a wrapper, and its calls with a name read that
// variable. KenMwaura1/go-todo-api (the fiber tutorials' config.Config,
// which loads .env and returns os.Getenv(key)) read DB_HOST and four
// more through it, and init found none: the run kept the example's
// DB_HOST=localhost beside the database it started.
func TestScan_GoEnvWrapperCalls(t *testing.T) {
	fiberConfig := "package config\n\nimport (\n\t\"os\"\n\n\t\"github.com/joho/godotenv\"\n)\n\nfunc Config(key string) string {\n\terr := godotenv.Load(\".env\")\n\tif err != nil {\n\t\tfmt.Print(\"Error loading .env file\")\n\t}\n\treturn os.Getenv(key)\n}\n"
	connect := "package database\n\nfunc Connect() {\n\tp := config.Config(\"DB_PORT\")\n\tdsn := fmt.Sprintf(\"host=%s user=%s\",\n\t\tconfig.Config(\"DB_HOST\"), config.Config(\"DB_USER\"))\n}\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		env   string
	}{
		{"another package's wrapper", map[string]string{"config/config.go": fiberConfig, "database/connect.go": connect},
			"DB_PORT@database/connect.go:4 DB_HOST@database/connect.go:6 DB_USER@database/connect.go:6"},
		{"the calls before the wrapper in the walk", map[string]string{"a/connect.go": connect, "config/config.go": fiberConfig},
			"DB_PORT@a/connect.go:4 DB_HOST@a/connect.go:6 DB_USER@a/connect.go:6"},
		{"LookupEnv, unqualified in its own package", map[string]string{"main.go": "package main\n\nfunc setting(name, def string) string {\n\tif v, ok := os.LookupEnv(name); ok {\n\t\treturn v\n\t}\n\treturn def\n}\n\nfunc main() {\n\taddr := setting(\"REDIS_ADDR\", \"redis:6379\")\n}\n"},
			"REDIS_ADDR@main.go:11"},
		// viper's GetString(key) reads a configuration key, not a variable.
		{"a key of a configuration library", map[string]string{"config/config.go": "package config\n\nfunc Config(key string) string {\n\treturn cfg.GetString(key)\n}\n", "database/connect.go": connect}, ""},
		// Imported under a name of its own, in a block or alone.
		{"an aliased import", map[string]string{"config/config.go": fiberConfig,
			"database/connect.go": "package database\n\nimport (\n\t\"fmt\"\n\tcfg \"example.com/app/config\"\n)\n\nfunc Connect() {\n\thost := cfg.Config(\"DB_HOST\")\n}\n",
			"main.go":             "package main\n\nimport settings \"example.com/app/config\" // the .env loader\n\nfunc main() {\n\tsettings.Config(\"PORT\")\n\tconfig.Config(\"NOT_THIS_ONE\")\n}\n"},
			"DB_HOST@database/connect.go:9 PORT@main.go:6"},
		// pasty: the wrapper reads a prefix constant's value before the
		// name (os.LookupEnv(static.EnvironmentVariablePrefix + key), the
		// constant PASTY_ in another package's var block), and MustInt
		// passes its key on to MustString.
		{"a prefixed wrapper, and one that calls it", map[string]string{
			"internal/static/static.go": "package static\n\nvar (\n\tVersion                   = \"dev\"\n\tEnvironmentVariablePrefix = \"PASTY_\"\n)\n",
			"internal/env/env.go": "package env\n\nfunc MustString(key, fallback string) string {\n\tvalue, found := os.LookupEnv(static.EnvironmentVariablePrefix + key)\n\tif !found {\n\t\treturn fallback\n\t}\n\treturn value\n}\n\n" +
				"func MustInt(key string, fallback int) int {\n\tparsed, _ := strconv.Atoi(MustString(key, strconv.Itoa(fallback)))\n\treturn parsed\n}\n",
			"internal/config/config.go": "package config\n\nfunc Load() {\n\taddr := env.MustString(\"WEB_ADDRESS\", \":8080\")\n\tn := env.MustInt(\"ID_LENGTH\", 6)\n}\n"},
			"PASTY_WEB_ADDRESS@internal/config/config.go:4 PASTY_ID_LENGTH@internal/config/config.go:5"},
		// Another package's function of the same name is another function.
		{"the same name in another package", map[string]string{"config/config.go": fiberConfig, "main.go": "package main\n\nfunc main() {\n\tcache.Config(\"TTL\")\n\tlog.Print(\"READY\")\n}\n"}, ""},
		// urfave/cli's flags name their variables (dutchcoders/transfer.sh's
		// cmd/cmd.go, v2), as its v1 and v3 write them too.
		{"urfave/cli flags", map[string]string{"cmd/cmd.go": "package cmd\n\nvar flags = []cli.Flag{\n\t&cli.StringFlag{\n\t\tName:    \"basedir\",\n\t\tUsage:   \"path to storage\",\n\t\tEnvVars: []string{\"BASEDIR\"},\n\t},\n" +
			"\tcli.StringFlag{Name: \"provider\", EnvVar: \"PROVIDER\"},\n\t&cli.StringFlag{Name: \"listener\", Sources: cli.EnvVars(\"LISTENER\")},\n}\n"},
			"BASEDIR@cmd/cmd.go:7 PROVIDER@cmd/cmd.go:9 LISTENER@cmd/cmd.go:10"},
	} {
		dir := testutil.WriteTree(t, tc.files)
		if got := namesAt(dir, Scan(dir).Env); got != tc.env {
			t.Errorf("%s: env %q, want %q", tc.name, got, tc.env)
		}
	}
}

// TestScan_JSEnvWrapperCalls: the JavaScript counterpart. mongo-express
// reads its MongoDB URL through getFileEnv('ME_CONFIG_MONGODB_URL')
// (config.default.js:38), which reads process.env[envVariable] or the
// file its _FILE variable names; init saw none of those names and gave the
// app a MONGODB_URI it never reads.
func TestScan_JSEnvWrapperCalls(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		env   string
	}{
		{"a function declaration, called in another file", map[string]string{
			"lib/env.js":        "export function getFileEnv(envVariable) {\n  const origVar = process.env[envVariable];\n  const fileVar = process.env[envVariable + '_FILE'];\n  return origVar || (fileVar && readFileSync(fileVar, 'utf8'));\n}\n",
			"config.default.js": "import { getFileEnv } from './lib/env.js';\n\nexport default {\n  mongodb: {\n    connectionString: getFileEnv('ME_CONFIG_MONGODB_URL') || '',\n  },\n  site: { port: process.env.PORT || 8081 },\n};\n"},
			"PORT@config.default.js:7 ME_CONFIG_MONGODB_URL@config.default.js:5"},
		{"an arrow function with a default", map[string]string{
			"src/config.ts": "const env = (key: string, fallback?: string) =>\n  process.env[key] ?? fallback;\n\nexport const db = env('DATABASE_HOST', 'localhost');\n"},
			"DATABASE_HOST@src/config.ts:4"},
		// NestJS's ConfigService reads the variable of the name it is
		// given (docmost's environment.service.ts); a dotted key is a
		// configuration factory's.
		{"NestJS's ConfigService", map[string]string{
			"src/environment.service.ts": "export class EnvironmentService {\n  constructor(private configService: ConfigService) {}\n  getDatabaseURL(): string {\n    return this.configService.get<string>('DATABASE_URL');\n  }\n  getSecret() { return this.configService.getOrThrow('APP_SECRET'); }\n  getHost() { return this.configService.get('database.host'); }\n}\n"},
			"DATABASE_URL@src/environment.service.ts:4 APP_SECRET@src/environment.service.ts:6"},
		// The same over two lines, both ways docmost writes it.
		{"NestJS's ConfigService over two lines", map[string]string{
			"src/environment.service.ts": "export class EnvironmentService {\n  getRedisUrl(): string {\n    return this.configService.get<string>(\n      'REDIS_URL',\n      'redis://localhost:6379',\n    );\n  }\n" +
				"  getSearchDriver(): string {\n    return this.configService\n      .get<string>('SEARCH_DRIVER', 'database')\n      .toLowerCase();\n  }\n  getOther() { const x = this.configService;\n    return 'NOT_READ';\n  }\n}\n"},
			"REDIS_URL@src/environment.service.ts:4 SEARCH_DRIVER@src/environment.service.ts:10"},
		// @fastify/env's validated variables, on the instance (fastify/
		// demo's session.ts); a lower-case key is a configuration's.
		{"@fastify/env's fastify.config", map[string]string{
			"src/plugins/session.ts": "export default fp(async (fastify) => {\n  fastify.register(fastifySession, {\n    secret: fastify.config.COOKIE_SECRET,\n    cookieName: app.config.COOKIE_NAME,\n    store: fastify.config.store,\n  })\n})\n"},
			"COOKIE_SECRET@src/plugins/session.ts:3 COOKIE_NAME@src/plugins/session.ts:4"},
		// A function that reads a configuration object by key is no
		// wrapper, and neither is a call of another function with a name.
		{"a config lookup", map[string]string{
			"src/config.js": "function get(key) {\n  return settings[key];\n}\nconst host = get('DATABASE_HOST');\nlog.info('READY');\n"}, ""},
	} {
		dir := testutil.WriteTree(t, tc.files)
		if got := namesAt(dir, Scan(dir).Env); got != tc.env {
			t.Errorf("%s: env %q, want %q", tc.name, got, tc.env)
		}
	}
}

// TestScan_RustEnvHelpers: a Rust project's own helpers read variables
// by name, as its std::env::var does (rust10x/rust-web-app's lib-utils:
// get_env, get_env_parse, get_env_b64u_as_u8s).
func TestScan_RustEnvHelpers(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"Cargo.toml": "[package]\nname = \"web\"\n",
		"src/config.rs": "fn load() -> Result<Config> {\n\tOk(Config {\n\t\tDB_URL: get_env(\"SERVICE_DB_URL\")?,\n\t\tPWD_KEY: get_env_b64u_as_u8s(\"SERVICE_PWD_KEY\")?,\n" +
			"\t\tDURATION: get_env_parse(\"SERVICE_TOKEN_DURATION_SEC\")?,\n\t\tNAME: forget_envelope(\"NOT_A_VAR\"),\n\t})\n}\n",
		// axum-skeleton's crates/database/src/lib.rs: the caller may name
		// another variable; the app reads the default one otherwise.
		"src/db.rs": "let db_url = std::env::var(db_env_variable.unwrap_or(\"DATABASE_URL\")).map_err(Error::Env)?;\n" +
			"let other = something(name.unwrap_or(\"NOT_READ\"));\n",
	})
	wantEnvRead(t, dir, "SERVICE_DB_URL@src/config.rs:3 SERVICE_PWD_KEY@src/config.rs:4 SERVICE_TOKEN_DURATION_SEC@src/config.rs:5 DATABASE_URL@src/db.rs:1")
}

// wantEnvRead scans dir and wants the variables read, with where, as
// namesAt writes them; it returns the scan.
func wantEnvRead(t *testing.T, dir, want string) *App {
	t.Helper()
	app := Scan(dir)
	if got := namesAt(dir, app.Env); got != want {
		t.Errorf("env %q, want %q", got, want)
	}
	return app
}

// A settings class that derives from BaseSettings through a base class
// of the project's own, in another file (fastapi-realworld-example-app),
// reads its fields from the environment; a class deriving from anything
// else (an Enum) does not.
func TestScan_PydanticSettingsDerivedAcrossFiles(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"app/core/settings/app.py":  "from app.core.settings.base import BaseAppSettings\n\nclass AppSettings(BaseAppSettings):\n    debug: bool = False\n    database_url: PostgresDsn\n\n    class Config:\n        validate_assignment = True\n\nclass TestAppSettings(AppSettings):\n    secret_key: SecretStr\n",
		"app/core/settings/base.py": "from enum import Enum\nfrom pydantic import BaseSettings\n\nclass AppEnvTypes(Enum):\n    prod: str = \"prod\"\n\nclass BaseAppSettings(BaseSettings):\n    app_env: AppEnvTypes = AppEnvTypes.prod\n",
	})
	wantEnvRead(t, dir, "APP_ENV@app/core/settings/base.py:8 DEBUG@app/core/settings/app.py:4 DATABASE_URL@app/core/settings/app.py:5 SECRET_KEY@app/core/settings/app.py:11")
}

// clap's derive reads a field marked env from the variable of its name
// (realworld-rust-axum-sqlx's config.rs), or from the one env = names;
// a field without it, or an env that is a field's own name, is none.
func TestScan_RustClapEnvFields(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"Cargo.toml": "[package]\nname = \"web\"\n",
		"src/config.rs": "#[derive(clap::Parser)]\npub struct AppConfig {\n    #[clap(long, env)]\n    pub database_url: String,\n    /// The port.\n    #[arg(long, env = \"APP_PORT\", default_value_t = 8080)]\n    pub port: u16,\n" +
			"    #[arg(long)]\n    pub verbose: bool,\n    #[arg(\n        long,\n    )]\n    pub quiet: bool,\n    #[arg(short, env, default_value = \"info\")]\n    /// Log level.\n    pub(crate) rust_log: Option<String>,\n    pub env: String,\n" +
			// One over several lines (claudex-transport's listen).
			"    #[arg(\n        long,\n        env = \"LISTEN_ADDR\",\n        default_value = \"127.0.0.1:3130\"\n    )]\n    listen: SocketAddr,\n    #[arg(\n        long,\n    )]\n    other: String,\n}\n",
	})
	app := wantEnvRead(t, dir, "DATABASE_URL@src/config.rs:4 APP_PORT@src/config.rs:7 RUST_LOG@src/config.rs:16 LISTEN_ADDR@src/config.rs:23")
	// Only the one with no default that is not optional is required.
	if got := namesAt(dir, app.RequiredEnv); got != "DATABASE_URL@src/config.rs:4" {
		t.Errorf("required env %q, want DATABASE_URL alone", got)
	}
}

func TestScan_GuardedEnvReadIsNotRequired(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"main.py": "import os\nif \"TITLE\" in os.environ and os.environ['TITLE']:\n    title = os.environ['TITLE']\nPWD = os.environ['REDIS_PWD'] if os.environ.get('REDIS_PWD') else None\nHOST = os.environ['REDIS']\nos.environ[\"OTEL_EXCLUDED\"] = \"healthz\"\nEXCLUDED = os.environ[\"OTEL_EXCLUDED\"]\n",
	})
	app := Scan(dir)
	if len(app.RequiredEnv) != 1 || app.RequiredEnv[0].Value != "REDIS" {
		t.Fatalf("required env = %+v, want REDIS alone", app.RequiredEnv)
	}
}

func TestScan_PythonRouterPrefixes(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"up/views.py":  "from flask import Blueprint\nup = Blueprint(\"up\", __name__, url_prefix=\"/up\")\n\n@up.get(\"/\")\ndef index():\n    return \"\"\n",
		"api/utils.py": "router: APIRouter = APIRouter(prefix=\"/utils\", tags=[\"utils\"])\n\n@router.get(\"/health-check/\")\ndef hc(): ...\n",
	})
	app := Scan(dir)
	for _, path := range []string{"/up", "/up/", "/utils/health-check/", "/api/v1/utils/health-check/"} {
		if !app.Serves(path) {
			t.Errorf("%s not served by %v", path, app.Routes)
		}
	}
	if app.Serves("/") {
		t.Error("the blueprint's index was taken for the root")
	}
}

// Next.js's route files, where a package.json depends on next; without
// it (kenyipp/realworld-nodejs-example-app's apps/app/route.ts, an
// express-promise-router file) they are no routes.
func TestScan_NextRouteFiles(t *testing.T) {
	files := map[string]string{
		"package.json":                           `{"dependencies":{"next":"15.1.0","react":"19"}}`,
		"src/app/api/heartbeat/route.ts":         "export async function GET() { return Response.json({ ok: true }) }\n",
		"src/app/(main)/teams/[teamId]/route.ts": "export async function GET() {}\n",
		"pages/api/health.js":                    "export default function handler(req, res) { res.send('ok') }\n",
		"src/app/api/page.ts":                    "export default function Page() {}\n",
	}
	dir := testutil.WriteTree(t, files)
	app := Scan(dir)
	for _, path := range []string{"/api/heartbeat", "/teams/42", "/api/health"} {
		if !app.Serves(path) {
			t.Errorf("%s not served by %v", path, app.Routes)
		}
	}
	if app.Serves("/api") {
		t.Errorf("a page file was taken for a route: %v", app.Routes)
	}
	files["package.json"] = `{"description":"the next build of the router","dependencies":{"express":"4","express-promise-router":"4"},"devDependencies":{"nextjs-like":"1"}}`
	if app := Scan(testutil.WriteTree(t, files)); len(app.Routes) != 0 {
		t.Errorf("route files without next taken for routes: %v", app.Routes)
	}
}

// The keys of a schema that validates process.env are variables the code
// reads, and the required ones are required: Joi's .required() without a
// default (hagopj13/node-express-boilerplate's src/config/config.js);
// envalid's without a default, a devDefault included (it does not hold
// where NODE_ENV is production: express-typescript-2024's CORS_ORIGIN);
// zod's unless optional or defaulted. A validator continued on the next
// lines is not read as required. A schema nobody validates process.env
// with is not the environment.
func TestScan_EnvSchemaKeys(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"src/config/config.js": "const Joi = require('joi');\nconst envVarsSchema = Joi.object()\n  .keys({\n    NODE_ENV: Joi.string().valid('production', 'development').required(),\n    PORT: Joi.number().default(3000),\n    MONGODB_URL: Joi.string().required().description('Mongo DB url'),\n    SMTP_HOST: Joi.string().description('server'),\n  })\n  .unknown();\nconst { value: envVars, error } = envVarsSchema.prefs({ errors: { label: 'key' } }).validate(process.env);\n",
		"src/env.ts":           "import { z } from 'zod';\nconst schema = z.object({\n  'REDIS_URL': z.string().url(),\n  SENTRY_DSN: z.string().optional(),\n  LOG_LEVEL: z.enum(['info', 'debug']).default('info'),\n});\nexport const env = schema.parse(process.env);\n",
		"src/clean.js": "const { cleanEnv, str, port } = require('envalid');\nmodule.exports = cleanEnv(process.env, {\n  API_KEY: str(),\n  WEB_PORT: port({ default: 8080 }),\n" +
			"  CORS_ORIGIN: str({ devDefault: testOnly(\"http://localhost:3000\") }), // the allowed origin\n  LONG: str({\n    default: 'x',\n  }),\n});\n",
		"src/form.js": "const schema = Joi.object({\n  EMAIL_ADDRESS: Joi.string().required(),\n});\nschema.validate(req.body);\n",
	})
	app := Scan(dir)
	got := map[string]bool{}
	for _, e := range app.Env {
		got[e.Value] = true
	}
	for _, want := range []string{"NODE_ENV", "PORT", "MONGODB_URL", "SMTP_HOST", "REDIS_URL", "API_KEY", "WEB_PORT"} {
		if !got[want] {
			t.Errorf("%s not among the variables read: %v", want, app.Env)
		}
	}
	if got["EMAIL_ADDRESS"] {
		t.Error("a schema that validates a request body counted as the environment")
	}
	var required []string
	for _, e := range app.RequiredEnv {
		required = append(required, e.Value+"@"+filepath.Base(e.File)+":"+strconv.Itoa(e.Line))
	}
	if want := "API_KEY@clean.js:3 CORS_ORIGIN@clean.js:5 NODE_ENV@config.js:4 MONGODB_URL@config.js:6 REDIS_URL@env.ts:3"; strings.Join(required, " ") != want {
		t.Errorf("required = %v, want %s", required, want)
	}
}

func TestTestFile(t *testing.T) {
	for name, want := range map[string]bool{
		"test.js": true, "tests.py": true, "app.test.ts": true, "x_test.go": true, "test_app.py": true,
		"test.html": false, "contest.js": false, "app.js": false, "latest.py": false,
	} {
		if got := TestFile(name); got != want {
			t.Errorf("TestFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// nicolabovolato/fastify-node-api's and fastify/demo's shape: close-with-
// grace closes the server on SIGTERM, and terminus does for its callers;
// a file that only imports them handles nothing. NestJS's
// app.enableShutdownHooks() (brocoders/nestjs-boilerplate's main.ts)
// runs the app's shutdown hooks on SIGTERM.
func TestScan_GracefulLibrariesHandleSIGTERM(t *testing.T) {
	for code, want := range map[string]bool{
		"import closeWithGrace from 'close-with-grace'\ncloseWithGrace({ delay: 500 }, async () => { await app.close() })\n": true,
		"const { createTerminus } = require('@godaddy/terminus')\ncreateTerminus(server, { onSignal })\n":                    true,
		"import closeWithGrace from 'close-with-grace'\n":                                                                    false,
		"const app = await NestFactory.create(AppModule, { cors: true });\napp.enableShutdownHooks();\n":                     true,
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := Scan(dir).HandlesSIGTERM != nil; got != want {
			t.Errorf("%q: handles SIGTERM %v, want %v", code, got, want)
		}
	}
	// appleboy/gorush's main.go:67: graceful.NewManager notifies on SIGINT
	// and SIGTERM and runs the shutdown jobs added to it.
	for code, want := range map[string]bool{
		"package main\n\nimport \"github.com/appleboy/graceful\"\n\nfunc main() {\n\tg := graceful.NewManager(graceful.WithLogger(logx.QueueLogger()))\n\t<-g.Done()\n}\n": true,
		"package main\n\nimport \"github.com/appleboy/graceful\"\n\nfunc main() {}\n":                                                                                      false,
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := Scan(dir).HandlesSIGTERM != nil; got != want {
			t.Errorf("%q: handles SIGTERM %v, want %v", code, got, want)
		}
	}
}

// A line that sends SIGTERM to another process handles nothing:
// imputnet/cobalt's api/src/stream/ffmpeg.js:42 `p?.kill('SIGTERM')` to
// its ffmpeg child, Python's os.kill, Go's Process.Signal; the handlers
// beside them still count.
func TestScan_SendingSIGTERMIsNoHandler(t *testing.T) {
	for file, code := range map[string]string{
		"a.js":    "const killProcess = (p) => {\n    p?.kill('SIGTERM');\n};\nchild.spawn('ffmpeg', { killSignal: 'SIGTERM' })\n",
		"a.py":    "import os, signal\nos.kill(pid, signal.SIGTERM)\n",
		"main.go": "package main\n\nimport \"syscall\"\n\nfunc stop() { cmd.Process.Signal(syscall.SIGTERM); syscall.Kill(pid, syscall.SIGTERM) }\n",
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, file), []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
		if e := Scan(dir).HandlesSIGTERM; e != nil {
			t.Errorf("%s: sending SIGTERM taken for handling it at line %d", file, e.Line)
		}
		handler := map[string]string{"a.js": "process.on('SIGTERM', () => child.kill('SIGTERM'))\n", "a.py": "signal.signal(signal.SIGTERM, lambda *_: os.kill(child.pid, signal.SIGTERM))\n",
			"main.go": "func init() { signal.Notify(c, syscall.SIGTERM) }\n"}[file]
		if err := os.WriteFile(filepath.Join(dir, file), []byte(code+handler), 0o644); err != nil {
			t.Fatal(err)
		}
		if e := Scan(dir).HandlesSIGTERM; e == nil || e.Line != strings.Count(code, "\n")+1 {
			t.Errorf("%s: the handler after the send not found: %+v", file, e)
		}
	}
}

// w3tecch/express-typescript-boilerplate's routing-controllers: a
// @JsonController('/pets') prefixes its routes, and @Authorized() above
// the class guards them all (a class before it, a request body type,
// does not take the decorator). NestJS's @UseGuards(JwtAuthGuard) over a
// method guards that route alone, @UseGuards(ThrottlerGuard) nothing.
func TestScan_ControllerPrefixesAndLoginDecorators(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"pets.ts": "class CreatePetBody extends BasePet {\n    public userId: string;\n}\n\n@Authorized()\n@JsonController('/pets')\nexport class PetController {\n    @Get()\n    public find(): Promise<Pet[]> {\n        return this.petService.find();\n    }\n}\n",
		"cats.ts": "@Controller('cats')\n@UseGuards(ThrottlerGuard)\nexport class CatsController {\n  @Get('open')\n  open() { return 1; }\n\n  @UseGuards(JwtAuthGuard)\n  @Get('me')\n  me() { return 2; }\n\n  @Get('mine')\n  @Authorized()\n  mine() { return 3; }\n}\n",
	}
	for name, code := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]string{}
	for _, r := range Scan(dir).Routes {
		got[r.Value] = r.Why
	}
	for route, guard := range map[string]string{"/pets": "@Authorized() (pets.ts:5)", "/cats/open": "", "/cats/me": "@UseGuards(JwtAuthGuard) (cats.ts:7)", "/cats/mine": "@Authorized() (cats.ts:12)"} {
		why, ok := got[route]
		if !ok {
			t.Errorf("%s not found among %v", route, got)
		} else if guard == "" && why != "" || guard != "" && !strings.Contains(why, "behind "+guard) {
			t.Errorf("%s: %q, want behind %q", route, why, guard)
		}
	}
}

// javieraviles/node-typescript-koa-rest: a @koa/router in a variable of
// its own name (unprotectedRouter.get("/", ...)) registers a route, as
// router.get does; a client's get (axios.get("/api")) and a header read
// (req.get("Content-Type")) do not.
func TestScan_RoutersByAnyName(t *testing.T) {
	dir := t.TempDir()
	code := "const unprotectedRouter = new Router();\nunprotectedRouter.get(\"/\", general.helloWorld);\nuserRouter.get('/users/:id', h);\naxios.get(\"/api\");\nreq.get(\"Content-Type\");\n"
	if err := os.WriteFile(filepath.Join(dir, "routes.ts"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range Scan(dir).Routes {
		got = append(got, r.Value)
	}
	if strings.Join(got, " ") != "/ /users/:id" {
		t.Errorf("routes %v, want / and /users/:id", got)
	}
}

// Where the Express app is made is where `trust proxy` goes: danielfsousa/
// express-rest-boilerplate's note named src/api/routes/v1/auth.route.js:1,
// a router file's import, not src/config/express.js, which makes the app.
// Without a line that makes it, the first import stands.
func TestScan_ExpressIsWhereTheAppIsMade(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{
			"src/api/routes/v1/auth.route.js": "const express = require('express');\nconst router = express.Router();\nmodule.exports = router;\n",
			"src/config/express.js":           "const express = require('express');\nconst routes = require('../api/routes/v1');\n\nconst app = express();\napp.use('/v1', routes);\nmodule.exports = app;\n",
		}, "src/config/express.js:4"},
		{map[string]string{"server.js": "import express from 'express';\nexport default function make() { return express(); }\n"}, "server.js:1"},
	} {
		dir := testutil.WriteTree(t, tc.files)
		app := Scan(dir)
		if app.Express == nil {
			t.Fatalf("%v: no Express found", tc.files)
		}
		if got := strings.TrimPrefix(app.Express.File, dir+"/") + ":" + strconv.Itoa(app.Express.Line); got != tc.want {
			t.Errorf("Express at %s, want %s", got, tc.want)
		}
	}
}

// Libraries that open their own Redis connection count as importing a
// Redis client: mjhea0/node-koa-api's session store (koa-redis) got no
// Redis beside it; an express-session store that takes a client made
// elsewhere is the client's import.
func TestScan_RedisThroughItsLibraries(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"const session = require('koa-session');\nconst RedisStore = require('koa-redis');\n", "redis@index.js:2"},
		{"import Queue from 'bee-queue';\n", "redis@index.js:1"},
		{"const kue = require('kue');\n", "redis@index.js:1"},
		{"const session = require('express-session');\n", ""},
	} {
		a := Scan(testutil.WriteTree(t, map[string]string{"package.json": `{"name": "x"}`, "src/server/index.js": tc.code}))
		got := ""
		for _, e := range a.Imports {
			got = fmt.Sprintf("%s@%s:%d", e.Value, filepath.Base(e.File), e.Line)
		}
		if got != tc.want {
			t.Errorf("%q: imports %q, want %q", tc.code, got, tc.want)
		}
	}
}

// A Go program that exits when a variable is empty requires it: read into
// a variable, then tested (Neal-C/most-loved-app-chi-pgx's CHI_PGX_ENV and
// log.Fatal), or tested where it is read; one that only logs, or sets a
// default, does not.
func TestScan_GoExitsWithoutAVariable(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"main.go": "package main\n\nfunc main() {\n\tenv := os.Getenv(\"CHI_PGX_ENV\")\n\tif env == \"\" {\n\t\tlog.Println(\"missing .env.development.local file\")\n\t\tlog.Fatal(\"hire me!\")\n\t}\n" +
			"\tif os.Getenv(\"API_KEY\") == \"\" {\n\t\tpanic(\"API_KEY\")\n\t}\n" +
			"\tmode := os.Getenv(\"MODE\")\n\tif mode == \"\" {\n\t\tlog.Println(\"no MODE, using prod\")\n\t}\n" +
			"\tport := os.Getenv(\"LISTEN\")\n\tif port == \"\" {\n\t\tport = \"8080\"\n\t}\n\t_ = port\n" +
			"\tgin := os.Getenv(\"GIN_MODE\")\n\tif gin == \"\" {\n\t\tgin = \"release\"\n\t} else if gin != \"release\" {\n\t\tlog.Fatalf(\"GIN_MODE %s\", gin)\n\t}\n}\n",
	})
	app := Scan(dir)
	var got []string
	for _, e := range app.RequiredEnv {
		got = append(got, fmt.Sprintf("%s@%d", e.Value, e.Line))
	}
	if strings.Join(got, " ") != "CHI_PGX_ENV@5 API_KEY@9" {
		t.Fatalf("required env = %v, want CHI_PGX_ENV@5 API_KEY@9", got)
	}
}

// namesAt lists evidence as NAME@file:line, files relative to dir.
func namesAt(dir string, list []Evidence) string {
	var out []string
	for _, e := range list {
		e.File = strings.TrimPrefix(e.File, dir+"/")
		out = append(out, e.Value+"@"+e.Where())
	}
	return strings.Join(out, " ")
}

// TestScan_MicrorouterRoutes: electerious/Ackee's routes are microrouter's
// own get and post, called bare inside router(...): init found no route
// and asked for a health path, beside Apollo's
// /.well-known/apollo/server-health. A bare get( in a file that does not
// load microrouter is not a route.
func TestScan_MicrorouterRoutes(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"src/server.js": "const { router, get, post } = require('microrouter')\n\nmodule.exports = router(\n\tget('/', async (req, res) => index),\n\tpost(graphqlPath, apollo),\n\tget('/.well-known/apollo/server-health', apollo),\n\tget('/*', notFound),\n)\n",
		"src/cache.js":  "const get = (key) => store[key]\nget('/tmp/key', 1)\n",
	})
	app := Scan(dir)
	var got []string
	for _, r := range app.Routes {
		got = append(got, r.Value+"@"+filepath.ToSlash(r.File[len(dir)+1:])+":"+fmt.Sprint(r.Line))
	}
	want := "/@src/server.js:4 /*@src/server.js:7 /.well-known/apollo/server-health@src/server.js:6"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("routes %q, want %q", g, want)
	}
	// A namespace's routes would be read without its prefix (/health for
	// /api/health): left out.
	dir = testutil.WriteTree(t, map[string]string{
		"src/server.js": "const { router, get, withNamespace } = require('microrouter')\nconst api = withNamespace('/api')\nmodule.exports = router(api(get('/health', ok)))\n",
	})
	if app := Scan(dir); len(app.Routes) != 0 {
		t.Errorf("namespaced routes read without their prefix: %+v", app.Routes)
	}
}

// The port read at a prefixed wrapper's call is the prefixed variable's
// default: pasty's image set WEB_ADDRESS, which it never reads.
func TestScan_PrefixedWrapperPort(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"static/static.go": "package static\n\nconst EnvPrefix = \"PASTY_\"\n",
		"env/env.go":       "package env\n\nfunc MustString(key, fallback string) string {\n\tif v, ok := os.LookupEnv(static.EnvPrefix + key); ok {\n\t\treturn v\n\t}\n\treturn fallback\n}\n",
		"main.go":          "package main\n\nfunc main() {\n\thttp.ListenAndServe(env.MustString(\"WEB_ADDRESS\", \":8080\"), nil)\n}\n",
	})
	var whys []string
	for _, l := range Scan(dir).Listens {
		whys = append(whys, l.Why)
	}
	if got := strings.Join(whys, "; "); !strings.Contains(got, "default of $PASTY_WEB_ADDRESS") || strings.Contains(got, "$WEB_ADDRESS") {
		t.Errorf("listens say %q, want the default of $PASTY_WEB_ADDRESS", got)
	}
}

// A WSGI app's environ is the request's: isso's wsgi.py and Radicale's
// handlers read environ["SERVER_PORT"] (and bottle's env.get) from the
// dict the server hands them (init said "port from $SERVER_PORT" and set it in the image, and
// Radicale's probes went to 8000 while it listened on 5232). os.environ,
// and a bare environ the file imports from os, are the process's.
func TestScan_WSGIEnvironIsNotTheProcesss(t *testing.T) {
	for _, tc := range []struct {
		name, code, env string
	}{
		{"a WSGI handler", "def host(environ):\n    if environ[\"SERVER_PORT\"] != \"80\":\n        return environ.get('SERVER_NAME')\n", ""},
		{"Flask's request.environ", "from flask import request\nport = request.environ.get('SERVER_PORT')\n", ""},
		{"os.environ", "import os\nport = os.environ.get('SERVER_PORT', '8080')\nkey = os.environ['SECRET_KEY']\n", "SERVER_PORT@app.py:2 SECRET_KEY@app.py:3"},
		{"environ imported from os", "from os import path, environ\nport = environ.get('SERVER_PORT', '8080')\nkey = environ['SECRET_KEY']\n", "SERVER_PORT@app.py:2 SECRET_KEY@app.py:3"},
		{"imported from os, read off a request", "from os import environ\nport = request.environ['SERVER_PORT']\n", ""},
		// pypiserver's vendored bottle.py: env is the request's environ.
		{"bottle's env", "def url(env):\n    port = env.get('SERVER_PORT')\n    debug = env.get('DEBUG')\n", "DEBUG@app.py:3"},
		// The review's: readers of the process's environment, and an
		// import over lines.
		{"python-decouple, environs, getenv", "from decouple import config\nport = config('SERVER_PORT', default=8000)\nhttp = env.int('HTTP_PORT')\nfrom os import getenv\nname = getenv('SERVER_NAME')\n", "SERVER_PORT@app.py:2 HTTP_PORT@app.py:3 SERVER_NAME@app.py:5"},
		{"environ imported over lines", "from os import (\n    path,\n    environ,\n)\nkey = environ['SECRET_KEY']\n", "SECRET_KEY@app.py:5"},
	} {
		dir := testutil.WriteTree(t, map[string]string{"app.py": tc.code})
		app := Scan(dir)
		if got := namesAt(dir, app.Env); got != tc.env {
			t.Errorf("%s: env %q, want %q", tc.name, got, tc.env)
		}
	}
}

// searxng's engines import their database client in a try block whose
// except ImportError passes: a backend its admin installs to use it, not
// a database the app needs (init had started Postgres, MySQL and MongoDB
// for them). An import under another except, or outside a try, counts.
func TestScan_OptionalImportIsNoDatabase(t *testing.T) {
	for _, tc := range []struct {
		name, code, want string
	}{
		{"except ImportError", "try:\n    import psycopg2  # type: ignore\nexcept ImportError:\n    # the admin installs it\n    pass\n", ""},
		{"except (ImportError, ...) after another clause", "try:\n    import pymongo\n\nexcept ValueError:\n    raise\nexcept (ModuleNotFoundError, OSError):\n    pymongo = None\n", ""},
		{"nested in a function", "def load():\n    try:\n        import redis\n    except ImportError:\n        return None\n", ""},
		{"another exception", "try:\n    import psycopg2\nexcept ValueError:\n    pass\n", "postgres"},
		{"after the block", "try:\n    import ujson as json\nexcept ImportError:\n    import json\nimport psycopg2\n", "postgres"},
		// The review's: a handler that raises makes the import required.
		{"except ImportError that raises", "try:\n    import psycopg2\nexcept ImportError as e:\n    raise ImproperlyConfigured('install psycopg2') from e\n", "postgres"},
		{"a one-line handler", "try:\n    import redis\nexcept ImportError: redis = None\n", ""},
	} {
		dir := testutil.WriteTree(t, map[string]string{"app.py": tc.code})
		var got []string
		for _, e := range Scan(dir).Imports {
			got = append(got, e.Value)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: imports %v, want %q", tc.name, got, tc.want)
		}
	}
}

// calibre-web's /admin/alive is registered under @user_login_required and
// @admin_required: init had called it a health route that "needs no
// session" (a probe that follows Flask-Login's redirect gets the login
// page). A login decorator above or below the route's guards it; another
// decorator, or one on the next function, does not.
func TestScan_PythonLoginDecoratorGuardsItsRoute(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"cps/admin.py": "@admi.route(\"/admin/alive\", methods=[\"GET\"])\n@user_login_required\n@admin_required\ndef alive():\n    return \"\", 200\n\n" +
		"@login_required\n@app.get('/me')\ndef me():\n    pass\n\n@app.route('/health')\n@limiter.exempt\ndef health():\n    return 'ok'\n\n@jwt_required()\ndef helper():\n    pass\n@app.route('/open')\ndef open_():\n    pass\n"})
	got := map[string]string{}
	for _, r := range Scan(dir).Routes {
		got[r.Value] = r.Why
	}
	for route, want := range map[string]string{
		"/admin/alive": "behind @user_login_required (cps/admin.py:2): it needs a session",
		"/me":          "behind @login_required (cps/admin.py:7): it needs a session",
		"/health":      "",
		"/open":        "",
	} {
		if w, ok := got[route]; !ok || w != want {
			t.Errorf("%s: %q (found %v), want %q", route, w, ok, want)
		}
	}
}

// black wraps a long route decorator: the path on the line after
// `@router.get(` (full-stack-fastapi-template's users routes, MIT), and a
// login decorator after the wrapped one still guards the route; the
// decorator's own lines do not end the stack.
func TestScan_PythonWrappedRouteDecorator(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"app/routes.py": "@router.get(\n    \"/\",\n    response_model=UsersPublic,\n)\ndef read_users():\n    pass\n\n\n" +
		"@bp.route(\n    \"/admin/stats\",\n    methods=[\"GET\"],\n)\n@login_required\ndef stats():\n    pass\n"})
	got := map[string]string{}
	for _, r := range Scan(dir).Routes {
		got[fmt.Sprintf("%s@%d", r.Value, r.Line)] = r.Why
	}
	for route, want := range map[string]string{
		"/@1":            "",
		"/admin/stats@9": "behind @login_required (app/routes.py:13): it needs a session",
	} {
		if w, ok := got[route]; !ok || w != want {
			t.Errorf("%s: %q (found %v), want %q; all %v", route, w, ok, want, got)
		}
	}
}

// Nested try blocks over many lines are read in one pass: 700 levels
// around 200,000 blank lines (the review's 510 KB file took 0.78 s when
// each try rescanned its body).
func TestPyOptionalImports_Linear(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 700; i++ {
		b.WriteString(strings.Repeat(" ", i) + "try:\n")
	}
	b.WriteString(strings.Repeat(" ", 700) + "import psycopg2\n")
	b.WriteString(strings.Repeat("\n", 200000))
	b.WriteString("except ImportError:\n    pass\n")
	start := time.Now()
	got := pyOptionalImports([]byte(b.String()))
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v", took)
	}
	if !got[701] {
		t.Errorf("the innermost import (line 701) is not optional")
	}
}

// h2non/imaginary v1.2.4 declares flag.Int("p", 8088, "Port to listen")
// and flag.Int("http-read-timeout", 60, ...): init took 60, a timeout,
// for the port ("60 is privileged"), and missed -p.
func TestScan_GoPortFlagNotATimeout(t *testing.T) {
	for line, want := range map[string]string{
		`	aPort               = flag.Int("p", 8088, "Port to listen")`:                                  "8088",
		`	aReadTimeout        = flag.Int("http-read-timeout", 60, "HTTP read timeout in seconds")`:      "",
		`	aCache              = flag.Int("http-cache-ttl", 3600, "The TTL in seconds")`:                 "",
		`	addr                = flag.String("http-addr", ":8080", "address to listen on")`:              "8080",
		`	verbose             = flag.Int("p", 2, "parallelism")`:                                        "",
		`	listen              = flag.String("listen", "0.0.0.0:9000", "listen address, not a max-age")`: "9000",
	} {
		got := goFlagPortOf(line)
		if got != want {
			t.Errorf("%s: port %q, want %q", line, got, want)
		}
	}
}

// TestScan_PythonRoutesRegisteredByCalls: aiohttp's and Falcon's routes,
// registered by calls, not decorators (demidov91/mogiminsk, guility/RelRAG
// and the thirtieth try's aiohttp services); writes are not routes.
func TestScan_PythonRoutesRegisteredByCalls(t *testing.T) {
	dir := t.TempDir()
	src := "from aiohttp import web\n\napp = web.Application()\napp.router.add_get('/health', health)\n" +
		"app.router.add_route('GET', '/status', status)\napp.router.add_post('/hook', hook)\n" +
		"app.router.add_route('POST', '/upload', upload)\napp.add_routes([web.get('/items', items), web.post('/items', add)])\n" +
		"falcon_app.add_route(\"/v1/health\", HealthResource())\n"
	if err := os.WriteFile(filepath.Join(dir, "server.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range Scan(dir).Routes {
		got = append(got, fmt.Sprintf("%s@%d", e.Value, e.Line))
	}
	if want := "/health@4 /items@8 /status@5 /v1/health@9"; strings.Join(got, " ") != want {
		t.Errorf("routes %q, want %q", strings.Join(got, " "), want)
	}
}

// TestScan_PythonEnvHelperCalls: a project's own helper named for what
// it does, demidov91/mogiminsk's get_env(key) (os.environ[key] with a
// warning, mogiminsk/settings.py:11-31) and litestar-fullstack's
// get_env("SAQ_REDIS_URL", default): each call reads its variable, and a
// private _getenv's. A call of another name reads none: get_environment,
// get_envelope.
func TestScan_PythonEnvHelperCalls(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"settings.py": "import os\n\ndef get_env(key):\n    if key not in os.environ:\n        logger.warning('%s is not set', key)\n    return os.environ[key]\n\n" +
			"DB_HOST = get_env('DB_HOST')\nREDIS_URL = get_env(\"SAQ_REDIS_URL\", \"redis://localhost:16379/0\")\nNAME = lookup('APP_NAME')\n" +
			"KEY = _getenv('SECRET_KEY')\nENV = get_environment('PRODUCTION')\nID = get_envelope('ID')\n",
	})
	if got, want := namesAt(dir, Scan(dir).Env), "DB_HOST@settings.py:8 SAQ_REDIS_URL@settings.py:9 SECRET_KEY@settings.py:11"; got != want {
		t.Errorf("env %q, want %q", got, want)
	}
}

// chartbrew's "workspaces": [] lists no member: no workspace, so its
// server/ and client/ with manifests of their own are projects apart.
func TestWorkspace_EmptyList(t *testing.T) {
	for body, want := range map[string]bool{
		`{"workspaces": []}`:                       false,
		`{"workspaces": ["packages/*"]}`:           true,
		`{"workspaces": {"packages": []}}`:         false,
		`{"workspaces": {"packages": ["apps/*"]}}`: true,
		`{"workspaces": [`:                         true, // does not parse: taken at its word
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := Workspace(dir); got != want {
			t.Errorf("Workspace(%s) = %v, want %v", body, got, want)
		}
	}
}
