package project

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Evidence is something found in the code, with where.
type Evidence struct {
	Value string
	File  string
	Line  int
	// Why says how the fact follows from the line, when that is not
	// obvious ("default of $PORT", "Procfile web process").
	Why string
}

// Where is file:line, or the file alone when the file itself is the
// evidence.
func (e Evidence) Where() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return e.File
}

// App is what the scan found.
type App struct {
	Dir string
	// djangoMounts are Django's include()s: a URLconf module mounted under
	// a prefix (applyDjangoMounts).
	djangoMounts []djangoMount
	// viperOnly are variables only a viper key named so far, and
	// viperAutoEnv whether the code calls AutomaticEnv (dropViperOnly).
	viperOnly    map[string]bool
	portSeen     map[string]bool // the port variables read, by file and name
	pyClasses    []pyClass       // the Python classes with annotated fields, for settings derived across files
	viperAutoEnv bool
	// goWrappers are Go functions that return the variable their first
	// parameter names (config.Config(key) { ...; return os.Getenv(key) }),
	// by package and name; goCalls are calls of any function with a
	// variable's name as the first argument, kept until the walk has seen
	// every wrapper (addWrapperReads).
	goWrappers map[goFunc]string
	// goConsts are the Go string constants by name ("" where two differ):
	// a wrapper's prefix (pasty's static.EnvironmentVariablePrefix).
	goConsts map[string]string
	goCalls  []goCall
	// goAliases are the packages a file imports under another name
	// (`cfg "example.com/app/config"`): file, then alias, then package.
	goAliases map[string]map[string]string
	// jsWrappers are JavaScript functions that read the variable their
	// first parameter names (function getFileEnv(name) { ...
	// process.env[name] ...}, const env = (key) => process.env[key]);
	// jsCalls are calls of any function with a variable-like name as the
	// first argument, by the function called (addWrapperReads).
	jsWrappers map[string]bool
	jsCalls    []goCall
	// expressApp: Express is the line that makes the app, not an import.
	expressApp bool
	// Routes are the HTTP paths the code registers.
	Routes []Evidence
	// RequiredEnv are variables read without a default (os.environ["X"]),
	// whose absence stops the app at start; a read the same file guards
	// (if "X" in os.environ, os.environ.get("X")) is not one.
	RequiredEnv []Evidence
	// Express is where the code loads Express, nil when it does not.
	Express *Evidence
	// TrustsProxy is true when the code trusts a proxy's forwarded headers
	// itself: Express's `trust proxy`, werkzeug's ProxyFix, Starlette's
	// ProxyHeadersMiddleware.
	TrustsProxy bool
	// Listens are the ports the code binds: literal ports in listen/run/bind
	// calls and the defaults of a PORT variable. A port taken from the
	// environment alone is not known and not listed.
	Listens []Evidence
	// Programs are the programs the code runs by name (FilePrograms), one
	// each, sorted, with absolute files: the image's runtime must hold
	// them.
	Programs []Evidence
	// PortVars are the variables the code reads its listen port from
	// (PORT, HTTP_PORT, ADDR), where: setting one in the image makes the
	// app listen where the image says. Each file's first read of a name
	// is here (Env holds the first read of all).
	PortVars []Evidence
	// Env are every environment variable the code reads, each once, at
	// its first read.
	Env []Evidence
	// Imports are the database and queue clients the code imports
	// (postgres, mysql, redis, mongodb, sqlite), each at its first import
	// in each file (a Go program's are those of the packages it builds).
	Imports []Evidence
	// HandlesSIGINT is where the code handles SIGINT (Ctrl-C) only:
	// such an app stops gracefully when its stop signal is SIGINT.
	HandlesSIGINT *Evidence
	// HandlesSIGTERM is where the code handles SIGTERM itself, nil when it
	// does not: as PID 1 in a container such a process ignores SIGTERM
	// (no default action applies to PID 1) until it is killed.
	HandlesSIGTERM *Evidence
}

// Limits keep a scan cheap on large repositories.
const (
	maxFiles    = 2000
	maxFileSize = 512 << 10
)

var skipDirs = map[string]bool{"node_modules": true, "vendor": true, "__pycache__": true,
	"venv": true, "dist": true, "build": true, "target": true, "testdata": true, ".shipshape": true, "tests": true, "test": true,
	"examples": true, "example": true, "docs": true, "fixtures": true, "e2e": true, "cypress": true, "playwright": true,
	"__tests__": true, "__mocks__": true, "mocks": true, "spec": true, "benchmarks": true}

// AuthName is the name of a middleware, guard or wrapper that refuses a
// request without a session or credentials: authMiddleware, jwt.JWT,
// JwtAuthGuard, RolesGuard, requireLogin, todo-app's h.userIdentity,
// verifyToken. (A bare "Guard" is not one:
// NestJS's ThrottlerGuard limits, it does not log in.)
var AuthName = regexp.MustCompile(`(?i)auth|jwt|login|loggedin|protect|admin|role|permission|rbac|casbin|requireuser|identity|verif|bearer`)

// SkipDirName reports whether a directory of that name holds no code of
// the app by its name alone: dependencies, build output, tests,
// examples, docs.
func SkipDirName(name string) bool {
	return skipDirs[name]
}

// emptyWorkspaces reports whether package.json's workspaces lists no
// member (chartbrew's "workspaces": [], beside server/ and client/ with
// manifests and lock files of their own): no workspace. A file that does
// not parse is taken at its word.
func emptyWorkspaces(packageJSON []byte) bool {
	var pkg struct {
		Workspaces json.RawMessage `json:"workspaces"`
	}
	if json.Unmarshal(packageJSON, &pkg) != nil {
		return false
	}
	var list []string
	if json.Unmarshal(pkg.Workspaces, &list) == nil {
		return len(list) == 0
	}
	var obj struct {
		Packages []string `json:"packages"`
	}
	return json.Unmarshal(pkg.Workspaces, &obj) == nil && len(obj.Packages) == 0
}

// Manifests mark a project of its own.
var Manifests = []string{"go.mod", "package.json", "Cargo.toml", "pyproject.toml", "requirements.txt", "setup.py"}

// SkipDir reports whether a directory below the app's root holds no code
// of the app: dependencies, build output, tests, examples and docs, hidden
// directories, and nested projects (a directory with a manifest of its
// own is another app, e.g. a frontend, or an example, unless the root is
// a workspace of them: see Workspace).
func SkipDir(path, name string, workspace bool) bool {
	return skipDir(path, name, workspace, Manifests)
}

// SkipGoDir is SkipDir for a Go module's code: only a go.mod makes a
// directory another project. Go files beside a package.json are the
// module's (gotify's ui/serve.go embeds the front end's build there).
func SkipGoDir(path, name string, workspace bool) bool {
	return skipDir(path, name, workspace, Manifests[:1])
}

func skipDir(path, name string, workspace bool, manifests []string) bool {
	if skipDirs[name] || strings.HasPrefix(name, ".") {
		return true
	}
	if workspace {
		return false
	}
	for _, m := range manifests {
		if _, err := os.Stat(filepath.Join(path, m)); err == nil {
			return !pythonSrcPackage(path, name, m)
		}
	}
	return false
}

// pythonSrcPackage reports whether the manifest m of the directory path
// installs the source of the Python project above it rather than another
// app: a src/ with a setup.py or pyproject.toml of its own below a
// project with a Python manifest (cosmicpython/code: requirements.txt at
// the root, src/setup.py, which its Dockerfile installs with `pip
// install -e /src`).
func pythonSrcPackage(path, name, m string) bool {
	// m is the first manifest of the directory in manifests' order, so a
	// go.mod, package.json or Cargo.toml would have come first.
	if name != "src" || m != "setup.py" && m != "pyproject.toml" {
		return false
	}
	for _, root := range []string{"requirements.txt", "pyproject.toml", "setup.py", "Pipfile"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(path), root)); err == nil {
			return true
		}
	}
	return false
}

// Workspace reports whether the project at root is built from member
// projects in its subdirectories: a Cargo [workspace], npm/yarn
// "workspaces", pnpm-workspace.yaml or go.work.
func Workspace(root string) bool {
	for _, f := range []string{"go.work", "pnpm-workspace.yaml"} {
		if _, err := os.Stat(filepath.Join(root, f)); err == nil {
			return true
		}
	}
	if b, err := os.ReadFile(filepath.Join(root, "Cargo.toml")); err == nil && strings.Contains(string(b), "[workspace]") {
		return true
	}
	if b, err := os.ReadFile(filepath.Join(root, "package.json")); err == nil && strings.Contains(string(b), `"workspaces"`) {
		return !emptyWorkspaces(b)
	}
	return false
}

// PyDocstringStep reads one line of Python: whether it is in a
// triple-quoted string (its first and last lines too), and the quote of
// the one it ends in, "" for none; open is the one the line before ended
// in.
func PyDocstringStep(line, open string) (bool, string) {
	in := open != ""
	rest := line
	for {
		if open == "" {
			j, k := strings.Index(rest, `"""`), strings.Index(rest, "'''")
			if j < 0 && k < 0 {
				return in, ""
			}
			if j < 0 || k >= 0 && k < j {
				j, open = k, "'''"
			} else {
				open = `"""`
			}
			rest, in = rest[j+3:], true
			continue
		}
		j := strings.Index(rest, open)
		if j < 0 {
			return true, open
		}
		rest, open = rest[j+3:], ""
	}
}

// goFlagPortOf is the port a Go flag's declaration on line gives by
// default, "" for none: a flag named for a port or an address, not one
// named for a time or a size, or -p where its usage says port.
func goFlagPortOf(line string) string {
	m := goFlagPort.FindStringSubmatch(line)
	if m == nil || notPortFlag.MatchString(m[1]) {
		m = goFlagP.FindStringSubmatch(line)
	}
	if m == nil || OtherServer(m[0]) || notPortFlag.MatchString(m[1]) {
		return ""
	}
	return m[2]
}

// TestFile reports whether a file name is a test's: its routes, ports and
// strings say nothing about the app. test.js and tests.py are (koajs's
// examples keep a test.js beside each app.js).
func TestFile(name string) bool {
	if base := strings.TrimSuffix(name, filepath.Ext(name)); (base == "test" || base == "tests") && language(name) != "" {
		return true
	}
	return strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "test_") || strings.HasSuffix(name, "_test.py") ||
		strings.Contains(name, ".test.") || strings.Contains(name, ".spec.")
}

