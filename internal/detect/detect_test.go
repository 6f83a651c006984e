package detect

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/testutil"
)

func ev(e *Evidence) string {
	if e == nil {
		return "-"
	}
	return fmt.Sprintf("%s@%s:%d", e.Value, e.File, e.Line)
}

func evs(list []Evidence) string {
	var out []string
	for i := range list {
		out = append(out, ev(&list[i]))
	}
	return strings.Join(out, " ")
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  map[string]string
	}{
		{"go chi with cmd/ and postgres", map[string]string{
			"go.mod":           "module example.com/api\n\ngo 1.23.4\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.1.0\n\tgithub.com/jackc/pgx/v5 v5.7.1\n)\n",
			"cmd/api/main.go":  "package main\nimport _ \"example.com/api/internal/db\"\nfunc main() {\n\tr := chi.NewRouter()\n\tr.Get(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", r)\n}\n",
			"internal/db/x.go": "package db\n\nimport _ \"github.com/jackc/pgx/v5/stdlib\"\n",
			"migrations/1.sql": "create table x();\n",
		}, map[string]string{
			"lang": "go", "version": "1.23.4@go.mod:3", "pm": "go@go.mod:0", "framework": "chi@go.mod:6",
			"entry": "cmd/api@cmd/api/main.go:1", "port": "8080@cmd/api/main.go:6", "health": "/healthz@cmd/api/main.go:5",
			"db": "postgres@internal/db/x.go:3", "migrations": "migrations@migrations:0",
		}},
		// Rendering templates, not importing html/template (podgrab's
		// internal/sanitize uses it for escaping alone).
		{"go html/template import", map[string]string{
			"go.mod":  "module x\n\ngo 1.26\n",
			"main.go": "package main\n\nimport (\n\t\"html/template\"\n\t\"net/http\"\n)\n\nvar re = \"html/template|x\"\n",
		}, map[string]string{"templates": "-"}},
		{"go html/template rendering", map[string]string{
			"go.mod":  "module x\n\ngo 1.26\n",
			"main.go": "package main\n\nimport (\n\t\"html/template\"\n\t\"net/http\"\n)\n\nvar page = template.Must(template.ParseFiles(\"web/index.html\"))\n",
		}, map[string]string{"templates": "rendered@main.go:8"}},
		{"go net/http at the root", map[string]string{
			"go.mod":  "module x\n\ngo 1.26\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n)\n\nfunc main() { http.HandleFunc(\"/livez\", h); http.ListenAndServe(\":9000\", nil) }\n",
		}, map[string]string{"framework": "net/http@main.go:4", "entry": ".@main.go:1", "port": "9000@main.go:7", "health": "/livez@main.go:7"}},
		{"python fastapi uv uvicorn sqlite templates", map[string]string{
			"pyproject.toml":  "[project]\nname = \"blog\"\nrequires-python = \">=3.12\"\ndependencies = [\n  \"fastapi>=0.115\",\n  \"uvicorn[standard]\",\n  \"jinja2\",\n]\n",
			"uv.lock":         "version = 1\n",
			"app/main.py":     "from fastapi import FastAPI\napp = FastAPI()\ntemplates = Jinja2Templates(directory=\"templates\")\nDB = \"sqlite:////data/blog.db\"\n\n@app.get(\"/health\")\ndef health(): ...\n",
			".python-version": "3.12.7\n",
		}, map[string]string{
			"lang": "python", "version": "3.12.7@.python-version:1", "pm": "uv@uv.lock:0", "framework": "fastapi@pyproject.toml:5",
			"server": "uvicorn@pyproject.toml:6", "health": "/health@app/main.py:6", "db": "sqlite:/data/blog.db@app/main.py:4",
			"templates": "rendered@app/main.py:3",
		}},
		{"python flask gunicorn requirements", map[string]string{
			"requirements.txt": "Flask==3.0.3\ngunicorn==23.0.0\npsycopg2-binary==2.9.9\nredis==5.0.8\n",
			"app.py":           "import psycopg2\nimport redis\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return render_template('index.html')\n",
		}, map[string]string{
			"pm": "pip@requirements.txt:0", "framework": "flask@requirements.txt:1", "server": "gunicorn@requirements.txt:2",
			"version": "-", "db": "postgres@app.py:1 redis@app.py:2", "templates": "rendered@app.py:7",
		}},
		{"python django poetry", map[string]string{
			"pyproject.toml": "[tool.poetry]\nname = \"shop\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\ndjango = \"^5.1\"\n",
			"poetry.lock":    "# lock\n",
			"manage.py":      "import django\n",
		}, map[string]string{"pm": "poetry@poetry.lock:0", "framework": "django@pyproject.toml:6", "migrations": "manage.py migrate@manage.py:0"}},
		{"node express npm typescript", map[string]string{
			"package.json":      "{\n  \"name\": \"api\",\n  \"engines\": {\n    \"node\": \">=20.18.1\"\n  },\n  \"dependencies\": {\n    \"express\": \"^4.21.1\",\n    \"pg\": \"^8.13.0\"\n  },\n  \"devDependencies\": {\n    \"typescript\": \"^5.6.3\"\n  }\n}\n",
			"package-lock.json": "{}\n",
			"tsconfig.json":     "{}\n",
			"src/server.ts":     "import { Pool } from 'pg'\nconst app = express()\napp.get('/healthz', h)\napp.listen(process.env.PORT || 3000)\n",
		}, map[string]string{
			"lang": "node", "version": ">=20.18.1@package.json:4", "pm": "npm@package-lock.json:0", "framework": "express@package.json:7",
			"ts": "typescript@tsconfig.json:0", "port": "3000@src/server.ts:4", "health": "/healthz@src/server.ts:3", "db": "postgres@src/server.ts:1",
		}},
		{"node next pnpm nvmrc", map[string]string{
			"package.json":   "{\"dependencies\": {\"next\": \"15.0.3\", \"react\": \"19.0.0\"}}\n",
			"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
			".nvmrc":         "v22.11.0\n",
		}, map[string]string{"version": "v22.11.0@.nvmrc:1", "pm": "pnpm@pnpm-lock.yaml:0", "framework": "next@package.json:1"}},
		{"rust axum workspace", map[string]string{
			"Cargo.toml":          "[workspace]\nmembers = [\"api\"]\n",
			"rust-toolchain.toml": "[toolchain]\nchannel = \"1.82.0\"\n",
			"api/Cargo.toml":      "[package]\nname = \"api\"\n\n[dependencies]\naxum = \"0.7\"\nsqlx = { version = \"0.8\", features = [\"postgres\"] }\n",
			"api/src/main.rs":     "let listener = tokio::net::TcpListener::bind(\"0.0.0.0:3000\").await?;\n",
		}, map[string]string{
			"lang": "rust", "version": "1.82.0@rust-toolchain.toml:2", "framework": "axum@api/Cargo.toml:5",
			"entry": "api@api/Cargo.toml:2", "port": "3000@api/src/main.rs:1", "db": "postgres@api/Cargo.toml:6",
		}},
		{"python pyproject list with redis and postgres", map[string]string{
			"pyproject.toml": "[project]\ndependencies = [\"fastapi\", \"asyncpg>=0.30\", \"redis[hiredis]>=5\"]\n",
			"app.py":         "from sqlalchemy.ext.asyncio import create_async_engine\nimport redis.asyncio\n",
		}, map[string]string{"db": "postgres@pyproject.toml:2 redis@app.py:2"}},
		{"dependencies the code never imports are not databases", map[string]string{
			"go.mod":  "module x\n\ngo 1.26\n\nrequire (\n\tgithub.com/lib/pq v1.10.9 // indirect\n\tgithub.com/redis/go-redis/v9 v9.7.0\n)\n",
			"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
		}, map[string]string{"db": ""}},
		// Servers without a router: http.server, node:http, std::net.
		{"python stdlib script, comments in requirements declare nothing", map[string]string{
			"requirements.txt": "# a Flask version would list flask and gunicorn\n",
			"app.py":           "\"\"\"Posts in SQLite.\"\"\"\nURL = 'sqlite:///data/blog.db'\nclass H:\n    def do_GET(self):\n        if self.path == \"/health\":\n            pass\nif __name__ == \"__main__\":\n    ThreadingHTTPServer((\"0.0.0.0\", 8000), H).serve_forever()\n",
		}, map[string]string{"framework": "-", "server": "-", "entry": "app.py@app.py:7", "port": "8000@app.py:8",
			"health": "/health@app.py:5", "db": "sqlite:data/blog.db@app.py:2"}},
		{"python app objects and django", map[string]string{
			"requirements.txt": "django\n",
			"shop/settings.py": "WSGI_APPLICATION = 'shop.wsgi.application'\n",
			"api/__init__.py":  "app: Flask = Flask(__name__)\n",
		}, map[string]string{"entry": "shop.wsgi:application@shop/settings.py:1 api:app@api/__init__.py:1"}},
		{"node raw http, start script", map[string]string{
			"package.json":  "{\"scripts\": {\"start\": \"node --enable-source-maps src/server.js\"}}\n",
			"src/server.js": "const { pathname } = new URL(req.url, base);\nif (pathname === '/healthz') {}\nserver.listen(3000);\n",
		}, map[string]string{"entry": "src/server.js@package.json:1", "health": "/healthz@src/server.js:2", "port": "3000@src/server.js:3", "sigterm": "-"}},
		{"express-generator: start script without .js, port in bin/www, a SIGTERM handler", map[string]string{
			"package.json": "{\n  \"scripts\": {\n    \"start\": \"node ./bin/www\"\n  }\n}\n",
			"bin/www":      "#!/usr/bin/env node\nvar port = normalizePort(process.env.PORT || '3000');\nvar app = require('../app');\n",
			"app.js":       "process.on('SIGTERM', () => server.close());\n",
		}, map[string]string{"entry": "bin/www@package.json:3", "port": "3000@bin/www:2", "sigterm": "SIGTERM@app.js:1"}},
		// A handler in a file the program does not load is another
		// program's (docmost's collaboration server beside its API).
		{"node: another program's SIGTERM handler", map[string]string{
			"package.json": "{\n  \"scripts\": {\n    \"start\": \"node server.js\",\n    \"worker\": \"node worker.js\"\n  }\n}\n",
			"server.js":    "const app = require('./app');\napp.listen(process.env.PORT || 3000);\n",
			"app.js":       "module.exports = require('express')();\n",
			"worker.js":    "process.on('SIGTERM', () => process.exit(0));\n",
		}, map[string]string{"entry": "server.js@package.json:3", "port": "3000@server.js:2", "sigterm": "-"}},
		// The image runs a build's output: the port and the handler are
		// those of the file it is compiled from, not of another program
		// compiled beside it (docmost's collab-main.ts, on $COLLAB_PORT).
		{"node: a compiled entry's own port beside another program's", map[string]string{
			"package.json":              "{\n  \"scripts\": {\n    \"build\": \"tsc\",\n    \"start\": \"node dist/main.js\",\n    \"collab\": \"node dist/collab/collab-main.js\"\n  },\n  \"dependencies\": {\"@nestjs/core\": \"11\"}\n}\n",
			"tsconfig.json":             "{\"compilerOptions\": {\"outDir\": \"./dist\", \"rootDir\": \"./src\"}}\n",
			"src/collab/collab-main.ts": "import { NestFactory } from '@nestjs/core';\nasync function boot() {\n  const app = await NestFactory.create(M);\n  app.enableShutdownHooks();\n  const port = process.env.COLLAB_PORT || 3001;\n  await app.listen(port);\n}\n",
			"src/main.ts":               "import { NestFactory } from '@nestjs/core';\nasync function boot() {\n  const app = await NestFactory.create(M);\n  const port = process.env.PORT || 3000;\n  await app.listen(port);\n}\n",
		}, map[string]string{"entry": "dist/main.js@package.json:4", "port": "3000@src/main.ts:4", "sigterm": "-"}},
		// Only the program's own setGlobalPrefix applies: docmost's
		// collaboration server excludes '/' from its prefix, and with
		// that exclude the API's @Get() at /api read as a page at /.
		{"node: another program's setGlobalPrefix", map[string]string{
			"package.json":              "{\n  \"scripts\": {\n    \"build\": \"tsc\",\n    \"start\": \"node dist/main.js\",\n    \"collab\": \"node dist/collab/collab-main.js\"\n  },\n  \"dependencies\": {\"@nestjs/core\": \"11\"}\n}\n",
			"tsconfig.json":             "{\"compilerOptions\": {\"outDir\": \"./dist\", \"rootDir\": \"./src\"}}\n",
			"src/collab/collab-main.ts": "import { NestFactory } from '@nestjs/core';\nasync function boot() {\n  const app = await NestFactory.create(M);\n  app.setGlobalPrefix('api', { exclude: ['/'] });\n  await app.listen(process.env.COLLAB_PORT || 3001);\n}\n",
			"src/main.ts":               "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function boot() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix('api', {\n    exclude: ['robots.txt'],\n  });\n  await app.listen(process.env.PORT || 3000);\n}\n",
			"src/app.module.ts":         "import { AppController } from './app.controller';\nimport { HealthController } from './health.controller';\n@Module({ controllers: [AppController, HealthController] })\nexport class AppModule {}\n",
			"src/app.controller.ts":     "@Controller()\nexport class AppController {\n  @Get()\n  hello() { return 'hi'; }\n}\n",
			"src/health.controller.ts":  "@Controller('health')\nexport class HealthController {\n  @Get()\n  check() { return {}; }\n}\n",
		}, map[string]string{"entry": "dist/main.js@package.json:4", "port": "3000@src/main.ts:8", "health": "/api/health@src/health.controller.ts:3", "page": "-"}},
		{"node next and nest entry points", map[string]string{
			"package.json": "{\"dependencies\": {\"next\": \"15.0.3\"}}\n",
		}, map[string]string{"entry": "server.js@package.json:1"}},
		{"rust std server with match arms", map[string]string{
			"Cargo.toml":  "[package]\nname = \"api\"\n",
			"src/main.rs": "//! talks to postgres://app@db:5432/app\nmatch path {\n    \"/health\" => ok(),\n    \"/\" | \"/items\" => list(),\n}\nlet l = TcpListener::bind(\"0.0.0.0:8080\");\n",
		}, map[string]string{"entry": "api@Cargo.toml:2", "health": "/health@src/main.rs:3", "port": "8080@src/main.rs:6", "db": "postgres@src/main.rs:1"}},
		// A Go tool like shipshape itself: examples, a nested Node project,
		// tests and code that names databases in strings are not the app.
		{"go tool with examples, a nested project, tests and database names in strings", map[string]string{
			"go.mod":                       "module example.com/tool\n\ngo 1.26\n",
			"cmd/tool/main.go":             "package main\n\nfunc main() {\n\thttp.HandleFunc(\"/livez\", ok)\n\thttp.ListenAndServe(\":7000\", nil)\n}\n",
			"internal/kinds/kinds.go":      "package kinds\n\nvar names = []string{\"postgres://\", \"mysql://\", \"redis://\"}\n",
			"internal/kinds/kinds_test.go": "package kinds\n\nfunc TestX() { http.ListenAndServe(\":9999\", nil) }\n",
			"examples/api/main.go":         "package main\n\nfunc main() { http.HandleFunc(\"/health\", ok); http.ListenAndServe(\":8081\", nil) }\n",
			"web/ui/package.json":          "{\"dependencies\": {\"redis\": \"4\"}}\n",
			"web/ui/server.js":             "app.get('/status', ok); app.listen(3000)\n",
			"docs/snippet.go":              "package docs\n\nfunc main() { http.ListenAndServe(\":8082\", nil) }\n",
		}, map[string]string{"lang": "go", "entry": "cmd/tool@cmd/tool/main.go:1", "port": "7000@cmd/tool/main.go:5",
			"health": "/livez@cmd/tool/main.go:4", "db": ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, c.files))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{
				"lang": s.Language, "version": ev(s.Version), "pm": ev(s.PackageManager), "framework": ev(s.Framework),
				"server": ev(s.Server), "entry": evs(s.Entrypoints), "ts": ev(s.TypeScript), "port": ev(s.Port),
				"health": ev(s.HealthPath), "db": evs(s.Databases), "templates": ev(s.Templates), "migrations": ev(s.Migrations),
				"sigterm": ev(s.SIGTERM), "page": ev(s.Page),
			}
			for k, want := range c.want {
				if got[k] != want {
					t.Errorf("%s = %q, want %q", k, got[k], want)
				}
			}
		})
	}
}

func TestDetect_UnrecognisedSaysWhatWasLookedFor(t *testing.T) {
	_, err := Detect(testutil.WriteTree(t, map[string]string{"index.html": "<h1>hi</h1>"}))
	if !errors.Is(err, ErrUnrecognised) || !strings.Contains(err.Error(), "go.mod or a main package (Go), Cargo.toml (Rust), package.json (Node)") ||
		!strings.Contains(err.Error(), "--stack") {
		t.Fatalf("err = %v", err)
	}
}

// Seed 002: three slashes is a path relative to the working directory,
// which is in the image layer, not on the /data volume.
func TestDetect_SQLiteRelativeURL(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt": "fastapi\n",
		"app/db.py":        "URL = \"sqlite:///data/blog.db\"\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Databases); got != "sqlite:data/blog.db@app/db.py:1" {
		t.Fatalf("databases = %q", got)
	}
}

