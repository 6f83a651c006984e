package generate_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// A variable a config library reads under a prefix holds what its base
// name says: go-rest-api's `env:"DSN,secret"` under go-env's
// env.New("APP_") is APP_DSN, its database's URL (config/local.yml puts
// it on 127.0.0.1); a pydantic settings class's database_url under
// env_prefix "X_" is X_DATABASE_URL; shiori's `env:"DATABASE_URL"` under
// envconfig.PrefixLookuper("SHIORI_") is SHIORI_DATABASE_URL, and its
// code takes the scheme postgres only, as its docs write it. compose
// points each at the db service.
func TestProject_PrefixedDatabaseVariablesPointAtTheDatabase(t *testing.T) {
	for _, tc := range []struct {
		name string
		tree map[string]string
		want string
	}{
		{"go-env's prefix (go-rest-api)", map[string]string{
			"go.mod":           "module rest\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n",
			"go.sum":           "",
			"config/local.yml": "dsn: \"postgres://127.0.0.1/go_restful?sslmode=disable&user=postgres&password=postgres\"\n",
			"internal/config/config.go": "package config\n\ntype Config struct {\n\tServerPort int `yaml:\"server_port\" env:\"SERVER_PORT\"`\n\tDSN string `yaml:\"dsn\" env:\"DSN,secret\"`\n}\n\n" +
				"func Load(file string) (*Config, error) {\n\tc := Config{ServerPort: 8080}\n\tif err := env.New(\"APP_\", log.Printf).Load(&c); err != nil {\n\t\treturn nil, err\n\t}\n\treturn &c, nil\n}\n",
			"cmd/server/main.go": "package main\n\nimport (\n\t_ \"github.com/lib/pq\"\n\t\"rest/internal/config\"\n)\n\nfunc main() {\n\tcfg, _ := config.Load(\"./config/local.yml\")\n\tdb, _ := dbx.MustOpen(\"postgres\", cfg.DSN)\n\thttp.HandleFunc(\"/healthcheck\", ok)\n\thttp.ListenAndServe(fmt.Sprintf(\":%v\", cfg.ServerPort), nil)\n}\n",
		}, "APP_DSN: postgresql://app:"},
		{"pydantic's env_prefix", map[string]string{
			"requirements.txt": "fastapi\nuvicorn\npydantic-settings\npsycopg\n",
			"app/main.py":      "from fastapi import FastAPI\nimport psycopg\nfrom app.settings import settings\n\napp = FastAPI()\n\n@app.get('/health')\ndef health():\n    return {}\n",
			"app/settings.py":  "from pydantic_settings import BaseSettings, SettingsConfigDict\n\nclass Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=\"X_\")\n    database_url: str\n\nsettings = Settings()\n",
		}, "X_DATABASE_URL: postgresql://app:"},
		{"envconfig's prefix, and the repository's postgres:// (shiori)", map[string]string{
			"go.mod": "module shiori\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.5.5\n",
			"go.sum": "",
			"internal/config/config.go": "package config\n\nimport _ \"github.com/jackc/pgx/v5/stdlib\"\n\ntype Config struct {\n\tDatabaseURL string `env:\"DATABASE_URL\"`\n\tPort int `env:\"HTTP_PORT,default=8080\"`\n}\n\n" +
				"func Parse(ctx context.Context) *Config {\n\tvar cfg Config\n\tenvconfig.ProcessWith(ctx, &envconfig.Config{Target: &cfg, Lookuper: envconfig.PrefixLookuper(\"SHIORI_\", envconfig.OsLookuper())})\n\treturn &cfg\n}\n",
			"main.go":               "package main\n\nimport \"shiori/internal/config\"\n\nfunc main() {\n\tcfg := config.Parse(ctx)\n\thttp.HandleFunc(\"/system/liveness\", ok)\n\thttp.ListenAndServe(fmt.Sprintf(\":%d\", cfg.Port), nil)\n}\n",
			"docs/Configuration.md": "PostgreSQL example: `SHIORI_DATABASE_URL=\"postgres://u:p@hostname/database?sslmode=verify-full\"`\n",
		}, "SHIORI_DATABASE_URL: postgres://app:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testutil.WriteTree(t, tc.tree)
			s, err := detect.Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			files := projectFiles(t, s, generate.Options{Name: "x"})
			if !strings.Contains(files["compose.yaml"], tc.want) {
				t.Errorf("compose.yaml lacks %q:\n%s", tc.want, files["compose.yaml"])
			}
		})
	}
}

// bnkamalesh/goapp: the code reads its templates' directory from
// $TEMPLATES_BASEPATH, which its docker/Dockerfile sets to
// /home/appuser/app/web/templates (its COPY names a path that moved); the
// repository's one templates directory goes into the image and the
// variable points at it there. A second templates directory leaves the
// choice open: nothing is carried.
func TestProject_AssetDirectoryAVariablePointsAt(t *testing.T) {
	tree := map[string]string{
		"go.mod":            "module goapp\n\ngo 1.22\n",
		"docker/Dockerfile": "FROM debian:stable-slim\nCOPY --from=builder /app/internal/server/http/web /home/appuser/app/web\nENV TEMPLATES_BASEPATH=/home/appuser/app/web/templates\nCMD [\"./appbin\"]\n",
		"main.go":           "package main\n\nfunc main() {\n\tbase := os.Getenv(\"TEMPLATES_BASEPATH\")\n\ttemplate.ParseFiles(fmt.Sprintf(\"%s/index.html\", base))\n\thttp.HandleFunc(\"/-/health\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"cmd/server/http/web/templates/index.html": "<html></html>\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "goapp"})
	for _, want := range []string{"COPY --from=build /src/cmd/server/http/web/templates /app/cmd/server/http/web/templates\n", "ENV TEMPLATES_BASEPATH=/app/cmd/server/http/web/templates\n"} {
		if !strings.Contains(files["Dockerfile"], want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, files["Dockerfile"])
		}
	}
	tree["admin/templates/x.html"] = "<p></p>\n"
	if s, err = detect.Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if len(s.AssetDirs) != 0 {
		t.Errorf("two templates directories: asset dirs %v, want none", s.AssetDirs)
	}
}