var (
	pyRoute = regexp.MustCompile(`@\w+(?:\.\w+)*\.(?:get|post|put|delete|patch|route|api_route|head)\(\s*(?:path\s*=\s*)?[rf]?["']([^"']+)["']`)
	// Python routers with a prefix: up = Blueprint("up", __name__,
	// url_prefix="/up"), router = APIRouter(prefix="/utils"); a route's
	// receiver: @up.get("/").
	pyRouter    = regexp.MustCompile(`^\s*(\w+)\s*(?::\s*\w+\s*)?=\s*(?:\w+\.)?(?:Blueprint|APIRouter)\(`)
	pyPrefix    = regexp.MustCompile(`\b(?:url_)?prefix\s*=\s*[rf]?["']([^"']*)["']`)
	pyRouteRecv = regexp.MustCompile(`^\s*@(\w+)\.(?:get|post|put|delete|patch|route|api_route|head)\(\s*[rf]?["']([^"']*)["']`)
	// pyCallRoute is a route registered by a call: aiohttp's
	// app.router.add_get('/health', h), add_route('GET', '/x', h) and
	// web.get('/x', h) in add_routes([...]); Falcon's app.add_route(
	// '/v1/health', resource) (guility/RelRAG's). Not a write: add_post,
	// add_route('POST', ...). (Starlette's Route('/health/', ...) is not
	// read: a Mount('/api', routes=...) elsewhere puts it under a prefix
	// this line does not show.)
	pyCallRoute = regexp.MustCompile(`(?:\.add_(?:get|head)\(|\.add_route\(\s*(?:["'](?:GET|\*)["']\s*,\s*)?|\bweb\.(?:get|view)\()[rf]?["'](/[^"']*)["']`)
	// DjangoAPIURLs mounts an object's URLs in a URLconf: a Django Ninja
	// API's path("api/", api.urls) (admin.site.urls is Django's admin).
	DjangoAPIURLs = regexp.MustCompile(`\b(?:re_)?path\(\s*r?["']\^?([^"'$]*)\$?["']\s*,\s*([\w.]+)\.urls\s*[,)]`)
	djRoute       = regexp.MustCompile(`\b(?:re_)?path\(\s*r?["']\^?([^"'$]*)\$?["']`)
	// A registration names its handler after the path: c.Get("userId"), a
	// context's getter, is not a route. A prefix before it is a root the
	// program is told (pushgateway's r.Get(*routePrefix+"/-/healthy", h),
	// its --web.route-prefix flag's default empty).
	goRoute = regexp.MustCompile(`\.(?:HandleFunc|Handle|GET|Get|POST|Post|PUT|Put|DELETE|Delete|Any|Route)\(\s*(?:\*?[\w.]+\s*\+\s*)?"([^"]+)"\s*,|\.To\(\s*"GET[\w,]*"\s*,\s*"([^"]+)"\s*,`)
	jsRoute = regexp.MustCompile(`\b(?:app|\w*[rR]outer|server|fastify|r|\w+\.express)\.(?:get|post|put|delete|patch|all|head|route)\(\s*['"` + "`" + `]([^'"` + "`" + `]+)['"` + "`" + `]|` +
		// A router named routes (chrishubert/whatsapp-api's `const routes =
		// express.Router()`, routes.get('/ping', ...)): a path, so a map's
		// routes.get('key') is none.
		`\b\w*[rR]outes\.(?:get|post|put|delete|patch|all|head|route)\(\s*['"` + "`" + `](/[^'"` + "`" + `]*)['"` + "`" + `]|` +
		// A handler of its own under a path (parse-server's api.use('/health',
		// function (req, res) {...})), not a router mounted there.
		`\b(?:app|\w*[rR]outer|api|server)\.use\(\s*['"` + "`" + `](/[^'"` + "`" + `]*)['"` + "`" + `]\s*,\s*(?:async\s+)?(?:function\b|\(\s*(?:req|_req|request|ctx)\b)`)
	// hapiRoute opens a hapi route object: server.route({.
	hapiRoute     = regexp.MustCompile(`\b\w+\.route\(\s*\{`)
	hapiMethodKey = regexp.MustCompile(`\bmethod\s*:\s*['"]([A-Za-z*]+)['"]`)
	hapiPathKey   = regexp.MustCompile(`\bpath\s*:\s*['"](/[^'"]*)['"]`)
	// jsMethodArg is an HTTP method where a route call's path would be.
	jsMethodArg = regexp.MustCompile(`^(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|ALL)$`)
	// jsActuator is express-actuator's middleware, which answers GET
	// /health (and /info, /metrics) under its basePath option:
	// app.use(actuator()), app.use(actuator({ basePath: '/management' })).
	jsActuator         = regexp.MustCompile(`\.use\(\s*actuator\(\s*(?:\{[^}]*?\bbasePath\s*:\s*['"` + "`" + `](/[^'"` + "`" + `]*)['"` + "`" + `][^}]*\})?`)
	jsActuatorImported = regexp.MustCompile(`(?:from\s+|require\(\s*)['"]express-actuator['"]`)
	// jsRouteOpen is a route call that ends its line before its path.
	// pyRouteOpen is a route decorator whose path black wrapped onto the
	// next line (full-stack-fastapi-template's `@router.get(` then
	// `"/",` and `dependencies=[...]`).
	pyRouteOpen = regexp.MustCompile(`^\s*@\w+(?:\.\w+)*\.(?:get|post|put|delete|patch|route|api_route|head)\(\s*$`)
	jsRouteOpen = regexp.MustCompile(`\b(?:app|\w*[rR]outer|\w*[rR]outes|server|fastify|r)\.(?:get|post|put|delete|patch|all|head|route)\(\s*$`)
	// Servers without a router compare the request path themselves:
	// http.server's self.path == "/health", Node's req.url === '/health',
	// a std-only Rust server's "GET /health HTTP".
	pyPathEq = regexp.MustCompile(`\bpath\s*==\s*["'](/[^"']*)["']`)
	// Go routers made in a file, groups of them, and a route's receiver.
	goRouter    = regexp.MustCompile(`^\s*(\w+)\s*:?=\s*(?:gin\.(?:Default|New)|echo\.New|fiber\.New|chi\.NewRouter|mux\.NewRouter)\(`)
	goGroup     = regexp.MustCompile(`^\s*(\w+)\s*:?=\s*(\w+)\.Group\(\s*"([^"]*)"`)
	goRouteRecv = regexp.MustCompile(`\b(\w+)\.(?:GET|Get|Any|HandleFunc|Handle)\(\s*"([^"]*)"\s*,`)
	// NestJS: @Controller('health') then @Get() or @Get('live');
	// routing-controllers' @JsonController('/pets') too.
	nestController = regexp.MustCompile(`@(?:Json)?Controller\(\s*(?:['"]([^'"]*)['"])?\s*\)`)
	// A decorator that refuses a request without a session: routing-
	// controllers' @Authorized(), NestJS's @UseGuards(JwtAuthGuard).
	jsClass      = regexp.MustCompile(`^\s*(?:export\s+)?(?:default\s+)?class\s`)
	jsMethodHead = regexp.MustCompile(`^\s*(?:public\s+|private\s+|async\s+)*\w+\s*\([^)]*\)\s*(?::\s*[^{]+)?\{`)
	nestGuard    = regexp.MustCompile(`@Authorized\([^)]*\)|@UseGuards\(([^)]*)\)`)
	nestRoute    = regexp.MustCompile(`@(?:Get|All|Head)\(\s*(?:['"]([^'"]*)['"])?\s*\)`)
	jsPathEq     = regexp.MustCompile(`\b(?:url|pathname)\s*===?\s*['"](/[^'"]*)['"]`)
	rsRoute      = regexp.MustCompile(`\.route\(\s*"([^"]+)"|#\[(?:get|post|put|delete|patch)\(\s*"([^"]+)"|"(?:GET|HEAD) (/[^ "]*) HTTP|^\s*"(/[^"]*)"\s*(?:\||=>)`)
	// A SIGTERM handler in any language: process.on('SIGTERM'),
	// signal.signal(signal.SIGTERM, ...), signal.Notify(..., syscall.SIGTERM),
	// tokio's signal::unix / ctrl_c, a raw signal(15, ...).
	// Node libraries that close the server on SIGTERM themselves:
	// close-with-grace, @godaddy/terminus, http-terminator's callers wire
	// it to a signal (the line says SIGTERM then), lightship; NestJS's
	// app.enableShutdownHooks(), which runs the app's shutdown hooks on
	// SIGTERM (brocoders/nestjs-boilerplate's main.ts).
	jsGracefulLib = regexp.MustCompile(`\bcloseWithGrace\(|\bcreateTerminus\(|\bcreateLightship\(|\.enableShutdownHooks\(`)
	// (JSClosesOnSIGTERM reads a line with it.)
	// Go libraries that stop the program on SIGTERM themselves:
	// appleboy/graceful's manager (gorush's main.go:67; its manager.go
	// notifies on SIGINT and SIGTERM and runs the shutdown jobs).
	goGracefulLib = regexp.MustCompile(`\bgraceful\.NewManager\(`)
	sigterm       = regexp.MustCompile(`SIGTERM|\bsignal\(\s*15\s*,|SignalKind::terminate|signal::unix::signal\(`)
	// sendsSignal is a line that sends a signal to another process, not
	// handles one: cobalt's p?.kill('SIGTERM') to its ffmpeg child,
	// os.kill(pid, signal.SIGTERM), cmd.Process.Signal(syscall.SIGTERM).
	sendsSignal = regexp.MustCompile(`\b[Kk]ill\(|\.Signal\(|\bkillSignal\b`)
	// handlesSignal is a handler's registration on a line, which counts
	// even where the handler forwards the signal (process.on('SIGTERM',
	// () => child.kill('SIGTERM'))).
	handlesSignal = regexp.MustCompile(`process\.(?:on|once|addListener|prependListener)\(|signal\.signal\(|\bNotify(?:Context)?\(|add_signal_handler\(`)
	// tokio's ctrl_c() and Go's os.Interrupt are SIGINT alone.
	sigint    = regexp.MustCompile(`SIGINT|\bctrl_c\(|\bos\.Interrupt\b|\bsignal\(\s*2\s*,`)
	pyEnvHard = regexp.MustCompile(`os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]`)
	// A read guarded by a presence test or a soft read of the same name,
	// or of a variable the file sets itself, does not fail:
	// if "X" in os.environ: ... os.environ["X"].
	pyEnvGuard = regexp.MustCompile(`["']([A-Za-z_][A-Za-z0-9_]*)["']\s+(?:not\s+)?in\s+os\.environ\b|os\.environ\.get\(\s*["']([A-Za-z_][A-Za-z0-9_]*)|os\.getenv\(\s*["']([A-Za-z_][A-Za-z0-9_]*)`)
	// A schema that validates process.env names the variables the code
	// reads: Joi.object().keys({ MONGODB_URL: Joi.string().required() })
	// ... .validate(process.env), z.object({...}).parse(process.env),
	// envalid's cleanEnv(process.env, { PORT: port() }).
	jsEnvValidate  = regexp.MustCompile(`\b(?:validate|validateAsync|attempt|assert|parse|parseAsync|safeParse|cleanEnv|validateSync|cast)\(\s*process\.env\b`)
	jsEnvSchemaKey = regexp.MustCompile(`^\s*['"]?([A-Z][A-Z0-9_]*)['"]?\s*:\s*(?:(?:Joi|joi|z|yup|envalid|str|num|bool|port|url|host|email|json)\b|\{\s*['"]?type['"]?\s*:)`)
	// jsSchemaRequiredList is a JSON schema's list of the keys it
	// requires: required: [ 'MONGODB_URL', 'REDIS_URL' ] (fastify-env's).
	jsSchemaRequiredList = regexp.MustCompile(`\brequired\s*:\s*\[([^\]]*)\]`)
	jsQuotedName         = regexp.MustCompile(`['"]([A-Z][A-Z0-9_]*)['"]`)
	// jsEnvSchemaLib validates process.env against the schema it is
	// given: @fastify/env (fastify-env), env-schema.
	jsEnvSchemaLib = regexp.MustCompile(`require\(\s*['"](?:@fastify/env|fastify-env|env-schema)['"]\s*\)|from\s+['"](?:@fastify/env|fastify-env|env-schema)['"]`)
	// jsFluentEnvKey is a fluent-json-schema key of such a schema:
	// .prop('GITHUB_APP_ID', S.string().required()).
	jsFluentEnvKey = regexp.MustCompile(`\.prop\(\s*['"]([A-Z][A-Z0-9_]*)['"]\s*,\s*S\.`)
	jsExpress      = regexp.MustCompile(`require\(\s*['"]express['"]\s*\)|from\s+['"]express['"]`)
	// microrouter's routes are calls of its own get and post, under the
	// names it exports: router(get('/', index), get('/.well-known/apollo/
	// server-health', ok)) (electerious/Ackee), in a file that loads it.
	jsMicrorouter = regexp.MustCompile(`require\(\s*['"]microrouter['"]\s*\)|from\s+['"]microrouter['"]`)
	jsBareRoute   = regexp.MustCompile(`(?:^|[\s(,])(?:get|post|put|del|patch|head|options)\(\s*['"](/[^'"]*)['"]\s*,`)
	// jsExpressApp is the line that makes the Express app: app = express().
	jsExpressApp = regexp.MustCompile(`=\s*express\(\s*\)`)
	jsTrust      = regexp.MustCompile(`\.(?:set|enable)\(\s*['"]trust proxy['"]`)

	// Environment reads: the first group (or the second) is the variable.
	envRead = map[string]*regexp.Regexp{
		// urfave/cli's flags name theirs: EnvVars: []string{"BASEDIR"}
		// (v2), EnvVar: "BASEDIR" (v1), cli.EnvVars("BASEDIR") (v3).
		// GoFr's configuration is the environment: app.Config.Get("X"),
		// ctx.Config.GetOrDefault("X", "d").
		"go": regexp.MustCompile(`\b(?:os\.Getenv|os\.LookupEnv|\w*[Ee]nv\w*)\(\s*"([A-Z][A-Z0-9_]*)"|\bEnvVars?:\s*(?:\[\]string\{\s*)?"([A-Z][A-Z0-9_]*)"|\bConfig\.Get(?:OrDefault)?\(\s*"([A-Z][A-Z0-9_]*)"`),
		// A project's own helper by its name: demidov91/mogiminsk's and
		// litestar-fullstack's get_env("DB_HOST"), _getenv, get_env_bool
		// (not get_environment or get_envelope).
		"python": regexp.MustCompile(`(?:environ\.get|\b_*get_?env(?:_\w+)?|environ\[|\benv(?:\.\w+)?|\bconfig)\(?\s*["']([A-Z][A-Z0-9_]*)["']`),
		// SvelteKit's env.X ($env/dynamic/private), Vite's and Astro's
		// import.meta.env.X too. NestJS's ConfigService reads the
		// environment (and .env) by the variable's name:
		// this.configService.get<string>('DATABASE_URL') in docmost; a
		// dotted lower-case key is a configuration factory's, not a
		// variable.
		// @fastify/env puts the variables its schema validates on the
		// instance: fastify.config.COOKIE_SECRET (fastify/demo).
		"js": regexp.MustCompile(`(?:process\.env|\benv)\.([A-Z][A-Z0-9_]*)|process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]|` +
			`\b\w*[cC]onfigService\.get(?:OrThrow)?(?:<[^>()]*>)?\(\s*['"]([A-Z][A-Z0-9_]*)['"]|` +
			`\b(?:fastify|app|server|instance)\.config\.([A-Z][A-Z0-9_]*)\b`),
		// A project's own helper by its name too, as in Python:
		// rust-web-app's get_env("SERVICE_DB_URL"), get_env_parse(...).
		// A name chosen by the caller, with the default the app reads
		// otherwise: axum-skeleton's
		// env::var(db_env_variable.unwrap_or("DATABASE_URL")).
		"rust": regexp.MustCompile(`\b(?:env::var|var|env!|option_env!|_*get_?env(?:_\w+)?)\(\s*"([A-Z][A-Z0-9_]*)"|` +
			`\benv::var(?:_os)?\(\s*\w+(?:\.\w+\(\))*\.unwrap_or\(\s*"([A-Z][A-Z0-9_]*)"\s*\)\s*\)`),
	}
	// jsConfigGetOpen is a NestJS ConfigService read whose variable is on
	// the next line: a line ending in configService.get<string>( or in
	// configService (the call on the next line).
	jsConfigGetOpen = regexp.MustCompile(`\b\w*[cC]onfigService(?:\.get(?:OrThrow)?(?:<[^>()]*>)?\(\s*)?$`)
	// A line that compiles a pattern: its text is the pattern, not code.
	patternLine = regexp.MustCompile(`\bregexp\.(?:MustCompile|Compile)\(|\bre\.compile\(|\bnew RegExp\(|\bRegex::new\(`)
	viperKey    = regexp.MustCompile(`\bviper\.Get\w*\(\s*"([A-Za-z][\w.]*)"`)
	// viperAutomaticEnv is viper's switch that reads each key from the
	// environment too.
	viperAutomaticEnv = regexp.MustCompile(`\.AutomaticEnv\(\)`)
	// A pydantic BaseSettings field is read from the variable of its
	// name: `POSTGRES_SERVER: str` in class Settings(BaseSettings).
	pySettingsField = regexp.MustCompile(`^\s{4}([A-Za-z][A-Za-z0-9_]*)\s*:\s*[\w\[\]|. ]+(?:=|$)`)
	// PyClassLine is a Python class's first line: its name and its bases
	// as written (detect's settings classes read it too).
	PyClassLine = regexp.MustCompile(`^class\s+(\w+)\s*(?:\((.*)\))?\s*:`)
	// clap's derive reads a field from the environment: #[arg(long, env)]
	// from the variable of the field's name, upper-cased (realworld-rust-
	// axum-sqlx's `#[clap(long, env)] pub database_url: String`), and
	// #[arg(env = "APP_PORT")] from the one it names.
	rustClapEnv       = regexp.MustCompile(`^\s*#\[(?:clap|arg)\((?:[^)]*,\s*)?env\s*(?:=\s*"([A-Z][A-Z0-9_]*)"\s*)?(?:,[^)]*)?\)\]`)
	rustClapOpen      = regexp.MustCompile(`^\s*#\[(?:clap|arg)\(`)
	rustOptionalField = regexp.MustCompile(`:\s*(?:Option<|bool\b|Vec<)`)
	rustField         = regexp.MustCompile(`^\s*(?:pub(?:\([\w:]+\))?\s+)?([a-z_][a-z0-9_]*)\s*:\s*[\w:<>\[\]&' ]+,?\s*(?://.*)?$`)
	// A port variable: PORT, HTTP_PORT, APP_PORT, SERVER_ADDR, LISTEN_ADDR.
	portVar = regexp.MustCompile(`^(?:PORT|(?:HTTP|APP|SERVER|WEB|API|LISTEN|SERVICE)_PORT|ADDR|LISTEN|BIND|(?:HTTP|LISTEN|SERVER|APP|API|WEB|BIND)_ADDR(?:ESS)?)$`)
	// A port variable's default in the same call: getEnv("PORT", "9090"),
	// os.environ.get("PORT", 5000), process.env.PORT || 3000,
	// env::var("PORT").unwrap_or("8080".into()).
	portDefault = []*regexp.Regexp{
		regexp.MustCompile(`\(\s*["']([A-Z0-9_]*PORT[A-Z0-9_]*|(?:[A-Z0-9]+_)*(?:ADDR|ADDRESS))["']\s*,\s*(?:default\s*=\s*)?["']?(?:[\w.-]*:)?(\d{2,5})\b`),
		// A schema's default: PORT: Joi.number().default(3000), z.coerce.number().default(3000).
		regexp.MustCompile(`\b([A-Z0-9_]*PORT)\s*:\s*(?:Joi|z|joi|yup|envalid\.port|port)\b[\w.()]*?\.?default\(\s*["']?(\d{2,5})`),
		regexp.MustCompile(`\b([A-Z0-9_]*PORT)\s*:\s*port\(\s*\{\s*default:\s*(\d{2,5})`),
		regexp.MustCompile(`process\.env\.((?:[A-Z0-9]+_)*PORT)\s*(?:\|\||\?\?)\s*["']?(\d{2,5})\b`),
		regexp.MustCompile(`process\.env\[\s*["']((?:[A-Z0-9]+_)*PORT)["']\s*\]\s*(?:\|\||\?\?)\s*["']?(\d{2,5})\b`),
		regexp.MustCompile(`var\(\s*"((?:[A-Z0-9]+_)*(?:PORT|ADDR))"\s*\)[^;]*?"(?:[\w.-]*:)?(\d{2,5})"`),
	}
	// Go's two-line default: port := os.Getenv("PORT") / if port == "" { port = "9090" }.
	// A variable the program exits without: `env := os.Getenv("APP_ENV")`
	// then `if env == "" {` and log.Fatal, panic or os.Exit within the
	// block (Neal-C/most-loved-app-chi-pgx's CHI_PGX_ENV), or the read in
	// the condition itself.
	goEnvRead    = regexp.MustCompile(`^\s*(\w+)\s*:?=\s*os\.Getenv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)\s*$`)
	goEnvEmpty   = regexp.MustCompile(`^\s*if\s+(?:(\w+)|os\.Getenv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\))\s*==\s*""\s*\{\s*$`)
	goExitsCall  = regexp.MustCompile(`\blog\.(?:Fatal|Panic)|\.(?:Fatal|Fatalf|Fatalln|Panic|Panicf)\(|\bpanic\(|\bos\.Exit\(\s*[1-9]`)
	goEnvAssign  = regexp.MustCompile(`^\s*(\w+)\s*:?=\s*os\.Getenv\(\s*"((?:[A-Z0-9]+_)*(?:PORT|ADDR|ADDRESS))"\s*\)`)
	goPortAssign = regexp.MustCompile(`^\s*(\w+)\s*=\s*"(?:[\w.-]*:)?(\d{2,5})"`)
	// A flag with a default port: flag.String("addr", ":8080", ...),
	// cobra's cmd.PersistentFlags().IntVarP(&port, "port", "p", 8080, ...)
	// (statping-ng); the number whole (not 127 of "127.0.0.1").
	goFlagPort = regexp.MustCompile(`(?:\b\w+|\(\))\.(?:String|Int|Uint)(?:Var)?P?\((?:[^,"]+,\s*)?"([\w-]*(?:[Pp]ort|[Aa]ddr|[Ll]isten|[Bb]ind|http)[\w-]*)"\s*,\s*(?:"\w"\s*,\s*)?"?(?:[\w.-]*:)?(\d{2,5})(?:"|\s*[,)])`)
	// goFlagP is a one-letter flag whose usage says it is the port:
	// h2non/imaginary's flag.Int("p", 8088, "Port to listen").
	goFlagP = regexp.MustCompile(`(?:\b\w+|\(\))\.(?:Int|Uint|String)(?:Var)?\((?:[^,"]+,\s*)?"(p)"\s*,\s*"?(?:[\w.-]*:)?(\d{2,5})"?\s*,\s*"(?i:[^"]*\bport\b)`)
	// notPortFlag is a flag named for a time, a size or a count, which
	// "http" in its name does not make a port: imaginary's
	// -http-read-timeout 60 was taken for its port.
	notPortFlag = regexp.MustCompile(`(?i)timeout|(?:^|[-_.])(?:ttl|cache|limit|size|max|interval|retries|retry|idle|wait|delay|buffer|count|concurrency|burst|period|age|expiry|expires)(?:$|[-_.])`)
	// The Prometheus projects' listen address, a kingpin flag:
	// prometheus/alertmanager's webflag.AddFlags(kingpin.CommandLine,
	// ":9093") (exporter-toolkit), or kingpin.Flag("web.listen-address",
	// ...).Default(":9100"). Another listen address (cluster.listen-address,
	// the HA peers' port) is no web port.
	goKingpinListen = regexp.MustCompile(`\b(?:webflag|kingpinflag)\.AddFlags\([^,]+,\s*"(?:[\w.-]*:)?(\d{2,5})"\s*\)|\.Flag\(\s*"web\.listen-address"[^)]*\)\s*\.\s*Default\(\s*"(?:[\w.-]*:)?(\d{2,5})"\s*\)`)
	// viper.SetDefault("port", 3000), viper.SetDefault("server.port", "8080").
	// ViperEnvPrefix is viper's SetEnvPrefix("memos"): AutomaticEnv then
	// reads MEMOS_PORT for the key port.
	ViperEnvPrefix = regexp.MustCompile(`\.SetEnvPrefix\(\s*"(\w+)"\s*\)`)
	goViperPort    = regexp.MustCompile(`SetDefault\(\s*"([\w.]*port)"\s*,\s*"?:?(\d{2,5})"?`)
	// gin's Run() without an address listens on $PORT, else 8080.
	goGinRun = regexp.MustCompile(`(?:^|[^\w.])(\w+)\.Run\(\s*\)`)
	// goGinEngine is a variable, field or parameter holding a gin engine:
	// r := gin.New(), engine = gin.Default(), router *gin.Engine.
	goGinEngine = regexp.MustCompile(`(\w+)\s*(?::?=\s*gin\.(?:New|Default)\(|\*gin\.Engine\b)`)
	// goGinEngineName is what a gin engine is called when the file does
	// not make it (routes.Setup() returns it): a queue's or a worker's
	// Run() is not gin's (go-admin-team/go-admin's `go queue.Run()`).
	goGinEngineName = regexp.MustCompile(`(?i)^(?:r|e|g|s|app|router|engine|server|srv|ginEngine|route|routes|handler|api|web|http|httpServer)$`)

	// Ports the code listens on, per language; the first group is the port.
	listenPatterns = map[string][]*regexp.Regexp{
		"python": {
			regexp.MustCompile(`\b(?:run|run_app|serve)\(.*\bport\s*=\s*(\d{2,5})\b`),
			regexp.MustCompile(`(?:environ\.get|getenv)\(\s*["']PORT["']\s*,\s*["']?(\d{2,5})\b`),
			regexp.MustCompile(`(?:HTTPServer|TCPServer)\(\s*\(\s*["'][^"']*["']\s*,\s*(\d{2,5})\s*\)`),
			regexp.MustCompile(`\bmake_server\(\s*["'][^"']*["']\s*,\s*(\d{2,5})\b`),
		},
		"go": {
			regexp.MustCompile(`(?:ListenAndServe(?:TLS)?|\.Run|\.Start|\.Listen|net\.Listen)\((?:\s*"tcp"\s*,)?\s*"[\w.\[\]:]*:(\d{2,5})"`),
			// An http.Server's Addr, and a listen field's default in the
			// struct a flag is bound to (restic/rest-server's
			// `Listen: ":8000"`, read by flags.StringVar(&s.Listen, ...)).
			regexp.MustCompile(`\b(?:Addr|Listen|ListenAddr|ListenAddress|HTTPAddr|HTTPListen|BindAddr|BindAddress):\s*"[\w.\[\]:]*:(\d{2,5})"`),
		},
		"js": {
			regexp.MustCompile(`\.listen\(\s*(?:\{\s*port:\s*)?(\d{2,5})\b`),
			regexp.MustCompile(`process\.env\.PORT\s*(?:\|\||\?\?)\s*["']?(\d{2,5})\b`),
			// A default after what the code reads: hoppscotch's NestJS
			// backend, app.listen(configService.get('PORT') || 3170).
			regexp.MustCompile(`\.listen\(\s*(?:[\w.$]+(?:\([^()]*\))?\s*(?:\|\||\?\?)\s*)+["']?(\d{2,5})\b`),
		},
		"rust": {
			regexp.MustCompile(`\bbind\(\s*"[\w.\[\]:]*:(\d{2,5})"`),
			regexp.MustCompile(`\bbind\(\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\)`),
			regexp.MustCompile(`\[\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\]\s*,\s*(\d{2,5})\s*\)`),
		},
	}
)