// FuzzDetect feeds arbitrary manifests and code to every stack's reader.
func FuzzDetect(f *testing.F) {
	// The twenty-second try's Python shapes: optional tables, a Django
	// settings module a platform template sets, a WSGI environ, an
	// optional import, a login decorator, a script's arguments, the
	// project's own metadata.
	f.Add("pyproject.toml", "[build-system]\nrequires = [\"setuptools\"]\n[project]\nname = \"site\"\ndependencies = [\"django\"]\n[project.optional-dependencies]\ndocker = [\"gunicorn\"]\n[dependency-groups]\npg = [\"psycopg2\"]\n"+
		"  - key: DJANGO_SETTINGS_MODULE\n    value: \"site.settings\"\nENV DJANGO_SETTINGS_MODULE site.prod\nRUN mkdir /datastore\nCMD [\"python\", \"app.py\", \"-d\", \"/datastore\", \"--hosts\", \"0.0.0.0:5232\"]\n",
		"import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site.settings.dev\")\ntry:\n    import psycopg2\nexcept ImportError:\n    pass\ndef app(environ, start):\n    return environ['SERVER_PORT']\n"+
			"@app.route('/admin/alive')\n@user_login_required\ndef alive():\n    return version('site')\napplication = get_wsgi_application()\n")
	f.Add("go.mod", "module x\ngo 1.26\nrequire github.com/gin-gonic/gin v1\n", "package main\nhttp.ListenAndServe(\":80\", nil)\n")
	// The twenty-eighth try's shapes: a cgo library, a SQLite URL's
	// fallback through a helper, Django's include(), a hosts variable,
	// goose's variable, a list of required names, TypeORM's options.
	f.Add("requirements.txt", "flask\nflask-sqlalchemy\n-- +goose Up\nCREATE TABLE t (id int);\n",
		"import os\nimport \"github.com/h2non/bimg\"\ndef create_sqlite_uri(db_name):\n    return \"sqlite:///\" + os.path.join(BASEDIR, db_name)\nX = os.environ.get(\"DATABASE_URL\") or create_sqlite_uri(\n    \"todo.db\"\n)\n"+
			"urlpatterns = [path('api/', include('sub.urls')), path('', include(router.urls))]\nrouter = DefaultRouter()\nALLOWED_HOSTS = os.environ.get(\"DJANGO_ALLOWED_HOSTS\").split(\" \")\n")
	f.Add("go.mod", "module x\n-- +goose Up\n",
		"package main\nfunc setup() error {\n\tnames := []string{\"APP_URL\", \"PORT\"}\n\tif err := godotenv.Load(); err != nil {\n\t\treturn err\n\t}\n\tfor _, x := range names {\n\t\tif _, ok := os.LookupEnv(x); !ok {\n\t\t\treturn fmt.Errorf(\"%s\", x)\n\t\t}\n\t}\n\treturn nil\n}\n"+
			"func main() {\n\tif err := setup(); err != nil {\n\t\tpanic(err)\n\t}\n\t_ = os.Getenv(\"GOOSE_DBSTRING\")\n}\n")
	f.Add("package.json", "{\n  \"dependencies\": {\n    \"pg\": \"8\",\n    \"typeorm\": \"0.3\"\n  }\n}\n",
		"import { Entity } from 'typeorm';\nTypeOrmModule.forRoot({\n  type: 'postgres',\n  host: process.env.DB_HOST,\n  username: 'postgres',\n  database: 'tasks',\n})\n")
	f.Add("package.json", `{"dependencies":{"express":"4"},"engines":{"node":">=20"}}`, "app.listen(3000)\n")
	// The fortieth session's shapes (docmost): a global prefix's exclude,
	// NestJS's ConfigService.
	f.Add("package.json", `{"scripts":{"start":"node dist/main"},"dependencies":{"@nestjs/core":"11"}}`,
		"app.setGlobalPrefix('api', {\n  exclude: ['/', 'share/:id(.*)'],\n});\n@Get()\nhello() {}\nthis.configService.get<string>('DATABASE_URL');\nconfigService.getOrThrow<Record<string, string>>('APP_SECRET')\n")
	// The thirtieth try's shapes: full-stack frameworks, $env/static
	// imports, a gunicorn worker class, an ASGI framework's app.
	f.Add("package.json", `{"scripts":{"build":"vite build && astro build && nuxt build && react-router build","start":"react-router-serve ./build/server/index.js --port 8000"},`+
		`"dependencies":{"@sveltejs/kit":"2","@sveltejs/adapter-node":"^5","astro":"5","@astrojs/node":"9","nuxt":"3","@react-router/dev":"7","@react-router/serve":"7"}}`+
		"\nimport adapter from '@sveltejs/adapter-node'\nimport node from '@astrojs/node'\nexport default { output: 'server', adapter: node({ mode: 'standalone' }), server: { port: 3000 }, kit: { adapter: adapter({ out: 'out' }) }, nitro: { preset: 'node-server' }, ssr: false }\n",
		"import {\n  A,\n  B as C\n} from '$env/static/private'\nimport { env } from '$env/dynamic/private'\nexport const GET = () => env.DATABASE_URL\nexport default [index(\"routes/home.tsx\"), route(\"api/:id?\", \"x.tsx\"), vercelPreset()]\n")
	f.Add("requirements.txt", "quart\nhypercorn\nfalcon\nfastapi\nsanic\nworker_class = 'aiohttp.GunicornWebWorker'\nweb: gunicorn -k uvicorn.workers.UvicornWorker app:app\n",
		"from quart import Quart\napp = Quart(__name__)\nimport falcon.asgi\napi = falcon.asgi.App()\napi.add_route('/v1/health', H())\napp.router.add_get('/live', h)\nX = Annotated[\n    U, Depends(get_current_user)\n]\n")
	// The thirty-seventh session's shapes: Starlette's Mounts, a
	// get_env helper, a git requirement, a go-zero table, a Kratos
	// -conf default, Hertz's groups, generated code.
	f.Add("requirements.txt", "starlette\nx @ git+https://github.com/x/y.git\n",
		"from starlette.routing import Mount, Route\nfrom a.routes import routes as r2\nroutes = [\n    Mount(\"/api\", routes=(r2 + r3)),\n    Mount(\"/in\", routes=[Route(\"/health/\", H, methods=[\"GET\"])]),\n]\napp = Starlette(routes=routes)\nDB = get_env('DB_HOST')\n")
	f.Add("go.mod", "module x\nrequire github.com/zeromicro/go-zero v1.6.0\nrequire github.com/cloudwego/hertz v0.7.0\n",
		"package main\nimport (\n\t\"x/gen/pb\"\n\t\"github.com/zeromicro/go-zero/rest\"\n\t\"github.com/cloudwego/hertz/pkg/app/server\"\n)\nvar f = flag.String(\"f\", \"etc/x.yaml\", \"the config file\")\nfunc init() { flag.StringVar(&c, \"conf\", \"../../configs\", \"config path\") }\n"+
			"func main() {\n\th := server.Default()\n\tg := h.Group(\"/a\")\n\tg.GET(\"/\", x)\n\ts.AddRoutes(rest.WithMiddlewares([]rest.Middleware{c.Auth}, []rest.Route{{Method: http.MethodGet, Path: \"/p\"}}...), rest.WithPrefix(\"/v1\"))\n\th.Spin()\n\ts.Start()\n}\n")
	// An install script that builds, an .npmrc of settings or a token.
	f.Add("package.json", `{"workspaces":["packages/*"],"scripts":{"postinstall":"yarn workspaces run build"}}`+"\nlegacy-peer-deps=true\n//r/:_authToken=${T}\n", "app.listen(3000)\n")
	f.Add("pyproject.toml", "[tool.poetry]\nrequires-python = \">=3.12\"\n", "@app.get('/healthz')\n")
	f.Add("Cargo.toml", "[workspace]\n[package]\nname = \"x\"\naxum = \"0.7\"\n", "bind((\"0.0.0.0\", 8080))\n")
	f.Add("go.mod", "module x\n*.ego.go\ngenerate:\n\tgo run example.com/ego/cmd/ego ./html\nAPP_ENV=dev\n",
		"package main\nimport \"x/pkg\"\n//go:generate go run example.com/gen\nfunc main() { if os.Getenv(\"APP_ENV\") == \"dev\" {}; user.Current(); r.GET(\"/swagger/*any\", ginSwagger.WrapHandler(h)) }\n")
	f.Add("package.json", `{"dependencies":{"express":"4"}}`+"\nSERVER_ADDR=localhost\n",
		"import posts from \"./server.js\";\napp.use(\"/posts\", posts);\nrouter.use(route.path, route.route);\nconst r = [{ path: '/a', route: posts }];\nrouter.get(\"/\", h);\nrouter.post('/x', h)\n")
	f.Add("go.mod", "module x\nSERVER_ADDR=localhost\n", "package main\nfunc main() { v.AutomaticEnv(); v.SetConfigType(\"dotenv\"); v.SetConfigName(\".env\"); if err := v.ReadInConfig(); err != nil { panic(err) }; m := flag.String(\"mongoURI\", \"mongodb://localhost:27017\", \"\") }\ntype C struct { A string `mapstructure:\"SERVER_ADDR\"` }\n")
	f.Add("package.json", `{"dependencies":{"joi":"17"}}`, "const s = Joi.object().keys({\n  MONGODB_URL: Joi.string().required(),\n  'PORT': Joi.number().default(3000),\n});\nconst { value } = s.validate(process.env);\nrequire('http').createServer().listen(value.PORT)\n")
	f.Add("go.mod", `{"scripts":{"build":"vite build","release":"vite build --outDir=../dist"},"devDependencies":{"vite":"7","puppeteer":"24"}}`+"\nexport default { build: { outDir: 'build' } }\n",
		"package ui\n//go:embed build/*\nvar box embed.FS\nimport flask\nimport yaml\n")
	f.Add("go.mod", "module x\nrequire gorm.io/driver/sqlite v1\n",
		"package main\nimport (\n\t\"gorm.io/driver/mysql\"\n\t\"gorm.io/driver/sqlite\"\n)\nfunc init() {\n\tp := cmd.PersistentFlags()\n\tp.StringP(\"database\", \"d\", \"./x.db\", \"database path\")\n"+
			"\tflags.StringP(\"address\", \"a\", \"127.0.0.1\", \"address\")\n\tviper.SetDefault(\"driver\", \"sqlite\")\n\tviper.SetEnvPrefix(\"x\")\n\tDialect: \"sqlite3\",\n}\n")
	// Login layers over routes, chi closures, a literal port, the
	// repository Dockerfile's ENV of a directory, a loopback block, dev
	// dependencies, Nest decorators, Postgres URLs, generators.
	f.Add("go.mod", "module x\nENV TEMPLATES_BASEPATH=/app/web/templates\ndb:\n    host: \"localhost\"\n    port: \"5432\"\njstypes:\n\tgo run ./pkg/gen.go\n# postgres://u@h/db\n",
		"package main\nfunc main() {\n\tr := gin.Default()\n\tg := r.Group(\"/v1\", jwt.JWT()).Use(authMiddleware(false))\n\tg.GET(\"/x\", h)\n\tc := chi.NewRouter()\n\tc.Route(\"/a\", func(c chi.Router) { c.Use(auth); c.Get(\"/b\", h) })\n\tc.Group(func(r chi.Router) {})\n\tc.With(requireLogin).Get(\"/c\", auth.WithJWT(h, s))\n\t_ = &http.Config{Port: 8080}\n\tos.Getenv(\"TEMPLATES_BASEPATH\")\n\tviper.SetConfigFile(\"configs/config.yml\")\n\tif err := godotenv.Load(); err != nil { logrus.Fatalf(\"x\") }\n}\n")
	f.Add("package.json", "{\n  \"dependencies\": {\"typeorm\": \"1\", \"pg\": \"8\"},\n  \"devDependencies\": {\n    \"sqlite3\": \"5\"\n  }\n}\n",
		"@Authorized()\n@JsonController('/pets')\nexport class P {\n  @Get()\n  @UseGuards(JwtAuthGuard)\n  find() {}\n}\napp.enableShutdownHooks();\n")
	// The Dockerfile's arguments over two lines, a COPY and a VOLUME they
	// name; envconfig's nested types, gorilla chains on a package router
	// with a prefixer, an http.Server's package address, esbuild's outdir.
	f.Add("go.mod", "module x\nFROM busybox\nCOPY a.yml /etc/a/a.yml\nVOLUME [ \"/data\" ]\nENTRYPOINT [ \"/bin/a\" ]\nCMD [ \"--config.file=/etc/a/a.yml\", \\\n  \"--storage.path=/data\" ]\n"+
		"{\"scripts\":{\"build\":\"node --env-file=.env esbuild.config.mjs\"}}\n\toutdir: \"../dist/\",\n",
		"package main\nvar Router = mux.NewRouter()\nvar HTTPListen = \"[::]:8025\"\ntype Web struct {\n\tAddr string `default:\"0.0.0.0:9000\"`\n\tUIDir string `default:\"ui/dist\"`\n}\ntype Root struct {\n\tWeb Web `envconfig:\"HTTP\"`\n\tSMTP\n}\n"+
			"func main() {\n\tprefix := stringutil.MakePathPrefixer(\"\")\n\tRouter.Path(prefix(\"/status\")).Methods(\"GET\").Handler(h)\n\ts := &http.Server{Addr: config.HTTPListen}\n\tenvconfig.Process(\"app\", &Root{})\n}\n//go:embed ui\nvar fs embed.FS\n")
	// A package as published to npm: a bin map named after a scoped
	// package, a source runner's start script, a home directory's state.
	f.Add("package.json", `{"name":"@a/srv","main":"lib/i.js","bin":{"srv":"./server.js","x":"lib/x"},"scripts":{"start":"babel-node -- src/cli/bin db.json"},"devDependencies":{"typescript":"5"}}`,
		"var d = path.join(process.env.HOME || process.env.USERPROFILE, \".srv\");\nrequire('./lib/i');\nserver.listen(1880);\n")
	// A start script's arguments: a shell default, a file named, a
	// variable without one (peer, statsd).
	f.Add("package.json", `{"name":"peer","scripts":{"start":"node server.js --port ${PORT:=9000} config.js $X \"a b\""}}`,
		"app.listen(opts.port)\n")
	// Build tags on a continued go build line, a migration file they
	// bring in, a URL the code appends a query to; a knexfile by
	// environment; -r includes.
	f.Add("go.mod", "module x\nRUN CGO_ENABLED=0 \\\n    go build -tags \"migrate netgo\" -o /bin/app .\nmodule.exports = {\n  test: {\n    client: 'pg'\n  },\n};\n-r requirements/common.txt\n",
		"//go:build migrate\n\npackage main\nimport \"github.com/golang-migrate/migrate/v4\"\nfunc init() { u, ok := os.LookupEnv(\"PG_URL\"); u += \"?sslmode=disable\"; migrate.New(\"file://migrations\", u) }\n")
	// A Makefile's -tags $(VAR) with its default, the main package named
	// by its file, a file under an old-style constraint; a URL with no
	// port; a SQLAlchemy URL naming its driver.
	f.Add("go.mod", "module x\nLIBRARY_ENV ?= dev\nbuild:\n\tgo build -tags \"$(LIBRARY_ENV) netgo\" -o ./bin/api api/main.go\n",
		"// +build dev\n\npackage main\nconst DB_HOST = \"127.0.0.1\"\nvar u = \"mongodb://localhost/app\"\nvar e = create_engine('mysql+pymysql://u@db/x')\nimport sqlalchemy\n")
	// golang-migrate's CLI in a script, over a directory mounted into
	// its image.
	f.Add("go.mod", "module x\nrequire github.com/lib/pq v1.0.0\nmigrate:\n\tdocker run -v $(pwd)/migrations:/migrations migrate/migrate -path=/migrations/ \\\n\t  -database \"$(DB_URL)\" up\n",
		"package main\nimport _ \"github.com/lib/pq\"\nfunc main() { sql.Open(\"postgres\", os.Getenv(\"DATABASE_URL\")) }\n")
	// Databases on loopback in the code: an options object's host key
	// with its block, a keyword DSN, a URL after an environment default,
	// a development block, a pydantic settings class.
	f.Add("package.json", `{"dependencies":{"sequelize":"6","pg":"8","typeorm":"0.3"}}`+"\nfrom pydantic_settings import BaseSettings\n",
		"const { Sequelize } = require('sequelize');\nmodule.exports = {\n  development: {\n    host: 'localhost',\n  },\n  HOST: \"127.0.0.1\",\n  port: 5432,\n  DIALECT: 'postgres',\n};\nconst dsn = \"host=localhost dbname=x\";\nconst u = process.env.DATABASE_URL ||\n  'postgres://localhost:5432/x';\n")
	// The environment a compose file gives the app it builds, Travis's
	// Node list; a URL the code builds from variables, one it holds
	// whole, a Go wrapper of os.Getenv.
	f.Add("go.mod", "module x\nservices:\n  api:\n    build: .\n    environment:\n      SERVER_PORT: \"9090\"\n      - REDIS_DB=2\nnode_js:\n  - '12'\n  - \"14\"\n",
		"package config\nfunc Config(key string) string { return os.Getenv(key) }\nvar p = config.Config(\"SERVER_PORT\")\nconst u = `postgres://${process.env.PGUSER}:${process.env.PGPASSWORD}@${process.env.PGHOST}/x`\nvar pool = new Pool({ connectionString: 'postgres://postgres:postgres@db/postgres' })\n")
	// A route on a configured path (viper's default, an object literal's,
	// a constant), a Dockerfile that runs the build in the stage its
	// image copies, a storage setting whose default needs no server, a
	// go.rice box, VOLUME directories its arguments name.
	f.Add("go.mod", "module x\nrequire github.com/GeertJohan/go.rice v1.0.0\nFROM node AS build\nRUN if [ x ]; then :; fi && yarn install && yarn build\nFROM node\nCOPY --from=build /a /a\nVOLUME [\"/data/files\", \"/data/meta\"]\n"+
		"ENTRYPOINT [\"/bin/a\", \"-bind=0.0.0.0:8080\", \"-filespath=/data/files/\", \"-metapath=/data/meta/\"]\nhealthCheck: {\n  path: process.env.X || '/status',\n},\n",
		"package main\nconst (\n\tF = T(\"file\")\n\tP = T(\"postgres\")\n)\nfunc main() {\n\tv.SetDefault(\"api.health_uri\", \"/healthz\")\n\tv.SetDefault(\"storage.type\", \"file\")\n\tr.GET(cfg.API.HealthURI, h)\n"+
			"\tswitch e { case \"memory\": case \"redis\": }\n\tb := rice.MustFindBox(\"static\")\n\tflag.String(\"bind\", \"127.0.0.1:8080\", \"\")\n}\nappRouter.get(config.healthCheck.path, h)\nrouter.get(config.HEALTHCHECK_URL, h)\nexport const HEALTHCHECK_URL = '/hc';\n")
	// go.mod's local replaces, packr and go.rice boxes, a Dockerfile's
	// Node stage copied into the Go stage, its HEALTHCHECK, a wrapper's
	// CMD, a pnpm workspace, flamego's Route, a route table of pointers.
	f.Add("go.mod", "module x\nrequire github.com/gobuffalo/packr/v2 v2.8.3\nreplace a/b => ./b\nreplace (\n\tc => ../c\n)\npackages:\n  - \"ui\"\n"+
		"FROM node:20 AS fe\nWORKDIR /app\nCOPY ui/ ./\nRUN npm ci && npx gulp\nFROM golang AS b\nWORKDIR /s\nCOPY . .\nCOPY --from=fe /app/build ./ui/build\n"+
		"HEALTHCHECK CMD curl -f http://localhost:3000/healthcheck\nENTRYPOINT [\"/start.sh\"]\nCMD [\"x\", \"serve\"]\n",
		"package main\nfunc main() {\n\tb := packr.NewBox(\"./ui/build\")\n\tr := rice.MustFindBox(\"static\")\n\tm.Route(\"/healthcheck\", http.MethodHead+\",\"+http.MethodGet, h)\n\t_ = []*router.Route{{\"GET\", \"/health\", h, \"\"}}\n}\n")
	// A Makefile rule that builds an embed with Node (a path target, a
	// prerequisite install, a cd and a move), a path compared with a
	// configuration field set to a constant.
	f.Add("go.mod", "module x\nW := --mode production\nui/.build/ui: deps $(W)\n\tmkdir -p ui/.build/ui\n\tnpx webpack $(W)\ndeps:\n\tnpm install\n\tdate >> $@\n"+
		"web-build:\n\tcd ui \\\n\t\t&& npm run build \\\n\t\t&& mv build ../ui/dist\n",
		"package main\n//go:embed .build/ui dist\nvar fs embed.FS\nconst defaultH = \"/healthz\"\nfunc init() { if c.H == \"\" { c.H = defaultH } }\nfunc (s *S) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n\tif r.URL.Path == s.cfg.H {\n\t\treturn\n\t}\n}\n")
	// A placeholder rule for an embed (mkdir and touch alone), a
	// urfave/cli listen flag whose default is a package constant.
	f.Add("go.mod", "module x\nrequire github.com/urfave/cli/v2 v2\nstatic:\n\tmkdir -p pkg/docs pkg/site\n\t@touch pkg/docs/index.html pkg/site/app.html\nclean:\n\trm -rf pkg/docs\n",
		"package main\nimport \"github.com/urfave/cli/v2\"\n//go:embed docs\nvar d embed.FS\nconst DefaultListen = \":80\"\nvar flags = []cli.Flag{altsrc.NewStringFlag(&cli.StringFlag{Name: \"listen-http\", EnvVars: []string{\"X_LISTEN_HTTP\"}, Value: DefaultListen}), &cli.IntFlag{Name: \"port\", Sources: cli.EnvVars(\"P\"), Value: 8080}}\n")
	// A pnpm workspace: members by name, a pattern, a negation, patches.
	f.Add("package.json", "packages:\n  - \"ui\"\n  - 'pkg/*'\n  - '!examples/**'\npatchedDependencies:\n  a@1.0.0: configs/a@1.0.0.patch\n  b: ../b.patch\n"+
		"FROM node AS b\nRUN pnpm deploy --filter=./ui --prod /prod/ui\nCMD [\"node\", \"x\"]\n", "app.listen(3000)\n")
	f.Add("package.json", `{"workspaces":{"packages":["ui","./sub/*","!ui"]},"scripts":{"start":"node server.js"}}`, "app.listen(3000)\n")
	// A root script that runs a member's, a member's own tsconfig, a
	// Dockerfile's pnpm deploy with pnpm start.
	f.Add("package.json", `{"workspaces":["ui/**"],"packageManager":"pnpm@9.1.0","scripts":{"start":"npm start -w ui","build":"lerna run build","serve":"pnpm --filter ./ui run start"},"devDependencies":{"typescript":"5"}}`+
		"\nRUN pnpm --filter=ui deploy /prod/ui\nWORKDIR /prod/ui\nCMD [\"pnpm\", \"start\"]\n", "app.listen(3000)\n")
	// The thirty-eighth session's shapes: GoFr's configs/.env and
	// framework routes, Beego's app.conf by run mode and its Routers, a
	// migration a package applies at start, an engine a function is given.
	f.Add("go.mod", "module x\nrequire gofr.dev v1.56.0\nHTTP_PORT=9100\nDB_DIALECT=mysql\nREDIS_HOST=localhost\nrunmode = prod\n[prod]\nhttpport = ${PORT||9090}\npg_host = localhost\npg_port = 5432\n",
		"package main\nimport (\n\t\"gofr.dev/pkg/gofr\"\n\tbeego \"github.com/beego/beego/v2/server/web\"\n)\nfunc main() {\n\ta := gofr.New()\n\ta.Migrate(m.All())\n\ta.Run()\n\tbeego.Router(\"/health\", &c.H{}, \"get:Check;post:X\")\n\tbeego.Run()\n}\n"+
			"func Register(r *fiber.App) { v := r.Group(\"/api\"); u := v.Group(\"/u\"); u.Get(\"/\", h); goose.Up(db, \"migrations\") }\n")
	f.Fuzz(func(t *testing.T, manifest, content, code string) {
		switch manifest {
		case "go.mod", "package.json", "pyproject.toml", "Cargo.toml", "requirements.txt", "Pipfile":
		default:
			manifest = "package.json"
		}
		dir := t.TempDir()
		// The content is also the Makefile, .gitignore and example env file
		// (generators, development modes), the code also a package main
		// imports (the chosen program's scope).
		// The content is also a front end's package.json and Vite config
		// beside a Go file that may embed its output.
		files := map[string]string{manifest: content, "main.go": code, "app.py": code, "server.js": code, "src/main.rs": code,
			"Makefile": content, ".gitignore": content, ".env.example": content, "pkg/x.go": code,
			"ui/package.json": content, "ui/vite.config.ts": content, "ui/serve.go": code,
			"Dockerfile": content, "configs/config.yml": content, "examples/base/main.go": code, "web/templates/index.html": content,
			"knexfile.js": content, "requirements/common.txt": content, "scripts/migrate.sh": content, "migrations/1_init.up.sql": code,
			"docker-compose.yml": content, ".travis.yml": content, "config/config.go": code,
			"pnpm-workspace.yaml": content, "pnpm-lock.yaml": content, ".do/app.yaml": content, "site/wsgi.py": code, "sub/manage.py": code,
			".npmrc": content,
			// The full-stack frameworks' configurations and file routes.
			"svelte.config.js": content, "astro.config.mjs": content, "nuxt.config.ts": content, "react-router.config.ts": content,
			"app/routes.ts": code, "src/routes/+page.svelte": code, "src/routes/h/+server.ts": code, "src/pages/index.astro": code,
			"src/pages/api/h.ts": code, "server/api/health.get.ts": code, "app/routes/_index.tsx": code, "src/lib/env.ts": code,
			"gunicorn.conf.py": content,
			// GoFr's and Beego's own configuration files.
			"configs/.env": content, "conf/app.conf": content, "routers/router.go": code}
		for name, data := range files {
			p := filepath.Join(dir, name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s, err := Detect(dir)
		if err != nil || s == nil || s.Language == "" {
			t.Fatalf("a %s repository gave %v, %v", manifest, s, err)
		}
		if f := s.Frontend; f != nil && (f.Stack == nil || f.Stack.PackageManager == nil || f.Out == "" || strings.HasPrefix(f.Out, "..")) {
			t.Fatalf("front end %+v", f)
		}
		if m := s.Migrate; m != nil && (m.Value == GolangMigrate || m.Value == Goose) && (s.Migrations == nil || !plainDir.MatchString(s.Migrations.Value) || strings.HasPrefix(s.Migrations.Value, "..")) {
			t.Fatalf("the migration CLI's directory %+v would go into the Dockerfile's COPY as it is", s.Migrations)
		}
		for _, e := range slices.Concat(s.WorkspaceMembers, s.PnpmPatches) {
			if !project.CopyablePath.MatchString(e.Value) || strings.Contains("/"+e.Value+"/", "/../") || strings.Contains("/"+e.Value+"/", "/./") {
				t.Fatalf("workspace path %q would go into the Dockerfile's COPY as it is", e.Value)
			}
		}
		if b := s.InstallBuild; b != nil && !slices.Contains([]string{"preinstall", "install", "postinstall", "prepare"}, b.Value) {
			t.Fatalf("install script %q would go into the Dockerfile's RUN as it is", b.Value)
		}
		if s.Npmrc != nil && s.NpmrcCredential != nil {
			t.Fatalf(".npmrc both copied (%s) and a credential (%s)", s.Npmrc.Where(), s.NpmrcCredential.Where())
		}
		if b := s.BuildTags; b != nil && !goTagList.MatchString(b.Value) {
			t.Fatalf("build tags %q would go into the Dockerfile's RUN as they are", b.Value)
		}
		if reqs, err := PythonRequirementsFromImports(dir); err == nil {
			for _, r := range reqs {
				if r.Value == "" || strings.ContainsAny(r.Value, " \n#") {
					t.Fatalf("requirement %q from %s", r.Value, r.Where())
				}
			}
		}
	})
}

// The shapes of real repositories (testdata/init-corpus names each one),
// rewritten here in a few lines each: the corpus trees are not committed,
// so these keep every shape detection learned from them under test.
func TestDetect_RealShapes(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  map[string]string
	}{
		{"flask factory named by .flaskenv, Procfile and boot.sh beside a tests.py script (py-flask-microblog)", map[string]string{
			"requirements.txt":   "Flask==3.1.0\nFlask-Migrate==4.0.7\ngunicorn==23.0.0\n",
			".flaskenv":          "FLASK_APP=microblog.py\n",
			"Procfile":           "web: flask db upgrade; gunicorn microblog:app\n",
			"boot.sh":            "#!/bin/bash\nflask db upgrade\nexec gunicorn -b :5000 --access-logfile - microblog:app\n",
			"microblog.py":       "from app import create_app\napp = create_app()\n",
			"app/__init__.py":    "def create_app(config_class=Config):\n    app = Flask(__name__)\n    return app\n",
			"app/main/routes.py": "@bp.route('/')\n@login_required\ndef index():\n    pass\n",
			"tests.py":           "import unittest\nif __name__ == '__main__':\n    unittest.main(verbosity=2)\n",
		}, map[string]string{"entry": "microblog:app@Procfile:1", "server": "gunicorn@requirements.txt:3", "migrate": "flask-migrate@requirements.txt:2"}},
		{"a router imported through tsconfig's paths, the port its .env.template documents after a comment (edwinhern/express-typescript-2024 c6ddcba066a8)", map[string]string{
			"package.json":  `{"scripts": {"start:prod": "node dist/index.js"}, "dependencies": {"express": "^5", "envalid": "^8"}, "devDependencies": {"typescript": "^5"}}`,
			"tsconfig.json": "{\n\t\"compilerOptions\": {\n\t\t\"baseUrl\": \".\",\n\t\t\"paths\": {\n\t\t\t\"@/*\": [\"src/*\"]\n\t\t},\n\t\t\"outDir\": \"dist\",\n\t},\n\t\"include\": [\"src/**/*\"]\n}\n",
			".env.template": "# Environment Configuration\nNODE_ENV=\"development\" # Options: 'development', 'production'\nPORT=\"8080\"            # The port your server will listen on\nHOST=\"localhost\"       # Hostname for the server\n\n" +
				"CORS_ORIGIN=\"http://localhost:*\" # Allowed CORS origin, adjust as necessary\nCOMMON_RATE_LIMIT_WINDOW_MS=\"1000\" # Window size for rate limiting (ms)\n",
			"src/index.ts": "import { env } from \"@/common/utils/envConfig\";\nimport { app, logger } from \"@/server\";\n\nconst server = app.listen(env.PORT, () => {});\nprocess.on(\"SIGTERM\", onCloseSignal);\n",
			"src/server.ts": "import express, { type Express } from \"express\";\nimport { healthCheckRouter } from \"@/api/healthCheck/healthCheckRouter\";\nimport { userRouter } from \"@/api/user/userRouter\";\n\nconst app: Express = express();\n" +
				"app.use(\"/health-check\", healthCheckRouter);\napp.use(\"/users\", userRouter);\n",
			"src/api/healthCheck/healthCheckRouter.ts": "import express, { type Request, type Response, type Router } from \"express\";\nexport const healthCheckRouter: Router = express.Router();\n\nhealthCheckRouter.get(\"/\", (_req: Request, res: Response) => {\n\treturn res.send(\"ok\");\n});\n",
			"src/api/user/userRouter.ts":               "import express, { type Router } from \"express\";\nexport const userRouter: Router = express.Router();\nuserRouter.get(\"/\", userController.getUsers);\n",
			"src/common/utils/envConfig.ts":            "import { cleanEnv, host, num, port, str, testOnly } from \"envalid\";\nexport const env = cleanEnv(process.env, {\n\tHOST: host({ devDefault: testOnly(\"localhost\") }),\n\tPORT: port({ devDefault: testOnly(3000) }),\n\tCORS_ORIGIN: str({ devDefault: testOnly(\"http://localhost:3000\") }),\n});\n",
		}, map[string]string{"health": "/health-check@src/api/healthCheck/healthCheckRouter.ts:4", "port": "8080@.env.template:3",
			"exampleenv": "NODE_ENV@.env.template:2 PORT@.env.template:3 HOST@.env.template:4 CORS_ORIGIN@.env.template:6 COMMON_RATE_LIMIT_WINDOW_MS@.env.template:7"}},
		{"a handler named for health checks at / (ribice/gorsk ccda17ecb185)", map[string]string{
			"go.mod":                    "module github.com/ribice/gorsk\n\ngo 1.13\n\nrequire github.com/labstack/echo v3.3.10+incompatible\n",
			"cmd/api/main.go":           "package main\n\nimport \"github.com/ribice/gorsk/pkg/utl/server\"\n\nfunc main() {\n\te := server.New()\n\te.Start(\":8080\")\n}\n",
			"pkg/utl/server/server.go":  "package server\n\nfunc New() *echo.Echo {\n\te := echo.New()\n\te.GET(\"/\", healthCheck)\n\treturn e\n}\n\nfunc healthCheck(c echo.Context) error {\n\treturn c.JSON(http.StatusOK, okBody)\n}\n",
			"pkg/api/user/transport.go": "package user\n\nfunc NewHTTP(r *echo.Group) {\n\tr.GET(\"/users\", list)\n}\n",
		}, map[string]string{"health": "/@pkg/utl/server/server.go:5", "healthwhy": "its handler is named healthCheck"}},
		{"vendored modules; a go-flags group's listen beside the top level's (umputun/reproxy 43daa211d700)", map[string]string{
			"go.mod":             "module github.com/umputun/reproxy\n\ngo 1.26\n\nrequire github.com/jessevdk/go-flags v1.6.1\n",
			"vendor/modules.txt": "# github.com/jessevdk/go-flags v1.6.1\n## explicit; go 1.20\ngithub.com/jessevdk/go-flags\n",
			"vendor/github.com/jessevdk/go-flags/flags.go": "package flags\n",
			"app/main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/jessevdk/go-flags\"\n)\n\nvar opts struct {\n" +
				"\tListen string `short:\"l\" long:\"listen\" env:\"LISTEN\" description:\"listen on host:port (default: 0.0.0.0:8080/8443 under docker, 127.0.0.1:80/443 without)\"`\n" +
				"\tPlugin struct {\n\t\tEnabled bool   `long:\"enabled\" env:\"ENABLED\" description:\"enable plugin support\"`\n" +
				"\t\tListen  string `long:\"listen\" env:\"LISTEN\" default:\"127.0.0.1:8081\" description:\"registration listen on host:port\"`\n" +
				"\t} `group:\"plugin\" namespace:\"plugin\" env-namespace:\"PLUGIN\"`\n}\n\n" +
				"func main() {\n\tflags.Parse(&opts)\n\thttp.ListenAndServe(listenAddress(opts.Listen), nil)\n}\n",
		}, map[string]string{"vendored": "vendor@vendor/modules.txt:0", "portvar": "LISTEN@app/main.go:10", "port": "-"}},
		{"node runs the directory tsc writes: its index.js (GeekyAnts/express-typescript bb2a51f68673)", map[string]string{
			"package.json":  "{\n  \"name\": \"node-server-with-typescript\",\n  \"main\": \"dist\",\n  \"scripts\": {\n    \"build\": \"tsc\",\n    \"start\":\"node dist\"\n  },\n  \"dependencies\": {\n    \"express\": \"^4.16.3\"\n  },\n  \"devDependencies\": {\n    \"typescript\": \"5.0.3\"\n  }\n}\n",
			"tsconfig.json": "{\n  \"compilerOptions\": {\n    \"outDir\": \"dist/\",\n    \"rootDir\": \"src\"\n  }\n}\n",
			"src/index.ts":  "import * as express from 'express';\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 4040);\n",
		}, map[string]string{"entry": "dist/index.js@package.json:6"}},
		{"Flask-SQLAlchemy 3 keeps a relative SQLite file in the instance folder (patrickloeber/flask-todo 60c7fee15c73)", map[string]string{
			"requirements.txt": "flask\nflask-sqlalchemy\ngunicorn\n",
			"app.py":           "from flask import Flask, render_template\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n\n# /// = relative path, //// = absolute path\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///db.sqlite'\ndb = SQLAlchemy(app)\n\n@app.route(\"/\")\ndef home():\n    return render_template(\"base.html\")\n",
		}, map[string]string{"db": "sqlite:instance/db.sqlite@app.py:7"}},
		{"Flask-SQLAlchemy 2 kept it in the working directory", map[string]string{
			"requirements.txt": "flask\nFlask-SQLAlchemy==2.5.1\ngunicorn\n",
			"app.py":           "from flask import Flask, render_template\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n\n# /// = relative path, //// = absolute path\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///db.sqlite'\ndb = SQLAlchemy(app)\n\n@app.route(\"/\")\ndef home():\n    return render_template(\"base.html\")\n",
		}, map[string]string{"db": "sqlite:db.sqlite@app.py:7"}},
		{"a profiler's listen under if config.EnablePprof is not the app's (muety/wakapi 2ed2e3faa161)", map[string]string{
			"go.mod": "module github.com/muety/wakapi\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t_ \"net/http/pprof\"\n\n\t\"github.com/go-chi/chi/v5\"\n)\n\nfunc main() {\n\trouter := chi.NewRouter()\n\trouter.Get(\"/health\", ok)\n" +
				"\tif config.EnablePprof {\n\t\tgo func() {\n\t\t\t_ = http.ListenAndServe(\"127.0.0.1:6060\", nil)\n\t\t}()\n\t}\n\tlisten(router)\n}\n\n" +
				"func listen(handler http.Handler) {\n\ts := &http.Server{Addr: \":3000\", Handler: handler}\n\ts.ListenAndServe()\n}\n",
		}, map[string]string{"port": "3000@main.go:22", "needs": ""}},
		{"a profiler's listen under if s.profilerEnabled beside the server's (dutchcoders/transfer.sh c37bfd95797f)", map[string]string{
			"go.mod": "module github.com/dutchcoders/transfer.sh\n\ngo 1.22\n\nrequire github.com/gorilla/mux v1.8.1\n",
			"server/server.go": "package server\n\nimport (\n\t\"net/http\"\n\t_ \"net/http/pprof\"\n\n\t\"github.com/gorilla/mux\"\n)\n\nfunc (s *Server) Run() {\n\tif s.profilerEnabled {\n\t\tgo func() {\n\t\t\t_ = http.ListenAndServe(\":6060\", nil)\n\t\t}()\n\t}\n" +
				"\tr := mux.NewRouter()\n\tr.HandleFunc(\"/health.html\", healthHandler)\n\tsrvr := &http.Server{Addr: s.ListenerString, Handler: r}\n\tif err := srvr.ListenAndServe(); err != nil {\n\t\tpanic(err)\n\t}\n}\n",
			"main.go": "package main\n\nimport _ \"github.com/dutchcoders/transfer.sh/server\"\n\nfunc main() {}\n",
		}, map[string]string{"port": "-"}},
		{"the profiler's listen beside a server whose address comes from the configuration (muety/wakapi 2ed2e3faa161 as it is)", map[string]string{
			"go.mod": "module github.com/muety/wakapi\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t_ \"net/http/pprof\"\n\n\t\"github.com/go-chi/chi/v5\"\n)\n\nfunc main() {\n\trouter := chi.NewRouter()\n\trouter.Get(\"/health\", ok)\n" +
				"\tif config.EnablePprof {\n\t\tgo func() {\n\t\t\t_ = http.ListenAndServe(\"127.0.0.1:6060\", nil)\n\t\t}()\n\t}\n\tlisten(router)\n}\n\n" +
				"func listen(handler http.Handler) {\n\tbindString4 := config.Server.ListenIpV4 + \":\" + strconv.Itoa(config.Server.Port)\n\ts4 := &http.Server{Addr: bindString4, Handler: handler}\n\tif err := s4.ListenAndServe(); err != nil {\n\t\tpanic(err)\n\t}\n}\n",
		}, map[string]string{"port": "-", "needs": ""}},
		{"the repository's Dockerfile sets the listen address and the SQLite file that the code's defaults put on loopback and in the working directory (muety/wakapi 2ed2e3faa161)", wakapiShape, map[string]string{"hostvar": "WAKAPI_LISTEN_IPV4@Dockerfile:12", "db": "sqlite:/data/wakapi.db@config/config.go:5", "sqlitevar": "WAKAPI_DB_NAME@Dockerfile:11"}},
		{"a database's host the Dockerfile sets to 0.0.0.0 is no listen address; the final stage's setting wins over its base's", map[string]string{
			"go.mod":     "module x\n\ngo 1.22\n\nrequire gorm.io/driver/sqlite v1.5.7\n",
			"main.go":    "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"gorm.io/driver/sqlite\"\n)\n\nfunc main() {\n\tconnect(os.Getenv(\"DB_HOST\"))\n\topen(os.Getenv(\"DB_PATH\"))\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
			"Dockerfile": "FROM debian:bookworm-slim AS base\nENV DB_PATH=/old/a.db\n\nFROM base\nENV DB_HOST=0.0.0.0 \\\n    DB_PATH=/data/b.db\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
		}, map[string]string{"hostvar": "-", "db": "sqlite:/data/b.db@main.go:7", "sqlitevar": "DB_PATH@Dockerfile:6"}},
		{"an API's catch-all / that answers not found is no page", map[string]string{
			"go.mod":  "module x\n\ngo 1.22\n",
			"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/healthz\", ok)\n\tmux.HandleFunc(\"/\", http.NotFound)\n\thttp.ListenAndServe(\":8080\", mux)\n}\n",
		}, map[string]string{"health": "/healthz@main.go:7", "page": "-"}},
		{"a scheduler's Start() beside a profiler's listen starts no server: the listen stays", map[string]string{
			"go.mod":  "module x\n\ngo 1.22\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t_ \"net/http/pprof\"\n)\n\nfunc main() {\n\tc := cron.New()\n\tc.Start()\n\thttp.ListenAndServe(\"localhost:6060\", nil)\n}\n",
		}, map[string]string{"port": "6060@main.go:11"}},
		{"the repository's Dockerfile sets a variable the code does not read: no evidence", map[string]string{
			"go.mod":     "module x\n\ngo 1.22\n\nrequire gorm.io/driver/sqlite v1.5.7\n",
			"main.go":    "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"gorm.io/driver/sqlite\"\n)\n\nfunc main() {\n\topen(os.Getenv(\"DB_FILE\"))\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
			"Dockerfile": "FROM debian:bookworm-slim\nENV LISTEN_HOST=0.0.0.0 OTHER_DB=/data/other.db\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
		}, map[string]string{"hostvar": "-", "db": "sqlite@main.go:7"}},
		{"a middleware that loads the user where there is one guards nothing; viper's configuration puts SQLite in the working directory (mikestefanello/pagoda 02a6db2795ef)", map[string]string{
			"go.mod": "module github.com/mikestefanello/pagoda\n\ngo 1.25.0\n\nrequire (\n\tgithub.com/labstack/echo/v4 v4.13.4\n\tgithub.com/mattn/go-sqlite3 v1.14.28\n\tgithub.com/spf13/viper v1.20.1\n)\n",
			"cmd/web/main.go": "package main\n\nimport (\n\t\"github.com/labstack/echo/v4\"\n\t\"github.com/mikestefanello/pagoda/config\"\n\t\"github.com/mikestefanello/pagoda/pkg/middleware\"\n)\n\n" +
				"func main() {\n\tc, _ := config.GetConfig()\n\te := echo.New()\n\tg := e.Group(\"\")\n\tg.Use(\n\t\tmiddleware.Session(store),\n\t\tmiddleware.LoadAuthenticatedUser(auth),\n\t)\n\tfor _, h := range handlers.GetHandlers() {\n\t\th.Routes(g)\n\t}\n" +
				"\tadmin := g.Group(\"/admin\", middleware.RequireAdmin)\n\tadmin.GET(\"/users\", users)\n\te.Start(fmt.Sprintf(\"%s:%d\", c.HTTP.Hostname, c.HTTP.Port))\n}\n",
			"pkg/handlers/pages.go":     "package handlers\n\nimport \"github.com/labstack/echo/v4\"\n\ntype Pages struct{}\n\nfunc (h *Pages) Routes(g *echo.Group) {\n\tg.GET(\"/\", h.Home)\n\tg.GET(\"/about\", h.About)\n}\n",
			"pkg/middleware/auth.go":    "package middleware\n\nimport _ \"github.com/mattn/go-sqlite3\"\n",
			"pkg/services/container.go": "package services\n\nfunc (c *Container) initFiles() {\n\tfs := afero.NewOsFs()\n\tif err := fs.MkdirAll(c.Config.Files.Directory, 0755); err != nil {\n\t\tpanic(err)\n\t}\n}\n",
			"config/config.go": "package config\n\nimport (\n\t\"strings\"\n\n\t\"github.com/spf13/viper\"\n)\n\n" +
				"func GetConfig() (Config, error) {\n\tvar c Config\n\tviper.SetConfigName(\"config\")\n\tviper.SetConfigType(\"yaml\")\n\tviper.AddConfigPath(\"config\")\n\tviper.SetEnvPrefix(\"pagoda\")\n\tviper.AutomaticEnv()\n\tviper.SetEnvKeyReplacer(strings.NewReplacer(\".\", \"_\"))\n\terr := viper.ReadInConfig()\n\tviper.Unmarshal(&c)\n\treturn c, err\n}\n",
			"config/config.yaml": "http:\n  hostname: \"\"\n  port: 8000\n\ndatabase:\n  driver: \"sqlite3\"\n  connection: \"dbs/main.db?_journal=WAL&_timeout=5000&_fk=true\"\n  testConnection: \"file:/$RAND?vfs=memdb&_timeout=1000&_fk=true\"\n\nfiles:\n  directory: \"uploads\"\n\ncache:\n  path: \"cache\"\n",
		}, map[string]string{"health": "/@pkg/handlers/pages.go:8", "port": "8000@config/config.yaml:3", "db": "sqlite:dbs/main.db?_journal=WAL&_timeout=5000&_fk=true@pkg/middleware/auth.go:3",
			"configdirs": "PAGODA_FILES_DIRECTORY=uploads@config/config.yaml:11", "sqlitevar": "PAGODA_DATABASE_CONNECTION@config/config.yaml:7"}},
		{"a start script that loads an env file first; fastify-env's JSON schema; Fastify's database plugins (fastify/fastify-example-twitter)", map[string]string{
			"package.json": "{\n  \"name\": \"server\",\n  \"main\": \"index.js\",\n  \"scripts\": {\n    \"start\": \"env-cmd local.env fastify start index.js\"\n  },\n  \"dependencies\": {\n    \"env-cmd\": \"^7.0.0\",\n    \"fastify\": \"^1.13.3\",\n    \"fastify-cli\": \"^0.27.0\",\n    \"fastify-env\": \"^0.6.1\",\n    \"fastify-mongodb\": \"^0.5.0\",\n    \"fastify-redis\": \"^0.4.0\"\n  }\n}\n",
			"index.js": "'use strict'\n\nconst fp = require('fastify-plugin')\n\nconst schema = {\n  type: 'object',\n  required: [ 'MONGODB_URL', 'REDIS_URL', 'JWT_SECRET' ],\n  properties: {\n    MONGODB_URL: { type: 'string' },\n    REDIS_URL: { type: 'string' },\n    JWT_SECRET: { type: 'string' }\n  }\n}\n\n" +
				"module.exports = async function (fastify, opts) {\n  fastify.register(require('fastify-env'), { schema, data: process.env })\n  fastify.register(require('fastify-mongodb'), { url: fastify.config.MONGODB_URL })\n  fastify.register(require('fastify-redis'), { url: fastify.config.REDIS_URL })\n  fastify.get('/', async () => 'ok')\n}\n",
		}, map[string]string{"entry": "node_modules/fastify-cli/cli.js@package.json:5", "args": "start index.js@package.json:5", "db": "mongodb@index.js:17 redis@index.js:18", "required": "MONGODB_URL REDIS_URL JWT_SECRET"}},
		{"a route table made by the program's own constructor, registered on a ServeMux in a loop (ncarlier/webhookd)", map[string]string{
			"go.mod":            "module github.com/ncarlier/webhookd\n\ngo 1.24\n",
			"main.go":           "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/ncarlier/webhookd/pkg/api\"\n)\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", api.NewRouter())\n}\n",
			"pkg/api/router.go": "package api\n\nimport \"net/http\"\n\nfunc NewRouter() *http.ServeMux {\n\trouter := http.NewServeMux()\n\tfor _, route := range routes() {\n\t\trouter.Handle(route.Path, route.HandlerFunc())\n\t}\n\treturn router\n}\n",
			"pkg/api/routes.go": "package api\n\nfunc route(path string, h HandlerFunc, mws ...Middleware) Route {\n\treturn Route{Path: path, HandlerFunc: h}\n}\n\nfunc routes() Routes {\n\treturn Routes{\n\t\troute(\n\t\t\t\"/\",\n\t\t\tindex,\n\t\t),\n\t\troute(\n\t\t\t\"/healthz\",\n\t\t\thealthz,\n\t\t),\n\t}\n}\n",
		}, map[string]string{"health": "/healthz@pkg/api/routes.go:13", "page": "-"}},
		{"net/http's / on a ServeMux is a catch-all, no page: what it answers at / says nothing", map[string]string{
			"go.mod":  "module x\n\ngo 1.22\n",
			"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/healthz\", ok)\n\tmux.HandleFunc(\"/\", runHook)\n\thttp.ListenAndServe(\":8080\", mux)\n}\n",
		}, map[string]string{"health": "/healthz@main.go:7", "page": "-"}},
		{"net/http's GET /{$} is / alone: a page", map[string]string{
			"go.mod":  "module x\n\ngo 1.22\n",
			"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"GET /healthz\", ok)\n\tmux.HandleFunc(\"GET /{$}\", home)\n\thttp.ListenAndServe(\":8080\", mux)\n}\n",
		}, map[string]string{"health": "/healthz@main.go:7", "page": "/@main.go:8"}},
		{"a route table of struct literals, as gorilla/mux tutorials write it", map[string]string{
			"go.mod":    "module x\n\ngo 1.22\n\nrequire github.com/gorilla/mux v1.8.1\n",
			"main.go":   "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gorilla/mux\"\n)\n\nfunc main() {\n\tr := mux.NewRouter()\n\tfor _, route := range routes {\n\t\tr.Methods(route.Method).Path(route.Pattern).Handler(route.HandlerFunc)\n\t}\n\thttp.ListenAndServe(\":8080\", r)\n}\n",
			"routes.go": "package main\n\nvar routes = Routes{\n\tRoute{\"Index\", \"GET\", \"/\", Index},\n\tRoute{\"TodoCreate\", \"POST\", \"/status\", TodoCreate},\n\tRoute{\n\t\tName:        \"Health\",\n\t\tMethod:      \"GET\",\n\t\tPattern:     \"/healthz\",\n\t\tHandlerFunc: Health,\n\t},\n}\n",
		}, map[string]string{"health": "/healthz@routes.go:6", "page": "-"}},
		{"the canonical pprof listen beside the app's own mux", map[string]string{
			"go.mod":  "module x\n\ngo 1.22\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t_ \"net/http/pprof\"\n)\n\nfunc main() {\n\tgo http.ListenAndServe(\"localhost:6060\", nil)\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", mux)\n}\n",
		}, map[string]string{"port": "8080@main.go:12", "needs": ""}},
		{"fastify-cli's start script; @fastify/env's fluent schema; a listen only a deploy recipe runs (delvedor/fastify-example d87b6586d09d)", map[string]string{
			"package.json": "{\n  \"name\": \"fastify-example\",\n  \"main\": \"app.js\",\n  \"type\": \"module\",\n  \"scripts\": {\n    \"start\": \"fastify start -l info app.js\"\n  },\n  \"dependencies\": {\n    \"@fastify/env\": \"^4.0.0\",\n    \"fastify\": \"^4.0.0\",\n    \"fastify-cli\": \"^6.0.0\",\n    \"fluent-json-schema\": \"^4.0.0\"\n  }\n}\n",
			"app.js": "import Env from '@fastify/env'\nimport S from 'fluent-json-schema'\n\nexport default async function (fastify, opts) {\n  await fastify.register(Env, {\n    schema: S.object()\n" +
				"      .prop('NODE_ENV', S.string().required())\n      .prop('ELASTIC_CLOUD_ID', S.string())\n      .prop('GITHUB_APP_ID', S.string().required())\n      .prop('COOKIE_SECRET', S.string().required())\n      .valueOf()\n  })\n}\n",
			"deploy-recipes/cloud-run/index.js": "import Fastify from 'fastify'\nimport App from '../../app.js'\nconst fastify = Fastify()\nfastify.register(App)\nconst port = process.env.PORT || 3000\nconst address = '0.0.0.0'\nfastify.listen({ port, address })\n",
		}, map[string]string{"entry": "node_modules/fastify-cli/cli.js@package.json:6", "args": "start -l info app.js@package.json:6", "hostvar": "FASTIFY_ADDRESS@package.json:6",
			"port": "3000@package.json:6", "needs": "", "required": "NODE_ENV GITHUB_APP_ID COOKIE_SECRET"}},
		{"a flag's default names the template directory the program reads (mpolden/echoip 746db5ebf42f)", map[string]string{
			"go.mod":          "module github.com/mpolden/echoip\n\ngo 1.24\n",
			"html/index.html": "<html></html>\n",
			"cmd/echoip/main.go": "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\tlisten := flag.String(\"l\", \":8080\", \"Listening address\")\n\ttemplate := flag.String(\"t\", \"html\", \"Path to template dir\")\n" +
				"\tflag.Parse()\n\tr := NewRouter()\n\tif _, err := os.Stat(*template); err == nil {\n\t\tr.Route(\"GET\", \"/\", page)\n\t}\n\tr.Route(\"GET\", \"/health\", ok)\n\thttp.ListenAndServe(*listen, r.Handler())\n}\n",
		}, map[string]string{"runtime": "html@cmd/echoip/main.go:11", "health": "/health@cmd/echoip/main.go:17", "page": "/@cmd/echoip/main.go:15"}},
		{"/ is the health route: no page besides it (a Flask app's only route)", map[string]string{
			"requirements.txt": "flask\n",
			"app.py":           "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return render_template('index.html')\n",
		}, map[string]string{"health": "/@app.py:4", "page": "-"}},
		{"a / that only takes posts is no page (a webhook receiver with /healthz)", map[string]string{
			"requirements.txt": "flask\n",
			"app.py":           "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/healthz')\ndef health():\n    return 'ok'\n\n@app.route('/', methods=['POST'])\ndef hook():\n    return ''\n",
		}, map[string]string{"health": "/healthz@app.py:4", "page": "-"}},
		{"a / behind a login decorator is no page a run can request (NestJS guard)", map[string]string{
			"package.json":             "{\n  \"name\": \"x\",\n  \"scripts\": {\"start\": \"node dist/main.js\"},\n  \"dependencies\": {\"@nestjs/core\": \"^10.0.0\"}\n}\n",
			"src/main.ts":              "const app = await NestFactory.create(AppModule);\nawait app.listen(3000);\n",
			"src/health.controller.ts": "@Controller('health')\nexport class HealthController {\n  @Get()\n  check() { return 'ok' }\n}\n",
			"src/app.controller.ts":    "@Controller()\n@UseGuards(AuthGuard)\nexport class AppController {\n  @Get()\n  home() { return 'hi' }\n}\n",
		}, map[string]string{"health": "/health@src/health.controller.ts:3", "page": "-"}},
		{"a Dockerfile that runs the development script is no evidence; start:prod is (monstar-lab-oss/nestjs-starter-rest-api f751b0ae4c8a)", map[string]string{
			"package.json":  "{\n  \"name\": \"nestjs-starter-rest-api\",\n  \"scripts\": {\n    \"build\": \"nest build\",\n    \"start\": \"nest start\",\n    \"start:dev\": \"nest start --watch --preserveWatchOutput\",\n    \"start:prod\": \"node dist/src/main\"\n  },\n  \"dependencies\": {\n    \"@nestjs/core\": \"^10.0.0\"\n  },\n  \"devDependencies\": {\n    \"typescript\": \"^5.0.0\"\n  }\n}\n",
			"tsconfig.json": "{\n  \"compilerOptions\": {\n    \"outDir\": \"./dist\"\n  }\n}\n",
			"Dockerfile":    "FROM node:20.19.6-bookworm-slim\nWORKDIR /usr/src/app\nCOPY . .\nRUN npm ci\nCMD [\"npm\", \"start:dev\"]\n",
			"src/main.ts":   "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n",
		}, map[string]string{"entry": "dist/src/main.js@package.json:7"}},
		{"pprof on the app's own server: its only listen is the app's", map[string]string{
			"go.mod":  "module x\n\ngo 1.22\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t_ \"net/http/pprof\"\n)\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", ok)\n\tif debug {\n\t\tlog.Print(\"debug\")\n\t}\n\thttp.ListenAndServe(\":9090\", nil)\n}\n",
		}, map[string]string{"port": "9090@main.go:13"}},
		{"a debug server under its switch, no pprof import, beside the app's", map[string]string{
			"go.mod": "module x\n\ngo 1.22\n",
			"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tif cfg.DebugServer {\n\t\tgo func() {\n\t\t\thttp.ListenAndServe(\"127.0.0.1:6061\", debugMux)\n\t\t}()\n\t}\n" +
				"\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/healthz\", ok)\n\tsrv := &http.Server{Addr: \":7070\", Handler: mux}\n\tsrv.ListenAndServe()\n}\n",
		}, map[string]string{"port": "7070@main.go:13", "needs": ""}},
		{"node DIR where DIR.js exists runs DIR.js", map[string]string{
			"package.json":     `{"scripts": {"start": "node server"}, "dependencies": {"express": "4"}}`,
			"server.js":        "const app = require('express')();\napp.get('/health', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
			"server/routes.js": "module.exports = {};\n",
		}, map[string]string{"entry": "server.js@package.json:1"}},
		{"node DIR with an index.js and no DIR.js runs DIR/index.js", map[string]string{
			"package.json":    `{"scripts": {"start": "node server"}, "dependencies": {"express": "4"}}`,
			"server/index.js": "const app = require('express')();\napp.get('/health', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
		}, map[string]string{"entry": "server/index.js@package.json:1"}},
		{"fastify-cli's --port and --address in the script win", map[string]string{
			"package.json": `{"scripts": {"start": "fastify start -p 8081 -a 0.0.0.0 -l info app.js"}, "dependencies": {"fastify": "^5.0.0", "fastify-cli": "^7.4.1"}}`,
			"app.js":       "export default async function (fastify) {\n  fastify.get('/health', async () => ({ ok: true }))\n}\n",
		}, map[string]string{"port": "8081@package.json:1", "portvar": "-", "hostvar": "-"}},
		{"a Dockerfile that runs a script named for development, though plain node", map[string]string{
			"package.json":  `{"scripts": {"dev": "node dev-server.js", "start": "node server.js"}, "dependencies": {"express": "4"}}`,
			"Dockerfile":    "FROM node:20\nCOPY . .\nCMD [\"npm\", \"run\", \"dev\"]\n",
			"server.js":     "const app = require('express')();\napp.get('/health', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
			"dev-server.js": "require('./server.js');\n",
		}, map[string]string{"entry": "server.js@package.json:1"}},
		{"Flask-SQLAlchemy held below 3 by a range; a file named instance_data.db is not in the instance folder", map[string]string{
			"requirements.txt": "flask\nFlask-SQLAlchemy>=2.5,<3\n",
			"app.py":           "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///db.sqlite'\n",
		}, map[string]string{"db": "sqlite:db.sqlite@app.py:4"}},
		{"Flask-SQLAlchemy 3, a file whose name starts with instance", map[string]string{
			"requirements.txt": "flask\nflask-sqlalchemy\n",
			"app.py":           "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///instance_data.db'\n",
		}, map[string]string{"db": "sqlite:instance/instance_data.db@app.py:4"}},
		{"a go-flags group's env-namespace prefixes its options' variables (reproxy's shape, no top-level listen)", map[string]string{
			"go.mod": "module x\n\ngo 1.22\n\nrequire github.com/jessevdk/go-flags v1.6.1\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/jessevdk/go-flags\"\n)\n\nvar opts struct {\n" +
				"\tServer struct {\n\t\tPort string `long:\"port\" env:\"PORT\" default:\"8081\" description:\"listen port\"`\n" +
				"\t} `group:\"server\" namespace:\"server\" env-namespace:\"SERVER\"`\n}\n\n" +
				"func main() {\n\tflags.Parse(&opts)\n\thttp.ListenAndServe(\":\"+opts.Server.Port, nil)\n}\n",
		}, map[string]string{"portvar": "SERVER_PORT@main.go:11", "port": "8081@main.go:11"}},
		// louislam/uptime-kuma (6398a9581d1c): the Node server reads $PORT
		// in server/config.js:12; a Go probe (extra/healthcheck.go:58) and
		// a JavaScript one (extra/healthcheck.js:33), which its image runs
		// as HEALTHCHECK, read it first in the walk. The port is the
		// program's read, not another language's file's.
		{"a Node server's port variable beside its probes' (uptime-kuma)", map[string]string{
			"package.json":         `{"name": "uptime-kuma", "main": "server/server.js", "scripts": {"start": "node server/server.js"}, "dependencies": {"express": "~4.21.0"}}`,
			"package-lock.json":    `{"lockfileVersion": 3}`,
			"server/server.js":     "const express = require(\"express\");\nconst config = require(\"./config\");\nconst app = express();\napp.get(\"/api/entry-page\", (req, res) => res.json({}));\napp.listen(config.port);\n",
			"server/config.js":     "const args = require(\"args-parser\")(process.argv);\n\n\n\n\n\n\n\n\n\n\nconst port = [args.port, process.env.UPTIME_KUMA_PORT, process.env.PORT, 3001]\n    .map((portValue) => parseInt(portValue))\n    .find((portValue) => !isNaN(portValue));\nmodule.exports = { port };\n",
			"extra/healthcheck.go": "package main\n\nfunc main() {\n\tport := os.Getenv(\"PORT\")\n\thttp.Get(\"http://127.0.0.1:\" + port)\n}\n",
			"extra/healthcheck.js": "const http = require(\"http\");\nhttp.get({ port: process.env.PORT || 3001 });\n",
		}, map[string]string{"portvar": "PORT@server/config.js:12"}},
		// uptime-kuma's monitor types: a directory whose files import the
		// clients of four kinds of database, each connecting where a
		// monitor's record says. None is the app's own: not started.
		{"a directory of database plugins (uptime-kuma's monitor types)", map[string]string{
			"package.json":                     `{"name": "uptime-kuma", "main": "server/server.js", "dependencies": {"express": "4", "pg": "8", "mongodb": "6", "redis": "4", "mysql2": "3"}}`,
			"server/server.js":                 "const express = require(\"express\");\nrequire(\"./monitor-types/postgres\");\nexpress().listen(3001);\n",
			"server/monitor-types/postgres.js": "const { Client } = require(\"pg\");\nmodule.exports = (m) => new Client(m.databaseConnectionString);\n",
			"server/monitor-types/mongodb.js":  "const { MongoClient } = require(\"mongodb\");\nmodule.exports = (m) => MongoClient.connect(m.databaseConnectionString);\n",
			"server/monitor-types/redis.js":    "const redis = require(\"redis\");\nmodule.exports = (m) => redis.createClient({ url: m.databaseConnectionString });\n",
			"server/monitor-types/mysql.js":    "const mysql = require(\"mysql2\");\nmodule.exports = (m) => mysql.createConnection(m.databaseConnectionString);\n",
			"server/database.js":               "const mysql = require(\"mysql2\");\n",
		}, map[string]string{"db": "mysql@server/database.js:1"}},
		{"a bin compiled from TypeScript, what it reads at run time, its port in process.env[\"PORT\"] (typicode/json-server 89a34a44b7a6)", map[string]string{
			"package.json":     "{\n  \"name\": \"json-server\",\n  \"bin\": {\n    \"json-server\": \"lib/bin.js\"\n  },\n  \"files\": [\n    \"lib\",\n    \"views\",\n    \"schema.json\"\n  ],\n  \"type\": \"module\",\n  \"scripts\": {\n    \"dev\": \"node --watch --experimental-strip-types src/bin.ts fixtures/db.json\",\n    \"build\": \"rm -rf lib && tsc\"\n  },\n  \"dependencies\": {\n    \"sirv\": \"^3.0.1\"\n  },\n  \"devDependencies\": {\n    \"typescript\": \"^5.8.3\"\n  }\n}\n",
			"tsconfig.json":    "{\n  \"exclude\": [\"src/**/*.test.ts\"],\n  \"compilerOptions\": {\n    \"outDir\": \"./lib\",\n    \"module\": \"nodenext\"\n  }\n}\n",
			"src/bin.ts":       "import { createApp } from './app.ts'\nconst { values } = parseArgs({\n  options: {\n    port: {\n      type: \"string\",\n      default: process.env[\"PORT\"] ?? \"3000\",\n    },\n  },\n})\nconst port = parseInt(values.port)\nconst app = createApp(db)\napp.listen(port, () => {})\n",
			"src/app.ts":       "import sirv from 'sirv'\nconst eta = new Eta({\n  views: join(__dirname, '../views'),\n  cache: true,\n})\nexport function createApp(db) {\n  const app = new App()\n  app.use(sirv('public', { dev: !isProduction }))\n  app.get('/', (_req, res) => res.send(eta.render('index.html', {})))\n  return app\n}\n",
			"src/app.test.ts":  "import { createApp } from './app.ts'\n",
			"views/index.html": "<html></html>\n", "public/test.html": "<html></html>\n", "schema.json": "{}\n", "fixtures/db.json": "{}\n",
		}, map[string]string{"entry": "lib/bin.js@package.json:4", "port": "3000@src/bin.ts:6",
			"runtime": "views@package.json:8 schema.json@package.json:9 public@src/app.ts:8"}},
		{"a handler written in place that answers a constant (adnanh/webhook 8a2d3f85cd3e)", map[string]string{
			"go.mod": "module github.com/adnanh/webhook\n\ngo 1.21\n\nrequire github.com/gorilla/mux v1.8.0\n",
			"webhook.go": "package main\n\nfunc main() {\n\tr := mux.NewRouter()\n\tr.HandleFunc(\"/\", func(w http.ResponseWriter, req *http.Request) {\n" +
				"\t\tfor _, responseHeader := range responseHeaders {\n\t\t\tw.Header().Set(responseHeader.Name, responseHeader.Value)\n\t\t}\n\n\t\tfmt.Fprint(w, \"OK\")\n\t})\n" +
				"\tr.HandleFunc(hooksURL, hookHandler)\n\thttp.ListenAndServe(\":9000\", r)\n}\n",
		}, map[string]string{"health": "/@webhook.go:5", "healthwhy": "its handler answers a constant (webhook.go:10): it needs no database or session, unlike a page"}},
		{"a handler written in place that reads the database is a page", map[string]string{
			"go.mod":  "module x\n\ngo 1.21\n",
			"main.go": "package main\n\nfunc main() {\n\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, req *http.Request) {\n\t\tn, _ := db.Count()\n\t\tfmt.Fprint(w, \"OK\")\n\t})\n\thttp.ListenAndServe(\":9000\", nil)\n}\n",
		}, map[string]string{"health": "/@main.go:4", "healthwhy": "the code serves / (a page, not a health check: add a cheap /healthz)"}},
		{"a POST route that answers a constant, a handler whose name only contains health: no health check", map[string]string{
			"go.mod": "module x\n\ngo 1.22\n",
			"main.go": "package main\n\nfunc main() {\n\tr := chi.NewRouter()\n\tr.Post(\"/events\", func(w http.ResponseWriter, req *http.Request) {\n\t\tw.Write([]byte(\"accepted\"))\n\t})\n" +
				"\tr.Get(\"/records\", healthRecords.List)\n\tr.Get(\"/\", func(w http.ResponseWriter, req *http.Request) {\n\t\ttmpl.Execute(w, nil)\n\t})\n\thttp.ListenAndServe(\":8080\", r)\n}\n",
		}, map[string]string{"health": "/@main.go:9", "healthwhy": "the code serves / (a page, not a health check: add a cheap /healthz)"}},
		{"what a compiled Node program reads beside itself, but never an env file or what git ignores", map[string]string{
			"package.json":  `{"scripts": {"start": "node dist/index.js"}, "devDependencies": {"typescript": "5"}}`,
			"tsconfig.json": `{"compilerOptions": {"outDir": "dist"}}`,
			".gitignore":    "uploads/\n.env\n",
			"src/index.ts":  "dotenv.config({ path: path.resolve(__dirname, '../.env') })\nconst views = join(__dirname, '../views')\napp.use(express.static('uploads'))\nconst key = join(__dirname, '../certs/private.pem')\napp.listen(3000)\n",
			".env":          "SECRET=1\n", "views/a.html": "<p></p>\n", "uploads/x.png": "x", "certs/private.pem": "k\n",
		}, map[string]string{"runtime": "views@src/index.ts:2"}},
		{"a developer's own env file git ignores is not the documentation; a password in an address is blanked", map[string]string{
			"package.json":     `{"scripts": {"start": "node server.js"}}`,
			"server.js":        "require('http').createServer(h).listen(process.env.PORT)\n",
			".gitignore":       ".env.development\n",
			".env.development": "DATABASE_URL=postgres://admin:hunter2@prod-db/app\n",
			".env.sample":      "FEED_URL=postgres://reader:s3cret@db/feeds\nFEED_NAME=\"News\" # shown in the title\n",
		}, map[string]string{"exampleenv": "FEED_URL@.env.sample:1 FEED_NAME@.env.sample:2"}},
		{"a program under bin/ (halverneus/static-file-server fe6a3d471503)", map[string]string{
			"go.mod":                "module github.com/halverneus/static-file-server\n\ngo 1.18\n",
			"bin/serve/main.go":     "package main\n\nfunc main() {\n\tcli.Execute()\n}\n",
			"cli/execute.go":        "package cli\n\nfunc Execute() {}\n",
			"config/config.go":      "package config\n",
			"config/config_test.go": "package config\n",
			"img/logo.go.txt":       "not code\n",
		}, map[string]string{"entry": "bin/serve@bin/serve/main.go:1", "codedirs": "bin cli config"}},
		{"an .env.example the repository holds is extended in place, not carried again", map[string]string{
			"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "^5"}}`,
			"server.js":    "const app = express()\napp.get('/healthz', h)\napp.listen(process.env.PORT || 3000)\n",
			".env.example": "CORS_ORIGIN=*\n", ".env.template": "CORS_ORIGIN=x\n",
		}, map[string]string{"exampleenv": ""}},
		{"a src/ with a setup.py of its own installed by the root's Dockerfile (cosmicpython/code 14c84797ffa7)", map[string]string{
			"requirements.txt":                        "# app\nsqlalchemy<2\nflask\npsycopg2-binary\nredis\n",
			"Dockerfile":                              "FROM python:3.9-slim-buster\nCOPY requirements.txt /tmp/\nRUN pip install -r /tmp/requirements.txt\nCOPY src/ /src/\nRUN pip install -e /src\nWORKDIR /src\n",
			"src/setup.py":                            "from setuptools import setup\n\nsetup(\n    name=\"allocation\",\n    version=\"0.1\",\n    packages=[\"allocation\"],\n)\n",
			"src/allocation/__init__.py":              "",
			"src/allocation/config.py":                "import os\n\n\ndef get_postgres_uri():\n    host = os.environ.get(\"DB_HOST\", \"localhost\")\n",
			"src/allocation/entrypoints/flask_app.py": "from flask import Flask, jsonify, request\nfrom allocation import bootstrap, views\n\napp = Flask(__name__)\n\n@app.route(\"/allocate\", methods=[\"POST\"])\ndef allocate_endpoint():\n    pass\n",
		}, map[string]string{"entry": "allocation.entrypoints.flask_app:app@src/allocation/entrypoints/flask_app.py:4", "importroot": "src"}},
		{"a src/ with a package.json is another app, not a Python src layout", map[string]string{
			"requirements.txt": "flask\n",
			"app.py":           "from flask import Flask\napp = Flask(__name__)\n",
			"src/setup.py":     "setup(name=\"x\")\n",
			"src/package.json": "{}\n",
			"src/x/app.py":     "from flask import Flask\napp = Flask(__name__)\n",
		}, map[string]string{"entry": "app:app@app.py:2", "importroot": ""}},
		{"gunicorn module without an object (py-django-heroku-getting-started)", map[string]string{
			"requirements.txt":           "django\ngunicorn\n",
			"Procfile":                   "web: gunicorn --config gunicorn.conf.py gettingstarted.wsgi\n",
			"gettingstarted/settings.py": "WSGI_APPLICATION = 'gettingstarted.wsgi.application'\n",
		}, map[string]string{"entry": "gettingstarted.wsgi:application@Procfile:1"}},
		{"only a factory, a page that needs the database and a route that answers a constant (py-flask-tutorial-flaskr)", map[string]string{
			"pyproject.toml":     "[project]\nname = \"flaskr\"\ndependencies = [\"flask\"]\n",
			"flaskr/__init__.py": "def create_app(test_config=None):\n    app = Flask(__name__)\n    @app.route(\"/hello\")\n    def hello():\n        return 'Hello, World!'\n    db.init_app(app)\n",
			"flaskr/blog.py":     "@bp.route(\"/\")\ndef index():\n    \"\"\"Show all the posts.\"\"\"\n    posts = get_db().execute(\"SELECT 1\").fetchall()\n",
			"flaskr/db.py":       "@click.command(\"init-db\")\ndef init_db_command():\n    init_db()\n\ndef init_app(app):\n    app.cli.add_command(init_db_command)\n",
		}, map[string]string{"entry": "flaskr:create_app()@flaskr/__init__.py:1", "health": "/hello@flaskr/__init__.py:3", "ask": "", "setup": "init-db@flaskr/db.py:1", "migrate": "-"}},
		{"an env file the program exits without (go-echo-clean-arch)", map[string]string{
			"go.mod":           "module x\n\ngo 1.20\n",
			"app/main.go":      "package main\n\nfunc init() {\n\terr := godotenv.Load()\n\tif err != nil {\n\t\tlog.Fatal(\"Error loading .env file\")\n\t}\n}\n\nfunc main() { e := echo.New(); e.GET(\"/articles\", list); e.Start(\":9090\") }\n",
			"cmd/tool/main.go": "package main\n\nfunc main() {\n\t_ = godotenv.Load(\"tool.env\") // optional\n}\n",
		}, map[string]string{"envfile": ".env@app/main.go:4"}},
		{"an uploads directory made beside the code, named by an env schema's default (node-fastify-demo)", map[string]string{
			"package.json":                   `{"type": "module", "scripts": {"start": "node dist/server.js"}, "dependencies": {"fastify": "5"}}`,
			"src/server.ts":                  "app.listen({ port: Number(process.env.PORT ?? 3000) })\n",
			"src/plugins/external/env.ts":    "const schema = {\n  properties: {\n    UPLOAD_DIRNAME: {\n      type: 'string',\n      pattern: '^(?!.*\\\\.{2}).*$',\n      default: 'uploads'\n    }\n  }\n}\n",
			"src/plugins/external/static.ts": "export const autoConfig = (fastify) => {\n  const dirPath = path.join(import.meta.dirname, '../../..', fastify.config.UPLOAD_DIRNAME)\n  if (!fs.existsSync(dirPath)) {\n    fs.mkdirSync(dirPath)\n  }\n}\n",
			"src/tmp.ts":                     "const scratch = path.join(__dirname, '../../../..', 'tmp')\nfs.mkdirSync(scratch)\n",
		}, map[string]string{"writes": "uploads@src/plugins/external/static.ts:4"}},
		// seejohnrun/haste-server: its file store, the store config.js
		// selects, was on the read-only root: verify passed and every
		// paste answered 500.
		{"a store's directory relative to the working directory, an option's default (haste-server)", map[string]string{
			"package.json":                  `{"scripts": {"start": "node server.js"}, "dependencies": {"connect": "3"}}`,
			"server.js":                     "var Store = require('./lib/document_stores/' + config.storage.type);\nhttp.createServer(app).listen(process.env.PORT || 7777);\n",
			"lib/document_stores/file.js":   "var FileDocumentStore = function(options) {\n  this.basePath = options.path || './data';\n};\nFileDocumentStore.prototype.set = function(key, data, callback) {\n  fs.mkdir(this.basePath, '700', function() {\n    fs.writeFile(fn, data, 'utf8', callback);\n  });\n};\n",
			"test/document_handler_spec.js": "var dir = './tmp';\nfs.mkdirSync(dir);\n",
		}, map[string]string{"writes": "data@lib/document_stores/file.js:2"}},
		// The review's cases: a directory the repository ships (public/,
		// its assets), and a local of another function.
		{"a relative directory the repository holds, or another function's", map[string]string{
			"package.json":   `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "4"}}`,
			"server.js":      "const store = require('./lib/store');\napp.listen(3000);\n",
			"lib/store.js":   "const dir = './public';\nif (!fs.existsSync(dir)) fs.mkdirSync(dir);\nfunction a() {\n  const out = './cache';\n}\nfunction b(out) {\n  fs.mkdirSync(out);\n}\n",
			"public/app.css": "body {}\n",
		}, map[string]string{"writes": "-"}},
		{"a directory outside the tree, or of a setting without a default, is not the app's", map[string]string{
			"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "4"}}`,
			"server.js":    "const a = path.join(__dirname, '..', 'cache')\nfs.mkdirSync(a)\nconst b = path.join(__dirname, config.DATA_DIR)\nfs.mkdirSync(b)\napp.listen(3000)\n",
		}, map[string]string{"writes": "-"}},
		{"message brokers the code imports, not those a comment names (go-fiber-clean-template)", map[string]string{
			"go.mod":                 "module x\n\ngo 1.24\n",
			"cmd/app/main.go":        "package main\n\nfunc main() { app.Run() }\n",
			"internal/app/app.go":    "package app\n\n// Kafka would go here: \"github.com/segmentio/kafka-go\"\nfunc Run() { fiber.New().Listen(\":8080\") }\n",
			"pkg/rabbitmq/client.go": "package rabbitmq\n\nimport (\n\tamqp \"github.com/rabbitmq/amqp091-go\"\n)\n",
			"pkg/nats/server.go":     "package nats\n\nimport \"github.com/nats-io/nats.go\"\n",
		}, map[string]string{"brokers": "rabbitmq@pkg/rabbitmq/client.go:4 nats@pkg/nats/server.go:3"}},
		{"a setup command nothing registers, and a handler that reads a request (no constant route)", map[string]string{
			"requirements.txt": "flask\n",
			"app.py":           "app = Flask(__name__)\n@app.route(\"/\")\ndef index():\n    return render_template('index.html')\n@app.route(\"/echo\")\ndef echo():\n    return request.args['x']\n@click.command(\"init-db\")\ndef init_db():\n    pass\n",
		}, map[string]string{"health": "/@app.py:2", "setup": "-"}},
		{"a console script that runs uvicorn itself (py-fastapi-lnbits)", map[string]string{
			"pyproject.toml": "[project]\nname = \"x\"\ndependencies = [\"fastapi\", \"uvicorn\"]\n\n[project.scripts]\nx = \"x.server:main\"\n",
			"x/server.py":    "def main():\n    uvicorn.run('x.app:build', port=int(os.getenv('PORT', '5000')))\n",
			"package.json":   "{\"devDependencies\": {\"sass\": \"1\"}, \"scripts\": {\"sass\": \"sass x.scss\"}}\n",
		}, map[string]string{"lang": "python", "entry": "call:x.server:main@pyproject.toml:6", "port": "5000@x/server.py:2"}},
		{"uvicorn started by a Dockerfile's fastapi run (py-fastapi-full-stack-template)", map[string]string{
			"pyproject.toml":     "[project]\nname = \"app\"\ndependencies = [\"fastapi[standard]\", \"alembic\", \"sqlmodel\", \"psycopg[binary]\"]\n",
			"alembic.ini":        "[alembic]\n",
			"Dockerfile":         "FROM python:3.10\nCMD [\"fastapi\", \"run\", \"--workers\", \"4\", \"app/main.py\"]\n",
			"app/main.py":        "from fastapi import FastAPI\napp = FastAPI(title=settings.PROJECT_NAME)\n",
			"app/core/config.py": "class Settings(BaseSettings):\n    POSTGRES_SERVER: str\n    POSTGRES_PORT: int = 5432\n    POSTGRES_USER: str\n",
			"app/core/db.py":     "from sqlmodel import create_engine\nengine = create_engine(str(settings.SQLALCHEMY_DATABASE_URI))\n",
		}, map[string]string{"entry": "app.main:app@Dockerfile:2", "db": "postgres@pyproject.toml:3", "migrate": "alembic@alembic.ini:0", "env": "POSTGRES_SERVER POSTGRES_PORT POSTGRES_USER"}},
		// The twenty-second try's Python shapes. changedetection.io runs
		// its script with -d /datastore, without which it exits 2.
		{"a Python script's arguments (changedetection.io)", map[string]string{
			"requirements.txt":     "flask\n",
			"changedetection.py":   "import sys\nif __name__ == '__main__':\n    main()\n",
			"Dockerfile":           "FROM python:3.11\nRUN [ ! -d \"/datastore\" ] && mkdir /datastore\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"python\", \"./changedetection.py\", \"-d\", \"/datastore\"]\n",
			"docker-entrypoint.sh": "#!/bin/bash\nset -e\nexec \"$@\"\n",
		}, map[string]string{"entry": "changedetection.py@Dockerfile:4", "args": "-d /datastore@Dockerfile:4", "datavolume": "/datastore@Dockerfile:4"}},
		{"a directory the arguments name that the Dockerfile does not make, and a file", map[string]string{
			"requirements.txt": "flask\n",
			"serve.py":         "if __name__ == '__main__':\n    main()\n",
			"Dockerfile":       "FROM python:3.11\nRUN mkdir -p /etc/serve\nCMD [\"python\", \"serve.py\", \"--data\", \"/datastore\", \"--config\", \"/etc/serve/data.json\"]\n",
		}, map[string]string{"args": "--data /datastore --config /etc/serve/data.json@Dockerfile:3", "datavolume": "-"}},
		// Radicale runs its console script from a virtualenv, and listens on
		// localhost unless --hosts says otherwise; its WSGI handlers'
		// environ["SERVER_PORT"] is no variable of the image.
		{"a console script run by a virtualenv's python, its listen in --hosts (Radicale)", map[string]string{
			"pyproject.toml":       "[project]\nname = \"radicale\"\ndependencies = [\"defusedxml\"]\n\n[project.scripts]\nradicale = \"radicale.__main__:run\"\n",
			"radicale/__main__.py": "def run():\n    serve()\n",
			"radicale/app/move.py": "def move(environ):\n    port = environ[\"SERVER_PORT\"]\n",
			"Dockerfile":           "FROM python:3-alpine\nENTRYPOINT [ \"/app/bin/python\", \"/app/bin/radicale\"]\nCMD [\"--hosts\", \"0.0.0.0:5232,[::]:5232\"]\n",
		}, map[string]string{"entry": "call:radicale.__main__:run@Dockerfile:2", "args": "--hosts 0.0.0.0:5232,[::]:5232@Dockerfile:2", "port": "5232@Dockerfile:2", "env": ""}},
		// isso's ENTRYPOINT gives gunicorn --worker-tmp-dir /dev/shm, and its
		// CMD the app; its pyproject.toml lists no gunicorn.
		{"gunicorn's options with values, its app in the CMD, installed by the Dockerfile alone (isso)", map[string]string{
			"pyproject.toml": "[project]\nname = \"isso\"\ndependencies = [\"werkzeug\"]\n",
			"isso/run.py":    "from isso import make_app\napplication = make_app(config)\n",
			"Dockerfile":     "FROM python:3.12\nRUN pip install gunicorn\nENTRYPOINT [\"/isso/bin/gunicorn\", \"-b\", \"0.0.0.0:8080\", \"-w\", \"4\", \"--preload\", \"--worker-tmp-dir\", \"/dev/shm\"]\nCMD [\"isso.run\"]\n",
		}, map[string]string{"entry": "isso.run:application@Dockerfile:3", "port": "8080@Dockerfile:3", "server": "gunicorn@Dockerfile:3", "undeclared": "true"}},
		// shynet keeps its Django project (manage.py, the shynet package)
		// in shynet/: its modules are imported, and manage.py run, there.
		{"a Django project in a directory of its own (shynet)", map[string]string{
			"pyproject.toml":            "[tool.poetry]\nname = \"shynet\"\n\n[tool.poetry.dependencies]\npython = \"^3.9\"\ndjango = \"^4.2\"\ngunicorn = \"^22\"\n",
			"shynet/manage.py":          "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shynet.settings\")\n",
			"shynet/shynet/__init__.py": "",
			"shynet/shynet/settings.py": "WSGI_APPLICATION = \"shynet.wsgi.application\"\n",
			"shynet/shynet/wsgi.py":     "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shynet.settings\")\napplication = get_wsgi_application()\n",
		}, map[string]string{"importroot": "shynet", "migrate": "django@shynet/manage.py:0"}},
		// searxng's go.mod pins shfmt for its developers; the service is
		// Flask, and no Go file exists.
		{"a go.mod of developer tools beside a Python service (searxng)", map[string]string{
			"go.mod":           "module searxng.org/devtools\n\ngo 1.24.5\n\ntool mvdan.cc/sh/v3/cmd/shfmt\n",
			"requirements.txt": "flask\n",
			"searx/webapp.py":  "from flask import Flask\napp = Flask(__name__)\n@app.route('/healthz')\ndef health():\n    return 'OK'\n",
		}, map[string]string{"lang": "python", "entry": "searx.webapp:app@searx/webapp.py:2", "health": "/healthz@searx/webapp.py:3"}},
		{"three cmd mains, a CLI client among them (go-wtf)", map[string]string{
			"go.mod":                    "module github.com/x/wtf\n\ngo 1.16\n",
			"cmd/wtf/main.go":           "package main\n\nfunc main() { cmd.Execute() }\n",
			"cmd/wtfd/main.go":          "package main\n\nfunc main() { s := http.NewServer(); s.Open() }\n",
			"cmd/wtf-storybook/main.go": "package main\n\nfunc main() { http.ListenAndServe(\":3001\", nil) }\n",
			"http/server.go":            "package http\n\nfunc NewServer() *Server { return &Server{server: &http.Server{}} }\n",
		}, map[string]string{"ask": "entry point: cmd/wtf-storybook cmd/wtfd; health route: "}},
		{"a main package under api/services (go-ardanlabs-service)", map[string]string{
			"go.mod":                     "module x\n\ngo 1.23\n",
			"api/services/sales/main.go": "package main\n\nfunc main() { api := http.Server{Addr: cfg.Web.APIHost} ; api.ListenAndServe() }\n",
			"api/tooling/admin/main.go":  "package main\n\nfunc main() { migrate() }\n",
		}, map[string]string{"entry": "api/services/sales@api/services/sales/main.go:1 api/tooling/admin@api/tooling/admin/main.go:1", "ask": "health route: "}},
		{"PORT with a default two lines below (go-cloudrun-template)", map[string]string{
			"go.mod":  "module x\n\ngo 1.22\n",
			"main.go": "package main\n\nfunc main() {\n\tport := os.Getenv(\"PORT\")\n\tif port == \"\" {\n\t\tport = \"9090\"\n\t}\n\thttp.HandleFunc(\"/\", h)\n\thttp.ListenAndServe(\":\"+port, nil)\n}\n",
		}, map[string]string{"port": "9090@main.go:6", "portvar": "PORT@main.go:6", "health": "/@main.go:8"}},
		{"templates read from the working directory at run time (go-boutique-frontend)", map[string]string{
			"go.mod":           "module x\n\ngo 1.23\n",
			"main.go":          "package main\n\nfunc main() { http.ListenAndServe(\":\"+os.Getenv(\"PORT\"), r) }\n",
			"handlers.go":      "package main\n\nvar templates = template.Must(template.New(\"\").ParseGlob(\"templates/*.html\"))\nvar static = http.FileServer(http.Dir(\"./static/\"))\n",
			"templates/a.html": "<p>a</p>\n",
			"static/s.css":     "p {}\n",
		}, map[string]string{"runtime": "templates@handlers.go:3 static@handlers.go:4", "portvar": "PORT@main.go:3"}},
		{"a cobra server run as a subcommand by the repository's Dockerfile (go-chi-base)", map[string]string{
			"go.mod":       "module x\n\ngo 1.22\n",
			"main.go":      "package main\n\nfunc main() { cmd.Execute() }\n",
			"cmd/serve.go": "package cmd\n\nvar serveCmd = &cobra.Command{Use: \"serve\"}\n",
			"Dockerfile":   "FROM golang:1.22 AS builder\nRUN go build -o main .\nFROM alpine\nCOPY --from=builder /src/main .\nCMD [\"./main\", \"serve\"]\n",
		}, map[string]string{"args": "serve@Dockerfile:5"}},
		{"a port variable with no default in code, its value in .env.example (go-fiber-clean-template)", map[string]string{
			"go.mod":       "module x\n\ngo 1.22\n",
			"main.go":      "package main\n\nfunc main() { http.ListenAndServe(\":\"+os.Getenv(\"HTTP_PORT\"), nil) }\n",
			".env.example": "APP_NAME=x\n# the API\nHTTP_PORT=8081\n",
		}, map[string]string{"port": "8081@.env.example:3", "portvar": "HTTP_PORT@main.go:3"}},
		// Shapes a review found mis-read.
		{"django-admin startproject: settings, wsgi.py and asgi.py are one app", map[string]string{
			"requirements.txt":   "Django==5.1\ngunicorn\n",
			"manage.py":          "import os\nif __name__ == '__main__':\n    main()\n",
			"mysite/settings.py": "WSGI_APPLICATION = 'mysite.wsgi.application'\n",
			"mysite/wsgi.py":     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
			"mysite/asgi.py":     "from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n",
			"mysite/urls.py":     "urlpatterns = [path('', index)]\n",
		}, map[string]string{"entry": "mysite.wsgi:application@mysite/settings.py:1", "ask": ""}},
		{"a start script that waits and migrates before it execs the server", map[string]string{
			"requirements.txt":       "Django\ngunicorn\n",
			"Dockerfile":             "FROM python:3.12\nENTRYPOINT [\"./entrypoint.sh\"]\n",
			"entrypoint.sh":          "#!/bin/sh\npython scripts/wait_for_db.py\npython manage.py migrate --noinput\nexec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000\n",
			"scripts/wait_for_db.py": "if __name__ == '__main__':\n    wait()\n",
			"mysite/settings.py":     "WSGI_APPLICATION = 'mysite.wsgi.application'\n",
		}, map[string]string{"entry": "mysite.wsgi:application@entrypoint.sh:4", "port": "8000@entrypoint.sh:4"}},
		{"an entrypoint script that execs the CMD", map[string]string{
			"requirements.txt":     "flask\ngunicorn\n",
			"Dockerfile":           "FROM python:3.12\nHEALTHCHECK --interval=30s \\\n  CMD curl -f http://localhost:5000/ || exit 1\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:5000\", \"wsgi:app\"]\n",
			"docker-entrypoint.sh": "#!/bin/sh\nset -e\nexec \"$@\"\n",
			"wsgi.py":              "from app import app\n",
			"app/alt.py":           "app = Flask(__name__)\n",
		}, map[string]string{"first": "wsgi:app@Dockerfile:5", "port": "5000@Dockerfile:5"}},
		{"FLASK_APP with arguments, and `python app.py` of a Flask app", map[string]string{
			"requirements.txt": "flask\n",
			".flaskenv":        "FLASK_APP=\"app:create_app('production')\"\n",
			"app/__init__.py":  "def create_app(config):\n    return Flask(__name__)\n",
		}, map[string]string{"first": "app:create_app('production')@.flaskenv:1"}},
		{"`python app.py` of a Flask app is served by gunicorn, not the development server", map[string]string{
			"requirements.txt": "flask\n",
			"Procfile":         "web: python app.py\n",
			"app.py":           "app = Flask(__name__)\nif __name__ == '__main__':\n    app.run(port=5000)\n",
		}, map[string]string{"first": "app:app@Procfile:1"}},
		{"node's option values are not the program", map[string]string{
			"package.json": "{\"scripts\": {\"start\": \"node -r dotenv/config --import ./instrument.mjs server.js\"}, \"dependencies\": {\"express\": \"4\"}}\n",
			"server.js":    "app.listen(3000)\n",
		}, map[string]string{"entry": "server.js@package.json:1"}},
		{"a [[bin]] that takes src/main.rs replaces the package's own binary", map[string]string{
			"Cargo.toml":  "[package]\nname = \"rs1\"\n\n[[bin]]\nname = \"api\"\npath = \"src/main.rs\"\n",
			"src/main.rs": "let l = TcpListener::bind(\"0.0.0.0:8080\");\n",
		}, map[string]string{"entry": "api@Cargo.toml:5", "ask": "health route: "}},
		{"a health route in a gin group made in the same file (go-gin-realworld)", map[string]string{
			"go.mod":           "module x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
			"hello.go":         "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() {\n\tr := gin.Default()\n\tv1 := r.Group(\"/api\")\n\tusers.Register(v1.Group(\"/users\"))\n\ttestAuth := r.Group(\"/api/ping\")\n\ttestAuth.GET(\"/\", func(c *gin.Context) {})\n\tr.Run()\n}\n",
			"users/routers.go": "package users\n\nfunc Register(router *gin.RouterGroup) {\n\trouter.GET(\"/\", list)\n}\n",
		}, map[string]string{"health": "/api/ping/@hello.go:10"}},
		{"a port variable that is not PORT (go-whoami)", map[string]string{
			"go.mod": "module x\n\ngo 1.22\n",
			"app.go": "package main\n\nfunc init() { flag.StringVar(&port, \"port\", getEnv(\"WHOAMI_PORT_NUMBER\", \"80\"), \"give me a port number\") }\n",
		}, map[string]string{"port": "80@app.go:3", "portvar": "WHOAMI_PORT_NUMBER@app.go:3"}},
		{"gin's Run() with no address, a database port read beside it (go-gin-realworld, go-echo-clean-arch)", map[string]string{
			"go.mod":   "module x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
			"hello.go": "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() {\n\tdbPort := os.Getenv(\"DATABASE_PORT\")\n\tr := gin.Default()\n\tr.Run()\n}\n",
		}, map[string]string{"port": "8080@hello.go:8", "portvar": "PORT@hello.go:8"}},
		{"a queue's Run() beside gin is not gin's; the server's own address is (go-admin)", map[string]string{
			"go.mod":  "module x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gin-gonic/gin\"\n)\n\nfunc main() {\n\tr := gin.New()\n\tgo queue.Run()\n\tsrv := &http.Server{Addr: \":8000\", Handler: r}\n\tsrv.ListenAndServe()\n}\n",
		}, map[string]string{"port": "8000@main.go:12"}},
		{"go.mod's drivers the code never imports; gorm v1 dialects it does (go-gin-blog)", map[string]string{
			"go.mod":           "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/lib/pq v1.10.9 // indirect\n\tgithub.com/jinzhu/gorm v1.9.16\n)\n",
			"main.go":          "package main\n\nimport _ \"x/models\"\n\nfunc main() { http.ListenAndServe(\":8000\", r) }\n",
			"models/models.go": "package models\n\nimport (\n\t\"github.com/jinzhu/gorm\"\n\t_ \"github.com/jinzhu/gorm/dialects/mysql\"\n)\n",
		}, map[string]string{"db": "mysql@models/models.go:5"}},
		{"build, then node: the last command serves (node-fastify-demo)", map[string]string{
			"package.json":  "{\"main\": \"app.js\", \"scripts\": {\"start\": \"npm run build && node dist/server.js\", \"build\": \"tsc\"}, \"dependencies\": {\"fastify\": \"5\", \"@fastify/mysql\": \"4\"}, \"devDependencies\": {\"typescript\": \"5\"}}\n",
			"tsconfig.json": "{\n  // emitted next to nothing else\n  \"compilerOptions\": {\"outDir\": \"dist\", \"rootDir\": \"src\",},\n}\n",
			"src/server.ts": "app.listen({ port: Number(process.env.PORT ?? 3000) })\n",
		}, map[string]string{"entry": "dist/server.js@package.json:1"}},
		{"start:prod beside a dev start, and a Joi PORT default (node-nestjs-prisma-starter, node-express-boilerplate)", map[string]string{
			"package.json":                      "{\"scripts\": {\"start\": \"nest start\", \"start:prod\": \"node dist/main\"}, \"dependencies\": {\"@nestjs/core\": \"10\", \"@prisma/client\": \"5\"}, \"devDependencies\": {\"prisma\": \"5\"}}\n",
			"prisma/schema.prisma":              "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n",
			"prisma/migrations/1/migration.sql": "create table x();\n",
			"src/config.js":                     "const schema = Joi.object({ PORT: Joi.number().default(3000) })\n",
		}, map[string]string{"entry": "dist/main.js@package.json:1", "port": "3000@src/config.js:1", "db": "postgres@prisma/schema.prisma:2", "migrate": "prisma@prisma/migrations:0"}},
		{"a Vite single-page app (node-vite-vitesse-lite)", map[string]string{
			"package.json":   "{\"scripts\": {\"dev\": \"vite\", \"build\": \"vite build\"}, \"devDependencies\": {\"vite\": \"5\", \"vue\": \"3\"}}\n",
			"vite.config.ts": "export default defineConfig({ build: { outDir: 'public/dist' } })\n",
		}, map[string]string{"static": "public/dist@package.json:1", "health": "/@package.json:1"}},
		{"Next.js without standalone output (node-next-taxonomy)", map[string]string{
			"package.json":    "{\"dependencies\": {\"next\": \"13.3.2\"}}\n",
			"next.config.mjs": "const nextConfig = { reactStrictMode: true }\nexport default nextConfig\n",
		}, map[string]string{"needs": "next.config.mjs"}},
		{"a Rust workspace whose server is one of several binaries (rust-web-app-rust10x)", map[string]string{
			"Cargo.toml":                             "[workspace]\nmembers = [\"crates/services/web-server\", \"crates/tools/gen-key\"]\n",
			"crates/services/web-server/Cargo.toml":  "[package]\nname = \"web-server\"\n\n[dependencies]\naxum = \"0.7\"\n",
			"crates/services/web-server/src/main.rs": "let listener = TcpListener::bind(\"127.0.0.1:8080\").await.unwrap();\naxum::serve(listener, routes).await\n",
			"crates/tools/gen-key/Cargo.toml":        "[package]\nname = \"gen-key\"\n",
			"crates/tools/gen-key/src/main.rs":       "fn main() { println!(\"key\") }\n",
		}, map[string]string{"entry": "web-server@crates/services/web-server/Cargo.toml:2 gen-key@crates/tools/gen-key/Cargo.toml:2", "ask": "health route: "}},
		// Mounts, prefixes and configuration the code reads elsewhere.
		{"FastAPI routers included under a settings prefix (py-fastapi-full-stack-template)", map[string]string{
			"pyproject.toml":          "[project]\nname = \"app\"\ndependencies = [\"fastapi\"]\n",
			"app/main.py":             "from fastapi import FastAPI\nfrom app.api.main import api_router\nfrom app.core.config import settings\napp = FastAPI()\napp.include_router(api_router, prefix=settings.API_V1_STR)\n",
			"app/api/main.py":         "from fastapi import APIRouter\nfrom app.api.routes import items, utils\napi_router = APIRouter()\napi_router.include_router(items.router)\napi_router.include_router(\n    utils.router,\n)\n",
			"app/api/routes/utils.py": "router = APIRouter(prefix=\"/utils\", tags=[\"utils\"])\n\n@router.get(\"/health-check/\")\nasync def health_check() -> bool:\n    return True\n",
			"app/api/routes/items.py": "router = APIRouter(prefix=\"/items\")\n\n@router.get(\"/\")\ndef items(): ...\n",
			"app/core/config.py":      "class Settings(BaseSettings):\n    API_V1_STR: str = \"/api/v1\"\n",
		}, map[string]string{"health": "/api/v1/utils/health-check/@app/api/routes/utils.py:3"}},
		{"a Flask blueprint registered under a url_prefix, imported from its package (py-flask-flasky)", map[string]string{
			"requirements.txt":    "flask\n",
			"app/__init__.py":     "def create_app():\n    app = Flask(__name__)\n    from .api import api as api_blueprint\n    app.register_blueprint(api_blueprint, url_prefix='/api/v1')\n    return app\n",
			"app/api/__init__.py": "from flask import Blueprint\napi = Blueprint('api', __name__)\nfrom . import status\n",
			"app/api/status.py":   "from . import api\n\n@api.route('/healthz')\ndef healthz():\n    return 'ok'\n",
		}, map[string]string{"health": "/api/v1/healthz@app/api/status.py:3"}},
		{"NestJS's global prefix, with the health controller excluded from it", map[string]string{
			"package.json":             "{\"scripts\": {\"start:prod\": \"node dist/main\"}, \"dependencies\": {\"@nestjs/core\": \"10\"}}\n",
			"src/main.ts":              "const GLOBAL_PREFIX = process.env.GLOBAL_PREFIX || 'api';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix(GLOBAL_PREFIX, {\n    exclude: ['health/(.*)'],\n  });\n}\n",
			"src/health.controller.ts": "@Controller('health')\nexport class HealthController {\n  @Get('live')\n  live() {}\n}\n",
			"src/users.controller.ts":  "@Controller('users')\nexport class UsersController {\n  @Get('status')\n  status() {}\n}\n",
		}, map[string]string{"health": "/health/live@src/health.controller.ts:3"}},
		{"NestJS's global prefix on every controller route", map[string]string{
			"package.json":             "{\"scripts\": {\"start:prod\": \"node dist/main\"}, \"dependencies\": {\"@nestjs/core\": \"10\"}}\n",
			"src/main.ts":              "app.setGlobalPrefix('api/v1');\n",
			"src/health.controller.ts": "@Controller('health')\nexport class HealthController {\n  @Get()\n  check() {}\n}\n",
		}, map[string]string{"health": "/api/v1/health@src/health.controller.ts:3"}},
		{"a gin group handed to another function, its route on the next line (go-gin-mongo-starter)", map[string]string{
			"go.mod":           "module x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
			"main.go":          "package main\n\nfunc main() { routes.New().Run(\":8080\") }\n",
			"routes/router.go": "package routes\n\nfunc New() *gin.Engine {\n\tr := gin.New()\n\tv1 := r.Group(\"/v1\")\n\t{\n\t\tPingRoute(v1)\n\t}\n\treturn r\n}\n",
			"routes/ping.go":   "package routes\n\nfunc PingRoute(router *gin.RouterGroup) {\n\tauth := router.Group(\"/ping\")\n\tauth.GET(\n\t\t\"\",\n\t\tcontrollers.Ping,\n\t)\n}\n",
			"controllers/c.go": "package controllers\n\nfunc Ping(c *gin.Context) { c.Get(\"userId\") }\n",
		}, map[string]string{"health": "/v1/ping@routes/ping.go:5"}},
		{"a router that takes the method first, and a port in a conf struct tag (go-ardanlabs-service)", map[string]string{
			"go.mod":                       "module x\n\ngo 1.23\n",
			"api/services/sales/main.go":   "package main\n\nfunc run() error {\n\tcfg := struct {\n\t\tWeb struct {\n\t\t\tAPIHost   string `conf:\"default:0.0.0.0:3000\"`\n\t\t\tDebugHost string `conf:\"default:0.0.0.0:3010\"`\n\t\t}\n\t}{}\n\tconst prefix = \"SALES\"\n\tconf.Parse(prefix, &cfg)\n\tapi := http.Server{Addr: cfg.Web.APIHost}\n\treturn api.ListenAndServe()\n}\n",
			"app/domain/checkapp/route.go": "package checkapp\n\nfunc Routes(app *web.App) {\n\tconst version = \"v1\"\n\tapp.HandlerFuncNoMid(http.MethodGet, version, \"/readiness\", readiness)\n\tapp.HandlerFuncNoMid(http.MethodGet, version, \"/liveness\", liveness)\n}\n",
		}, map[string]string{"port": "3000@api/services/sales/main.go:6", "portvar": "SALES_WEB_API_HOST@api/services/sales/main.go:6", "health": "/v1/liveness@app/domain/checkapp/route.go:6"}},
		{"a port from the INI file the code loads (go-gin-blog)", map[string]string{
			"go.mod":              "module x\n\ngo 1.22\n",
			"main.go":             "package main\n\nfunc main() { http.ListenAndServe(fmt.Sprintf(\":%d\", setting.HttpPort), r) }\n",
			"pkg/setting/s.go":    "package setting\n\nfunc Setup() { cfg, _ = ini.Load(\"conf/app.ini\") }\n",
			"conf/app.ini":        "[app]\nPrefixUrl = http://127.0.0.1:8000\n\n[database]\nPort = 3306\n\n[server]\n#debug or release\nHttpPort = 8000\n",
			"cmd/tls/redirect.go": "package main\n",
		}, map[string]string{"port": "8000@conf/app.ini:9", "portvar": "-"}},
		{"servers that only redirect to HTTPS or serve debug endpoints are not the app (go-wtf)", map[string]string{
			"go.mod":         "module x\n\ngo 1.22\n",
			"main.go":        "package main\n\nfunc main() { s := http.NewServer(); s.Open() }\n",
			"http/server.go": "package http\n\nfunc ListenAndServeTLSRedirect(domain string) error {\n\treturn http.ListenAndServe(\":80\", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\thttp.Redirect(w, r, \"https://\"+domain, http.StatusFound)\n\t}))\n}\n\nfunc ListenAndServeDebug() error {\n\treturn http.ListenAndServe(\":6060\", h)\n}\n",
		}, map[string]string{"port": "-"}},
		{"the config crate's YAML and its environment mapping (rust-zero2prod)", map[string]string{
			"Cargo.toml":              "[package]\nname = \"zero2prod\"\n\n[dependencies]\nactix-web = \"4\"\nconfig = \"0.14\"\n",
			"src/main.rs":             "let listener = TcpListener::bind(address)?;\nHttpServer::new(app).listen(listener)?.run()\n",
			"src/configuration.rs":    "let configuration_directory = base_path.join(\"configuration\");\nlet settings = config::Config::builder()\n    .add_source(\n        config::Environment::with_prefix(\"APP\")\n            .prefix_separator(\"_\")\n            .separator(\"__\"),\n    )\n    .build()?;\n",
			"src/startup.rs":          ".route(\"/health_check\", web::get().to(health_check))\n",
			"configuration/base.yaml": "application:\n  port: 8000\n  host: 0.0.0.0\ndatabase:\n  port: 5432\nredis_uri: \"redis://127.0.0.1:6379\"\n",
		}, map[string]string{"port": "8000@configuration/base.yaml:2", "portvar": "APP_APPLICATION__PORT@configuration/base.yaml:2", "health": "/health_check@src/startup.rs:1", "db": "redis@configuration/base.yaml:6"}},
		{"axum routes nested under a prefix before a login layer (rust-axum-skeleton)", map[string]string{
			"Cargo.toml":            "[package]\nname = \"sk\"\n\n[dependencies]\naxum = \"0.7\"\n",
			"src/main.rs":           "axum::serve(listener, routes::build()).await\n",
			"src/routes/mod.rs":     "pub fn build() -> Router<AppState> {\n    let router = Router::new();\n    let router = router.nest(\"/k8\", k8s::build());\n    router\n        .nest(\"/api\", api::build())\n        .route_layer(login_required!(Backend))\n        .merge(auth::build())\n}\n",
			"src/routes/k8s.rs":     "pub fn build() -> Router<AppState> {\n    Router::new()\n        .route(\"/liveness\", get(liveness))\n}\n",
			"src/routes/api/mod.rs": "pub fn build() -> Router<AppState> {\n    Router::new().route(\"/me\", get(me))\n}\n",
			"src/routes/auth.rs":    "pub fn build() -> Router<AppState> {\n    Router::new().route(\"/login\", post(login))\n}\n",
		}, map[string]string{"health": "-", "ask": "health route: /api/me /k8/liveness"}},
		{"static files as axum's fallback serve / (rust-web-app-rust10x)", map[string]string{
			"Cargo.toml":            "[package]\nname = \"web\"\n\n[dependencies]\naxum = \"0.7\"\n",
			"src/main.rs":           "let routes_rpc = web::routes_rpc::routes(mm.clone());\nlet routes_all = Router::new()\n    .nest(\"/api\", routes_rpc)\n    .fallback_service(routes_static::serve_dir(&web_config().WEB_FOLDER));\n",
			"src/web/routes_rpc.rs": "pub fn routes(mm: ModelManager) -> Router {\n    Router::new().route(\"/rpc\", post(rpc))\n}\n",
			"src/routes_static.rs":  "pub fn serve_dir(web_folder: &'static String) -> MethodRouter {\n    any_service(ServeDir::new(web_folder))\n}\n",
		}, map[string]string{"health": "/@src/main.rs:4"}},
		{"an Nx workspace's build output, and a Prisma schema package.json names (node-express-nx-realworld)", map[string]string{
			"package.json":                     "{\"scripts\": {\"start\": \"nx serve\", \"build\": \"nx build\"}, \"prisma\": {\"schema\": \"src/prisma/schema.prisma\"}, \"dependencies\": {\"express\": \"4\", \"@prisma/client\": \"4\"}, \"devDependencies\": {\"typescript\": \"5\"}}\n",
			"nx.json":                          "{}\n",
			"project.json":                     "{\n  \"name\": \"api\",\n  \"projectType\": \"application\",\n  \"targets\": {\n    \"build\": {\n      \"executor\": \"@nx/esbuild:esbuild\",\n      \"options\": {\"outputPath\": \"dist/api\", \"main\": \"src/main.ts\"}\n    }\n  }\n}\n",
			"Dockerfile":                       "FROM docker.io/node:lts-alpine\nCOPY dist/api api\nCMD [ \"node\", \"api\" ]\n",
			"src/main.ts":                      "app.listen(process.env.PORT || 3000)\n",
			"src/prisma/schema.prisma":         "datasource db {\n  provider = \"postgresql\"\n}\n",
			"src/prisma/migrations/1/init.sql": "create table x();\n",
		}, map[string]string{"entry": "dist/api/main.js@project.json:7", "db": "postgres@src/prisma/schema.prisma:2", "migrate": "prisma@src/prisma/migrations:0"}},
		{"pydantic settings with an env_prefix, and a port field a console script binds (py-fastapi-lnbits)", map[string]string{
			"pyproject.toml": "[project]\nname = \"x\"\ndependencies = [\"fastapi\", \"uvicorn\", \"pydantic-settings\"]\n\n[project.scripts]\nx = \"x.server:main\"\nx-cli = \"x.commands:main\"\n",
			"Dockerfile":     "FROM python:3.12\nCMD [\"sh\", \"-c\", \"uv run --frozen x --port $X_PORT\"]\n",
			"x/server.py":    "def main():\n    uvicorn.run('x.app:app')\n",
			"x/settings.py":  "from pydantic_settings import BaseSettings, SettingsConfigDict\n\nclass AppSettings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=\"X_\")\n    host: str = \"127.0.0.1\"\n    port: int = Field(default=5000, gt=0)\n    database_url: str\n",
		}, map[string]string{"entry": "call:x.server:main@Dockerfile:2 call:x.commands:main@pyproject.toml:7", "port": "5000@x/settings.py:6", "portvar": "X_PORT@x/settings.py:6", "env": "X_HOST X_PORT X_DATABASE_URL"}},
		{"a config struct's env tags: the variables, the required ones, the port variable (go-chi-myapp)", map[string]string{
			"go.mod":           "module myapp\n\ngo 1.24\n",
			"cmd/app/main.go":  "package main\n\nfunc main() { c := config.New(); s := &http.Server{Addr: fmt.Sprintf(\":%d\", c.Server.Port)}; s.ListenAndServe() }\n",
			"config/config.go": "package config\n\ntype Conf struct {\n\tTZ string `env:\"TZ,required\"`\n\tServer ConfServer\n}\n\ntype ConfServer struct {\n\tPort  int  `env:\"SERVER_PORT,required\"`\n\tDebug bool `env:\"SERVER_DEBUG\" envDefault:\"false\"`\n}\n",
		}, map[string]string{"portvar": "SERVER_PORT@config/config.go:9", "required": "TZ SERVER_PORT", "env": "TZ SERVER_PORT SERVER_DEBUG"}},
		{"a must...Env call stops the program without its variable (go-boutique-frontend)", map[string]string{
			"go.mod":  "module x\n\ngo 1.24\n",
			"main.go": "package main\n\nfunc main() {\n\tmustMapEnv(&svc.productCatalogSvcAddr, \"PRODUCT_CATALOG_SERVICE_ADDR\")\n\thttp.ListenAndServe(\":\"+os.Getenv(\"PORT\"), r)\n}\n",
		}, map[string]string{"required": "PRODUCT_CATALOG_SERVICE_ADDR"}},
		{"a package that is also a Cargo workspace root (rust-axum-skeleton)", map[string]string{
			"Cargo.toml":               "[package]\nname = \"sk\"\ndefault-run = \"sk\"\n\n[workspace]\nmembers = [\"crates/server\"]\n",
			"src/main.rs":              "fn main() {}\n",
			"crates/server/Cargo.toml": "[package]\nname = \"server\"\n",
		}, map[string]string{"workspace": "workspace@Cargo.toml:5"}},
		{"a driver named in a comment is no database; the Dockerfile's requirement file is (py-django-heroku-getting-started, py-flask-flasky)", map[string]string{
			"requirements.txt":        "-r requirements/heroku.txt\n",
			"requirements/heroku.txt": "flask\n",
			"requirements/docker.txt": "flask\npymysql\n",
			"Dockerfile":              "FROM python:3.6\nRUN venv/bin/pip install -r requirements/docker.txt\n",
			"app.py":                  "from flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\n# uncomment psycopg in requirements.txt to use Postgres\nURI = os.environ.get('DATABASE_URL') or 'sqlite:///data.sqlite'\n",
		}, map[string]string{"db": "mysql@requirements/docker.txt:2 sqlite:instance/data.sqlite@app.py:4"}}, // Flask-SQLAlchemy unpinned: 3's instance folder
		{"a commented-out URL beside the one the code uses (osmankhalid2005/fastapi-sqlalchemy-sqlite-web-app)", map[string]string{
			"requirements.txt":    "fastapi\nsqlalchemy\n",
			"sql_app/database.py": "from sqlalchemy import create_engine\n\nSQLALCHEMY_DATABASE_URL = \"sqlite:///./sql_app.db\"\n# SQLALCHEMY_DATABASE_URL = \"postgresql://user:password@postgresserver/db\"\nengine = create_engine(SQLALCHEMY_DATABASE_URL)\n",
			"sql_app/main.py":     "from fastapi import FastAPI\nfrom .database import engine\napp = FastAPI()\n@app.get('/')\ndef root():\n    return 'hello world'\n",
		}, map[string]string{"db": "sqlite:./sql_app.db@sql_app/database.py:3"}},
		{"an Express router in its own file, mounted under a prefix (node-express-mongodb-rest-api)", map[string]string{
			"package.json":     `{"type": "module", "scripts": {"start": "node index.mjs"}, "dependencies": {"express": "4", "mongodb": "6"}}`,
			"index.mjs":        "import express from \"express\";\nimport posts from \"./routes/posts.mjs\";\nconst app = express();\napp.use(express.json());\napp.use(\"/posts\", posts);\napp.listen(5050);\n",
			"routes/posts.mjs": "const router = express.Router();\nrouter.get(\"/\", async (req, res) => {});\nrouter.get(\"/latest\", async (req, res) => {});\nexport default router;\n",
		}, map[string]string{"health": "-", "ask": "health route: /posts /posts/latest"}},
		{"a table of routers mounted in a loop, under a versioned router (node-express-boilerplate)", map[string]string{
			"package.json":                  `{"scripts": {"start": "node src/index.js"}, "dependencies": {"express": "4"}}`,
			"src/index.js":                  "const app = require('./app');\napp.listen(3000);\n",
			"src/app.js":                    "const routes = require('./routes/v1');\nconst app = express();\napp.use('/v1', routes);\nmodule.exports = app;\n",
			"src/routes/v1/index.js":        "const statusRoute = require('./status.route');\nconst router = express.Router();\nconst defaultRoutes = [\n  {\n    path: '/status',\n    route: statusRoute,\n  },\n];\ndefaultRoutes.forEach((route) => {\n  router.use(route.path, route.route);\n});\nmodule.exports = router;\n",
			"src/routes/v1/status.route.js": "const router = express.Router();\nrouter.get('/health', ok);\nmodule.exports = router;\n",
		}, map[string]string{"health": "/v1/status/health@src/routes/v1/status.route.js:2"}},
		{"routes for writing only are no health route to offer (go-gin-blog's POST /auth, /upload)", map[string]string{
			"go.mod":  "module x\n\ngo 1.24\n",
			"main.go": "package main\n\nfunc main() {\n\tr := gin.New()\n\tr.POST(\"/auth\", auth)\n\tr.POST(\"/upload\", up)\n\tr.GET(\"/tags\", tags)\n\tr.Run(\":8000\")\n}\n",
		}, map[string]string{"ask": "health route: /tags"}},
		{"a Flask route for POST only is no candidate", map[string]string{
			"requirements.txt": "flask\n",
			"app.py":           "app = Flask(__name__)\n@app.route('/login', methods=['POST'])\ndef login():\n    pass\n@app.route('/items', methods=['GET', 'POST'])\ndef items():\n    pass\n",
		}, map[string]string{"ask": "health route: /items"}},
		{"a Flask route whose methods are a tuple or a set of writes is no candidate (flask-realworld-example-app)", map[string]string{
			"requirements.txt": "flask\n",
			"app.py":           "app = Flask(__name__)\n@blueprint.route('/api/users', methods=('POST',))\ndef register():\n    pass\n@app.route('/api/users/login', methods={'POST'})\ndef login():\n    pass\n@blueprint.route('/api/tags', methods=('GET',))\ndef tags():\n    pass\n",
		}, map[string]string{"ask": "health route: /api/tags"}},
		{"viper with AutomaticEnv over a dotenv file it cannot start without (go-gin-mongo-starter)", map[string]string{
			"go.mod":                     "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/spf13/viper v1.18.2\n)\n",
			".env.example":               "# SERVER\nSERVER_ADDR=localhost\nSERVER_PORT=8080\nREDIS_DEFAULT_ADDR=localhost:6379\n",
			"main.go":                    "package main\n\nimport \"x/services\"\n\nfunc main() {\n\tservices.LoadConfig()\n\tr := gin.New()\n\tr.GET(\"/v1/ping\", ping)\n\ts := &http.Server{Addr: services.Config.ServerAddr + \":\" + services.Config.ServerPort, Handler: r}\n\ts.ListenAndServe()\n}\n",
			"services/config.service.go": "package services\n\nimport \"x/models\"\n\nvar Config models.EnvConfig\n\nfunc LoadConfig() {\n\tv := viper.New()\n\tv.AutomaticEnv()\n\tv.SetDefault(\"SERVER_PORT\", \"8080\")\n\tv.SetConfigType(\"dotenv\")\n\tv.SetConfigName(\".env\")\n\tv.AddConfigPath(\"./\")\n\tif err := v.ReadInConfig(); err != nil {\n\t\tpanic(err)\n\t}\n}\n",
			"models/config.go":           "package models\n\ntype EnvConfig struct {\n\tServerAddr string `mapstructure:\"SERVER_ADDR\"`\n\tServerPort string `mapstructure:\"SERVER_PORT\"`\n\tRedisAddr  string `mapstructure:\"REDIS_DEFAULT_ADDR\"`\n}\n",
		}, map[string]string{"envfile": ".env@services/config.service.go:14", "envkeys": "true", "portvar": "SERVER_PORT@services/config.service.go:10",
			"hostvar": "SERVER_ADDR@.env.example:2", "env": "SERVER_ADDR SERVER_PORT REDIS_DEFAULT_ADDR"}},
		{"Next.js standalone only when a variable says so", map[string]string{
			"package.json":   `{"scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "15", "react": "19"}}`,
			"next.config.js": "/** @type {import('next').NextConfig} */\nconst nextConfig = {\n    output: process.env.BUILD_STANDALONE === \"true\" ? \"standalone\" : undefined,\n}\n\nmodule.exports = nextConfig\n",
		}, map[string]string{"buildenv": "BUILD_STANDALONE=true@next.config.js:3", "needs": ""}},
		{"Next.js standalone spread in when a variable names it", map[string]string{
			"package.json":   `{"scripts": {"build": "next build"}, "dependencies": {"next": "15"}}`,
			"next.config.ts": "import type { NextConfig } from \"next\";\n\nconst nextConfig: NextConfig = {\n  ...((process.env.NEXT_CONFIG_OUTPUT === \"standalone\") && {\n    output: \"standalone\"\n  }),\n};\n\nexport default nextConfig;\n",
		}, map[string]string{"buildenv": "NEXT_CONFIG_OUTPUT=standalone@next.config.ts:4", "needs": ""}},
		{"Next.js standalone unless a variable turns it off", map[string]string{
			"package.json":   `{"scripts": {"build": "next build"}, "dependencies": {"next": "15"}}`,
			"next.config.ts": "const useStandalone = process.env.NEXT_DISABLE_STANDALONE !== \"1\";\n\nconst nextConfig = useStandalone\n  ? { output: \"standalone\" }\n  : {};\n\nexport default nextConfig;\n",
		}, map[string]string{"buildenv": "", "needs": ""}},
		{"Next.js with standalone only in a comment", map[string]string{
			"package.json":    `{"scripts": {"build": "next build"}, "dependencies": {"next": "15"}}`,
			"next.config.mjs": "// output: 'standalone' would do for Docker\nexport default { reactStrictMode: true }\n",
		}, map[string]string{"buildenv": "", "needs": "next.config.mjs"}},
		{"a Swagger UI under a fiber group handed to a function, no health route (go-fiber-template)", map[string]string{
			"go.mod":                "module x\n\ngo 1.24\n",
			"main.go":               "package main\n\nfunc main() {\n\tapp := fiber.New()\n\troutes.SwaggerRoute(app)\n\troutes.PublicRoutes(app)\n\tapp.Listen(\":5000\")\n}\n",
			"pkg/routes/swagger.go": "package routes\n\nimport (\n\t\"github.com/gofiber/fiber/v2\"\n\tswagger \"github.com/gofiber/swagger\"\n)\n\nfunc SwaggerRoute(a *fiber.App) {\n\troute := a.Group(\"/swagger\")\n\troute.Get(\"*\", swagger.HandlerDefault)\n}\n",
			"pkg/routes/public.go":  "package routes\n\nfunc PublicRoutes(a *fiber.App) {\n\troute := a.Group(\"/api/v1\")\n\troute.Get(\"/books\", controllers.GetBooks)\n}\n",
		}, map[string]string{"ask": "health route: /swagger/index.html /api/v1/books"}},
		{"gin-swagger imported under another name, and a wildcard of the code's own (go-gin-blog)", map[string]string{
			"go.mod": "module x\n\ngo 1.24\n",
			"main.go": "package main\n\nimport (\n\tdocs \"github.com/swaggo/gin-swagger\"\n\t\"github.com/swaggo/files\"\n)\n\nfunc main() {\n\tr := gin.New()\n\tr.GET(\"/assets/*path\", serveAssets)\n" +
				"\tr.GET(\"/api/docs/*any\", docs.WrapHandler(swaggerFiles.Handler))\n\tr.GET(\"/api/tags\", tags)\n\tr.Run(\":8000\")\n}\n",
		}, map[string]string{"ask": "health route: /api/docs/index.html /api/tags"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, c.files))
			if err != nil {
				t.Fatal(err)
			}
			var ask []string
			for _, ch := range s.Ambiguous {
				var vs []string
				for _, cand := range ch.Candidates {
					vs = append(vs, cand.Value)
				}
				ask = append(ask, ch.What+": "+strings.Join(vs, " "))
			}
			var env []string
			for _, e := range s.Env {
				env = append(env, e.Value)
			}
			var required []string
			for _, e := range s.Required {
				required = append(required, e.Value)
			}
			var needs []string
			for _, n := range s.Needs {
				needs = append(needs, n.File)
			}
			got := map[string]string{
				"lang": s.Language, "entry": evs(s.Entrypoints), "server": ev(s.Server), "port": ev(s.Port), "portvar": ev(s.PortVar),
				"health": ev(s.HealthPath), "db": evs(s.Databases), "migrate": ev(s.Migrate), "static": ev(s.Static), "setup": ev(s.SetupCommand), "envfile": ev(s.EnvFile), "writes": ev(s.WriteDir), "brokers": evs(s.Brokers),
				"ask": strings.Join(ask, "; "), "env": strings.Join(env, " "), "needs": strings.Join(needs, " "), "runtime": evs(s.RuntimeFiles), "args": ev(s.Args),
				"required": strings.Join(required, " "), "workspace": ev(s.Workspace), "buildenv": evs(s.BuildEnv), "hostvar": ev(s.HostVar),
				"envkeys": fmt.Sprint(s.EnvFileKeys), "page": ev(s.Page), "sqlitevar": ev(s.SQLiteVar), "configdirs": configDirs(s.ConfigWriteDirs), "importroot": s.ImportRoot, "exampleenv": evs(s.ExampleEnv), "codedirs": strings.Join(s.CodeDirs, " "), "vendored": ev(s.Vendored),
				"undeclared": fmt.Sprint(s.ServerUndeclared), "datavolume": ev(s.DataVolume),
			}
			if s.HealthPath != nil {
				got["healthwhy"] = s.HealthPath.Why
			}
			if len(s.Entrypoints) > 0 {
				got["first"] = ev(&s.Entrypoints[0])
			}
			for k, want := range c.want {
				if got[k] != want {
					t.Errorf("%s = %q, want %q", k, got[k], want)
				}
			}
		})
	}
}