// thomiceli/opengist: its Dockerfile sets OG_OPENGIST_HOME=/opengist and
// declares /opengist a VOLUME (its git repositories and SQLite); the
// repository's one opengist directory is its Helm chart. The variable was
// taken for an asset directory: the chart was copied into the image and
// the app's home pointed at it, on the read-only root. A VOLUME says data:
// the variable points at the image's data volume.
func TestProject_AVolumeTheDockerfileDeclaresIsData(t *testing.T) {
	tree := map[string]string{
		"go.mod":                   "module github.com/thomiceli/opengist\n\ngo 1.24\n",
		"Dockerfile":               "FROM alpine:3.24 AS prod\nCOPY --from=build /opengist/opengist /app/opengist/opengist\nENV OG_OPENGIST_HOME=/opengist\nEXPOSE 6157\nVOLUME /opengist\nCMD [\"./opengist\"]\n",
		"main.go":                  "package main\n\nfunc main() {\n\thome := os.Getenv(\"OG_OPENGIST_HOME\")\n\t_ = home\n\thttp.HandleFunc(\"/healthcheck\", ok)\n\thttp.ListenAndServe(\":6157\", nil)\n}\n",
		"helm/opengist/Chart.yaml": "apiVersion: v2\nname: opengist\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "opengist"})
	if !strings.Contains(files["Dockerfile"], "ENV OG_OPENGIST_HOME=/app/data\n") || strings.Contains(files["Dockerfile"], "helm/opengist") {
		t.Errorf("OG_OPENGIST_HOME should point at the data volume, and the chart stay out:\n%s", files["Dockerfile"])
	}
	// Two VOLUMEs, one a configuration's (the review's case): the variable
	// whose name says data is the data directory.
	tree["Dockerfile"] = "FROM alpine:3.24\nENV CONFIG_PATH=/config DATA_DIR=/data\nVOLUME [\"/config\", \"/data\"]\nCMD [\"./app\"]\n"
	tree["main.go"] = "package main\n\nfunc main() {\n\t_ = os.Getenv(\"CONFIG_PATH\")\n\t_ = os.Getenv(\"DATA_DIR\")\n\thttp.HandleFunc(\"/healthcheck\", ok)\n\thttp.ListenAndServe(\":6157\", nil)\n}\n"
	if s, err = detect.Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.DataDirVar == nil || s.DataDirVar.Value != "DATA_DIR" {
		t.Errorf("data directory %+v, want DATA_DIR", s.DataDirVar)
	}
}

// Azure-Samples' Django quickstart: ALLOWED_HOSTS is a list without a
// wildcard (production.py), so a Host header it lacks gets 400
// (DisallowedHost); run by hand, its image answered 400 to a pod address
// and 200 to localhost. The Kubernetes probes send Host: localhost, and a
// note says what the list must hold. A Flask app's probes send the pod's
// address, as they did; a wildcard gets no note.
func TestProject_DjangoProbesSendAHostTheSettingsAllow(t *testing.T) {
	django := map[string]string{
		"requirements.txt":                "django\ngunicorn\n",
		"manage.py":                       "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'quickstartproject.settings')\n",
		"quickstartproject/settings.py":   "DEBUG = True\nALLOWED_HOSTS = []\nROOT_URLCONF = 'quickstartproject.urls'\n",
		"quickstartproject/production.py": "import os\nALLOWED_HOSTS = [os.environ['WEBSITE_HOSTNAME']] if 'WEBSITE_HOSTNAME' in os.environ else []\n",
		"quickstartproject/wsgi.py":       "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
		"quickstartproject/urls.py":       "from django.urls import path\nurlpatterns = [path('healthz/', views.health)]\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, django))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "qs"})
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "qs"})
	if n := strings.Count(files["deploy/k8s/base/deployment.yaml"], "httpHeaders:\n                - name: Host\n                  value: localhost\n"); n != 2 {
		t.Errorf("deployment.yaml: %d probes send Host: localhost, want 2 (startup, readiness):\n%s", n, files["deploy/k8s/base/deployment.yaml"])
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "sets ALLOWED_HOSTS = []: Django answers 400") {
		t.Errorf("notes lack ALLOWED_HOSTS:\n%s", strings.Join(p.Notes, "\n"))
	}
	django["quickstartproject/settings.py"] = "DEBUG = False\nALLOWED_HOSTS = ['*']\n"
	if s, err = detect.Detect(testutil.WriteTree(t, django)); err != nil {
		t.Fatal(err)
	}
	if s.DjangoHosts != nil {
		t.Errorf("a wildcard: hosts %v, want none to note", s.DjangoHosts)
	}
	flask, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt": "flask\n",
		"app.py":           "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if f := projectFiles(t, flask, generate.Options{Name: "f"}); strings.Contains(f["deploy/k8s/base/deployment.yaml"], "httpHeaders") {
		t.Errorf("a Flask app's probes got a Host header:\n%s", f["deploy/k8s/base/deployment.yaml"])
	}
}

// Massad/gin-boilerplate (d1b184a0723d): db/db.go hands os.Getenv
// ("REDIS_HOST") to go-redis as Addr, and .env_rename_me:13 documents it
// as 127.0.0.1:6379; models/auth.go:66 signs tokens with
// os.Getenv("ACCESS_SECRET"). compose.yaml had written REDIS_HOST: redis
// (no port: go-redis never reached it, and verify passed since / does not
// touch Redis) and .env.example listed no secret the code reads, so the
// tokens were signed with an empty key. Now REDIS_HOST is redis:6379,
// and the secrets are in .env.example, which compose.yaml's env_file reads.
func TestProject_HostPortVariablesAndTheCodesSecrets(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"go.mod":         "module github.com/Massad/gin-boilerplate\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/go-redis/redis/v7 v7.4.1\n\tgithub.com/lib/pq v1.10.9\n)\n",
		".env_rename_me": "PORT=9000\nDB_HOST=\"localhost\"\nDB_PASS=\"postgres\"\nACCESS_SECRET=\"ashasdjhjhjadhasdaa123\"\nREDIS_HOST=127.0.0.1:6379\nREDIS_PASSWORD=\n",
		"main.go":        "package main\n\nimport (\n\t_ \"github.com/Massad/gin-boilerplate/db\"\n\t_ \"github.com/Massad/gin-boilerplate/models\"\n)\n\nfunc main() {\n\tr := gin.Default()\n\tr.GET(\"/\", index)\n\tr.Run(\":\" + os.Getenv(\"PORT\"))\n}\n",
		"db/db.go": "package db\n\nimport (\n\t_redis \"github.com/go-redis/redis/v7\"\n\t_ \"github.com/lib/pq\"\n)\n\nfunc Init() {\n\thost := os.Getenv(\"DB_HOST\")\n\tpass := os.Getenv(\"DB_PASS\")\n}\n\n" +
			"func InitRedis() {\n\tvar redisHost = os.Getenv(\"REDIS_HOST\")\n\tRedisClient = _redis.NewClient(&_redis.Options{Addr: redisHost, Password: os.Getenv(\"REDIS_PASSWORD\")})\n}\n",
		"models/auth.go": "package models\n\nfunc CreateToken() {\n\tat.SignedString([]byte(os.Getenv(\"ACCESS_SECRET\")))\n\ttokenTTL := os.Getenv(\"ACCESS_TOKEN_EXPIRE_MINUTES\")\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "gin"})
	if !strings.Contains(files["compose.yaml"], "REDIS_HOST: redis:6379\n") {
		t.Errorf("compose.yaml lacks REDIS_HOST: redis:6379:\n%s", files["compose.yaml"])
	}
	env := files[".env.example"]
	for _, want := range []string{"ACCESS_SECRET=\n", "REDIS_PASSWORD=\n"} {
		if !strings.Contains(env, want) {
			t.Errorf(".env.example lacks %q:\n%s", want, env)
		}
	}
	for _, not := range []string{"ACCESS_TOKEN_EXPIRE_MINUTES", "DB_PASS=", "DB_HOST"} {
		if strings.Contains(env, not) {
			t.Errorf(".env.example has %s, which compose.yaml sets or which is no secret:\n%s", not, env)
		}
	}
}