// App is what the code under dir is: its routes, ports and variables
// (see Scan), read once per check however many rules ask.

// JSClosesOnSIGTERM reports whether a line of JavaScript hands SIGTERM to
// a library that closes the server (close-with-grace, terminus,
// lightship, NestJS's enableShutdownHooks).
func JSClosesOnSIGTERM(line string) bool { return jsGracefulLib.MatchString(line) }

func (m *Model) App(dir string) *App {
	return m.apps.get(filepath.Clean(dir), func() *App { return Scan(dir) })
}

// Scan reads the application under dir. A check asks its Model instead
// (App), which scans each directory once. shipped are directories under
// dir that hold the code that runs although their names say build output
// (the dist/ of a package as published to npm: peer's routes are in
// dist/index.cjs).
func Scan(dir string, shipped ...string) *App {
	app := &App{Dir: dir}
	files := 0
	workspace := Workspace(dir)
	keep := map[string]bool{}
	for _, s := range shipped {
		keep[filepath.Join(dir, s)] = true
	}
	// Next.js's route files count where a package.json depends on next:
	// kenyipp's apps/app/route.ts is an express-promise-router file.
	var nextRoutes []Evidence
	next := dependsOnNext(filepath.Join(dir, "package.json"))
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if path != dir && !keep[path] && SkipDir(path, d.Name(), workspace) {
				return filepath.SkipDir
			}
			return nil
		}
		if files >= maxFiles {
			return filepath.SkipAll
		}
		if route, ok := nextRoute(dir, path); ok {
			nextRoutes = append(nextRoutes, Evidence{Value: route, File: path, Line: 1, Why: "a Next.js route file"})
		}
		if d.Name() == "package.json" && !next {
			next = dependsOnNext(path)
		}
		lang := language(d.Name())
		if lang == "" && filepath.Ext(d.Name()) == "" && filepath.Base(filepath.Dir(path)) == "bin" {
			lang = shebangLanguage(path) // express-generator's bin/www
		}
		if lang == "" || TestFile(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() > maxFileSize {
			return nil
		}
		files++
		data := app.scanFile(path, lang)
		if rel, err := filepath.Rel(dir, path); err == nil && data != nil && !ToolingFile(filepath.ToSlash(rel)) {
			app.programsIn(dir, filepath.ToSlash(rel), lang, data)
		}
		return nil
	})
	if next {
		app.Routes = append(app.Routes, nextRoutes...)
	}
	app.applyDjangoMounts()
	sort.Slice(app.Routes, func(i, j int) bool { return app.Routes[i].Value < app.Routes[j].Value })
	app.addWrapperReads()
	app.addDerivedSettings()
	app.dropViperOnly()
	deps := DependencyCommands(dir)
	app.Programs = slices.DeleteFunc(UniquePrograms(app.Programs), func(e Evidence) bool { return deps[strings.ToLower(e.Value)] })
	return app
}