// FuzzCommand feeds arbitrary run commands (Procfile lines, Dockerfile
// CMDs, start scripts, package.json scripts) to the readers.
func FuzzCommand(f *testing.F) {
	for _, seed := range []string{
		"web: gunicorn -b :$PORT --workers=2 app:create_app()",
		`CMD ["uvicorn", "--factory", "app.main:build", "--port", "${PORT:-8000}"]`,
		"exec sh -c 'cd /app && npm run start:prod'",
		"npm run build && node --enable-source-maps dist/server.js",
		"python -m flask --app x run -p 5000",
		`'../..', config.UPLOAD_DIR`,
		`"config/app.env"`,
		`"init-db"`,
		`"/hello"`,
		`"unterminated \`,
		`["tini", "--"]`,
		`["./docker-entrypoint.sh"]`,
		`["/isso/bin/gunicorn", "-b", "0.0.0.0:8080", "--preload", "--worker-tmp-dir", "/dev/shm", "isso.run"]`,
		`["/app/bin/python", "/app/bin/radicale", "--hosts", "0.0.0.0:5232,[::]:5232"]`,
		`python -W ignore ./changedetection.py -d /datastore`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		dir := t.TempDir()
		files := map[string]string{
			"Procfile":      "web: " + line + "\n",
			"Dockerfile":    "FROM x\nENTRYPOINT " + line + "\nCMD " + line + "\n",
			"boot.sh":       "exec " + line + "\n",
			"package.json":  `{"scripts": {"start": ` + strconvQuote(line) + `}, "bin": ` + strconvQuote(line) + `, "files": [` + strconvQuote(line) + `]}`,
			"tsconfig.json": line,
			// tsconfig's import paths, an example env file.
			"jsconfig.json": `{"compilerOptions": {"baseUrl": ` + strconvQuote(line) + `, "paths": {` + strconvQuote(line) + `: [` + strconvQuote(line) + `]}}}`,
			".env.template": "A=" + line + "\n" + line + "\n",
			"b.ts":          "import { x, y as z } from " + strconvQuote(line) + "\napp.use(sirv(" + line + "))\nconst v = join(__dirname, " + line + ")\napp.use('/p', x)\n",
			// The readers of code lines: a directory made at run time, an
			// env file loaded, a Flask command, a handler's answer.
			"a.ts":    "const d = path.join(import.meta.dirname, " + line + ")\nfs.mkdirSync(d)\nconst S = {\n  " + line + ": {\n    default: " + line + "\n  }\n}\n",
			"main.go": "package main\n\nfunc main() {\n\tif err := godotenv.Load(" + line + "); err != nil {\n\t\tlog.Fatal(err)\n\t}\n}\n",
			"app.py":  "@click.command(" + line + ")\ndef c():\n    pass\n@app.route(" + line + ")\ndef h():\n    \"\"\"" + line + "\n    return " + line + "\n",
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, lang := range Languages {
			if _, err := DetectAs(dir, lang); err != nil && !errors.Is(err, ErrNoManifest) {
				t.Fatal(err)
			}
		}
		_ = segments(line)
		_ = jsonc(line)
		// --args: what ShellWords keeps and what ShellWordsCut says it
		// leaves out are the whole line; a line with nothing cut reads
		// as the same words with any text after it.
		if _, at := wordsUntil(line); at < 0 || at > len(line) {
			t.Fatalf("wordsUntil(%q) stopped at %d", line, at)
		}
		if cut := ShellWordsCut(line); cut != "" && !strings.Contains(line, cut) {
			t.Fatalf("ShellWordsCut(%q) = %q, not of the line", line, cut)
		}
		// The config-path readers: a route on a key chain of the line's.
		if r := (&repo{dir: dir}); len(line) < 200 {
			_, _, _ = r.jsSettingDefault([]string{line})
		}
	})
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ENTRYPOINT ["tini", "--"] runs the CMD (dockersamples' voting app's
// result service; it panicked the reader once).
func TestDetect_InitEntrypointRunsTheCMD(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"dependencies":{"express":"4"}}`,
		"Dockerfile":   "FROM node:18-slim\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
		"server.js":    "app.listen(80)\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Entrypoints); got != "server.js@Dockerfile:3" {
		t.Fatalf("entry points: %s", got)
	}
}