// docker/awesome-compose's flask-redis (18f59bdb09ec): its compose.yaml,
// which init leaves alone, builds `target: builder` (compose.yaml:9);
// after init --force replaced the Dockerfile, whose stages are build and
// the runtime, `docker compose build web` stopped with "target stage
// builder could not be found" and nothing had said so. The note says it;
// a target the new Dockerfile has, or another Dockerfile's, says nothing.
func TestKeepUserCompose_TargetTheNewDockerfileLacks(t *testing.T) {
	dockerfile := generate.File{Path: "Dockerfile", Content: "ARG PYTHON_IMAGE=python:3.13.15-slim-trixie\nFROM ${PYTHON_IMAGE} AS build\nRUN true\n\nFROM ${RUNTIME_IMAGE}\n"}
	for _, tc := range []struct {
		compose, want string
	}{
		{"services:\n  redis:\n    image: redis:7.0.15\n  web:\n    build:\n      context: .\n      target: builder\n    stop_signal: SIGINT\n",
			`but its service web builds target "builder" (compose.yaml:7), which the new Dockerfile lacks (its stages: build, and the runtime last)`},
		{"services:\n  web:\n    build:\n      context: .\n      target: build\n", ""},
		{"services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/dev.Dockerfile\n      target: dev\n", ""},
	} {
		dir := testutil.WriteTree(t, map[string]string{"compose.yaml": tc.compose, "docker/dev.Dockerfile": "FROM python:3.13.15-slim-trixie AS dev\n"})
		files, note, name := generate.KeepUserCompose(dir, []generate.File{dockerfile, {Path: "compose.yaml", Content: "# Generated by shipshape init\n"}})
		if len(files) != 1 || !strings.Contains(note, "left alone") || name != "compose.yaml" {
			t.Fatalf("files %v, note %q: want the user's compose kept", files, note)
		}
		if got := strings.Contains(note, "but its service"); got != (tc.want != "") || tc.want != "" && !strings.Contains(note, tc.want) {
			t.Errorf("compose %q: note %q, want %q", tc.compose, note, tc.want)
		}
	}
}