// nextDependency is package.json's line that names next as a dependency,
// or a script that runs it.
var nextDependency = regexp.MustCompile(`"next"\s*:\s*"|"(?:start|build|dev)"\s*:\s*"(?:[^"]*[\s&;])?next (?:start|build|dev)\b`)

// dependsOnNext reports whether the package.json at path names next.
func dependsOnNext(path string) bool {
	info, err := os.Stat(path)
	if err != nil || info.Size() > 1<<20 {
		return false
	}
	data, err := os.ReadFile(path)
	return err == nil && nextDependency.Match(data)
}

// nextRoute is the path a Next.js route file serves: app/api/heartbeat/route.ts
// is /api/heartbeat (route groups like (admin) left out), pages/api/health.ts
// is /api/health. Dynamic segments ([id]) become {id}.
func nextRoute(root, path string) (string, bool) {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return "", false
	}
	segs := strings.Split(filepath.ToSlash(rel), "/")
	name := segs[len(segs)-1]
	ext := filepath.Ext(name)
	if ext != ".ts" && ext != ".js" && ext != ".mjs" {
		return "", false
	}
	stem := strings.TrimSuffix(name, ext)
	for i, seg := range segs[:len(segs)-1] {
		var parts []string
		switch {
		case seg == "app" && stem == "route":
			parts = segs[i+1 : len(segs)-1]
		case seg == "pages" && i+1 < len(segs)-1 && segs[i+1] == "api":
			parts = segs[i+1 : len(segs)-1]
			if stem != "index" {
				parts = append(parts, stem)
			}
		default:
			continue
		}
		var out []string
		for _, p := range parts {
			switch {
			case strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")"):
			case strings.HasPrefix(p, "[") && strings.HasSuffix(p, "]"):
				out = append(out, "{"+strings.Trim(p, "[].")+"}")
			default:
				out = append(out, p)
			}
		}
		return "/" + strings.Join(out, "/"), true
	}
	return "", false
}

// shebangLanguage is the language of an extensionless script by its #!
// line (node, python), or "".
func shebangLanguage(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := f.Read(head)
	line, _, _ := strings.Cut(string(head[:n]), "\n")
	switch {
	case !strings.HasPrefix(line, "#!"):
		return ""
	case strings.Contains(line, "node"):
		return "js"
	case strings.Contains(line, "python"):
		return "python"
	}
	return ""
}

func language(name string) string {
	switch filepath.Ext(name) {
	case ".py":
		return "python"
	case ".go":
		return "go"
	case ".js", ".mjs", ".cjs", ".ts":
		return "js"
	case ".rs":
		return "rust"
	}
	return ""
}