// FuzzMountsAndConfig feeds arbitrary text to the readers of mounts,
// prefixes and configuration: Go routers, Python includes and settings,
// NestJS's global prefix, axum's nest, Nx projects, INI/TOML/YAML files
// the code loads.
func FuzzMountsAndConfig(f *testing.F) {
	f.Add("app.include_router(api_router, prefix=settings.API_V1_STR)\n", "[server]\nHttpPort = 8000\n")
	f.Add("v1 := r.Group(\"/v1\")\nPingRoute(v1)\n", "application:\n  port: 8000\n")
	f.Add("app.setGlobalPrefix('api', { exclude: ['health/(.*)'] });\n", `{"projectType": "application", "targets": {"build": {"executor": "@nx/esbuild:esbuild", "options": {"outputPath": "dist/api", "main": "src/main.ts"}}}}`)
	f.Add("e.GET(\"/\", home)\n", "files:\n  directory: \"uploads\"\nAPP_DB=/data/app.db LISTEN=0.0.0.0 \\\n  OTHER='x'\n")
	f.Add("let router = router.nest(\"/k8\", k8s::build());\n.route_layer(login_required!(B))\n", "class S(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=\"X_\")\n    port: int = 5000\n")
	// clap's env fields, a settings class deriving from another file's,
	// @fastify/env's fastify.config.
	f.Add("#[derive(clap::Parser)]\npub struct C {\n    #[clap(long, env)]\n    pub port: u32,\n    #[arg(env = \"DB\", default_value = \"x\")]\n    pub db: Option<String>,\n}\nlet u = std::env::var(v.unwrap_or(\"REDIS_URL\"));\nfastify.config.COOKIE_SECRET\n",
		"class AppSettings(BaseAppSettings):\n    database_url: PostgresDsn\n\nclass BaseAppSettings(BaseSettings):\n    secret_key: SecretStr\n")
	f.Fuzz(func(t *testing.T, code, config string) {
		dir := t.TempDir()
		files := map[string]string{
			"go.mod": "module x\n", "package.json": `{"dependencies": {"@nestjs/core": "1"}}`, "Cargo.toml": "[package]\nname = \"x\"\n",
			"pyproject.toml": "[project]\nname = \"x\"\n", "nx.json": "{}",
			"main.go": "package main\n\nfunc main() {\n" + code + "\n}\n", "routes/r.go": code, "app/main.py": code,
			"app/settings.py": config, "src/main.ts": code, "src/main.rs": code + "\nlet c = \"conf/app.ini\"; let d = \"configuration\";\n",
			"src/routes/mod.rs": code, "conf/app.ini": config, "configuration/base.yaml": config, "project.json": config,
			"loader.go": "package main\n\nvar c = \"conf/app.ini\"\n",
			// viper's environment over the configuration's keys, a
			// directory the code creates from one, the repository's own
			// Dockerfile setting variables (config as its ENV list).
			"viper.go":   "package main\n\nfunc init() {\n\tviper.SetEnvPrefix(\"app\")\n\tviper.AutomaticEnv()\n\tviper.SetEnvKeyReplacer(strings.NewReplacer(\".\", \"_\"))\n\tos.MkdirAll(c.Config.Files.Directory, 0o755)\n\t_ = os.Getenv(\"APP_DB\")\n}\n",
			"Dockerfile": "FROM scratch\nENV " + config + "\nENTRYPOINT [\"/app\"]\n",
		}
		for name, data := range files {
			p := filepath.Join(dir, name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, lang := range Languages {
			s, err := DetectAs(dir, lang)
			if err != nil {
				t.Fatal(err)
			}
			if s.HealthPath != nil && !strings.HasPrefix(s.HealthPath.Value, "/") {
				t.Fatalf("%s: health path %q", lang, s.HealthPath.Value)
			}
		}
		for _, p := range []string{code, config} {
			if j := joinPath(p, code); j != "" && (!strings.HasPrefix(j, "/") || strings.Contains(j, "//")) {
				t.Fatalf("joinPath(%q, %q) = %q", p, code, j)
			}
		}
		_, _ = configPortKey(strings.Split(config, "\n"))
		_ = pyLogicalLines(strings.Split(code, "\n"))
		_ = project.CamelWords(code)
	})
}

// FuzzParsers feeds arbitrary lines to the line readers the mount and
// configuration readers share, without a tree: fast enough to explore.
func FuzzParsers(f *testing.F) {
	f.Add("[server]\nHttpPort = 8000\napplication:\n  port: 8000\n", "/api/v1", "APIHost")
	f.Add("database:\n  connection: \"dbs/main.db?_journal=WAL&_fk=true\"\nfiles:\n  directory: \"uploads\"\n", "dbs/main.db?_fk=true", "WAKAPI_DB_NAME")
	f.Add("from app.api.routes import (\n  items,  # comment (\n  utils,\n)\n", "{settings.API_V1_STR}/x", "ListenAndServeDebug")
	f.Add("W := --mode production\nui/.build/ui: deps $(W)\n\tmkdir -p ui/.build/ui\n\tcd ui \\\n\t\t&& npx webpack $(W) \\\n\t\t&& mv b ../x\ndeps:\n\tnpm install\n", "x", "ui/.build/ui")
	f.Add("GO_TAGS = a b\nGO_FLAGS = -tags \"$(GO_TAGS)\" $(GO_TAGS)$(GO_TAGS)\nconst api = new Router()\nrouter.use(\"/api\", api.routes())\n", "go build $(GO_FLAGS) ", "./cmd/x -db /data/x.db")
	f.Add("app = FastAPI(\n    docs_url=\"/api/docs\",  # the docs\n)\n@router.get(\n    path=\"/\",\n)\nasync def x(user: CurrentUser = Depends(get_current_user)):\n", "get_current_user", "CurrentUser")
	f.Fuzz(func(t *testing.T, text, p, name string) {
		lines := strings.Split(text, "\n")
		if key, e := configPortKey(lines); e != nil && (len(key) == 0 || e.Line < 1 || e.Line > len(lines)) {
			t.Fatalf("configPortKey: %v at %d of %d lines", key, e.Line, len(lines))
		}
		for _, e := range configEntries(lines) {
			if len(e.key) == 0 || e.line < 1 || e.line > len(lines) {
				t.Fatalf("configEntries: %v at %d of %d lines", e.key, e.line, len(lines))
			}
		}
		if m := configSQLitePath.FindStringSubmatch(p); m != nil && !strings.HasSuffix(p, m[1]+m[2]) {
			t.Fatalf("configSQLitePath(%q) = %q", p, m)
		}
		if n := pairLine(lines, 1, len(lines), name); n < 1 || n > max(len(lines), 1) {
			t.Fatalf("pairLine = %d of %d lines", n, len(lines))
		}
		if got := strings.Join(pyLogicalLines(lines), ""); len(got) > len(text)+len(lines) {
			t.Fatalf("pyLogicalLines grew the text: %d > %d", len(got), len(text))
		}
		if j := joinPath(p, name, text); j != "" && (!strings.HasPrefix(j, "/") || strings.Contains(j, "//")) {
			t.Fatalf("joinPath = %q", j)
		}
		if words := project.CamelWords(name); utf8.ValidString(name) && strings.Join(words, "") != name {
			t.Fatalf("project.CamelWords(%q) = %q", name, words)
		}
		_ = project.OtherServer(name)
		for name, spec := range jsImports(lines) {
			if name == "" || spec == "" {
				t.Fatalf("jsImports bound %q to %q", name, spec)
			}
		}
		for _, app := range project.FastAPIApps(lines) {
			if app.Line < 1 || app.Line > len(lines) || app.Docs != "" && !strings.HasPrefix(app.Docs, "/") {
				t.Fatalf("FastAPIApps: %+v of %d lines", app, len(lines))
			}
		}
		for i := range lines {
			if m := pyRouteAt(lines, i); m != nil && len(m) != 3 {
				t.Fatalf("pyRouteAt: %q", m)
			}
		}
		if len(lines) > 0 {
			_ = fastapiSignatureGuard(lines, 0, map[string]string{name: p})
		}
		_ = fastapiAuthDependency(text, map[string]string{name: p})
		_ = stripComment(text, "#")
		_ = bracketDepth(text)
		_ = excluded(p, []string{name, text})
		if got := makeExpand(lines, p+name); len(got) > max(len(p+name), project.MaxMakeLine) {
			t.Fatalf("makeExpand grew %d bytes to %d", len(p+name), len(got))
		}
		for _, r := range makeRules(lines) {
			if r.line < 1 || r.line > len(lines) || r.target == "" {
				t.Fatalf("makeRules: %q at %d of %d lines", r.target, r.line, len(lines))
			}
			for _, c := range r.cmds {
				if len(c) > max(len(text), project.MaxMakeLine) {
					t.Fatalf("makeRules grew a command to %d bytes", len(c))
				}
			}
			if steps, _, _, ok := nodeRecipe(&r, p); ok && len(steps) == 0 {
				t.Fatalf("nodeRecipe: no step, ok")
			}
		}
		words := strings.Fields(text)
		if got := flagValuePairs(words); len(got) > len(words) {
			t.Fatalf("flagValuePairs made %d words of %d", len(got), len(words))
		}
		if rp, ok := argRepoPath(p); ok && (rp == "" || strings.HasPrefix(rp, "/") || strings.HasPrefix(rp, "../")) {
			t.Fatalf("argRepoPath(%q) = %q", p, rp)
		}
		_ = emptyByDefault(lines, words)
		if out := goBuildOutput(text, p); strings.Contains(out, "/") {
			t.Fatalf("goBuildOutput(%q, %q) = %q, a path", text, p, out)
		}
		for _, re := range []*regexp.Regexp{nodeDirnameFile, goFlagsCommand, cliCommandName} {
			if m := re.FindStringSubmatch(text); m != nil && len(m) > 1 && !strings.Contains(text, m[1]) {
				t.Fatalf("%v matched %q outside the text", re, m[1])
			}
		}
		local, _ := localRouters(lines, jsImports(lines))
		for name := range local {
			if name == "" {
				t.Fatal("localRouters named no router")
			}
		}
		for i := range lines {
			_ = tableInDevelopment(lines, i)
		}
	})
}

// TestDetect_DocsPageUnderCondition: a Swagger UI registered inside an if
// (evrone/go-clean-template's cfg.Swagger.Enabled) is offered with the
// condition said, since the page may not be there as the image runs.
func TestDetect_DocsPageUnderCondition(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"go.mod": "module x\n\ngo 1.24\n",
		"main.go": "package main\n\nimport \"github.com/gofiber/swagger\"\n\nfunc main() {\n\tapp := fiber.New()\n\tif cfg.Swagger.Enabled {\n" +
			"\t\tapp.Get(\"/swagger/*\", swagger.HandlerDefault)\n\t}\n\tapp.Get(\"/v1/items\", items)\n\tapp.Listen(\":8080\")\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Ambiguous) != 1 || len(s.Ambiguous[0].Candidates) != 2 {
		t.Fatalf("choices %+v, want one with two candidates", s.Ambiguous)
	}
	c := s.Ambiguous[0].Candidates[0]
	if c.Value != "/swagger/index.html" || c.Where() != "main.go:8" || !strings.Contains(c.Why, "Swagger UI") || !strings.Contains(c.Why, "the if at main.go:7") {
		t.Errorf("first candidate %s at %s (%s); want /swagger/index.html at main.go:8, its Swagger UI and the if at main.go:7 said", c.Value, c.Where(), c.Why)
	}
}

// TestDetect_DevModes: a mode the example env file selects for development
// and the code tests, in three languages; a log level and a variable the
// code never tests are no mode.
func TestDetect_DevModes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"go, the production value in the example's comment (go-fiber-template)", map[string]string{
			"go.mod":       "module x\n\ngo 1.24\n",
			".env.example": "# Stage status to start server:\n#   - \"dev\", for start server without graceful shutdown\n#   - \"prod\", for start server with graceful shutdown\nSTAGE_STATUS=\"dev\"\nLOG_LEVEL=debug\n",
			"main.go":      "package main\n\nfunc main() {\n\tif os.Getenv(\"STAGE_STATUS\") == \"dev\" {\n\t\tstart()\n\t}\n\tif os.Getenv(\"LOG_LEVEL\") == \"debug\" {\n\t}\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		}, "STAGE_STATUS=prod@main.go:4"},
		{"python, compared with the development value only (py-django-heroku-getting-started)", map[string]string{
			"requirements.txt": "django\ngunicorn\n",
			".env":             "ENVIRONMENT=\"development\"\n",
			"manage.py":        "import os\n",
			"mysite/settings.py": "import os\n# Debug in development (ENVIRONMENT=development in .env).\n" +
				"DEBUG = os.environ.get(\"ENVIRONMENT\") == \"development\"\nWSGI_APPLICATION = 'mysite.wsgi.application'\n",
		}, "ENVIRONMENT=production@mysite/settings.py:3"},
		{"node, the code's own comparison names production", map[string]string{
			"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "4"}}`,
			".env.example": "NODE_ENV=development\nAPP_MODE=local\n",
			"server.js":    "const app = express()\nif ('production' !== process.env.NODE_ENV) { app.use(devErrors()) }\napp.listen(process.env.PORT || 3000)\n",
		}, "NODE_ENV=production@server.js:2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			if got := evs(s.DevModes); got != tc.want {
				t.Errorf("dev modes %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDetect_RoutesOfTheChosenProgram: with several main packages, the
// health route comes from the packages the chosen one builds from, not
// from another program's (go-wtf: cmd/wtf-storybook serves its own /),
// also through a directory the walk over the code skips as build output
// (go-ardanlabs-service's api/services/sales/build).
func TestDetect_RoutesOfTheChosenProgram(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod":                    "module github.com/x/wtf\n\ngo 1.16\n",
		"cmd/wtf/main.go":           "package main\n\nfunc main() { cmd.Execute() }\n",
		"cmd/wtfd/main.go":          "package main\n\nimport \"github.com/x/wtf/build\"\n\nfunc main() { s := build.Server(); s.Open() }\n",
		"build/all.go":              "//go:build !lite\n\npackage build\n\nimport \"github.com/x/wtf/http\"\n\nfunc Server() *http.Server { return http.NewServer() }\n",
		"cmd/wtf-storybook/main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.Handle(\"/\", http.HandlerFunc(index))\n\thttp.ListenAndServe(\":3001\", nil)\n}\n",
		"http/server.go":            "package http\n\nimport \"github.com/gorilla/mux\"\n\nfunc NewServer() *Server {\n\ts := &Server{router: mux.NewRouter()}\n\ts.router.HandleFunc(\"/debug/version\", s.version)\n\ts.router.HandleFunc(\"/\", s.index)\n\treturn s\n}\n",
		"cmd/wtf/home.go":           "package main\n\nfunc home() string { u, _ := user.Current(); return u.HomeDir }\n",
	})
	s, err := Detect(dir, WithEntrypoint("cmd/wtfd"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.HealthPath); got != "/@http/server.go:8" {
		t.Errorf("health %q, want / from wtfd's own router (http/server.go:8)", got)
	}
	if s.UserLookup != nil {
		t.Errorf("user lookup %s: it is the CLI's (cmd/wtf), not wtfd's", ev(s.UserLookup))
	}
	s, err = Detect(dir, WithEntrypoint("cmd/wtf-storybook"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.HealthPath); got != "/@cmd/wtf-storybook/main.go:6" {
		t.Errorf("storybook's health %q, want its own / (cmd/wtf-storybook/main.go:6)", got)
	}
}

// TestDetect_GoGenerate: Go code the repository generates and git ignores
// is generated in the image when the Go toolchain alone can do it.
func TestDetect_GoGenerate(t *testing.T) {
	base := map[string]string{
		"go.mod":      "module x\n\ngo 1.22\n",
		"main.go":     "package main\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
		"html/a.ego":  "<p>x</p>\n",
		"html/doc.go": "package html\n",
	}
	with := func(extra map[string]string) map[string]string {
		out := maps.Clone(base)
		maps.Copy(out, extra)
		return out
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"a Makefile's default target runs a Go generator (benbjohnson/wtf)", with(map[string]string{
			".gitignore": ".DS_Store\n*.test\n*.ego.go\n/node_modules\n",
			"Makefile":   "default: generate\n\n# Runs ego.\ngenerate: http/html/*.ego\n\t@go run github.com/benbjohnson/ego/cmd/ego ./http/html\n\nclean:\n\t@rm http/html/*.ego.go\n",
		}), "go run github.com/benbjohnson/ego/cmd/ego ./http/html@Makefile:4"},
		{"go:generate directives that use go run", with(map[string]string{
			".gitignore":  "*_templ.go\n",
			"html/doc.go": "package html\n\n//go:generate go run github.com/a-h/templ/cmd/templ generate\n",
		}), "go generate ./...@html/doc.go:3"},
		{"generated code committed: nothing to run", with(map[string]string{
			"Makefile": "generate:\n\tgo run github.com/benbjohnson/ego/cmd/ego ./http/html\n",
		}), "-"},
		{"a generator the Go image lacks (protoc)", with(map[string]string{
			".gitignore": "*.pb.go\n",
			"Makefile":   "generate:\n\tprotoc --go_out=. api.proto\n",
			"api/gen.go": "package api\n\n//go:generate protoc --go_out=. api.proto\n",
		}), "-"},
		{"a recipe with make variables is not run as it is", with(map[string]string{
			".gitignore": "*.ego.go\n",
			"Makefile":   "generate:\n\tgo run $(EGO) ./http/html\n",
		}), "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			if got := ev(s.Generate); got != tc.want {
				t.Errorf("generate %q, want %q", got, tc.want)
			}
		})
	}
}

// --stack names the language, not the dependencies: a directory without
// the manifest its image installs from stops with what to write, unless
// its Python imports only the standard library and its own modules.
// Azure-Samples/azure-voting-app-redis's azure-vote/azure-vote/main.py
// imports flask and redis, which only its parent's Dockerfile installs.
func TestDetectAs_WithoutAManifest(t *testing.T) {
	voting := testutil.WriteTree(t, map[string]string{
		"main.py":        "from flask import Flask, request, render_template\nimport os\nimport random\nimport redis\nimport socket\nimport sys\nfrom helpers import tally\n",
		"helpers.py":     "import json\n",
		"static/app.css": "body {}\n",
	})
	_, err := DetectAs(voting, "python")
	if !errors.Is(err, ErrNoManifest) || !strings.Contains(err.Error(), "flask (main.py:1), redis (main.py:4), which") || strings.Contains(err.Error(), "helpers") {
		t.Errorf("err = %v; want the missing manifest, naming flask and redis (not its own helpers)", err)
	}
	stdlib := testutil.WriteTree(t, map[string]string{"server.py": "import http.server\nfrom os import environ\n"})
	if _, err := DetectAs(stdlib, "python"); err != nil {
		t.Errorf("a standard-library app: %v", err)
	}
	node := testutil.WriteTree(t, map[string]string{"server.js": "require('http').createServer().listen(3000)\n"})
	if _, err := DetectAs(node, "node"); !errors.Is(err, ErrNoManifest) || !strings.Contains(err.Error(), "package.json") {
		t.Errorf("node without package.json: %v", err)
	}
}

// A main package at the root without go.mod is Go (GoogleCloudPlatform's
// hello-app: main.go, and a Dockerfile that runs go mod init); a test
// file of package main alone is not a program.
func TestDetect_GoWithoutGoMod(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"main.go":    "// Copyright\n\npackage main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc main() {\n\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, \"hi\") })\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"Dockerfile": "FROM golang:1.24\nRUN go mod init hello-app\n",
	})
	s, err := Detect(dir)
	if err != nil || s.Language != "go" {
		t.Fatalf("Detect = %+v, %v; want go", s, err)
	}
	tests := testutil.WriteTree(t, map[string]string{"main_test.go": "package main\n"})
	if _, err := Detect(tests); !errors.Is(err, ErrUnrecognised) {
		t.Errorf("a test file alone: %v, want unrecognised", err)
	}
}