// What the verify run got is what is deployed: .env.example carries the
// variables the repository's example file documents (express-typescript-
// 2024's .env.template; its envalid schema exits without CORS_ORIGIN),
// leaving out what the image or compose.yaml sets, blanking a secret and
// giving a development mode production's value; then the variables the
// code requires that nothing sets. The Kubernetes Deployment reads each
// from the Secret made from .env, optional as an absent line is.
func TestEnvExample_CarriesWhatTheRunGot(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "^5", "envalid": "^8"}}`,
		".env.template": "NODE_ENV=\"development\" # Options: 'development', 'production'\nPORT=\"8080\" # The port\nHOST=\"localhost\"\n" +
			"CORS_ORIGIN=\"http://localhost:*\" # Allowed CORS origin\nSESSION_SECRET=changeme\nAPP_MODE=dev # dev or prod\n",
		"server.js": "const { cleanEnv, str } = require('envalid')\nconst env = cleanEnv(process.env, {\n  CORS_ORIGIN: str(),\n  FEED_URL: Joi.string().required(),\n})\n" +
			"const secret = process.env.SESSION_SECRET\nconst jwt = process.env.JWT_SECRET\nif (process.env.APP_MODE === 'dev') { startDevServer() }\n" +
			"const app = express()\napp.get('/healthz', h)\napp.listen(process.env.PORT, process.env.HOST)\nprocess.on('SIGTERM', stop)\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "x"})
	env := files[".env.example"]
	testutil.Contains(t, ".env.example", env,
		"# Secrets the code reads, which nothing else sets:\nSESSION_SECRET=\nJWT_SECRET=\n",
		// NAME=value, as kubectl create secret --from-env-file reads it.
		"# What .env.template documents, which the app gets as documented (init --verify's run too):\nCORS_ORIGIN=http://localhost:*\n",
		// The development mode the example selects, as production runs it.
		"\nAPP_MODE=production\n",
		"# Variables the code requires, which nothing else sets (the app exits without them):\nFEED_URL=\n")
	// The image sets NODE_ENV and PORT, compose sets HOST: .env would win
	// over them.
	for _, absent := range []string{"NODE_ENV", "PORT=", "HOST", "changeme"} {
		if strings.Contains(env, absent) {
			t.Errorf(".env.example holds %q:\n%s", absent, env)
		}
	}
	deployment := files["deploy/k8s/base/deployment.yaml"]
	if !strings.Contains(deployment, "key: CORS_ORIGIN\n                  optional: true") || !strings.Contains(deployment, "key: JWT_SECRET\n                  optional: true") {
		t.Errorf("the Deployment does not read CORS_ORIGIN and JWT_SECRET from its Secret, optionally:\n%s", deployment)
	}
	if strings.Contains(deployment, "key: HOST\n                  optional") || !strings.Contains(deployment, "key: FEED_URL\n") || strings.Contains(deployment, "key: FEED_URL\n                  optional") {
		t.Errorf("HOST, which compose sets, or FEED_URL, which the app requires, is optional (or absent):\n%s", deployment)
	}
}

// A compiled Node program's image carries what it reads at run time
// besides its build output (json-server: views/ from package.json's
// files, public/ it serves, the data file its arguments name), and
// .dockerignore lets them into the build.
func TestNodeCompiled_CarriesRuntimeFiles(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"package.json":     `{"bin": {"x": "lib/bin.js"}, "files": ["lib", "views"], "dependencies": {"sirv": "3"}, "devDependencies": {"typescript": "5"}}`,
		"tsconfig.json":    `{"compilerOptions": {"outDir": "./lib"}}`,
		"src/bin.ts":       "import { app } from './app.ts'\napp.listen(3000)\n",
		"src/app.ts":       "app.use(sirv('public'))\napp.get('/healthz', ok)\n",
		"views/index.html": "<html></html>\n", "public/a.html": "<html></html>\n", "fixtures/db.json": "{}\n",
	})
	s, err := detect.DetectAs(dir, "node", detect.WithArgs([]string{"fixtures/db.json"}))
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "x"})
	testutil.Contains(t, "Dockerfile", files["Dockerfile"], "COPY --from=build /app/lib ./lib\n", "COPY --from=build /app/views /app/views\n",
		"COPY --from=build /app/public /app/public\n", "COPY --from=build /app/fixtures/db.json /app/fixtures/db.json\n")
	testutil.Contains(t, ".dockerignore", files[".dockerignore"], "\n!fixtures/db.json\n")
}

// A compiled Node program whose entry is a file at the root, not in its
// output directory (thelounge's `node index start`, whose index.js
// requires ./dist/server, beside the client Vite builds into public/):
// the runtime takes the whole tree the build leaves (without its
// development dependencies), since which of its outputs the entry reads
// is not known. Before, it took index.js alone.
func TestNodeCompiled_RootEntryTakesTheBuiltTree(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"package.json": `{"scripts": {"start": "node index start", "build": "tsc -p server && vite build"}, "files": ["index.js", "./dist/**/*.js", "./public/**"],` +
			` "dependencies": {"express": "4"}, "devDependencies": {"typescript": "5", "vite": "6"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"tsconfig.json":     `{"compilerOptions": {"outDir": "./dist"}}`,
		"index.js":          "require('./dist/server/index.js')\n",
		"server/index.ts":   "import express from 'express'\nconst app = express()\napp.get('/healthz', (q, r) => r.send('ok'))\napp.listen(9000)\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "x"})["Dockerfile"]
	testutil.Contains(t, "Dockerfile", df, "npm run build && rm -rf node_modules\n", "COPY --from=deps /app/node_modules ./node_modules\nCOPY --from=build /app ./\n")
	if strings.Contains(df, "COPY --from=build /app/index.js") {
		t.Errorf("the entry copied alone:\n%s", df)
	}
}

// A package whose own prepare script runs a dev dependency (husky) broke
// pnpm's and yarn 1's production install: sh: husky: not found (the
// seventeenth try's fastify-typescript-drizzle-starter-kit). The
// dependency stage's package.json goes without that script, so the
// dependencies' own scripts (bcrypt's build) still run; --ignore-scripts
// and pnpm rebuild would not do: the rebuild runs the package's prepare
// too (pnpm 9.15.9, tried by hand).
func TestNodeDockerfile_OwnLifecycleScriptLeftOut(t *testing.T) {
	for _, c := range []struct{ lock, lockFile, install string }{
		{"pnpm", "pnpm-lock.yaml", "pnpm install --frozen-lockfile --prod"},
		{"yarn", "yarn.lock", "yarn install --frozen-lockfile --production"},
	} {
		t.Run(c.lock, func(t *testing.T) {
			dir := testutil.WriteTree(t, map[string]string{
				"package.json": `{"name": "api", "scripts": {"prepare": "husky", "start": "node server.js"}, "dependencies": {"fastify": "5", "bcrypt": "5"}, "devDependencies": {"husky": "9"}}`,
				c.lockFile:     map[string]string{"pnpm": "lockfileVersion: '9.0'\n", "yarn": "# yarn lockfile v1\n"}[c.lock],
				"server.js":    "const app = require('fastify')();\napp.get('/healthz', async () => 'ok');\napp.listen({ port: 3000, host: '0.0.0.0' });\n",
			})
			s, err := detect.Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			df := projectFiles(t, s, generate.Options{Name: "api"})["Dockerfile"]
			testutil.Contains(t, "Dockerfile", df, "# package.json:1: its own prepare script needs the dev dependencies",
				`delete (p.scripts || {})[k]; require('fs').writeFileSync('package.json', JSON.stringify(p))" && corepack enable && `)
			if !strings.Contains(df, c.install+" && mkdir -p node_modules") || strings.Contains(df, "--ignore-scripts") {
				t.Errorf("the production install is not %q without --ignore-scripts:\n%s", c.install, df)
			}
		})
	}
}

// Two directories a Go program's Dockerfile passes it, each a VOLUME of
// its own (linx-server's -filespath=/data/files/ -metapath=/data/meta/),
// are directories of the image's one data volume, made owned by the app
// user; the -bind the arguments already give is passed once.
func TestGoDockerfile_VolumeFlagsAreDataDirectories(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module example.com/linx\n\ngo 1.14\n",
		"server.go": "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n)\n\nvar bind, files, meta string\n\n" +
			"func main() {\n\tflag.StringVar(&bind, \"bind\", \"127.0.0.1:8080\", \"host to bind to\")\n" +
			"\tflag.StringVar(&files, \"filespath\", \"files/\", \"path to files directory\")\n\tflag.StringVar(&meta, \"metapath\", \"meta/\", \"path to metadata directory\")\n" +
			"\tflag.Parse()\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(bind, nil)\n}\n",
		"Dockerfile": "FROM alpine:3.11\nCOPY linx-server /usr/local/bin/linx-server\nVOLUME [\"/data/files\", \"/data/meta\"]\n" +
			"ENTRYPOINT [\"/usr/local/bin/linx-server\", \"-bind=0.0.0.0:8080\", \"-filespath=/data/files/\", \"-metapath=/data/meta/\"]\nCMD [\"-sitename=linx\"]\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "linx"})["Dockerfile"]
	testutil.Contains(t, "Dockerfile", df, "mkdir -p /probe /out/data /out/data/files /out/data/meta ",
		"COPY --from=build --chown=10001:10001 /out/data /app/data\nVOLUME [\"/app/data\"]\n",
		`ENTRYPOINT ["/app/server", "-bind=0.0.0.0:8080", "-sitename=linx"]`+"\n"+`CMD ["--filespath=/app/data/files", "--metapath=/app/data/meta"]`+"\n")
	if strings.Count(df, "bind") != 1 {
		t.Errorf("-bind passed more than once:\n%s", df)
	}
}

// A Python app that opens its SQLite file by a fixed path in its working
// directory (FastAPI-SQLite's DATABASE_URL = "sqlite:///./test.db") wrote
// it on the image's read-only root: "unable to open database file". The
// image links that path to the file on the data volume, also where it is
// the default of a variable nothing sets. A file in a directory of its
// own gets that directory as the volume, and is not linked.
func TestDockerfile_PythonSQLiteInTheWorkingDirectory(t *testing.T) {
	app := func(url string) map[string]string {
		return map[string]string{
			"requirements.txt": "fastapi\nuvicorn\nsqlalchemy\n",
			"main.py": "from fastapi import FastAPI\nfrom sqlalchemy import create_engine\n\n" + url + "\nengine = create_engine(DATABASE_URL)\n\n" +
				"app = FastAPI()\n\n@app.get('/health')\ndef health():\n    return {}\n",
		}
	}
	for _, tc := range []struct {
		name, url, link, volume string
	}{
		{"in the working directory", `DATABASE_URL = "sqlite:///./test.db"`, "RUN ln -sf /app/data/test.db /app/test.db\n", `VOLUME ["/app/data"]`},
		{"in a directory of its own", `DATABASE_URL = "sqlite:///./db/app.db"`, "", `VOLUME ["/app/db"]`},
		{"the default of a variable", `DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./test.db")`, "RUN ln -sf /app/data/test.db /app/test.db\n", `VOLUME ["/app/data"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, app(tc.url)))
			if err != nil {
				t.Fatal(err)
			}
			df := projectFiles(t, s, generate.Options{Name: "x"})["Dockerfile"]
			if tc.link != "" && !strings.Contains(df, tc.link) || tc.link == "" && strings.Contains(df, "ln -sf") {
				t.Errorf("link: want %q:\n%s", tc.link, df)
			}
			if !strings.Contains(df, tc.volume) {
				t.Errorf("Dockerfile lacks %q:\n%s", tc.volume, df)
			}
		})
	}
}

// jhaals/yopass-server: -database defaults to "memcached", which init does
// not start, and the code's switch on it takes "redis" too, whose client
// it imports: compose.yaml passes --database=redis beside the Redis it
// starts, $REDIS (viper's AutomaticEnv of -redis, whose default is a
// redis:// URL) gets Redis's URL rather than its host, and a note says
// what was chosen and how to keep memcached.
func TestProject_SettingChoiceStartsWhatItChooses(t *testing.T) {
	tree := map[string]string{
		"go.mod": "module y\n\ngo 1.25\n\nrequire (\n\tgithub.com/redis/go-redis/v9 v9.7.0\n\tgithub.com/spf13/pflag v1.0.6\n\tgithub.com/spf13/viper v1.20.0\n)\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/redis/go-redis/v9\"\n\t\"github.com/spf13/pflag\"\n\t\"github.com/spf13/viper\"\n)\n\n" +
			"func main() {\n\tpflag.String(\"database\", \"memcached\", \"database backend\")\n\tpflag.String(\"redis\", \"redis://localhost:6379/0\", \"Redis URL\")\n\tpflag.Parse()\n\tviper.AutomaticEnv()\n\tviper.BindPFlags(pflag.CommandLine)\n" +
			"\tswitch db := viper.GetString(\"database\"); db {\n\tcase \"memcached\":\n\t\tpanic(db)\n\tcase \"redis\":\n\t\topts, _ := redis.ParseURL(viper.GetString(\"redis\"))\n\t\t_ = redis.NewClient(opts)\n\t}\n" +
			"\thttp.HandleFunc(\"/health\", func(http.ResponseWriter, *http.Request) {})\n\thttp.ListenAndServe(\":1337\", nil)\n}\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "y"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Command(), " "); got != "--redis=redis://redis:6379/0 --database=redis" {
		t.Errorf("command %q, want the Redis URL and --database=redis", got)
	}
	files := projectFiles(t, s, generate.Options{Name: "y"})
	for _, want := range []string{`command: ["--redis=redis://redis:6379/0", "--database=redis"]`, "REDIS: redis://redis:6379/0\n"} {
		if !strings.Contains(files["compose.yaml"], want) {
			t.Errorf("compose.yaml lacks %q:\n%s", want, files["compose.yaml"])
		}
	}
	note := strings.Join(p.Notes, "\n")
	if !strings.Contains(note, `main.go:12: the flag -database defaults to "memcached", a server init does not start; the code also takes "redis" (main.go:17)`) {
		t.Errorf("notes lack the choice:\n%s", note)
	}
}

// akhilrex/podgrab: its Dockerfile sets CONFIG=/config and DATA=/assets,
// both VOLUMEs, and the code reads both (its SQLite file in $CONFIG, the
// podcasts it downloads in $DATA). CONFIG is the data volume; DATA a
// directory on it that the image makes, not the read-only root's
// working directory (os.Getenv("DATA") unset is "").
func TestProject_EveryVolumeVariableOnTheDataVolume(t *testing.T) {
	tree := map[string]string{
		"go.mod":     "module podgrab\n\ngo 1.15\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.7.2\n\tgorm.io/driver/sqlite v1.1.4\n)\n",
		"Dockerfile": "FROM golang:1.15.2-alpine AS builder\nWORKDIR /api\nCOPY . .\nRUN go build -o ./app ./main.go\n\nFROM alpine:latest\nENV CONFIG=/config\nENV DATA=/assets\nENV UID=998\nVOLUME [\"/config\", \"/assets\"]\nWORKDIR /api\nCOPY --from=builder /api/app .\nEXPOSE 8080\nENTRYPOINT [\"./app\"]\n",
		"main.go": "package main\n\nimport (\n\t\"os\"\n\t\"path\"\n\n\t\"github.com/gin-gonic/gin\"\n\t\"gorm.io/driver/sqlite\"\n)\n\nfunc main() {\n\tsqlite.Open(path.Join(os.Getenv(\"CONFIG\"), \"podgrab.db\"))\n\tr := gin.Default()\n" +
			"\tr.Static(\"/assets\", os.Getenv(\"DATA\"))\n\tr.GET(\"/health\", func(c *gin.Context) {})\n\tr.Run()\n}\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "podgrab"})
	df := files["Dockerfile"]
	for _, want := range []string{"ENV CONFIG=/app/data\n", "ENV DATA=/app/data/assets\n", "mkdir -p /probe /out/data /out/data/assets ",
		"# The app keeps files in $DATA (Dockerfile:8: the repository's Dockerfile sets it to /assets, a VOLUME there): a directory on the volume.\n"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Contains(df, "UID=") {
		t.Errorf("Dockerfile sets UID, which is no VOLUME's variable:\n%s", df)
	}
}

// A Python program's arguments follow it in the image's command, as its
// repository's Dockerfile passes them (the twenty-second try): a script
// (changedetection.io's -d /datastore), a console script run as its
// function (Radicale's --hosts, which holds its port), and a script whose
// SIGTERM init handles, where runpy gets them in sys.argv. A gunicorn app
// named only by the Dockerfile's own install gets gunicorn installed
// (isso).
func TestProject_PythonProgramArguments(t *testing.T) {
	for _, tc := range []struct {
		name string
		tree map[string]string
		want []string
	}{
		{"a script that handles SIGTERM", map[string]string{
			"requirements.txt":   "flask\n",
			"changedetection.py": "import signal\nsignal.signal(signal.SIGTERM, stop)\nif __name__ == '__main__':\n    main()\n",
			"Dockerfile":         "FROM python:3.11\nCMD [\"python\", \"./changedetection.py\", \"-d\", \"/datastore\"]\n",
		}, []string{`ENTRYPOINT ["/usr/bin/python3", "changedetection.py", "-d", "/datastore"]`}},
		{"a script run by runpy", map[string]string{
			"requirements.txt": "requests\n",
			"serve.py":         "if __name__ == '__main__':\n    main()\n",
			"Procfile":         "web: python serve.py --data /data\n",
		}, []string{`sys.argv = [\"serve.py\"] + sys.argv[1:]; runpy.run_path(\"serve.py\", run_name='__main__')", "--data", "/data"]`}},
		{"a console script", map[string]string{
			"pyproject.toml":       "[project]\nname = \"radicale\"\ndependencies = [\"defusedxml\"]\n\n[project.scripts]\nradicale = \"radicale.__main__:run\"\n",
			"radicale/__main__.py": "import signal\nsignal.signal(signal.SIGTERM, stop)\ndef run():\n    serve()\n",
			"Dockerfile":           "FROM python:3-alpine\nENTRYPOINT [ \"/app/bin/python\", \"/app/bin/radicale\"]\nCMD [\"--hosts\", \"0.0.0.0:5232,[::]:5232\"]\n",
		}, []string{`from radicale.__main__ import run; sys.exit(run())", "--hosts", "0.0.0.0:5232,[::]:5232"]`, "EXPOSE 5232"}},
		{"a project that reads its own version", map[string]string{
			"pyproject.toml":       "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"radicale\"\nversion = \"3.8.0\"\ndependencies = [\"defusedxml\"]\n\n[project.scripts]\nradicale = \"radicale.__main__:run\"\n",
			"radicale/__init__.py": "VERSION = utils.package_version(\"radicale\")\n",
			"radicale/__main__.py": "def run():\n    serve()\n",
		}, []string{"COPY . .\n# radicale/__init__.py:1: the code reads its own installed metadata: the project is installed too, without its dependencies.\nRUN --mount=type=cache,target=/root/.cache/pip pip install --no-deps --target /opt/deps .\n"}},
		{"a project whose version comes from git", map[string]string{
			"pyproject.toml":  "[build-system]\nrequires = [\"setuptools>=61\", \"setuptools_scm>=8\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"srv\"\ndynamic = [\"version\"]\ndependencies = [\"defusedxml\"]\n\n[project.scripts]\nsrv = \"srv.main:run\"\n",
			"srv/__init__.py": "from importlib.metadata import version\n__version__ = version('srv')\n",
			"srv/main.py":     "def run():\n    serve()\n",
		}, []string{"RUN --mount=type=cache,target=/root/.cache/pip SETUPTOOLS_SCM_PRETEND_VERSION=0.0.0+image pip install --no-deps --target /opt/deps .\n"}},
		{"gunicorn the Dockerfile installs", map[string]string{
			"pyproject.toml": "[project]\nname = \"isso\"\ndependencies = [\"werkzeug\"]\n",
			"isso/run.py":    "from isso import make_app\napplication = make_app(config)\n\n@route('/info')\ndef info():\n    return 'ok'\n",
			"Dockerfile":     "FROM python:3.12\nRUN pip install gunicorn\nENTRYPOINT [\"/isso/bin/gunicorn\", \"-b\", \"0.0.0.0:8080\", \"--worker-tmp-dir\", \"/dev/shm\"]\nCMD [\"isso.run\"]\n",
		}, []string{"gunicorn==", `"isso.run:application"]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, tc.tree))
			if err != nil {
				t.Fatal(err)
			}
			files := projectFiles(t, s, generate.Options{Name: "x", HealthPath: "/"})
			for _, want := range tc.want {
				if !strings.Contains(files["Dockerfile"], want) {
					t.Errorf("Dockerfile lacks %s:\n%s", want, files["Dockerfile"])
				}
			}
		})
	}
}

// The settings module the repository deploys with is set where
// collectstatic runs and in the image (pinry's Dockerfile.autobuild; its
// manage.py defaults to the development settings, which need a
// development-only package).
func TestProject_DjangoSettingsModuleInBothStages(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt":         "django\ngunicorn\n",
		"Procfile":                 "web: gunicorn site1.wsgi:application\n",
		"manage.py":                "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site1.settings.development\")\n",
		"site1/wsgi.py":            "application = get_wsgi_application()\n",
		"site1/settings/base.py":   "SECRET_KEY = 'x'\nSTATIC_ROOT = '/app/static'\n",
		"site1/settings/docker.py": "from .base import *\n",
		"Dockerfile.autobuild":     "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE site1.settings.docker\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "x", HealthPath: "/"})["Dockerfile"]
	build, runtime, _ := strings.Cut(df, "\nFROM ${RUNTIME_IMAGE}")
	set := "ENV DJANGO_SETTINGS_MODULE=site1.settings.docker\n"
	if !strings.Contains(build, set+"RUN python3 manage.py collectstatic") || !strings.Contains(runtime, set) {
		t.Errorf("the settings module is not set for collectstatic and the app:\n%s", df)
	}
}

// shynet's Django project lives in shynet/: collectstatic and the release
// step run its manage.py there, and the app's modules are imported from
// there.
func TestProject_DjangoProjectInADirectory(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt":          "django\ngunicorn\n",
		"shynet/manage.py":          "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shynet.settings\")\n",
		"shynet/shynet/__init__.py": "",
		"shynet/shynet/settings.py": "WSGI_APPLICATION = \"shynet.wsgi.application\"\nSTATIC_ROOT = \"static/\"\n",
		"shynet/shynet/wsgi.py":     "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shynet.settings\")\napplication = get_wsgi_application()\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "x", HealthPath: "/"})
	for file, want := range map[string]string{
		"Dockerfile":                   "RUN python3 shynet/manage.py collectstatic --noinput\n",
		"compose.yaml":                 `"shynet/manage.py", "migrate", "--noinput"`,
		"deploy/k8s/base/migrate.yaml": `"shynet/manage.py", "migrate", "--noinput"`,
	} {
		if !strings.Contains(files[file], want) {
			t.Errorf("%s lacks %s:\n%s", file, want, files[file])
		}
	}
	if !strings.Contains(files["Dockerfile"], "ENV PYTHONPATH=/opt/deps:/app/shynet ") {
		t.Errorf("the runtime does not import from shynet/:\n%s", files["Dockerfile"])
	}
}

// The review's: the port an address flag gives follows the plan's (a
// --port of the user's, or a privileged port moved to 8080).
func TestProject_AddressFlagPortFollowsThePlan(t *testing.T) {
	for _, tc := range []struct {
		name, cmd string
		port      int
		want      string
	}{
		{"--hosts, another port", `CMD ["--hosts", "0.0.0.0:5232,[::]:5232"]`, 9000, `"--hosts", "0.0.0.0:9000,[::]:9000"]`},
		{"--bind=, a privileged port", `CMD ["--bind=0.0.0.0:80"]`, 0, `"--bind=0.0.0.0:8080"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
				"pyproject.toml": "[project]\nname = \"srv\"\ndependencies = [\"defusedxml\"]\n\n[project.scripts]\nsrv = \"srv.main:run\"\n",
				"srv/main.py":    "import signal\nsignal.signal(signal.SIGTERM, stop)\ndef run():\n    serve()\n",
				"Dockerfile":     "FROM python:3\nENTRYPOINT [\"/app/bin/python\", \"/app/bin/srv\"]\n" + tc.cmd + "\n",
			}))
			if err != nil {
				t.Fatal(err)
			}
			df := projectFiles(t, s, generate.Options{Name: "x", HealthPath: "/", Port: tc.port})["Dockerfile"]
			if !strings.Contains(df, tc.want) {
				t.Errorf("Dockerfile lacks %s:\n%s", tc.want, df)
			}
		})
	}
}