func (a *App) scanFile(file, lang string) []byte {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var pendingVar, pendingEnv, nestPrefix string
	// guard is a login decorator over the next class or method, classGuard
	// the one over the class the routes belong to.
	var guard, classGuard string
	// pyDeco: the line is in a Python decorator stack, whose routes start
	// at a.Routes[pyDecoStart]; pyDecoGuard is its login decorator's.
	pyDeco, pyDecoStart, pyDecoGuard, pyDecoOpen := false, 0, "", 0
	routeOpen := false            // a route decorator whose method has not begun
	groups := map[string]string{} // router variable → its path prefix
	drfRoots := map[string]bool{} // Django REST framework's DefaultRouters, by name
	ginSeen, microrouter, namespaced := false, false, false
	ginEngines := map[string]bool{} // the file's gin engines, by name
	pendingUntil, settings := 0, false
	inClass := false // a Python class's body, whose annotated fields are noted (pyClass)
	// A clap attribute's env: the field it is on comes by clapEnvUntil;
	// clapEnv is the variable it names ("" for the field's own name).
	clapEnvUntil, clapEnv, clapDefault := 0, "", false
	clapAttr, clapAttrUntil := "", 0 // a clap attribute over several lines, so far
	jsOpenGet := ""                  // a ConfigService call the line before left open (jsConfigGetOpen)
	// goReads are Go variables holding an environment variable's value
	// (goEnvRead); emptyEnv is the one an `if ... == "" {` block tests,
	// until the block's closing line.
	goReads := map[string]string{}
	emptyEnv, emptyLine, emptyUntil := "", 0, 0
	// pyString is the quote of the Python triple-quoted string the line
	// before ended in, "" outside one.
	pyString := ""
	seenEnv := map[string]bool{}
	for _, e := range a.Env {
		seenEnv[e.Value] = true
	}
	guarded := map[string]bool{}
	hardReads := len(a.RequiredEnv)
	var schemaKeys, schemaRequired []Evidence // a process.env schema's keys, counted if the file validates process.env
	listed := map[string]bool{}               // the keys a JSON schema's required: [...] names
	validatesEnv := false
	viperPrefix := "" // viper.SetEnvPrefix("memos"): AutomaticEnv reads MEMOS_PORT
	if lang == "go" {
		if m := ViperEnvPrefix.FindSubmatch(data); m != nil {
			viperPrefix = strings.ToUpper(string(m[1])) + "_"
		}
	}
	var goPkg, goFn, goParam string // the file's package; the function the line is in, and its first parameter
	var jsFn, jsParam string        // the JavaScript function the line is in, and its first parameter
	openRoute := ""                 // a JavaScript route call or Python decorator whose path is on the next line
	actuator := false               // the file imports express-actuator
	hapiUntil, hapiMethod := 0, ""  // the lines of a hapi route object, and its method
	// bareEnviron: the file imports os's environ by name, so a bare
	// environ[...] is the process's; elsewhere it is a WSGI request's.
	bareEnviron := lang == "python" && pyImportsEnviron.Match(data)
	var optionalImports map[int]bool
	if lang == "python" {
		optionalImports = pyOptionalImports(data)
	}
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if patternLine.MatchString(line) || commentLine(line) {
			continue // a tool's own patterns and a comment's examples name variables and ports the code reads nowhere
		}
		a.scanEnv(line, file, n, lang, seenEnv, bareEnviron)
		if lang == "js" {
			// A ConfigService read over two lines (docmost's
			// this.configService.get<string>(\n 'REDIS_URL', and
			// this.configService\n .get<string>('SEARCH_DRIVER', ...)):
			// read with the line before's open call.
			if jsOpenGet != "" {
				a.scanEnv(jsOpenGet+strings.TrimSpace(line), file, n, lang, seenEnv, bareEnviron)
			}
			jsOpenGet = jsConfigGetOpen.FindString(line)
		}
		if lang == "go" {
			goPkg, goFn, goParam = a.scanGoWrapper(line, file, n, goPkg, goFn, goParam)
		}
		if lang == "js" {
			jsFn, jsParam = a.scanJSWrapper(line, file, n, jsFn, jsParam)
			validatesEnv = validatesEnv || strings.Contains(line, "process.env") && jsEnvValidate.MatchString(line) || jsEnvSchemaLib.MatchString(line)
			if l := jsSchemaRequiredList.FindStringSubmatch(line); l != nil {
				for _, q := range jsQuotedName.FindAllStringSubmatch(l[1], -1) {
					listed[q[1]] = true
				}
			}
			m := jsEnvSchemaKey.FindStringSubmatch(line)
			if m == nil {
				m = jsFluentEnvKey.FindStringSubmatch(line)
			}
			if m != nil {
				e := Evidence{Value: m[1], File: file, Line: n, Why: "a key of the schema that validates process.env"}
				schemaKeys = append(schemaKeys, e)
				if jsSchemaRequired(line) {
					schemaRequired = append(schemaRequired, e)
				}
			}
		}
		if lang == "rust" && (clapAttr != "" || strings.Contains(line, "#[")) {
			// An attribute over several lines is read whole:
			// #[arg(\n long,\n env = "LISTEN",\n default_value = "...",\n)].
			attr := line
			if clapAttr != "" {
				clapAttr += " " + strings.TrimSpace(line)
				attr = clapAttr
			} else if rustClapOpen.MatchString(line) && !strings.Contains(line, ")]") {
				clapAttr, clapAttrUntil = line, n+8
			}
			if clapAttr != "" && (strings.Contains(line, ")]") || n >= clapAttrUntil) {
				clapAttr = ""
			}
			if m := rustClapEnv.FindStringSubmatch(attr); m != nil && clapAttr == "" {
				clapEnvUntil, clapEnv, clapDefault = n+4, m[1], strings.Contains(attr, "default_value")
			}
		}
		if lang == "rust" && clapEnvUntil >= n {
			if m := rustField.FindStringSubmatch(line); m != nil {
				// A field with no default that is not optional (Option,
				// a bool flag, a list) stops the program at start, as
				// clap refuses a missing argument.
				name := cmp.Or(clapEnv, strings.ToUpper(m[1]))
				a.addEnv(name, file, n, seenEnv)
				if !clapDefault && !rustOptionalField.MatchString(line) {
					a.RequiredEnv = append(a.RequiredEnv, Evidence{Value: name, File: file, Line: n, Why: "a clap argument read from the environment, with no default"})
				}
				clapEnvUntil = 0
			}
		}
		if lang == "python" {
			if m := PyClassLine.FindStringSubmatch(line); m != nil {
				settings = strings.Contains(m[2], "BaseSettings")
				a.pyClasses = append(a.pyClasses, pyClass{name: m[1], bases: m[2], direct: settings})
				inClass = true
			} else if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
				settings, inClass = false, false
			}
			if m := pySettingsField.FindStringSubmatch(line); m != nil && inClass {
				if settings {
					a.addEnv(strings.ToUpper(m[1]), file, n, seenEnv)
				}
				c := &a.pyClasses[len(a.pyClasses)-1]
				c.fields = append(c.fields, Evidence{Value: strings.ToUpper(m[1]), File: file, Line: n})
			}
		}
		hasPort := strings.Contains(line, "PORT") || strings.Contains(line, "ADDR")
		for _, re := range portDefault {
			if !hasPort {
				break // each pattern names a PORT or ADDR variable
			}
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				if OtherServer(m[1]) {
					continue // a database's or mail server's port
				}
				a.Listens = append(a.Listens, Evidence{Value: m[2], File: file, Line: n, Why: "default of $" + m[1]})
			}
		}
		if lang == "go" {
			if m := goEnvRead.FindStringSubmatch(line); m != nil {
				goReads[m[1]] = m[2]
			}
			if m := goEnvEmpty.FindStringSubmatch(line); m != nil {
				if name := cmp.Or(m[2], goReads[m[1]]); name != "" {
					emptyEnv, emptyLine, emptyUntil = name, n, n+4
				}
			} else if emptyEnv != "" && n <= emptyUntil {
				if goExitsCall.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "//") {
					a.RequiredEnv = append(a.RequiredEnv, Evidence{Value: emptyEnv, File: file, Line: emptyLine, Why: "the program exits when it is empty"})
					emptyEnv = ""
				} else if strings.HasPrefix(strings.TrimSpace(line), "}") {
					emptyEnv = "" // the block's end, or its else
				}
			}
			if m := goEnvAssign.FindStringSubmatch(line); m != nil {
				pendingVar, pendingEnv, pendingUntil = m[1], m[2], n+6
			} else if m := goPortAssign.FindStringSubmatch(line); m != nil && m[1] == pendingVar && n <= pendingUntil {
				a.Listens = append(a.Listens, Evidence{Value: m[2], File: file, Line: n, Why: "default of $" + pendingEnv})
				pendingVar = ""
			}
			if port := goFlagPortOf(line); port != "" {
				a.Listens = append(a.Listens, Evidence{Value: port, File: file, Line: n, Why: "a flag's default"})
			}
			if m := goKingpinListen.FindStringSubmatch(line); m != nil {
				a.Listens = append(a.Listens, Evidence{Value: m[1] + m[2], File: file, Line: n, Why: "the default of its --web.listen-address flag"})
			}
			if m := goViperPort.FindStringSubmatch(line); m != nil {
				env := viperPrefix + strings.ToUpper(strings.ReplaceAll(m[1], ".", "_"))
				a.Listens = append(a.Listens, Evidence{Value: m[2], File: file, Line: n, Why: "viper's default for " + m[1] + ", $" + env + " with AutomaticEnv"})
			}
			for _, m := range goGinEngine.FindAllStringSubmatch(line, -1) {
				ginEngines[m[1]] = true
			}
			if m := goGinRun.FindStringSubmatch(line); ginSeen && m != nil && (ginEngines[m[1]] || len(ginEngines) == 0 && goGinEngineName.MatchString(m[1])) {
				a.Listens = append(a.Listens, Evidence{Value: "8080", File: file, Line: n, Why: "gin's Run() default, default of $PORT"})
			}
			ginSeen = ginSeen || strings.Contains(line, "github.com/gin-gonic/gin")
		}
		for _, db := range dbImports[lang] {
			if !mayImport(lang, line) || optionalImports[n] {
				break
			}
			if db.re.MatchString(line) && !a.imports(db.name, file) {
				a.Imports = append(a.Imports, Evidence{Value: db.name, File: file, Line: n, Why: ImportedByCode})
			}
		}
		signals := strings.Contains(line, "SIG") || strings.Contains(line, "ignal") || strings.Contains(line, "ctrl_c") || strings.Contains(line, "Interrupt")
		if a.HandlesSIGINT == nil && signals && sigint.MatchString(line) {
			a.HandlesSIGINT = &Evidence{Value: "SIGINT", File: file, Line: n}
		}
		var routes []*regexp.Regexp
		switch lang {
		case "python":
			routes = []*regexp.Regexp{pyRoute, djRoute, pyPathEq, pyCallRoute}
			if openRoute != "" {
				// The decorator's path on the line after it: the route is
				// the decorator's line.
				if m := pyRoute.FindStringSubmatch(openRoute + strings.TrimSpace(line)); m != nil {
					a.Routes = append(a.Routes, Evidence{Value: "/" + strings.TrimPrefix(m[1], "/"), File: file, Line: n - 1})
				}
				openRoute = ""
			}
			if pyRouteOpen.MatchString(line) {
				openRoute = strings.TrimSpace(line)
			}
			if m := djInclude.FindStringSubmatch(line); m != nil {
				// path('api/task/', include('task.urls')): a mount, no
				// route; the module's routes are under the prefix.
				routes = []*regexp.Regexp{pyRoute, pyPathEq, pyCallRoute}
				if m[2] != "" {
					a.djangoMounts = append(a.djangoMounts, djangoMount{prefix: m[1], module: m[2], file: filepath.ToSlash(file)})
				}
				if r := drfRouterURLs.FindStringSubmatch(line); r != nil && drfRoots[r[1]] {
					// DRF's DefaultRouter serves its API root where it is
					// mounted (SimpleRouter does not).
					a.Routes = append(a.Routes, Evidence{Value: "/" + m[1], File: file, Line: n, Why: "Django REST framework's DefaultRouter API root"})
				}
			}
			if slices.ContainsFunc(DjangoAPIURLs.FindAllStringSubmatch(line, -1), func(m []string) bool { return m[2] != "admin.site" }) {
				// path("", api.urls): a Django Ninja API mounted there, no
				// route of its own (julienc91/caviardeul's "/" was a 404);
				// its decorated routes are under the prefix.
				routes = []*regexp.Regexp{pyRoute, pyPathEq, pyCallRoute}
			}
			if m := drfDefaultRouter.FindStringSubmatch(line); m != nil {
				drfRoots[m[1]] = true
			}
			var doc bool
			if doc, pyString = PyDocstringStep(line, pyString); doc {
				// A docstring's example (startproject's urls.py: "1. Add
				// an import: ... path('', views.home, name='home')") is
				// no route.
				routes = nil
			}
			a.TrustsProxy = a.TrustsProxy || strings.Contains(line, "ProxyFix(") || strings.Contains(line, "ProxyHeadersMiddleware")
			for _, m := range pyEnvHard.FindAllStringSubmatchIndex(line, -1) {
				name := line[m[2]:m[3]]
				if rest := strings.TrimLeft(line[m[1]:], " \t"); strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==") {
					guarded[name] = true // os.environ["X"] = ...: set here, not read
					continue
				}
				a.RequiredEnv = append(a.RequiredEnv, Evidence{Value: name, File: file, Line: n})
			}
			for _, m := range pyEnvGuard.FindAllStringSubmatch(line, -1) {
				guarded[firstGroup(m)] = true
			}
			// A Blueprint's url_prefix or an APIRouter's prefix, made in
			// this file, comes before the paths of its routes.
			if m := pyRouter.FindStringSubmatch(line); m != nil {
				if p := pyPrefix.FindStringSubmatch(line); p != nil {
					groups[m[1]] = "/" + strings.Trim(p[1], "/")
				}
			}
			if m := pyRouteRecv.FindStringSubmatch(line); m != nil && groups[m[1]] != "" {
				a.Routes = append(a.Routes, Evidence{Value: groups[m[1]] + "/" + strings.TrimPrefix(m[2], "/"), File: file, Line: n})
				routes = nil
			}
		case "go":
			// Router groups of this file: v1 := r.Group("/v1") on a router
			// made here; a route on v1 is under /v1. A group of a router
			// handed in from elsewhere has a prefix this file does not know:
			// its routes stay as written.
			if m := goRouter.FindStringSubmatch(line); m != nil {
				groups[m[1]] = ""
			} else if m := goGroup.FindStringSubmatch(line); m != nil {
				if parent, ok := groups[m[2]]; ok {
					groups[m[1]] = strings.TrimSuffix(parent, "/") + "/" + strings.Trim(m[3], "/")
				}
			}
			if m := goRouteRecv.FindStringSubmatch(line); m != nil {
				if prefix, ok := groups[m[1]]; ok && prefix != "" {
					route := strings.TrimSuffix(prefix, "/") + "/" + strings.TrimPrefix(m[2], "/")
					if m[2] == "" || m[2] == "/" {
						route = prefix + "/"
					}
					a.Routes = append(a.Routes, Evidence{Value: route, File: file, Line: n})
					break
				}
			}
			routes = []*regexp.Regexp{goRoute}
		case "rust":
			routes = []*regexp.Regexp{rsRoute}
		case "js":
			routes = []*regexp.Regexp{jsRoute, jsPathEq}
			if openRoute != "" {
				// The call's path on the line after it (fastify/demo's
				// `fastify.get(` then `'/',`): the route is the call's line.
				if m := jsRoute.FindStringSubmatch(openRoute + strings.TrimSpace(line)); m != nil {
					a.Routes = append(a.Routes, Evidence{Value: firstGroup(m), File: file, Line: n - 1})
				}
				openRoute = ""
			}
			if jsRouteOpen.MatchString(line) {
				openRoute = strings.TrimSpace(line)
			}
			actuator = actuator || jsActuatorImported.MatchString(line)
			if m := jsActuator.FindStringSubmatch(line); m != nil && actuator {
				a.Routes = append(a.Routes, Evidence{Value: strings.TrimSuffix(m[1], "/") + "/health", File: file, Line: n, Why: "express-actuator's"})
			}
			// hapi's route objects: server.route({ method: 'GET', path:
			// '/health', handler }), the keys on the lines after the call.
			if hapiRoute.MatchString(line) {
				hapiUntil, hapiMethod = n+8, ""
			}
			if n <= hapiUntil {
				if m := hapiMethodKey.FindStringSubmatch(line); m != nil {
					hapiMethod = strings.ToUpper(m[1])
				}
				if m := hapiPathKey.FindStringSubmatch(line); m != nil && (hapiMethod == "" || hapiMethod == "GET" || hapiMethod == "*") {
					a.Routes = append(a.Routes, Evidence{Value: m[1], File: file, Line: n})
					hapiUntil = 0
				}
			}
			// A namespace's prefix (withNamespace('/api')) is not followed:
			// its file's bare routes are left out rather than read without it.
			namespaced = namespaced || strings.Contains(line, "withNamespace(")
			if microrouter = microrouter || jsMicrorouter.MatchString(line); microrouter && !namespaced {
				routes = append(routes, jsBareRoute)
			}
			switch {
			case !a.expressApp && jsExpressApp.MatchString(line):
				// Where the app is made, where `trust proxy` goes: not a
				// router file's import (express-rest-boilerplate's note
				// named its auth.route.js, not src/config/express.js).
				a.Express, a.expressApp = &Evidence{Value: "express", File: file, Line: n}, true
			case a.Express == nil && jsExpress.MatchString(line):
				a.Express = &Evidence{Value: "express", File: file, Line: n}
			}
			a.TrustsProxy = a.TrustsProxy || jsTrust.MatchString(line)
			if g := nestGuard.FindStringSubmatch(line); g != nil && (g[1] == "" || AuthName.MatchString(strings.ReplaceAll(g[1], "Guard", ""))) {
				// Above the class (before its @Controller) it guards every
				// route; above a method, the route it decorates.
				where := file
				if rel, err := filepath.Rel(a.Dir, file); err == nil {
					where = filepath.ToSlash(rel)
				}
				guard = fmt.Sprintf("behind %s (%s:%d): it needs a session", strings.TrimSpace(g[0]), where, n)
				if last := len(a.Routes) - 1; routeOpen && a.Routes[last].Why == classGuard {
					a.Routes[last].Why = guard // @Get('/x') then @Authorized()
				}
			}
			if m := nestController.FindStringSubmatch(line); m != nil {
				nestPrefix = strings.Trim(m[1], "/")
			} else if m := nestRoute.FindStringSubmatch(line); m != nil {
				route := "/" + strings.Trim(path.Join(nestPrefix, strings.Trim(m[1], "/")), "/")
				why := classGuard
				if guard != "" {
					why = guard
				}
				a.Routes = append(a.Routes, Evidence{Value: route, File: file, Line: n, Why: why})
				routeOpen = true
			}
			if jsClass.MatchString(line) {
				// The decorators before a class are the class's.
				classGuard, guard, routeOpen = guard, "", false
			} else if jsMethodHead.MatchString(line) {
				guard, routeOpen = "", false // the decorators before it were this method's
			}
		}
		if a.HandlesSIGTERM == nil && (signals && sigterm.MatchString(line) && (!sendsSignal.MatchString(line) || handlesSignal.MatchString(line)) || lang == "js" && jsGracefulLib.MatchString(line) ||
			lang == "go" && goGracefulLib.MatchString(line)) {
			a.HandlesSIGTERM = &Evidence{Value: "SIGTERM", File: file, Line: n}
		}
		for _, re := range listenPatterns[lang] {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				a.Listens = append(a.Listens, Evidence{Value: m[1], File: file, Line: n})
			}
		}
		if lang == "python" {
			// A decorator stack: a login decorator in it guards the routes
			// it registers (calibre-web's @admi.route("/admin/alive") over
			// @user_login_required and @admin_required).
			if t := strings.TrimSpace(line); pyDeco && pyDecoOpen > 0 {
				// A decorator's arguments over several lines: still the
				// stack.
				pyDecoOpen += strings.Count(t, "(") - strings.Count(t, ")")
			} else if strings.HasPrefix(t, "@") {
				if !pyDeco {
					pyDeco, pyDecoStart, pyDecoGuard = true, len(a.Routes), ""
				}
				pyDecoOpen = strings.Count(t, "(") - strings.Count(t, ")")
				if m := pyDecoratorName.FindStringSubmatch(t); m != nil && pyAuthDecorator(m[1]) {
					where := file
					if rel, err := filepath.Rel(a.Dir, file); err == nil {
						where = filepath.ToSlash(rel)
					}
					pyDecoGuard = fmt.Sprintf("behind @%s (%s:%d): it needs a session", m[1], where, n)
				}
			} else if t != "" {
				pyDeco = false
			}
		}
		for _, re := range routes {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				route := firstGroup(m)
				if jsMethodArg.MatchString(route) {
					continue // parse-server's router.route('POST', batchPath, ...): a method, not a path
				}
				if method, p, ok := strings.Cut(route, " "); ok && strings.ToUpper(method) == method {
					route = p // Go 1.22 patterns: "GET /healthz"
				}
				if !strings.HasPrefix(route, "/") {
					route = "/" + route
				}
				a.Routes = append(a.Routes, Evidence{Value: route, File: file, Line: n})
			}
		}
		if pyDeco && pyDecoGuard != "" {
			for i := pyDecoStart; i < len(a.Routes); i++ {
				if a.Routes[i].Why == "" {
					a.Routes[i].Why = pyDecoGuard
				}
			}
		}
	}
	if validatesEnv {
		for _, e := range schemaKeys {
			a.addEnv(e.Value, file, e.Line, seenEnv)
			if listed[e.Value] && !slices.ContainsFunc(schemaRequired, func(r Evidence) bool { return r.Value == e.Value }) {
				schemaRequired = append(schemaRequired, e)
			}
		}
		a.RequiredEnv = append(a.RequiredEnv, schemaRequired...)
	}
	a.RequiredEnv = append(a.RequiredEnv[:hardReads], unguarded(a.RequiredEnv[hardReads:], guarded)...)
	if lang == "python" {
		a.addFastAPIDocs(data, file)
	}
	return data
}