// configDirs formats ConfigWriteDirs as VAR=dir@file:line, space-separated.
func configDirs(ds []ConfigDir) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s=%s@%s:%d", d.Value, d.Dir, d.File, d.Line))
	}
	return strings.Join(out, " ")
}

// wakapiShape is muety/wakapi 2ed2e3faa161 in small: configor settings
// whose defaults put the listen on loopback and SQLite in the working
// directory, and its own Dockerfile, whose ENV list moves both.
var wakapiShape = map[string]string{
	"go.mod": "module github.com/muety/wakapi\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/jinzhu/configor v1.2.2\n\tgorm.io/driver/sqlite v1.5.7\n)\n",
	"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/go-chi/chi/v5\"\n\t\"github.com/muety/wakapi/config\"\n)\n\nfunc main() {\n\tc := config.Load()\n\trouter := chi.NewRouter()\n\trouter.Get(\"/health\", ok)\n" +
		"\ts4 := &http.Server{Addr: c.Server.ListenIpV4 + \":3000\", Handler: router}\n\ts4.ListenAndServe()\n}\n",
	"config/config.go": "package config\n\nimport (\n\t\"github.com/jinzhu/configor\"\n\t_ \"gorm.io/driver/sqlite\"\n)\n\ntype dbConfig struct {\n\tName string `default:\"wakapi_db.db\" env:\"WAKAPI_DB_NAME\"`\n\tUser string `env:\"WAKAPI_DB_USER\"`\n}\n\n" +
		"type serverConfig struct {\n\tListenIpV4 string `yaml:\"listen_ipv4\" default:\"127.0.0.1\" env:\"WAKAPI_LISTEN_IPV4\"`\n}\n\ntype Config struct {\n\tDb dbConfig\n\tServer serverConfig\n}\n\n" +
		"func Load() *Config {\n\tc := &Config{}\n\tconfigor.New(&configor.Config{ENVPrefix: \"WAKAPI\"}).Load(c, \"config.yml\")\n\treturn c\n}\n",
	"Dockerfile": "FROM golang:alpine AS build-env\nWORKDIR /src\nCOPY . .\nRUN go build -o wakapi main.go\n\nFROM gcr.io/distroless/static:nonroot\nWORKDIR /app\n" +
		"ENV ENVIRONMENT=prod \\\n    WAKAPI_DB_TYPE=sqlite3 \\\n    WAKAPI_DB_USER='' \\\n    WAKAPI_DB_NAME=/data/wakapi.db \\\n    WAKAPI_LISTEN_IPV4='0.0.0.0' \\\n    WAKAPI_ALLOW_SIGNUP='true'\n" +
		"COPY --from=build-env /src/wakapi /app/wakapi\nUSER nonroot\nEXPOSE 3000\nENTRYPOINT [\"/app/wakapi\"]\n",
}