// linkding's front end: its Dockerfile's Node stage builds into
// bookmarks/static, which git holds part of; the image builds it in a
// stage of its own, copies it in before collectstatic, and the context
// keeps the committed part.
func TestProject_PythonFrontendFromANodeStage(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt":          "django\ngunicorn\n",
		"manage.py":                 "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site1.settings\")\n",
		"site1/settings.py":         "SECRET_KEY = 'x'\nSTATIC_ROOT = os.path.join(BASE_DIR, 'static')\n",
		"site1/wsgi.py":             "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site1.settings\")\napplication = get_wsgi_application()\n",
		"package.json":              `{"scripts": {"build": "rollup -c"}}`,
		"package-lock.json":         "{}",
		"bookmarks/static/logo.svg": "<svg/>",
		"docker/default.Dockerfile": "FROM node:22-alpine AS node-build\nWORKDIR /etc/linkding\nCOPY package.json package-lock.json ./\nRUN npm ci\nRUN npm run build\n\n" +
			"FROM python:3.13-slim\nWORKDIR /etc/linkding\nCOPY --from=node-build /etc/linkding/bookmarks/static bookmarks/static/\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "x", HealthPath: "/"})
	checkProduction(t, t.TempDir(), files)
	df := files["Dockerfile"]
	for _, want := range []string{"FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend\nWORKDIR /src\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund\nCOPY . ./\nRUN npm run build\n",
		"COPY . .\nCOPY --from=frontend /src/bookmarks/static ./bookmarks/static\nRUN python3 manage.py collectstatic --noinput\n", "# Git holds part of it; the build adds the rest.\n"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if ig := files[".dockerignore"]; !strings.Contains(ig, "**/node_modules\n") || strings.Contains(ig, "bookmarks/static/") {
		t.Errorf(".dockerignore leaves node_modules in or the committed static files out:\n%s", ig)
	}
}

// A package whose own install-time script builds it ran that build in the
// build stage's install, before the sources were copied, or had no build
// stage at all where no build script exists: smartclash/simple-monorepo
// (903b66feba8c) compiles both members in the root's postinstall, `yarn
// workspaces run build`, and its image stopped on `Cannot find module
// '/app/packages/server/dist/index.js'`; Heroku's and Render's recipe,
// `"postinstall": "npm run build"` beside `"build": "tsc"`, would compile
// no sources. The build stage's install goes without the package's own
// scripts, and its build runs after the tree is copied: the build script
// where there is one, else the install-time script itself. A script that
// builds through another is one too: sahat/hackathon-starter's
// postinstall, `patch-package && npm run scss`, whose scss runs sass into
// the public/css its layout reads (without it every page answered 500);
// its tools are production dependencies, and the deps stage says why it
// leaves the script out.
func TestNodeDockerfile_InstallScriptThatBuilds(t *testing.T) {
	member := func(name, deps string) string {
		return `{"name": "@simple-monorepo/` + name + `", "version": "1.0.0", "main": "./dist/index.js",` + deps +
			` "devDependencies": {"typescript": "^4.0.3"}, "scripts": {"build": "tsc -p tsconfig.json", "watch": "tsc -p tsconfig.json -w"}}`
	}
	for _, c := range []struct {
		name  string
		tree  map[string]string
		build string // the build stage's last RUN
		entry string
	}{
		{"workspace postinstall (smartclash/simple-monorepo)", map[string]string{
			"package.json": `{
  "private": true,
  "workspaces": [
    "packages/*"
  ],
  "scripts": {
    "postinstall": "yarn workspaces run build",
    "start-server": "yarn workspace @simple-monorepo/server run restarter",
    "watch-server": "yarn workspace @simple-monorepo/server run watch"
  }
}
`,
			"yarn.lock":                     "# yarn lockfile v1\n",
			"packages/common/package.json":  member("common", ` "types": "./dist/index.d.ts",`),
			"packages/common/tsconfig.json": `{"compilerOptions": {"outDir": "./dist", "rootDir": "./src", "declaration": true}}`,
			"packages/common/src/index.ts":  "export default function add(a: number, b: number): number { return a + b; }\n",
			"packages/server/package.json":  member("server", ` "dependencies": {"express": "^4.17.1"},`),
			"packages/server/tsconfig.json": `{"compilerOptions": {"outDir": "./dist", "rootDir": "./src"}}`,
			"packages/server/src/index.ts":  "import * as express from 'express';\nimport add from '@simple-monorepo/common';\n\nconst app: express.Application = express();\n\napp.get('/add/:numberOne/:numberTwo', (req, res) => res.json({ sum: add(1, 2) }));\n\napp.listen(8080, () => console.log('Listening on port 8080'));\n",
		}, "corepack enable && yarn run postinstall && rm -rf node_modules packages/common/node_modules packages/server/node_modules", "packages/server/dist/index.js"},
		{"postinstall running the build script (Heroku's recipe)", map[string]string{
			"package.json":      `{"name": "api", "main": "dist/index.js", "scripts": {"build": "tsc -p tsconfig.build.json", "postinstall": "npm run build", "start": "node dist/index.js"}, "dependencies": {"express": "^4.21.0"}, "devDependencies": {"typescript": "^5.6.0"}}`,
			"package-lock.json": `{"lockfileVersion": 3}`,
			"tsconfig.json":     `{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}`,
			"src/index.ts":      "import express from 'express';\nconst app = express();\napp.get('/healthz', (_req, res) => { res.send('ok'); });\napp.listen(Number(process.env.PORT ?? 3000), '0.0.0.0');\n",
		}, "npm run build", "dist/index.js"},
		{"postinstall running an asset script (sahat/hackathon-starter)", map[string]string{
			"package.json": `{"name": "hackathon-starter", "scripts": {"postinstall": "patch-package && npm run scss", "scss": "sass --no-source-map --update ./public/css:./public/css", "start": "npm run scss && node app.js"},
  "dependencies": {"express": "^5.1.0", "patch-package": "^8.0.1", "sass": "^1.101.7"}}`,
			"package-lock.json":    `{"lockfileVersion": 3}`,
			"public/css/main.scss": "body { margin: 0; }\n",
			"app.js":               "const express = require('express');\nconst app = express();\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 8080);\n",
		}, "npm run postinstall && rm -rf node_modules", "app.js"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, c.tree))
			if err != nil {
				t.Fatal(err)
			}
			if s.InstallBuild == nil || s.InstallBuild.Value != "postinstall" || s.InstallBuild.File != "package.json" {
				t.Fatalf("InstallBuild = %+v, want package.json's postinstall", s.InstallBuild)
			}
			if s.TypeScript == nil && strings.Contains(c.tree["package.json"], "typescript") {
				t.Fatal("no TypeScript found: the members compile in the root's postinstall")
			}
			df := projectFiles(t, s, generate.Options{Name: "api", HealthPath: "/healthz"})["Dockerfile"]
			_, stage, ok := strings.Cut(df, " AS build\n")
			if !ok {
				t.Fatalf("no build stage:\n%s", df)
			}
			stage, _, _ = strings.Cut(stage, "\nFROM ")
			testutil.Contains(t, "the build stage", stage,
				`delete (p.scripts || {})[k]; require('fs').writeFileSync('package.json', JSON.stringify(p))" && `,
				"COPY . .\n# package.json:",
				"its postinstall script builds it: run here, after the tree, not by the install.\nRUN "+c.build+"\n")
			deps, _, _ := strings.Cut(df, " AS build\n")
			testutil.Contains(t, "the deps stage", deps, "its own postinstall script builds from the tree, which this stage has not: this stage's package.json goes without it, and the build stage runs it.",
				`delete (p.scripts || {})[k]; require('fs').writeFileSync('package.json', JSON.stringify(p))" && `)
			if !strings.Contains(df, `"`+c.entry+`"]`) {
				t.Errorf("the entry is not %s:\n%s", c.entry, df)
			}
		})
	}
}