// jsEnvalid and jsZod are a schema key's validator: envalid's
// str({...}), zod's z.string()....
var (
	jsEnvalid = regexp.MustCompile(`:\s*(?:envalid\.)?(?:str|num|bool|port|url|host|email|json)\(`)
	jsZod     = regexp.MustCompile(`:\s*z\.`)
	jsDefault = regexp.MustCompile(`[{,]\s*default\s*:`)
)

// jsSchemaRequired reports whether a schema key's line, written whole on
// it, makes the variable required: Joi's .required() without a default;
// envalid's validator without a default (its devDefault does not hold
// where NODE_ENV is production, as the image sets it: express-
// typescript-2024's CORS_ORIGIN: str({ devDefault: ... })); zod's,
// required unless optional or defaulted.
func jsSchemaRequired(line string) bool {
	code := line
	if i := strings.Index(code, " //"); i >= 0 {
		code = code[:i] // a comment after the code
	}
	if strings.Count(code, "(") != strings.Count(code, ")") {
		return false // continued on the next lines: unread
	}
	switch {
	case strings.Contains(code, ".required()"):
		return !strings.Contains(code, ".default(")
	case jsEnvalid.MatchString(code):
		return !jsDefault.MatchString(code)
	case jsZod.MatchString(code):
		for _, soft := range []string{".optional(", ".default(", ".nullish(", ".catch(", ".nullable("} {
			if strings.Contains(code, soft) {
				return false
			}
		}
		return true
	}
	return false
}

// unguarded drops the reads of variables the same file tests for first.
func unguarded(reads []Evidence, guarded map[string]bool) []Evidence {
	out := reads[:0]
	for _, e := range reads {
		if !guarded[e.Value] {
			out = append(out, e)
		}
	}
	return out
}

// commentLine reports whether a line is a whole-line comment (// or #,
// not Rust's #[attributes]).
func commentLine(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "//") || strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "#[") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "/*")
}

// mayImport is a cheap necessary condition for a line to match one of
// lang's dbImports patterns: an import or require, a URL, a Rust path.
func mayImport(lang, line string) bool {
	switch lang {
	case "go":
		return strings.Contains(line, `"`)
	case "python":
		return strings.Contains(line, "import") || strings.Contains(line, "://")
	case "js":
		return strings.Contains(line, "require") || strings.Contains(line, "from") || strings.Contains(line, "://") || strings.Contains(line, "dialect")
	}
	return strings.Contains(line, "::") || strings.Contains(line, "Pool")
}

// scanEnv records the environment variables a line reads, and those that
// carry the listen port. In Python, environ[...] is os.environ only as
// os.environ, or bare where the file imports it from os (bareEnviron): a
// WSGI app's environ["SERVER_PORT"] (isso, Radicale, bottle's
// request.environ) is the request's, which no variable of the image sets.
func (a *App) scanEnv(line, path string, n int, lang string, seen map[string]bool, bareEnviron bool) {
	re := envRead[lang]
	if re == nil || !strings.Contains(line, "nv") && !strings.Contains(line, "config") && !strings.Contains(line, "var") && !strings.Contains(line, "viper") && !strings.Contains(line, "Config.Get") {
		return // every pattern reads env, environ, Getenv, config(, var(, viper or Config.Get
	}
	if lang == "go" {
		// viper with AutomaticEnv reads key db_dsn from DB_DSN; without
		// it, a key is the configuration file's alone (Scan drops it).
		a.viperAutoEnv = a.viperAutoEnv || viperAutomaticEnv.MatchString(line)
		for _, m := range viperKey.FindAllStringSubmatch(line, -1) {
			name := strings.ToUpper(strings.ReplaceAll(m[1], ".", "_"))
			if !seen[name] {
				if a.viperOnly == nil {
					a.viperOnly = map[string]bool{}
				}
				a.viperOnly[name] = true
			}
			a.addEnv(name, path, n, seen)
		}
	}
	for _, ix := range re.FindAllStringSubmatchIndex(line, -1) {
		if lang == "python" && !pyProcessEnviron(line, ix[0], bareEnviron) {
			continue
		}
		m := make([]string, len(ix)/2)
		for g := range m {
			if ix[2*g] >= 0 {
				m[g] = line[ix[2*g]:ix[2*g+1]]
			}
		}
		if lang == "python" && cgiMetaVar.MatchString(firstGroup(m)) && pyDictRead(line, ix[0]) && !pyOSEnviron(line, ix[0], bareEnviron) {
			continue // bottle's env.get('SERVER_PORT'): a request's environ
		}
		a.addEnv(firstGroup(m), path, n, seen)
		delete(a.viperOnly, firstGroup(m))
	}
}

var (
	pyTryLine    = regexp.MustCompile(`^(\s*)try\s*:\s*(?:#.*)?$`)
	pyExceptLine = regexp.MustCompile(`^(\s*)except\b([^:]*):`)
)