// TestDetect_RerunReadsTheCommittedDockerfile: init --force replaced the
// repository's Dockerfile (wakapi's, whose ENV sets WAKAPI_LISTEN_IPV4 and
// WAKAPI_DB_NAME) with its own; a rerun, after the user documented a
// setting the first run's diagnosis asked for, reads the one git holds,
// as the first run did, not init's own output.
func TestDetect_RerunReadsTheCommittedDockerfile(t *testing.T) {
	dir := testutil.WriteTree(t, wakapiShape)
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=a@b", "-c", "user.name=a"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-qm", "source")
	generated := GeneratedMark + ". Build with BuildKit:\nFROM gcr.io/distroless/static-debian12:nonroot\nENV OTHER=1\nENTRYPOINT [\"/app/server\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(generated), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.HostVar); got != "WAKAPI_LISTEN_IPV4@Dockerfile:12" {
		t.Errorf("host variable = %q, want the committed Dockerfile's WAKAPI_LISTEN_IPV4@Dockerfile:12", got)
	}
	// Outside git, init's own output is still no evidence.
	if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
		t.Fatal(err)
	}
	if s, err = Detect(dir); err != nil {
		t.Fatal(err)
	}
	if s.HostVar != nil {
		t.Errorf("host variable %q read from init's own Dockerfile", ev(s.HostVar))
	}
}