// louislam/uptime-kuma's npm ci stops on ERESOLVE without its .npmrc's
// legacy-peer-deps=true (tried with npm 10 on its lock file at
// 6398a9581d1c; with the file it installs 1,258 packages): the
// install stages copy a settings-only .npmrc with the manifests. One that
// holds a registry credential, or a variable for one, is never copied:
// .dockerignore keeps it out of every layer, and a note says how a
// private registry's packages get it.
func TestNodeDockerfile_Npmrc(t *testing.T) {
	tree := func(npmrc string) map[string]string {
		return map[string]string{
			"package.json":      `{"name": "uptime-kuma", "main": "server/server.js", "scripts": {"start": "node server/server.js"}, "dependencies": {"express": "~4.21.0"}}`,
			"package-lock.json": `{"lockfileVersion": 3}`,
			".npmrc":            npmrc,
			"server/server.js":  "const app = require('express')();\napp.get('/api/health', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3001, '0.0.0.0');\n",
		}
	}
	t.Run("settings", func(t *testing.T) {
		s, err := detect.Detect(testutil.WriteTree(t, tree("legacy-peer-deps=true\nmin-release-age=14\n")))
		if err != nil {
			t.Fatal(err)
		}
		files := projectFiles(t, s, generate.Options{Name: "kuma"})
		if got := strings.Count(files["Dockerfile"], "COPY package.json package-lock.json .npmrc ./\n"); got != 1 {
			t.Errorf("the .npmrc is copied with the manifests %d times, want 1 (the deps stage):\n%s", got, files["Dockerfile"])
		}
		if strings.Contains(files[".dockerignore"], ".npmrc") {
			t.Errorf(".dockerignore leaves out the settings the install needs:\n%s", files[".dockerignore"])
		}
	})
	for _, npmrc := range []string{"//npm.pkg.github.com/:_authToken=${NPM_TOKEN}\n@acme:registry=https://npm.pkg.github.com\n", "; comment\nlegacy-peer-deps=true\n_auth=dXNlcjpwYXNz\n"} {
		t.Run("credential", func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, tree(npmrc)))
			if err != nil {
				t.Fatal(err)
			}
			if s.NpmrcCredential == nil || s.Npmrc != nil {
				t.Fatalf("Npmrc = %+v, NpmrcCredential = %+v: want the credential's line", s.Npmrc, s.NpmrcCredential)
			}
			p, err := generate.Resolve(s, generate.Options{Name: "kuma"})
			if err != nil {
				t.Fatal(err)
			}
			files := projectFiles(t, s, generate.Options{Name: "kuma"})
			if strings.Contains(files["Dockerfile"], ".npmrc") {
				t.Errorf("the Dockerfile copies a credential:\n%s", files["Dockerfile"])
			}
			testutil.Contains(t, ".dockerignore", files[".dockerignore"], "\n.npmrc\n")
			testutil.Contains(t, "notes", strings.Join(p.Notes, "\n"), ".npmrc:"+strconv.Itoa(s.NpmrcCredential.Line)+" holds a registry credential, or a ${VARIABLE} npm must fill")
		})
	}
}