// pyOptionalImports are the lines (1-based) of a Python file's try blocks
// whose except catches ImportError or ModuleNotFoundError without raising:
// what they import is optional, a backend the user installs to use
// (searxng's engines: try: import psycopg2 except ImportError: pass), no
// database the app needs. One pass with a stack of open try blocks, so
// nesting costs no rescans; the marked ranges are summed once.
func pyOptionalImports(data []byte) map[int]bool {
	type open struct {
		indent    string
		body      int  // the try's line index; the body is after it
		bodyEnd   int  // the first line after the body, once known
		handling  bool // past the body, among its except clauses
		importErr bool // in an except ImportError clause
		raises    bool // that clause raises: the import is required
	}
	lines := strings.Split(string(data), "\n")
	delta := make([]int, len(lines)+1)
	var stack []open
	deeper := func(indent, than string) bool {
		return len(indent) > len(than) && strings.HasPrefix(indent, than)
	}
	closeClause := func(o *open) {
		if o.importErr && !o.raises {
			delta[o.body+1]++
			delta[o.bodyEnd]--
		}
		o.importErr, o.raises = false, false
	}
	for k, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if deeper(indent, top.indent) {
				if top.importErr && (strings.HasPrefix(t, "raise") && (len(t) == 5 || t[5] == ' ' || t[5] == '(')) {
					top.raises = true
				}
				break
			}
			if !top.handling {
				top.handling, top.bodyEnd = true, k
			}
			closeClause(top)
			if e := pyExceptLine.FindStringSubmatch(l); e != nil && e[1] == indent && indent == top.indent {
				top.importErr = strings.Contains(e[2], "ImportError") || strings.Contains(e[2], "ModuleNotFoundError")
				// An except clause on one line (except ImportError: pass).
				if rest := strings.TrimSpace(l[len(e[0]):]); rest != "" && !strings.HasPrefix(rest, "#") {
					top.raises = strings.HasPrefix(rest, "raise")
				}
				goto next
			}
			stack = stack[:len(stack)-1]
		}
		if m := pyTryLine.FindStringSubmatch(l); m != nil {
			stack = append(stack, open{indent: m[1], body: k})
		}
	next:
	}
	for i := len(stack) - 1; i >= 0; i-- {
		closeClause(&stack[i]) // the file ends in a clause
	}
	out := map[int]bool{}
	sum := 0
	for i := range lines {
		sum += delta[i]
		if sum > 0 {
			out[i+1] = true
		}
	}
	return out
}

// pyDecoratorName is a decorator's name: @login_required,
// @auth.login_required(role="admin"), @jwt_required().
var pyDecoratorName = regexp.MustCompile(`^@([A-Za-z_][\w.]*)`)

// pyAuthDecorator reports whether a decorator refuses a request without a
// session: Flask-Login's login_required, user_login_required,
// admin_required, jwt_required, permission_required, requires_auth.
func pyAuthDecorator(name string) bool {
	last := name[strings.LastIndex(name, ".")+1:]
	l := strings.ToLower(last)
	return (strings.HasSuffix(l, "required") || strings.HasPrefix(l, "requires_") || strings.HasPrefix(l, "require_")) && AuthName.MatchString(l) ||
		l == "login_required"
}

// cgiMetaVar is a CGI meta-variable, which a WSGI server puts in each
// request's environ: read other than through os.environ or os.getenv it
// is the request's (bottle's env.get('SERVER_PORT')).
var cgiMetaVar = regexp.MustCompile(`^(?:SERVER_(?:PORT|NAME|PROTOCOL|SOFTWARE)|REQUEST_(?:METHOD|URI)|PATH_INFO|SCRIPT_NAME|QUERY_STRING|CONTENT_(?:TYPE|LENGTH)|REMOTE_(?:ADDR|HOST|USER)|HTTP_(?:HOST|USER_AGENT|ACCEPT\w*|COOKIE|REFERER|X_\w+)|GATEWAY_INTERFACE|AUTH_TYPE)$`)

// pyDictRead reports whether the read at i of line is a dict's: env.get(
// or environ.get( / environ[ (a WSGI environ), not python-decouple's
// config(), environs' env.int() or getenv().
func pyDictRead(line string, i int) bool {
	rest := line[i:]
	return strings.HasPrefix(rest, "environ") || strings.HasPrefix(rest, "env.get(")
}

// pyImportsEnviron is a Python file's `from os import environ` (among
// other names).
var pyImportsEnviron = regexp.MustCompile(`(?m)^\s*from\s+os\s+import\s+(?:\([^)]*\benviron\b|[^#\n(]*\benviron\b)`)

// pyProcessEnviron reports whether the environ a read at i of line
// starts with is the process's: os.environ, or a bare environ the file
// imports from os (bare). Other reads (getenv, env(...)) are the
// process's.
func pyProcessEnviron(line string, i int, bare bool) bool {
	return !strings.HasPrefix(line[i:], "environ") || pyOSEnviron(line, i, bare)
}

// pyOSEnviron reports whether the read at i of line is os's: os.environ
// or os.getenv, or environ imported from os (bare).
func pyOSEnviron(line string, i int, bare bool) bool {
	if strings.HasSuffix(line[:i], "os.") {
		return true
	}
	return bare && strings.HasPrefix(line[i:], "environ") && !strings.HasSuffix(line[:i], ".")
}

var (
	goPackageLine = regexp.MustCompile(`^package\s+(\w+)`)
	// goFuncFirstParam is a top-level function's name and first
	// parameter: func Config(key string) string {, func get(key, def string).
	goFuncFirstParam = regexp.MustCompile(`^func\s+(\w+)\(\s*(\w+)[\s,]`)
	// goImportAlias is an import under a name of its own, in an import
	// block or alone: cfg "example.com/app/config".
	goImportAlias = regexp.MustCompile(`^\s*(?:import\s+)?([A-Za-z_]\w*)\s+"([^"]+)"\s*(?://.*)?$`)
	// goNameCall is a call whose first argument is a variable's name:
	// config.Config("DB_HOST"), Config("DB_HOST").
	goNameCall = regexp.MustCompile(`\b(?:(\w+)\.)?(\w+)\(\s*"([A-Z][A-Z0-9_]*)"`)
)

type goFunc struct{ pkg, name string }

type goCall struct {
	qualifier, pkg, name string // pkg: the calling file's package
	env                  Evidence
}

var (
	// goPrefixedRead reads a variable whose name is a constant and the
	// parameter: os.LookupEnv(static.EnvironmentVariablePrefix+key).
	goPrefixedRead = regexp.MustCompile(`os\.(?:Getenv|LookupEnv)\(((?:[A-Za-z_]\w*\.)?[A-Za-z_]\w*)\+([A-Za-z_]\w*)\)`)
	// goNameArgCall is an unqualified call whose first argument is a name.
	goNameArgCall = regexp.MustCompile(`(?:^|[^.\w])([A-Za-z_]\w*)\(([A-Za-z_]\w*)[,)]`)
	// goStringConst is a string constant or variable: const X = "v", or
	// X = "v" in a const block.
	goStringConst = regexp.MustCompile(`^\s*(?:const\s+|var\s+)?([A-Za-z_]\w*)(?:\s+string)?\s*=\s*"([^"\\]*)"\s*(?://.*)?$`)
	// jsFuncFirstParam opens a function and names its first parameter:
	// function getFileEnv(envVariable) {, const env = (key, fallback) =>,
	// export const readEnv = key =>.
	jsFuncFirstParam = regexp.MustCompile(`(?:\bfunction\s+([A-Za-z_$][\w$]*)\s*\(\s*([A-Za-z_$][\w$]*)|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\s*\(\s*|\(\s*)?([A-Za-z_$][\w$]*)\s*(?:[,):=]|\)\s*=>|\s*=>))`)
	// jsNameCall is a call whose first argument is a variable's name.
	jsNameCall = regexp.MustCompile(`(?:^|[^.\w$])([A-Za-z_$][\w$]*)\(\s*['"]([A-Z][A-Z0-9_]*[A-Z0-9])['"]`)
)

// scanJSWrapper follows a JavaScript file's functions: one that reads
// process.env[param] is a wrapper (mongo-express's getFileEnv(name), which
// reads the variable or name_FILE), whose calls with a name read it.
func (a *App) scanJSWrapper(line, file string, n int, fn, param string) (string, string) {
	if m := jsFuncFirstParam.FindStringSubmatch(line); m != nil {
		fn, param = m[1]+m[3], m[2]+m[4]
	}
	if fn != "" && param != "" && strings.Contains(strings.Join(strings.Fields(line), ""), "process.env["+param+"]") {
		if a.jsWrappers == nil {
			a.jsWrappers = map[string]bool{}
		}
		a.jsWrappers[fn] = true
	}
	if strings.Contains(line, "(") {
		for _, m := range jsNameCall.FindAllStringSubmatch(line, -1) {
			a.jsCalls = append(a.jsCalls, goCall{name: m[1], env: Evidence{Value: m[2], File: file, Line: n}})
		}
	}
	return fn, param
}

// scanGoWrapper follows a Go file's package and top-level functions: a
// function that reads the variable its first parameter names
// (os.Getenv(key), os.LookupEnv(key)) is a wrapper, whose calls with a
// name (config.Config("DB_HOST"), the fiber tutorials' shape) read it.
// Calls are kept with the package they are made from; addWrapperReads
// keeps those of wrappers once the walk has seen every file.
func (a *App) scanGoWrapper(line, file string, n int, pkg, fn, param string) (string, string, string) {
	if m := goPackageLine.FindStringSubmatch(line); m != nil {
		return m[1], "", ""
	}
	if m := goFuncFirstParam.FindStringSubmatch(line); m != nil {
		fn, param = m[1], m[2]
	} else if strings.HasPrefix(line, "}") {
		fn, param = "", ""
	}
	if fn != "" && strings.Contains(line, "os.") {
		bare := strings.Join(strings.Fields(line), "")
		prefix, wraps := "", strings.Contains(bare, "os.Getenv("+param+")") || strings.Contains(bare, "os.LookupEnv("+param+")")
		if m := goPrefixedRead.FindStringSubmatch(bare); m != nil && m[2] == param {
			// os.LookupEnv(static.EnvironmentVariablePrefix + key): the
			// constant's value comes before every name.
			prefix, wraps = m[1], true
		}
		if wraps {
			if a.goWrappers == nil {
				a.goWrappers = map[goFunc]string{}
			}
			a.goWrappers[goFunc{pkg, fn}] = prefix
		}
	}
	if fn != "" && param != "" && len(a.goWrappers) > 0 && strings.Contains(line, "("+param) {
		// A function that passes its parameter to a wrapper of its
		// package is one (pasty's MustBool(key) calls MustString(key)).
		for _, m := range goNameArgCall.FindAllStringSubmatch(line, -1) {
			if prefix, ok := a.goWrappers[goFunc{pkg, m[1]}]; ok && m[2] == param && m[1] != fn {
				if _, known := a.goWrappers[goFunc{pkg, fn}]; !known {
					a.goWrappers[goFunc{pkg, fn}] = prefix
				}
			}
		}
	}
	if m := goStringConst.FindStringSubmatch(line); m != nil {
		if a.goConsts == nil {
			a.goConsts = map[string]string{}
		}
		if old, seen := a.goConsts[m[1]]; seen && old != m[2] {
			m[2] = ""
		}
		a.goConsts[m[1]] = m[2]
	}
	if m := goImportAlias.FindStringSubmatch(line); m != nil && m[1] != "_" {
		if a.goAliases == nil {
			a.goAliases = map[string]map[string]string{}
		}
		if a.goAliases[file] == nil {
			a.goAliases[file] = map[string]string{}
		}
		a.goAliases[file][m[1]] = path.Base(m[2])
	}
	if strings.Contains(line, `("`) {
		for _, m := range goNameCall.FindAllStringSubmatch(line, -1) {
			a.goCalls = append(a.goCalls, goCall{qualifier: m[1], pkg: pkg, name: m[2], env: Evidence{Value: m[3], File: file, Line: n}})
		}
	}
	return pkg, fn, param
}

