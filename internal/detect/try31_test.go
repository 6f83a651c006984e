package detect

import (
	"slices"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_Try31Shapes: shapes of the thirty-first try, each from its
// repository, each a fact init got wrong there before.
func TestDetect_Try31Shapes(t *testing.T) {
	// JohnKucharsky/fiber_gorm@60028fcef7bf: Register(r *fiber.App, ...)
	// is given the app its own router.New() makes; groups of groups
	// under it. Before, users.Get("/") was "/", which verify proved 404.
	s, got := goShape(t, map[string]string{
		"go.mod":           "module github.com/JohnKucharsky/real_world_fiber_gorm\n\ngo 1.22.0\n\nrequire github.com/gofiber/fiber/v2 v2.52.0\n",
		"main.go":          "package main\n\nimport \"github.com/JohnKucharsky/real_world_fiber_gorm/router\"\n\nfunc main() {\n\tr := router.New()\n\trouter.Register(r, nil)\n\t_ = r.Listen(\":8080\")\n}\n",
		"router/router.go": "package router\n\nimport \"github.com/gofiber/fiber/v2\"\n\nfunc New() *fiber.App {\n\treturn fiber.New()\n}\n",
		"router/routes.go": "package router\n\nimport \"github.com/gofiber/fiber/v2\"\n\nfunc Register(r *fiber.App, db any) {\n\tv1 := r.Group(\"/api\")\n\n\t// users\n\tusers := v1.Group(\"/users\")\n\tusers.Post(\"/\", h)\n\tusers.Get(\"/\", h)\n}\n",
	})
	if strings.HasPrefix(got["health"], "/@") || !slices.ContainsFunc(s.Ambiguous, func(c Choice) bool {
		return slices.ContainsFunc(c.Candidates, func(e Evidence) bool { return e.Value == "/api/users/" })
	}) {
		t.Errorf("fiber_gorm: health %s, choices %+v; want no / and /api/users/ offered", got["health"], s.Ambiguous)
	}
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"go.mod":         "module github.com/dylanconnolly/drinkee\n\ngo 1.21\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
		"main.go":        "package main\n\nimport \"github.com/dylanconnolly/drinkee/http\"\n\nfunc main() {\n\ts := http.NewServer()\n\t_ = s.Run()\n}\n",
		"http/server.go": "package http\n\nimport \"github.com/gin-gonic/gin\"\n\ntype Server struct{ r *gin.Engine }\n\nfunc NewServer() *Server {\n\ts := &Server{r: gin.Default()}\n\ts.GenerateRoutes(s.r)\n\treturn s\n}\n\nfunc (s *Server) Run() error { return s.r.Run(\":8080\") }\n",
		"http/router.go": "package http\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc (s *Server) GenerateRoutes(r *gin.Engine) {\n\tapi := r.Group(\"/api\")\n\t{\n\t\tv1 := api.Group(\"/v1\")\n\t\t{\n\t\t\tv1.GET(\"/drinks\", s.handleGetDrinks)\n\t\t}\n\t}\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(s.Ambiguous, func(c Choice) bool {
		return slices.ContainsFunc(c.Candidates, func(e Evidence) bool { return e.Value == "/api/v1/drinks" })
	}) {
		t.Errorf("drinkee: choices %+v, want /api/v1/drinks (http/router.go:10)", s.Ambiguous)
	}

	// ThanadonExe/go-shorter@081f7b030cd6: viper's .env, whose
	// ReadInConfig error InitAppConfig returns and an init() panics on;
	// migrations.Run, which main calls, applies file://migrations/sql.
	// Before, no image carried .env (panic: failed to load config) or
	// migrations/sql, and a note said nothing runs them.
	s, got = goShape(t, map[string]string{
		"go.mod": "module github.com/thanadonexe/go-shorter\n\ngo 1.22\n\nrequire (\n\tgithub.com/gofiber/fiber/v2 v2.52.5\n\tgithub.com/golang-migrate/migrate/v4 v4.17.1\n\tgithub.com/spf13/viper v1.19.0\n)\n",
		"cmd/api/main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/gofiber/fiber/v2\"\n\t\"github.com/thanadonexe/go-shorter/internal/config\"\n\t\"github.com/thanadonexe/go-shorter/migrations\"\n)\n\n" +
			"func init() {\n\tif err := config.InitAppConfig(); err != nil {\n\t\tpanic(fmt.Sprintf(\"Failed to init app config - Error: %v\", err))\n\t}\n}\n\n" +
			"func main() {\n\tmigrations.Run(nil)\n\tapp := fiber.New()\n\tapp.Get(\"/healthz\", nil)\n\t_ = app.Listen(fmt.Sprintf(\":%d\", config.AppConfig.Port))\n}\n",
		"internal/config/config.go": "package config\n\nimport (\n\t\"errors\"\n\n\t\"github.com/spf13/viper\"\n)\n\ntype Config struct {\n\tPort int `mapstructure:\"APP_PORT\"`\n}\n\nvar AppConfig Config\n\n" +
			"func InitAppConfig() error {\n\tviper.SetConfigName(\".env\")\n\tviper.SetConfigType(\"env\")\n\tviper.AddConfigPath(\".\")\n\tviper.AutomaticEnv()\n\terr := viper.ReadInConfig()\n\tif err != nil {\n\t\treturn errors.New(\"failed to load config\")\n\t}\n\treturn viper.Unmarshal(&AppConfig)\n}\n",
		"migrations/migrate.go": "package migrations\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/golang-migrate/migrate/v4\"\n\t_ \"github.com/golang-migrate/migrate/v4/source/file\"\n)\n\n" +
			"func Run(db any) {\n\tm, err := migrate.New(\n\t\t\"file://migrations/sql\",\n\t\t\"postgres://\")\n\tif err != nil {\n\t\tpanic(fmt.Sprintf(\"Error: %v\", err))\n\t}\n\n\tm.Up()\n}\n",
		"migrations/sql/000001_init.up.sql": "CREATE TABLE urls (id serial);\n",
		".env.example":                      "APP_PORT=\nDB_HOST=\n",
	})
	if s.EnvFile == nil || s.EnvFile.Value != ".env" || s.EnvFile.File != "internal/config/config.go" {
		t.Errorf("go-shorter: env file %v, want .env from internal/config/config.go", s.EnvFile)
	}
	if s.MigratesAtStart == nil || s.MigratesAtStart.File != "migrations/migrate.go" || !slices.ContainsFunc(s.RuntimeFiles, func(e Evidence) bool { return e.Value == "migrations/sql" }) {
		t.Errorf("go-shorter: migrates at start %v, runtime files %v; want migrations/migrate.go and migrations/sql carried", s.MigratesAtStart, s.RuntimeFiles)
	}
	_ = got

	// DenisKokorin/url-shortener@f76b9c86e9c9: goose.Up(db, "migrations")
	// in pkg/utils, which storage calls: the app migrates at start. A
	// cobra command's migrate is run when asked: not the app's start.
	s, _ = goShape(t, map[string]string{
		"go.mod":                  "module url-shortener\n\ngo 1.22\n\nrequire github.com/pressly/goose/v3 v3.20.0\n",
		"cmd/main.go":             "package main\n\nimport (\n\t\"net/http\"\n\n\t\"url-shortener/pkg/utils\"\n)\n\nfunc main() {\n\t_ = utils.ApplyMigration(\"postgres://\")\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		"pkg/utils/migrations.go": "package utils\n\nimport (\n\t\"database/sql\"\n\n\t\"github.com/pressly/goose/v3\"\n)\n\nfunc ApplyMigration(path string) error {\n\tdb, _ := sql.Open(\"postgres\", path)\n\tif err := goose.Up(db, \"migrations\"); err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}\n",
		"migrations/001_init.sql": "-- +goose Up\nCREATE TABLE url (id serial);\n",
	})
	if s.MigratesAtStart == nil || s.MigratesAtStart.File != "pkg/utils/migrations.go" || !slices.ContainsFunc(s.RuntimeFiles, func(e Evidence) bool { return e.Value == "migrations" }) {
		t.Errorf("url-shortener: migrates at start %v, runtime files %v; want pkg/utils/migrations.go and migrations carried", s.MigratesAtStart, s.RuntimeFiles)
	}
	s, _ = goShape(t, map[string]string{
		"go.mod":         "module cli\n\ngo 1.22\n\nrequire github.com/pressly/goose/v3 v3.20.0\n",
		"main.go":        "package main\n\nimport (\n\t\"net/http\"\n\n\t\"cli/cmd\"\n)\n\nfunc main() {\n\tcmd.Execute()\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		"cmd/migrate.go": "package cmd\n\nimport (\n\t\"database/sql\"\n\n\t\"github.com/pressly/goose/v3\"\n\t\"github.com/spf13/cobra\"\n)\n\nvar migrateCmd = &cobra.Command{Use: \"migrate\", Run: func(*cobra.Command, []string) {\n\tdb, _ := sql.Open(\"postgres\", \"\")\n\t_ = goose.Up(db, \"migrations\")\n}}\n\nfunc Execute() {}\n",
	})
	if s.MigratesAtStart != nil {
		t.Errorf("a cobra migrate command: migrates at start %v, want none", s.MigratesAtStart)
	}

	// chrishubert/whatsapp-api@44f0dbf4a27f: const routes =
	// express.Router(); routes.get('/ping', healthController.ping)
	// (src/routes.js:23), mounted at / in src/app.js. Before, init
	// offered the session router's /terminateAll instead.
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"package.json":  `{"name":"whatsapp-api","main":"server.js","scripts":{"start":"node server.js"},"dependencies":{"express":"^4.18.2"}}`,
		"server.js":     "const app = require('./src/app')\nconst port = process.env.PORT || 3000\napp.listen(port)\n",
		"src/app.js":    "const { routes } = require('./routes')\nconst app = require('express')()\napp.use('/', routes)\nmodule.exports = app\n",
		"src/routes.js": "const express = require('express')\nconst routes = express.Router()\nconst healthController = require('./controllers/healthController')\n\n// API endpoint to check if server is alive\nroutes.get('/ping', healthController.ping)\n\nmodule.exports = { routes }\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if ev(s.HealthPath) != "/ping@src/routes.js:6" {
		t.Errorf("whatsapp-api: health %s, want /ping at src/routes.js:6", ev(s.HealthPath))
	}

	// nightscout/cgm-remote-monitor@7e0e77f88fc1: .nvmrc 16.16.0 beside
	// package.json's engines "node": ">=20.x" (package.json:89) and a
	// Dockerfile FROM node:22-alpine. Before, the image pinned the
	// end-of-life 16.16.0 the dependencies do not support.
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		".nvmrc":       "16.16.0\n",
		"package.json": "{\n  \"name\": \"nightscout\",\n  \"main\": \"server.js\",\n  \"engines\": {\n    \"node\": \">=20.x\"\n  },\n  \"dependencies\": {\"express\": \"^4\"}\n}\n",
		"server.js":    "const app = require('express')()\napp.get('/healthz', (req, res) => res.send('ok'))\napp.listen(process.env.PORT || 1337)\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if ev(s.Version) != ">=20.x@package.json:5" || !strings.Contains(s.Version.Why, ".nvmrc's 16.16.0") {
		t.Errorf("nightscout: version %s (%v), want engines >=20.x over .nvmrc", ev(s.Version), s.Version)
	}
	// A version file inside the range stays: it pins within it.
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		".nvmrc":       "22.11.0\n",
		"package.json": "{\"name\": \"x\", \"main\": \"server.js\", \"engines\": {\"node\": \">=20.x\"}, \"dependencies\": {\"express\": \"^4\"}}\n",
		"server.js":    "const app = require('express')()\napp.get('/healthz', (req, res) => res.send('ok'))\napp.listen(3000)\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if ev(s.Version) != "22.11.0@.nvmrc:1" {
		t.Errorf("a pin inside the range: version %s, want .nvmrc's 22.11.0", ev(s.Version))
	}

	// raulnq/price-tracker@461a8816f9a5: tsconfig's include is src/**/*
	// and tests/**/* with no rootDir, so tsc writes dist/src/index.js; its
	// start script names dist/index.js (package.json:7), which verify
	// proved missing ("Cannot find module '/app/dist/index.js'", the
	// image's dist holding src and tests).
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"package.json":                   `{"scripts":{"start":"cross-env NODE_ENV=production node dist/index.js","build":"tsc && tsc-alias"},"dependencies":{"hono":"^4","@hono/node-server":"^1"},"devDependencies":{"typescript":"^5"}}`,
		"tsconfig.json":                  `{"compilerOptions":{"outDir":"./dist","paths":{"@/*":["./src/*"]}},"exclude":["**/node_modules","**/.*/","dist"],"include":["src/**/*","tests/**/*"]}`,
		"src/index.ts":                   "import { serve } from '@hono/node-server'\nimport { app } from './app'\nserve({ fetch: app.fetch, port: 3000 })\n",
		"src/app.ts":                     "import { Hono } from 'hono'\nexport const app = new Hono()\napp.get('/live', (c) => c.json({ status: 'healthy' }))\n",
		"tests/stores/add-store.test.ts": "import { app } from '../../src/app'\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "dist/src/index.js" || !strings.Contains(s.Entrypoints[0].Why, "names dist/index.js") {
		t.Errorf("price-tracker: entry %v, want dist/src/index.js, saying the script names dist/index.js", s.Entrypoints)
	}
	// The include of src alone keeps dist/index.js.
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"package.json":    `{"scripts":{"start":"node dist/index.js","build":"tsc"},"dependencies":{"hono":"^4","@hono/node-server":"^1"},"devDependencies":{"typescript":"^5"}}`,
		"tsconfig.json":   `{"compilerOptions":{"outDir":"./dist"},"include":["src/**/*"]}`,
		"src/index.ts":    "import { serve } from '@hono/node-server'\nserve({ fetch: app.fetch, port: 3000 })\n",
		"tests/a.test.ts": "x\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "dist/index.js" {
		t.Errorf("include of src alone: entry %v, want dist/index.js", s.Entrypoints)
	}

	// chartbrew/chartbrew@944afa1ac8e9: "workspaces": [] at the root,
	// beside server/ and client/ with manifests and lock files of their
	// own. Before, init took server/index.js as the root's program and
	// installed the root's empty manifest: verify proved "Cannot find
	// module 'dotenv'". Now the root has no program, and no question of
	// its routes comes first.
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"package.json":             `{"name":"chartbrew","main":"index.js","workspaces":[],"scripts":{"server":"cd server && npm run start-dev"}}`,
		"package-lock.json":        `{"lockfileVersion":3,"packages":{"":{"name":"chartbrew"}}}`,
		"server/package.json":      `{"name":"chartbrew-server","scripts":{"start":"node index.js"},"dependencies":{"express":"^4","dotenv":"^16"}}`,
		"server/package-lock.json": `{"lockfileVersion":3}`,
		"server/index.js":          "require('dotenv').config()\nconst app = require('express')()\napp.get('/', (req, res) => res.send('ok'))\napp.listen(process.env.PORT || 4019)\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entrypoints) != 0 || len(s.Ambiguous) != 0 {
		t.Errorf("chartbrew's root: entry %v, choices %+v; want none (server/ is a package of its own)", s.Entrypoints, s.Ambiguous)
	}

	// The review's shapes. A shared package's RunMigrations that only
	// another program (cmd/migrate) calls is no migration at start of the
	// server, whose scope imports the package for Connect.
	s, _ = goShape(t, map[string]string{
		"go.mod":                   "module example.com/app\n\ngo 1.22\n\nrequire github.com/golang-migrate/migrate/v4 v4.17.1\n",
		"cmd/server/main.go":       "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\n\t\"example.com/app/internal/db\"\n)\n\nfunc main() {\n\tdb.Connect(os.Getenv(\"DATABASE_URL\"))\n\thttp.HandleFunc(\"/health\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"cmd/migrate/main.go":      "package main\n\nimport (\n\t\"os\"\n\n\t\"example.com/app/internal/db\"\n)\n\nfunc main() { _ = db.RunMigrations(os.Getenv(\"DATABASE_URL\")) }\n",
		"internal/db/db.go":        "package db\n\nimport (\n\t\"database/sql\"\n\n\t\"github.com/golang-migrate/migrate/v4\"\n)\n\nfunc Connect(url string) *sql.DB {\n\td, _ := sql.Open(\"postgres\", url)\n\treturn d\n}\n\nfunc RunMigrations(url string) error {\n\tm, err := migrate.New(\"file://migrations\", url)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn m.Up()\n}\n",
		"migrations/1_init.up.sql": "CREATE TABLE t (id int);\n",
	})
	if s.MigratesAtStart != nil {
		t.Errorf("RunMigrations only cmd/migrate calls: migrates at start %v, want none", s.MigratesAtStart)
	}
	// tsconfig's include of plain directory names.
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"package.json":    `{"scripts":{"start":"node dist/index.js","build":"tsc"},"dependencies":{"express":"^4"},"devDependencies":{"typescript":"^5"}}`,
		"tsconfig.json":   `{"compilerOptions":{"outDir":"dist"},"include":["src","tests"]}`,
		"src/index.ts":    "import express from 'express'\nconst app = express()\napp.get('/health', (q, r) => r.send('ok'))\napp.listen(3000)\n",
		"tests/a.test.ts": "x\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "dist/src/index.js" {
		t.Errorf(`include ["src", "tests"]: entry %v, want dist/src/index.js`, s.Entrypoints)
	}

	// basir/amazona@4cbcb37631b2: productRouter.get('/seed', ...) inserts
	// the sample products on every call (backend/routers/productRouter.js:
	// 70): no health candidate; the constant /api/config/paypal is.
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name":"amazona","main":"server.js","dependencies":{"express":"^4"}}`,
		"server.js":    "const express = require('express')\nconst productRouter = express.Router()\nconst app = express()\nproductRouter.get('/seed', async (req, res) => { await Product.insertMany(data.products); res.send('ok') })\napp.use('/api/products', productRouter)\napp.get('/api/config/paypal', (req, res) => res.send(process.env.PAYPAL_CLIENT_ID || 'sb'))\napp.listen(5000)\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Ambiguous {
		if slices.ContainsFunc(c.Candidates, func(e Evidence) bool { return strings.HasSuffix(e.Value, "/seed") }) {
			t.Errorf("amazona: %s offered among %v", "/api/products/seed", c.Candidates)
		}
	}
	if !slices.ContainsFunc(s.Ambiguous, func(c Choice) bool {
		return slices.ContainsFunc(c.Candidates, func(e Evidence) bool { return e.Value == "/api/config/paypal" })
	}) {
		t.Errorf("amazona: choices %+v, want /api/config/paypal offered", s.Ambiguous)
	}
}