// louislam/uptime-kuma (6398a9581d1c): a tsconfig that compiles none of
// its files ("files": []) beside a JavaScript server, server/server.js,
// which requires ../src/util and serves the dist/ its Vite build writes.
// The runtime copied server/ alone (MODULE_NOT_FOUND ../src/util): a
// program the repository holds outside the build's output runs with the
// tree the build leaves. A compiled program (dist/main.js, which only the
// build writes) still takes its output alone.
func TestNodeDockerfile_ProgramInTheTreeBesideABuild(t *testing.T) {
	tree := map[string]string{
		"package.json":      `{"name": "uptime-kuma", "scripts": {"start": "node server/server.js", "build": "vite build --config ./config/vite.config.js"}, "dependencies": {"express": "~4.21.0"}, "devDependencies": {"typescript": "~4.4.4", "vite": "~5.4.15"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"tsconfig.json":     `{"compilerOptions": {"target": "es2018", "module": "commonjs", "strict": true}, "files": []}`,
		"server/server.js":  "const express = require(\"express\");\nconst { sleep } = require(\"../src/util\");\nconst app = express();\napp.use(express.static(\"dist\"));\napp.get(\"/api/entry-page\", (req, res) => res.json({}));\napp.listen(process.env.PORT || 3001);\n",
		"src/util.ts":       "export function sleep(ms: number) { return new Promise((r) => setTimeout(r, ms)); }\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "kuma", HealthPath: "/api/entry-page"})["Dockerfile"]
	testutil.Contains(t, "Dockerfile", df, "COPY --from=build /app ./\n", `"server/server.js"]`)
	if strings.Contains(df, "COPY --from=build /app/server ./server") {
		t.Errorf("the runtime takes server/ alone:\n%s", df)
	}

	delete(tree, "server/server.js")
	tree["package.json"] = `{"name": "api", "main": "dist/main.js", "scripts": {"start": "node dist/main.js", "build": "tsc"}, "dependencies": {"express": "~4.21.0"}, "devDependencies": {"typescript": "~5.6.0"}}`
	tree["tsconfig.json"] = `{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}`
	tree["src/main.ts"] = "import express from 'express';\nconst app = express();\napp.get('/healthz', (_q, r) => { r.send('ok'); });\napp.listen(3000);\n"
	if s, err = detect.Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	df = projectFiles(t, s, generate.Options{Name: "api"})["Dockerfile"]
	testutil.Contains(t, "Dockerfile", df, "COPY --from=build /app/dist ./dist\n")
}

// A workspace built by Nx whose runtime takes the built tree whole
// (docmost: `nx run-many -t build`, apps/server's dist beside the
// members' builds) leaves Nx's cache behind in the build stage: 30 MB
// of docmost's image was .nx.
func TestNodeDockerfile_BuildToolCachesLeftBehind(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json":              `{"name": "root", "private": true, "scripts": {"build": "nx run-many -t build", "start": "pnpm --filter ./apps/server run start:prod"}, "devDependencies": {"nx": "20"}}`,
		"pnpm-lock.yaml":            "lockfileVersion: '9.0'\n",
		"pnpm-workspace.yaml":       "packages:\n  - apps/*\n",
		"nx.json":                   "{}\n",
		"apps/server/package.json":  `{"name": "server", "scripts": {"build": "tsc", "start:prod": "node dist/main.js"}, "dependencies": {"express": "^4.21.0"}, "devDependencies": {"typescript": "^5.6.0"}}`,
		"apps/server/tsconfig.json": `{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}`,
		"apps/server/src/main.ts":   "import express from 'express';\nconst app = express();\napp.get('/healthz', (_req, res) => { res.send('ok'); });\napp.listen(Number(process.env.PORT ?? 3000), '0.0.0.0');\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "api", HealthPath: "/healthz"})["Dockerfile"]
	testutil.Contains(t, "Dockerfile", df, "pnpm run build && rm -rf node_modules apps/server/node_modules .nx\n", "COPY --from=build /app ./\n")
	// A local build's cache stays out of the context too.
	ignore := projectFiles(t, s, generate.Options{Name: "api", HealthPath: "/healthz"})[".dockerignore"]
	testutil.Contains(t, ".dockerignore", ignore, "\n**/.nx\n")
}

// TestNodeDockerfile_RunsTypeScriptItself: marcoturi/fastify-boilerplate
// runs `node ./src/index.ts` on Node 24 with tsconfig's "noEmit": true:
// tsc writes nothing, so a build stage that ran it and copied dist/ made
// an image that did not build (COPY --from=build /app/dist: not found).
// The image takes the sources and node runs the entry as it is; a
// tsconfig that emits (outDir) is compiled as before.
func TestNodeDockerfile_RunsTypeScriptItself(t *testing.T) {
	tree := map[string]string{
		"package.json":   `{"name": "api", "type": "module", "scripts": {"start:prod": "node ./src/index.ts"}, "engines": {"node": ">=24.0.0"}, "dependencies": {"fastify": "^5.2.0"}, "devDependencies": {"typescript": "^5.8.0"}}`,
		"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
		"tsconfig.json":  "{\n  \"compilerOptions\": {\n    \"target\": \"esnext\",\n    \"noEmit\": true,\n    \"erasableSyntaxOnly\": true,\n    \"allowImportingTsExtensions\": true\n  }\n}\n",
		"src/index.ts":   "import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/health', async () => ({ ok: true }));\nawait app.listen({ port: Number(process.env.PORT ?? 3000), host: '0.0.0.0' });\nprocess.on('SIGTERM', () => app.close());\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if s.RunsTypeScript == nil || s.RunsTypeScript.Where() != "tsconfig.json:4" || len(s.Entrypoints) != 1 || s.Entrypoints[0].Value != "src/index.ts" {
		t.Fatalf("runs TypeScript = %+v, entry %+v; want tsconfig.json:4 and src/index.ts", s.RunsTypeScript, s.Entrypoints)
	}
	df := projectFiles(t, s, generate.Options{Name: "api", HealthPath: "/health"})["Dockerfile"]
	testutil.Contains(t, "Dockerfile", df, "COPY . .\n", `"src/index.ts"]`)
	for _, absent := range []string{" AS build", "tsc", "/app/dist"} {
		if strings.Contains(df, absent) {
			t.Errorf("Dockerfile holds %q:\n%s", absent, df)
		}
	}
	if p, err := generate.Resolve(s, generate.Options{Name: "api"}); err != nil || strings.Contains(strings.Join(p.Notes, "\n"), "strips types") {
		t.Errorf("Node 24 needs no note on type stripping: %v %v", err, p.Notes)
	}
	// On a Node that strips no types the plan says so.
	tree[".nvmrc"] = "20\n"
	if s20, err := detect.Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	} else if p, err := generate.Resolve(s20, generate.Options{Name: "api"}); err != nil || !strings.Contains(strings.Join(p.Notes, "\n"), "node runs src/index.ts itself (tsconfig.json:4") {
		t.Errorf("Node 20: want a note on type stripping: %v %v", err, p.Notes)
	}
	delete(tree, ".nvmrc")
	tree["tsconfig.json"] = "{\n  \"compilerOptions\": {\"outDir\": \"dist\", \"rootDir\": \"src\"}\n}\n"
	if s, err = detect.Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.RunsTypeScript != nil || len(s.Entrypoints) != 1 || s.Entrypoints[0].Value != "dist/index.js" {
		t.Errorf("an emitting tsconfig: runs TypeScript = %+v, entry %+v; want none and dist/index.js", s.RunsTypeScript, s.Entrypoints)
	}
}