// addWrapperReads adds the variables the calls of wrappers read: a call
// qualified by the wrapper's package (or the name the calling file
// imports it under), or unqualified in that package.
func (a *App) addWrapperReads() {
	if len(a.jsWrappers) > 0 {
		seen := map[string]bool{}
		for _, e := range a.Env {
			seen[e.Value] = true
		}
		for _, c := range a.jsCalls {
			if a.jsWrappers[c.name] {
				a.addEnv(c.env.Value, c.env.File, c.env.Line, seen)
			}
		}
	}
	a.jsWrappers, a.jsCalls = nil, nil
	renamed := map[string]string{} // file:line:name of a prefixed wrapper's call, to the variable it reads
	if len(a.goWrappers) > 0 {
		seen := map[string]bool{}
		for _, e := range a.Env {
			seen[e.Value] = true
		}
		for _, c := range a.goCalls {
			pkg := c.qualifier
			aliases := a.goAliases[c.env.File]
			if imported, ok := aliases[pkg]; ok {
				pkg = imported
			} else if pkg == "" {
				pkg = c.pkg
			} else if slices.Contains(slices.Collect(maps.Values(aliases)), pkg) {
				continue // the file imports that package under another name: this is something else
			}
			if prefix, ok := a.goWrappers[goFunc{pkg, c.name}]; ok {
				if prefix != "" {
					value := a.goConsts[prefix[strings.LastIndexByte(prefix, '.')+1:]]
					if value == "" {
						continue // a prefix whose value is not read: the name is not known
					}
					renamed[fmt.Sprintf("%s:%d:%s", c.env.File, c.env.Line, c.env.Value)] = value + c.env.Value
					c.env.Value = value + c.env.Value
				}
				a.addEnv(c.env.Value, c.env.File, c.env.Line, seen)
			}
		}
	}
	for i, l := range a.Listens {
		// The port's default, read at the call before its wrapper was
		// known: the variable is the prefixed one.
		name, ok := strings.CutPrefix(l.Why, "default of $")
		if full := renamed[fmt.Sprintf("%s:%d:%s", l.File, l.Line, name)]; ok && full != "" {
			a.Listens[i].Why = "default of $" + full
		}
	}
	a.goWrappers, a.goCalls, a.goAliases, a.goConsts = nil, nil, nil, nil
}

// dropViperOnly drops the variables only a viper key named, where the
// code never calls AutomaticEnv: viper.GetString("port") then reads
// the configuration file, not $PORT (zhashkevych/todo-app's port, which
// init printed as "port from $PORT").
func (a *App) dropViperOnly() {
	if a.viperAutoEnv || len(a.viperOnly) == 0 {
		return
	}
	keep := func(list []Evidence) []Evidence {
		var out []Evidence
		for _, e := range list {
			if !a.viperOnly[e.Value] {
				out = append(out, e)
			}
		}
		return out
	}
	a.Env, a.PortVars = keep(a.Env), keep(a.PortVars)
}

func (a *App) addEnv(name, path string, n int, seen map[string]bool) {
	if name == "" {
		return
	}
	e := Evidence{Value: name, File: path, Line: n}
	if key := path + "\x00" + name; portVar.MatchString(name) && !a.portSeen[key] {
		// Each file's first read of it: a Node server's $PORT is read in
		// its own code (uptime-kuma's server/config.js), not only in the
		// probes beside it that read it first (extra/healthcheck.go and
		// .js).
		if a.portSeen == nil {
			a.portSeen = map[string]bool{}
		}
		a.portSeen[key] = true
		a.PortVars = append(a.PortVars, e)
	}
	if seen[name] {
		return
	}
	seen[name] = true
	a.Env = append(a.Env, e)
}

// pyClass is a Python class the scan saw: its name, its bases as
// written, and its annotated fields (by their variables' names).
type pyClass struct {
	name, bases string
	direct      bool // its bases name BaseSettings: its fields were read as they came
	fields      []Evidence
}

// addDerivedSettings reads the fields of the pydantic settings classes
// that derive from BaseSettings through a class of their own, in any
// file: fastapi-realworld-example-app's AppSettings(BaseAppSettings) in
// app/core/settings/app.py, whose base in base.py derives from
// BaseSettings, reads DATABASE_URL and SECRET_KEY from its fields
// database_url and secret_key.
func (a *App) addDerivedSettings() {
	settings := map[string]bool{}
	for _, c := range a.pyClasses {
		if c.direct {
			settings[c.name] = true
		}
	}
	for grew := len(settings) > 0; grew; {
		grew = false
		for _, c := range a.pyClasses {
			if settings[c.name] {
				continue
			}
			for _, b := range strings.Split(c.bases, ",") {
				b = strings.TrimSpace(b)
				if settings[b[strings.LastIndex(b, ".")+1:]] {
					settings[c.name], grew = true, true
					break
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, e := range a.Env {
		seen[e.Value] = true
	}
	for _, c := range a.pyClasses {
		if settings[c.name] && !c.direct {
			for _, f := range c.fields {
				a.addEnv(f.Value, f.File, f.Line, seen)
			}
		}
	}
	a.pyClasses = nil
}

// imports reports whether Imports holds the database kind from file.
func (a *App) imports(name, file string) bool {
	for _, e := range a.Imports {
		if e.Value == name && e.File == file {
			return true
		}
	}
	return false
}

// ImportsClient reports whether a line of code (a Go import's quoted
// path) loads a client of the database kind, by the patterns Scan uses.
func ImportsClient(lang, kind, line string) bool {
	for _, db := range dbImports[lang] {
		if db.name == kind && db.re.MatchString(line) {
			return true
		}
	}
	return false
}

// dbImports are the imports of database and queue clients, per language:
// what the code loads, not what a dependency list mentions.
var dbImports = map[string][]struct {
	name string
	re   *regexp.Regexp
}{
	"go": {
		{"postgres", regexp.MustCompile(`"(?:github\.com/jackc/pgx(?:/v\d)?(?:/\w+)*|github\.com/lib/pq|gorm\.io/driver/postgres|github\.com/jinzhu/gorm/dialects/postgres|github\.com/go-pg/pg(?:/v\d+)?|github\.com/uptrace/bun/driver/pgdriver)"`)},
		{"mysql", regexp.MustCompile(`"(?:github\.com/go-sql-driver/mysql|gorm\.io/driver/mysql|github\.com/jinzhu/gorm/dialects/mysql)"`)},
		{"sqlite", regexp.MustCompile(`"(?:github\.com/mattn/go-sqlite3|github\.com/jinzhu/gorm/dialects/sqlite|modernc\.org/sqlite|gorm\.io/driver/sqlite|github\.com/glebarez/sqlite|github\.com/glebarez/go-sqlite)"`)},
		{"redis", regexp.MustCompile(`"github\.com/(?:go-redis/redis|redis/go-redis|gomodule/redigo)(?:/v\d+)?(?:/\w+)*"`)},
		{"mongodb", regexp.MustCompile(`"(?:go\.mongodb\.org/mongo-driver(?:/v\d)?/mongo(?:/[\w/]+)?|github\.com/kamva/mgm(?:/v\d)?|gopkg\.in/mgo\.v2|github\.com/globalsign/mgo|gofr\.dev/pkg/gofr/datasource/mongo)"`)},
	},
	"python": {
		{"postgres", regexp.MustCompile(`^\s*(?:import|from)\s+(?:psycopg2?|psycopg_pool|asyncpg)\b|postgres(?:ql)?(?:\+\w+)?://`)},
		{"mysql", regexp.MustCompile(`^\s*(?:import|from)\s+(?:pymysql|MySQLdb|aiomysql|mysql\.connector)\b|mysql(?:\+\w+)?://`)},
		{"sqlite", regexp.MustCompile(`^\s*(?:import|from)\s+(?:sqlite3|aiosqlite)\b|sqlite(?:\+\w+)?:///`)},
		{"redis", regexp.MustCompile(`^\s*(?:import|from)\s+(?:redis|aioredis|rq)\b|\bredis://`)},
		{"mongodb", regexp.MustCompile(`^\s*(?:import|from)\s+(?:pymongo|motor|mongoengine|beanie|odmantic)\b|mongodb(?:\+srv)?://`)},
	},
	"js": {
		{"postgres", regexp.MustCompile(`(?:require\(|from\s+)\s*['"](?:pg|postgres|pg-promise|@neondatabase/serverless)['"]|postgres(?:ql)?://|dialect:\s*['"]postgres`)},
		{"mysql", regexp.MustCompile(`(?:require\(|from\s+)\s*['"](?:mysql2?(?:/promise)?|mariadb(?:/callback)?)['"]|(?:mysql|mariadb)://|dialect:\s*['"](?:mysql|mariadb)`)},
		{"sqlite", regexp.MustCompile(`(?:require\(|from\s+)\s*['"](?:better-sqlite3|sqlite3|sqlite)['"]|dialect:\s*['"]sqlite`)},
		{"redis", regexp.MustCompile(`(?:require\(|from\s+)\s*['"](?:redis|ioredis|bull|bullmq|fastify-redis|@fastify/redis|koa-redis|kue|bee-queue)['"]|\bredis://`)},
		{"mongodb", regexp.MustCompile(`(?:require\(|from\s+)\s*['"](?:mongoose|mongodb|fastify-mongodb|@fastify/mongodb)['"]|mongodb(?:\+srv)?://`)},
	},
	"rust": {
		{"postgres", regexp.MustCompile(`\bPgPool\b|\bPgPoolOptions\b|tokio_postgres::|diesel::pg|sqlx::postgres|deadpool_postgres`)},
		{"mysql", regexp.MustCompile(`\bMySqlPool\b|sqlx::mysql|diesel::mysql|mysql_async::`)},
		{"sqlite", regexp.MustCompile(`\bSqlitePool\b|sqlx::sqlite|rusqlite::|diesel::sqlite`)},
		{"redis", regexp.MustCompile(`\bredis::|deadpool_redis|bb8_redis`)},
		{"mongodb", regexp.MustCompile(`\bmongodb::`)},
	},
}

// Serves reports whether the app registers a route that answers path.
// Path parameters ({id}, :id, <int:id>) match any segment. A route also
// answers a path it ends: routers are mounted under prefixes the scan does
// not follow (FastAPI's include_router(prefix=...), a Flask blueprint's
// url_prefix, Express's app.use('/api', router)), so /api/v1/utils/health
// may be the /health a router registers.
func (a *App) Serves(path string) bool {
	// A query or fragment is no part of the route: argo-cd's probes ask
	// /healthz?full=true of the /healthz it registers.
	path, _, _ = strings.Cut(path, "?")
	path, _, _ = strings.Cut(path, "#")
	path = strings.TrimSuffix(path, "/")
	for _, r := range a.Routes {
		route := strings.TrimSuffix(r.Value, "/")
		if routeMatches(route, path) || mountedUnder(route, path) {
			return true
		}
	}
	return false
}

// mountedUnder reports whether path is route under some prefix: route's
// segments end path, and one of them is a literal (a lone {id} ends
// every path).
func mountedUnder(route, path string) bool {
	literal := false
	for _, seg := range strings.Split(strings.Trim(route, "/"), "/") {
		if seg != "" && !strings.ContainsAny(seg[:1], "{:<") {
			literal = true
		}
	}
	if !literal {
		return false
	}
	rs := strings.Split(strings.Trim(route, "/"), "/")
	ps := strings.Split(strings.Trim(path, "/"), "/")
	return len(ps) > len(rs) && routeMatches("/"+strings.Join(rs, "/"), "/"+strings.Join(ps[len(ps)-len(rs):], "/"))
}

func routeMatches(route, path string) bool {
	if route == path {
		return true
	}
	rs, ps := strings.Split(route, "/"), strings.Split(path, "/")
	if len(rs) != len(ps) {
		return false
	}
	for i := range rs {
		if rs[i] == ps[i] || strings.HasPrefix(rs[i], "{") || strings.HasPrefix(rs[i], ":") || strings.HasPrefix(rs[i], "<") {
			continue
		}
		return false
	}
	return true
}

// firstGroup is the first non-empty group of a match of alternatives.
func firstGroup(m []string) string {
	for _, g := range m[1:] {
		if g != "" {
			return g
		}
	}
	return ""
}

// ImportedByCode is the reason of a database found by the client library
// the code imports, not by anything it reads.
const ImportedByCode = "imported by the code"