// TestDetect_NodeServerFrameworks: Koa and Hono are frameworks as Express
// is (javieraviles/node-typescript-koa-rest and w3cj/hono-open-api-starter
// showed none), and an app on them is no static site.
func TestDetect_NodeServerFrameworks(t *testing.T) {
	for fw, tree := range map[string]map[string]string{
		"koa": {
			"package.json": `{"name": "api", "scripts": {"start": "node server.js"}, "dependencies": {"koa": "^2.15.0", "@koa/router": "^12.0.0"}}`,
			"server.js":    "const Koa = require('koa');\nconst app = new Koa();\napp.listen(process.env.PORT || 3000);\n",
		},
		"hono": {
			"package.json": `{"name": "api", "type": "module", "scripts": {"build": "vite build", "start": "node dist/index.js"}, "dependencies": {"hono": "^4.6.0", "@hono/node-server": "^1.13.0"}, "devDependencies": {"vite": "^5.0.0"}}`,
			"src/index.js": "import { serve } from '@hono/node-server';\nimport { Hono } from 'hono';\nconst app = new Hono();\napp.get('/healthz', (c) => c.text('ok'));\nserve({ fetch: app.fetch, port: 3000 });\n",
		},
	} {
		t.Run(fw, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tree))
			if err != nil {
				t.Fatal(err)
			}
			if s.Framework == nil || s.Framework.Value != fw || s.Framework.File != "package.json" {
				t.Errorf("framework = %+v, want %s from package.json", s.Framework, fw)
			}
			if s.Static != nil {
				t.Errorf("a %s app was taken for a static site: %+v", fw, s.Static)
			}
		})
	}
}

// TestScriptBuilds_Bounded: scripts that run each other many times (a
// hostile package.json) are read once each: 300 scripts running all 300
// would be 27 million reads to depth 3 without it, and the test would not
// end in the package's time limit.
func TestScriptBuilds_Bounded(t *testing.T) {
	pkg := packageJSON{Scripts: map[string]string{}}
	for i := range 300 {
		var runs []string
		for j := range 300 {
			runs = append(runs, fmt.Sprintf("npm run s%d", j))
		}
		pkg.Scripts[fmt.Sprintf("s%d", i)] = strings.Join(runs, " && ")
	}
	if scriptBuilds(pkg, pkg.Scripts["s0"], 0, map[string]bool{"s0": true}) {
		t.Error("no script builds")
	}
	pkg.Scripts["s299"] = "sass in:out"
	if !scriptBuilds(pkg, pkg.Scripts["s0"], 0, map[string]bool{"s0": true}) {
		t.Error("s299 runs sass")
	}
}
