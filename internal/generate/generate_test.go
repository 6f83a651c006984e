package generate_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shipshape/shipshape/internal/cli"
	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// stacks are small repositories of every stack and layout init supports.
var stacks = map[string]map[string]string{
	"go root main": {
		"go.mod": "module x\n\ngo 1.26\n", "go.sum": "",
		"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
	},
	"go cmd/api gin postgres": {
		"go.mod":          "module x\n\ngo 1.22.3\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/jackc/pgx/v5 v5.7.1\n)\n",
		"cmd/api/main.go": "package main\n\nimport _ \"github.com/jackc/pgx/v5/stdlib\"\n\nfunc main() {\n\tr := gin.Default()\n\tr.GET(\"/health\", h)\n\tr.Run(\":9000\")\n}\n",
	},
	"go postgres and mysql drivers": {
		"go.mod":   "module x\n\ngo 1.26\n\nrequire (\n\tgithub.com/go-sql-driver/mysql v1.8.1\n\tgithub.com/lib/pq v1.10.9\n\tgithub.com/redis/go-redis/v9 v9.7.0\n)\n",
		"main.go":  "package main\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"store.go": "package main\n\nimport (\n\t_ \"github.com/go-sql-driver/mysql\"\n\t_ \"github.com/lib/pq\"\n\t\"github.com/redis/go-redis/v9\"\n)\n",
	},
	"go mysql with its own schema": {
		"go.mod":       "module x\n\ngo 1.26\n\nrequire github.com/go-sql-driver/mysql v1.8.1\n",
		"main.go":      "package main\n\nimport (\n\t\"os\"\n\t_ \"github.com/go-sql-driver/mysql\"\n)\n\nfunc main() {\n\t_ = os.Getenv(\"DATABASE_NAME\")\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"article.sql":  "CREATE DATABASE IF NOT EXISTS article;\nUSE article;\nCREATE TABLE article (id int);\n",
		"compose.yaml": "services:\n  mysql:\n    image: mysql:8.3\n    volumes:\n      - ./article.sql:/docker-entrypoint-initdb.d/init.sql\n    environment:\n      - MYSQL_DATABASE=article\n",
	},
	"go embeds testdata and static": {
		"go.mod":                     "module x\n\ngo 1.26\n",
		"main.go":                    "package main\n\nimport \"embed\"\n\n//go:embed static/*.css \"web/index.html\"\nvar site embed.FS\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"rules/rules.go":             "package rules\n\nimport \"embed\"\n\n//go:embed all:testdata\nvar fixtures embed.FS\n",
		"rules/testdata/a/fire.yaml": "a: 1\n",
		"static/site.css":            "body {}\n",
		"web/index.html":             "<html></html>\n",
	},
	"go runs programs": {
		"go.mod": "module x\n\ngo 1.26\n", "go.sum": "",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc main() {\n\t_ = exec.Command(\"git\", \"--version\").Run()\n\t_ = exec.Command(\"avconv\", \"-i\", \"in\").Run()\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
	},
	"python flask runs programs": {
		"requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\n",
		"app.py":           "import subprocess\nfrom flask import Flask\napp = Flask(__name__)\n@app.route('/health')\ndef health():\n    return 'ok'\n@app.post('/convert')\ndef convert():\n    subprocess.run(['ffmpeg', '-i', 'in.wav', 'out.mp3'], check=True)\n    return 'ok'\n",
	},
	"node express runs programs": {
		"package.json": `{"name": "thumbs", "scripts": {"start": "node server.js"}, "dependencies": {"express": "4.19.2"}}`,
		"server.js":    "const express = require('express');\nconst { execFile } = require('child_process');\nconst app = express();\napp.set('trust proxy', 1);\napp.get('/health', (req, res) => res.send('ok'));\napp.post('/thumb', (req, res) => execFile('convert', ['in.png', '-resize', '64x64', 'out.png'], () => res.end()));\napp.listen(3000);\n",
	},
	"python stdlib sqlite": {
		"requirements.txt": "",
		"app.py":           "import sqlite3\nfrom http.server import HTTPServer\nDB = 'data/blog.db'\nsqlite3.connect('data/blog.db')\nclass H:\n    def do_GET(self):\n        if self.path == '/health':\n            pass\nif __name__ == '__main__':\n    HTTPServer(('0.0.0.0', 8000), H).serve_forever()\n",
	},
	"python flask gunicorn templates sqlite": {
		"requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\n",
		"blog/__init__.py": "from flask import Flask, render_template, url_for\napp = Flask(__name__)\nDATABASE = 'sqlite:///instance/blog.db'\n@app.route('/health')\ndef health():\n    return 'ok'\n",
		".python-version":  "3.12\n",
	},
	"python fastapi uv postgres redis": {
		"pyproject.toml": "[project]\nname = \"x\"\nrequires-python = \">=3.11\"\ndependencies = [\"fastapi>=0.115\", \"uvicorn>=0.32\", \"asyncpg>=0.30\", \"redis>=5\"]\n",
		"uv.lock":        "version = 1\n",
		"app/main.py":    "import asyncpg\nimport redis.asyncio as redis\nfrom fastapi import FastAPI\napp = FastAPI()\n@app.get('/healthz')\ndef h():\n    return {}\n",
	},
	"python django poetry mysql": {
		"pyproject.toml":   "[tool.poetry]\nname = \"x\"\n[tool.poetry.dependencies]\npython = \"^3.11\"\ndjango = \"^5.1\"\nmysqlclient = \"^2.2\"\n",
		"manage.py":        "import os\n",
		"site/settings.py": "WSGI_APPLICATION = 'site.wsgi.application'\n",
		"site/db.py":       "import MySQLdb\n",
		"site/urls.py":     "urlpatterns = [path('healthz/', health)]\n",
	},
	"python pipenv starlette": {
		"Pipfile":   "[packages]\nstarlette = \"*\"\nuvicorn = \"*\"\n[requires]\npython_version = \"3.11\"\n",
		"server.py": "from starlette.applications import Starlette\napp = Starlette()\n@app.route('/health')\nasync def health(request): ...\n",
	},
	"python pdm flask": {
		"pyproject.toml": "[project]\nname = \"x\"\ndependencies = [\"flask\"]\n",
		"pdm.lock":       "",
		"wsgi.py":        "from flask import Flask\napp = Flask(__name__)\n@app.get('/healthz')\ndef health():\n    return 'ok'\n",
	},
	// imputnet/cobalt's shape (a636575b09de): a pnpm workspace whose
	// Dockerfile puts its api member in the image; the root's install
	// reads every member's package.json, its workspace file and patches.
	"node pnpm workspace": {
		"package.json":                       "{\n    \"name\": \"cobalt\",\n    \"packageManager\": \"pnpm@9.6.0\"\n}\n",
		"pnpm-lock.yaml":                     "lockfileVersion: '9.0'\n",
		"pnpm-workspace.yaml":                "packages:\n    - \"api\"\n    - \"packages/*\"\npatchedDependencies:\n  scimmy@1.3.5: patches/scimmy@1.3.5.patch\n",
		"patches/scimmy@1.3.5.patch":         "diff --git a/x b/x\n",
		"Dockerfile":                         "FROM node:24-alpine AS build\nWORKDIR /app\nCOPY . /app\nRUN corepack enable && pnpm install --prod --frozen-lockfile\nRUN pnpm deploy --filter=@imput/cobalt-api --prod /prod/api\n\nFROM node:24-alpine\nWORKDIR /app\nCOPY --from=build /prod/api /app\nUSER node\nEXPOSE 9000\nCMD [ \"node\", \"src/cobalt\" ]\n",
		"api/package.json":                   "{\n    \"name\": \"@imput/cobalt-api\",\n    \"type\": \"module\",\n    \"dependencies\": {\"@imput/version-info\": \"workspace:^\", \"express\": \"^4.22.1\"}\n}\n",
		"api/src/cobalt.js":                  "import express from \"express\";\nconst app = express();\napp.set('trust proxy', 1);\napp.get('/healthz', (q, r) => r.send('ok'));\nprocess.on('SIGTERM', () => process.exit(0));\napp.listen(process.env.API_PORT || 9000);\n",
		"packages/version-info/package.json": "{\n    \"name\": \"@imput/version-info\",\n    \"main\": \"index.js\"\n}\n",
		"packages/version-info/index.js":     "export const version = '1';\n",
	},
	// vocdoni/vocdoni-app's shape (its PR #1761): pnpm-workspace.yaml
	// holds no members, only an override the lock file records, which a
	// frozen install refuses to go without.
	"node pnpm workspace settings": {
		"package.json":        "{\n  \"name\": \"app\",\n  \"scripts\": {\"start\": \"node server.js\"},\n  \"dependencies\": {\"express\": \"^4.21.0\", \"ws\": \"^8.18.0\"}\n}\n",
		"pnpm-lock.yaml":      "lockfileVersion: '9.0'\n\noverrides:\n  ws@^8: ^8.21.0\n",
		"pnpm-workspace.yaml": "overrides:\n  ws@^8: ^8.21.0\n",
		"server.js":           "const app = require('express')();\napp.set('trust proxy', 1);\napp.get('/healthz', (q, r) => r.send('ok'));\nprocess.on('SIGTERM', () => process.exit(0));\napp.listen(3000);\n",
	},
	// eliyahukoren/monorepo's shape (ecc09f133e15): pnpm by its workspace
	// file, the lock file git-ignored; the root's start runs a member's.
	"node pnpm workspace no lock": {
		"package.json":               "{\n  \"name\": \"monorepo\",\n  \"private\": true,\n  \"scripts\": {\"build\": \"pnpm -r build\", \"start\": \"pnpm --filter api start\"}\n}\n",
		"pnpm-workspace.yaml":        "packages:\n  - 'packages/*'\n",
		"packages/api/package.json":  "{\"name\": \"api\", \"main\": \"dist/index.js\", \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/index.js\"}, \"dependencies\": {\"express\": \"^4.21.2\"}, \"devDependencies\": {\"typescript\": \"^5.6.0\"}}\n",
		"packages/api/tsconfig.json": "{\"compilerOptions\": {\"outDir\": \"dist\", \"rootDir\": \"src\"}}\n",
		"packages/api/src/index.ts":  "import express from 'express';\nconst app = express();\napp.set('trust proxy', 1);\napp.get('/healthz', (q, r) => r.send('ok'));\nprocess.on('SIGTERM', () => process.exit(0));\napp.listen(process.env.PORT || 3000);\n",
	},
	// A member whose own prepare script needs its dev dependencies (the
	// review's shape): the production install goes without it.
	"node pnpm workspace member prepare": {
		"package.json":              "{\"name\": \"mono\", \"private\": true, \"scripts\": {\"start\": \"node server.js\"}, \"dependencies\": {\"express\": \"^4.21.0\", \"lib\": \"workspace:*\"}}\n",
		"pnpm-lock.yaml":            "lockfileVersion: '9.0'\n",
		"pnpm-workspace.yaml":       "packages:\n  - 'packages/*'\n",
		"server.js":                 "const app = require('express')();\napp.set('trust proxy', 1);\napp.get('/healthz', (q, r) => r.send('ok'));\nprocess.on('SIGTERM', () => process.exit(0));\napp.listen(3000);\n",
		"packages/lib/package.json": "{\"name\": \"lib\", \"main\": \"index.js\", \"scripts\": {\"prepare\": \"tsc\"}, \"devDependencies\": {\"typescript\": \"^5.6.0\"}}\n",
		"packages/lib/index.js":     "module.exports = {};\n",
	},
	// A Yarn 1 workspace of TypeScript members
	// (kenyipp/realworld-nodejs-example-app's shape, 94a864e4e458): the
	// runtime takes the tree the build leaves, members' builds included.
	"node yarn workspace typescript": {
		"package.json":               "{\n  \"name\": \"conduit\",\n  \"private\": true,\n  \"scripts\": {\"build\": \"tsc -b\", \"start\": \"node apps/local/local.js\"},\n  \"workspaces\": [\n    \"apps/*\",\n    \"packages/*\"\n  ],\n  \"devDependencies\": {\"typescript\": \"^5.6.3\"}\n}\n",
		"yarn.lock":                  "# yarn lockfile v1\n",
		"tsconfig.json":              "{\"compilerOptions\": {\"module\": \"commonjs\"}}\n",
		"apps/local/package.json":    "{\n  \"name\": \"@conduit/local\",\n  \"dependencies\": {\"@conduit/core\": \"*\", \"dotenv\": \"^16.4.5\", \"express\": \"^4.21.1\"}\n}\n",
		"apps/local/local.ts":        "import express from 'express';\nconst app = express();\napp.set('trust proxy', 1);\napp.get('/api/health-check', (q, r) => r.send('ok'));\nprocess.on('SIGTERM', () => process.exit(0));\napp.listen(process.env.PORT || 3100);\n",
		"packages/core/package.json": "{\n  \"name\": \"@conduit/core\",\n  \"main\": \"index.js\"\n}\n",
		"packages/core/index.ts":     "export const core = 1;\n",
	},
	// node-red's shape: state in ~/.node-red, so $HOME is the volume.
	"node home dir": {
		"package.json": `{"name": "node-red", "scripts": {"start": "node red.js"}, "dependencies": {"express": "4"}}`,
		"red.js":       "var userDir = path.join(process.env.HOME || process.env.USERPROFILE, \".node-red\");\nfs.copySync(path.join(__dirname, 'settings.js'), path.join(userDir, 'settings.js'));\napp.get('/healthz', ok);\nprocess.on('SIGTERM', stop);\nrequire('http').createServer(app).listen(process.env.PORT || 1880);\n",
	},
	"node express lockfile templates": {
		"package.json":      `{"name":"x","scripts":{"start":"node server.js"},"engines":{"node":">=18"},"dependencies":{"express":"^4.21.0"}}`,
		"package-lock.json": `{"lockfileVersion":3}`,
		"server.js":         "const app = require('express')();\napp.set('trust proxy', 1);\napp.set('view engine', 'ejs');\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(3000);\n",
	},
	// electerious/Ackee's shape: JavaScript whose server serves what its
	// build script writes, built before it serves.
	"node javascript built first": {
		"package.json": `{"name":"x","scripts":{"start":"npm run build && npm run server","build":"node build.js","server":"node src/index.js"},"dependencies":{"express":"^4.21.0"}}`,
		"yarn.lock":    "",
		"build.js":     "require('fs').writeFileSync('dist/index.html', '<html></html>')\n",
		"src/index.js": "const app = require('express')();\napp.set('trust proxy', 1);\napp.get('/healthz', (q, r) => r.send('ok'));\napp.get('/', (q, r) => r.sendFile(__dirname + '/../dist/index.html'));\napp.listen(3000);\n",
	},
	"node typescript fastify redis pnpm": {
		"package.json":   `{"name":"x","main":"dist/index.js","dependencies":{"fastify":"^5.0.0","ioredis":"^5.4.0"},"devDependencies":{"typescript":"^5.6.0"}}`,
		"pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
		"tsconfig.json":  "{}",
		"src/index.ts":   "import Redis from 'ioredis'\napp.get('/health', async () => 'ok')\napp.listen({ port: 3000, host: '0.0.0.0' })\n",
	},
	"node next yarn": {
		"package.json":    `{"name":"x","scripts":{"build":"next build","start":"next start"},"engines":{"node":"22.x"},"dependencies":{"next":"15.0.0","react":"18.3.1"}}`,
		"yarn.lock":       "",
		"next.config.mjs": "/** @type {import('next').NextConfig} */\nexport default { output: 'standalone' }\n",
	},
	"node next standalone by variable": {
		"package.json":      `{"name":"x","scripts":{"build":"next build","start":"next start"},"engines":{"node":"22.x"},"dependencies":{"next":"15.0.0","react":"18.3.1"}}`,
		"package-lock.json": "{}",
		"next.config.js":    "module.exports = {\n  output: process.env.BUILD_STANDALONE === \"true\" ? \"standalone\" : undefined,\n}\n",
	},
	// Yarn 3 through yarnPath, Plug'n'Play (Yarn's default linker): the
	// release and the configuration copied before the install, which is
	// told to write node_modules; no workspaces focus without its plugin.
	"node express yarn berry pnp": {
		"package.json":                  `{"name":"x","main":"server.js","dependencies":{"express":"^4.19.0"}}`,
		"yarn.lock":                     "__metadata:\n  version: 6\n",
		".yarnrc.yml":                   "yarnPath: .yarn/releases/yarn-3.6.4.cjs\n",
		".yarn/releases/yarn-3.6.4.cjs": "// yarn\n",
		"server.js":                     "const app = require('express')();\napp.set('trust proxy', 1);\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(3000);\nprocess.on('SIGTERM', () => process.exit(0));\n",
	},
	"node nestjs no lock": {
		"package.json":             `{"name":"x","dependencies":{"@nestjs/core":"^10.4.0"},"devDependencies":{"typescript":"^5.6.0"}}`,
		"src/main.ts":              "await app.listen(3000);\n",
		"src/health.controller.ts": "@Controller('health')\nexport class HealthController {\n  @Get()\n  check() { return 'ok' }\n}\n",
	},
	"rust axum postgres": {
		"Cargo.toml":  "[package]\nname = \"api\"\nversion = \"0.1.0\"\nrust-version = \"1.82\"\n\n[dependencies]\naxum = \"0.7\"\ntokio-postgres = \"0.7\"\n",
		"Cargo.lock":  "version = 3\n",
		"src/main.rs": "fn main() { let l = TcpListener::bind(\"0.0.0.0:3000\"); Router::new().route(\"/health\", get(h)); }\n",
	},
	"rust workspace actix": {
		"Cargo.toml":         "[workspace]\nmembers = [\"server\"]\n",
		"server/Cargo.toml":  "[package]\nname = \"server\"\nversion = \"0.1.0\"\n\n[dependencies]\nactix-web = \"4\"\n",
		"server/src/main.rs": "fn main() { App::new().route(\"/health\", web::get().to(h)); }\n",
	},
}

var optionSets = map[string]generate.Options{
	"defaults":             {},
	"helm":                 {Helm: true},
	"kustomize everything": {HPA: true, Ingress: "app.example.com", NetworkPolicy: true, Image: "ghcr.io/acme/app"},
	"helm everything":      {Helm: true, HPA: true, Ingress: "app.example.com", NetworkPolicy: true},
}

// TestProject_PassesProductionCheck: for every stack and option set, what
// init writes passes `shipshape check --profile production` with zero
// findings, and check read every file that has a checker.
func TestProject_PassesProductionCheck(t *testing.T) {
	names := make([]string, 0, len(stacks))
	for n := range stacks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for optName, opts := range optionSets {
			t.Run(name+"/"+optName, func(t *testing.T) {
				dir := testutil.WriteTree(t, stacks[name])
				s, err := detect.Detect(dir)
				if err != nil {
					t.Fatal(err)
				}
				opts.Name = "svc"
				p, err := generate.Resolve(s, opts)
				if err != nil {
					t.Fatal(err)
				}
				files, err := generate.Project(p)
				if err != nil {
					t.Fatal(err)
				}
				var all strings.Builder
				for _, f := range files {
					path := filepath.Join(dir, f.Path)
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(f.Content), 0o644); err != nil {
						t.Fatal(err)
					}
					all.WriteString("--- " + f.Path + "\n" + f.Content)
				}
				var stdout, stderr bytes.Buffer
				code := cli.Execute(context.Background(), []string{"check", "--no-config", "--profile", "production", "--fail-on", "info", dir},
					strings.NewReader(""), &stdout, &stderr)
				if code != 0 || !strings.Contains(stdout.String(), "0 findings") {
					t.Fatalf("check exit %d\n%s%s\n%s", code, stdout.String(), stderr.String(), all.String())
				}
			})
		}
	}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestProject_Golden pins what init writes for every stack: framework
// detection for stacks that cannot be built here (Flask, FastAPI, Django,
// axum, actix, Next.js, NestJS need PyPI, crates.io or the npm registry)
// is proven by these files. Regenerate with `go test ./internal/generate
// -run Golden -update` and review the diff.
func TestProject_Golden(t *testing.T) {
	for name, files := range stacks {
		t.Run(name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, files))
			if err != nil {
				t.Fatal(err)
			}
			p, err := generate.Resolve(s, generate.Options{Name: "svc"})
			if err != nil {
				t.Fatal(err)
			}
			out, err := generate.Project(p)
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for _, f := range out {
				if f.Path == "Dockerfile" || f.Path == ".dockerignore" || f.Path == "compose.yaml" {
					got.WriteString("=== " + f.Path + "\n" + f.Content)
				}
			}
			golden := filepath.Join("testdata", "golden", strings.NewReplacer(" ", "-", "/", "-").Replace(name)+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got.String() != string(want) {
				t.Errorf("%s differs from what init writes now; run with -update and review the diff", golden)
			}
		})
	}
}

// TestProjectSet_PassesProductionCheck: several services in one repository
// (one with SQLite, one with Postgres and Redis) share one compose project,
// proxy, kustomize base and workflow, and pass the production profile.
func TestProjectSet_PassesProductionCheck(t *testing.T) {
	tree := map[string]string{}
	members := map[string]string{"web": "node express lockfile templates", "blog": "python flask gunicorn templates sqlite", "api": "rust axum postgres", "jobs": "python fastapi uv postgres redis"}
	for dir, stack := range members {
		for f, content := range stacks[stack] {
			tree["services/"+dir+"/"+f] = content
		}
	}
	root := testutil.WriteTree(t, tree)
	services, err := detect.Services(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(services) != 4 || services[0].Dir != "services/web" {
		t.Fatalf("services = %+v; want 4, web first", services)
	}
	for _, opts := range []generate.Options{{}, {HPA: true, Ingress: "shop.example.com", NetworkPolicy: true}} {
		set := &generate.Set{Options: opts}
		set.Name = "shop"
		for _, svc := range services {
			o := opts
			o.Name = "shop-" + filepath.Base(svc.Dir)
			p, err := generate.Resolve(svc.Stack, o)
			if err != nil {
				t.Fatal(err)
			}
			set.Services = append(set.Services, generate.Service{Name: filepath.Base(svc.Dir), Dir: svc.Dir, Plan: p})
		}
		files, err := generate.ProjectSet(set)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for f, content := range tree {
			files = append(files, generate.File{Path: f, Content: content})
		}
		var compose string
		for _, f := range files {
			path := filepath.Join(dir, f.Path)
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, []byte(f.Content), 0o644); err != nil {
				t.Fatal(err)
			}
			if f.Path == "compose.yaml" {
				compose = f.Content
			}
		}
		for _, want := range []string{"blog_data:/app/instance", "context: services/api", "api:\n        condition: service_healthy", "  db:\n", "  redis:\n"} {
			if !strings.Contains(compose, want) {
				t.Errorf("compose.yaml lacks %q:\n%s", want, compose)
			}
		}
		var stdout, stderr bytes.Buffer
		code := cli.Execute(context.Background(), []string{"check", "--no-config", "--profile", "production", "--fail-on", "info", dir},
			strings.NewReader(""), &stdout, &stderr)
		if code != 0 || !strings.Contains(stdout.String(), "0 findings") {
			t.Fatalf("%+v: check exit %d\n%s%s", opts, code, stdout.String(), stderr.String())
		}
		set.Helm = true
		if _, err := generate.ProjectSet(set); err == nil || !strings.Contains(err.Error(), "--helm") {
			t.Errorf("--helm with several services: err = %v", err)
		}
	}
}

// TestResolve_OneSQLServer: an app with drivers for two SQL servers gets
// one db service and one DATABASE_URL (a compose file with the key twice
// is invalid), and a note names the one left out.
func TestResolve_OneSQLServer(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, stacks["go postgres and mysql drivers"]))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, db := range p.Stack.Databases {
		kinds = append(kinds, db.Value)
	}
	if strings.Join(kinds, " ") != "postgres redis" {
		t.Errorf("databases planned: %v; want postgres redis", kinds)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "store.go:4 mentions mysql too; the files run postgres (found at store.go:5) only") {
		t.Errorf("notes: %q", p.Notes)
	}
	if len(s.Databases) != 3 {
		t.Errorf("Resolve changed the detected stack: %v", s.Databases)
	}
}

// TestProject_MigrationsRunOncePerRelease: declared migrations run in a
// one-off compose service the app waits for and a pre-deploy Job (a Helm
// hook too), not in the app's entrypoint.
func TestProject_MigrationsRunOncePerRelease(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, stacks["python django poetry mysql"]))
	if err != nil {
		t.Fatal(err)
	}
	for _, helm := range []bool{false, true} {
		got := projectFiles(t, s, generate.Options{Name: "shop", Helm: helm})
		job := got["deploy/k8s/base/migrate.yaml"]
		if helm {
			job = got["deploy/helm/shop/templates/migrate.yaml"]
		}
		for _, want := range []string{"kind: Job", "dev.shipshape.phase: pre-deploy", "helm.sh/hook: pre-install,pre-upgrade",
			`command: ["/usr/bin/python3", "manage.py", "migrate", "--noinput"]`} {
			if !strings.Contains(job, want) {
				t.Errorf("helm=%v: the migration Job lacks %q:\n%s", helm, want, job)
			}
		}
		if !strings.Contains(got["compose.yaml"], "app-migrate:\n        condition: service_completed_successfully") {
			t.Errorf("compose.yaml: the app does not wait for its migrations:\n%s", got["compose.yaml"])
		}
		if !helm && (!strings.Contains(got[".github/workflows/container.yml"], "delete job/shop-migrate --ignore-not-found") ||
			!strings.Contains(got[".github/workflows/container.yml"], "wait --for=condition=complete job/shop-migrate")) {
			t.Errorf("CI neither replaces nor waits for the migration Job:\n%s", got[".github/workflows/container.yml"])
		}
		if strings.Contains(got["Dockerfile"], "migrate") {
			t.Errorf("the Dockerfile migrates on every start:\n%s", got["Dockerfile"])
		}
	}
}

// TestDockerfile_WhatTheCodeNeeds: the image follows what the code does
// with signals and ports, and compose's environment has each name once.
func TestDockerfile_WhatTheCodeNeeds(t *testing.T) {
	cases := []struct {
		name      string
		files     map[string]string
		want, not []string
		compose   []string
	}{
		{"node draining on SIGINT gets SIGTERM as SIGINT", map[string]string{
			"package.json": `{"scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}`,
			"server.js":    "app.get('/healthz', ok)\nprocess.on('SIGINT', () => server.close())\napp.listen(process.env.PORT || 3000)\n",
		}, []string{`process.once('SIGTERM', () => process.emit('SIGINT', 'SIGINT'))`}, []string{"STOPSIGNAL"}, nil},
		{"a Python script draining on Ctrl-C gets SIGTERM as KeyboardInterrupt", map[string]string{
			"requirements.txt": "",
			"app.py":           "import signal\nsignal.signal(signal.SIGINT, stop)\nclass H:\n    def do_GET(self):\n        if self.path == '/health':\n            pass\nif __name__ == '__main__':\n    HTTPServer(('0.0.0.0', 8000), H).serve_forever()\n",
		}, []string{"signal.signal(signal.SIGTERM, signal.default_int_handler)"}, []string{"STOPSIGNAL"}, nil},
		{"gunicorn stops on SIGTERM whatever a CLI module says about SIGINT", map[string]string{
			"requirements.txt": "flask\ngunicorn\n",
			"app/__init__.py":  "app = Flask(__name__)\n@app.get('/healthz')\ndef h():\n    return 'ok'\n",
			"app/cli.py":       "signal.signal(signal.SIGINT, cancel)\n",
		}, []string{`"-m", "gunicorn"`}, []string{"STOPSIGNAL"}, nil},
		{"a Rust server draining on Ctrl-C runs under tini with STOPSIGNAL SIGINT", map[string]string{
			"Cargo.toml":  "[package]\nname = \"api\"\n",
			"src/main.rs": "let l = TcpListener::bind(\"0.0.0.0:8080\"); Router::new().route(\"/health\", get(h)); tokio::signal::ctrl_c().await;\n",
		}, []string{"STOPSIGNAL SIGINT", `ENTRYPOINT ["/app/tini", "--", "/app/server"]`}, nil, nil},
		{"the arguments a Node start script passes reach the program, after the SIGTERM preload (peer)", map[string]string{
			"package.json": `{"name": "peer", "engines": {"node": ">=14"}, "scripts": {"start": "node bin/peer.js --port ${PORT:=9000}"}, "dependencies": {"express": "4"}}`,
			"bin/peer.js":  "app.get('/health', ok)\napp.listen(opts.port)\n",
		}, []string{`"--import", "data:text/javascript,process.once('SIGTERM', () => process.exit(0))", "bin/peer.js", "--port", "9000"]`, "EXPOSE 9000"}, nil, nil},
		{"under node -e the file comes first among the words after it, as process.argv has it", map[string]string{
			".nvmrc":       "16.20.2\n",
			"package.json": `{"name": "peer", "scripts": {"start": "node bin/peer.js --port ${PORT:=9000}"}, "dependencies": {"express": "4"}}`,
			"bin/peer.js":  "app.get('/health', ok)\napp.listen(opts.port)\n",
		}, []string{`import(\"/app/bin/peer.js\")", "/app/bin/peer.js", "--port", "9000"]`}, nil, nil},
		{"the port variable is set in the image; a privileged default moves to 8080", map[string]string{
			"go.mod":  "module x\n\ngo 1.26\n",
			"main.go": "package main\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":\"+getEnv(\"WEB_PORT\", \"80\"), nil)\n}\n",
		}, []string{"ENV WEB_PORT=8080", "EXPOSE 8080"}, nil, nil},
		{"a Go program that exits without its .env gets an empty one: the environment configures it", map[string]string{
			"go.mod":  "module x\n\ngo 1.26\n",
			"main.go": "package main\n\nfunc main() {\n\tif err := godotenv.Load(\"config/app.env\"); err != nil {\n\t\tpanic(err)\n\t}\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		}, []string{": > /out/empty.env", "COPY --from=build /out/empty.env /app/config/app.env"}, nil, nil},
		{"a Go program whose generated code git ignores, and which looks itself up in /etc/passwd (benbjohnson/wtf)", map[string]string{
			"go.mod":      "module x\n\ngo 1.26\n\nrequire (\n\tgithub.com/benbjohnson/ego v0.4.1\n\tgithub.com/benbjohnson/hashfs v0.2.1 // indirect\n)\n",
			".gitignore":  "*.ego.go\n",
			"Makefile":    "generate:\n\t@go run github.com/benbjohnson/ego/cmd/ego ./http/html\n",
			"main.go":     "package main\n\nfunc main() {\n\tu, _ := user.Current()\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
			"http/html/a": "x\n",
		}, []string{"# Makefile:1: it writes the Go code the build needs: *.ego.go is git-ignored (.gitignore:1).\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\\n    go run github.com/benbjohnson/ego/cmd/ego ./http/html && \\\n    CGO_ENABLED=0",
			"RUN printf 'app:x:10001:10001:app:/app:/sbin/nologin\\n' >> /out/passwd", "COPY --from=passwd /out/passwd /etc/passwd"}, nil, nil},
		{"Next.js whose config builds the standalone server only when a variable says so", map[string]string{
			"package.json":   `{"scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "15.0.3", "react": "19.0.0"}}`,
			"next.config.js": "module.exports = {\n  output: process.env.BUILD_STANDALONE === \"true\" ? \"standalone\" : undefined,\n}\n",
		}, []string{"COPY . .\n# next.config.js:2: the config builds the standalone server Next.js runs in the image only when $BUILD_STANDALONE is true.\nENV BUILD_STANDALONE=true\nRUN npm run build", "COPY --from=build /app/.next/standalone ./"}, nil, nil},
		{"a Go program without one gets none", map[string]string{
			"go.mod":  "module x\n\ngo 1.26\n",
			"main.go": "package main\n\nfunc main() {\n\t_ = godotenv.Load()\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		}, nil, []string{"empty.env", "passwd", "go run"}, nil},
		{"a Go flag whose default is a loopback database gets the service's address in compose (microservices-docker-go-mongodb's movies)", map[string]string{
			"go.mod":          "module movies\n\ngo 1.19\n\nrequire go.mongodb.org/mongo-driver v1.11.1\n",
			"cmd/app/main.go": "package main\n\nimport (\n\t\"flag\"\n\t\"go.mongodb.org/mongo-driver/mongo\"\n)\n\nfunc main() {\n\tmongoURI := flag.String(\"mongoURI\", \"mongodb://localhost:27017\", \"Database hostname url\")\n\tflag.Parse()\n\t_ = mongo.Connect(*mongoURI)\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":4000\", nil)\n}\n",
		}, nil, []string{"mongoURI"}, []string{"    command: [\"--mongoURI=mongodb://mongo:27017\"]\n", "  mongo:\n"}},
		{"viper's dotenv file, a loopback listen address in the example, go-redis's address (golang-mongodb-rest-api-starter)", map[string]string{
			"go.mod":                     "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/redis/go-redis/v9 v9.5.1\n\tgithub.com/spf13/viper v1.18.2\n)\n",
			".env.example":               "SERVER_ADDR=localhost\nSERVER_PORT=8080\nREDIS_DEFAULT_ADDR=localhost:6379\n",
			"main.go":                    "package main\n\nimport \"github.com/redis/go-redis/v9\"\n\nfunc main() {\n\tservices.LoadConfig()\n\t_ = redis.NewClient(&redis.Options{Addr: services.Config.RedisAddr})\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(services.Config.ServerAddr+\":\"+services.Config.ServerPort, nil)\n}\n",
			"services/config.service.go": "package services\n\nfunc LoadConfig() {\n\tv := viper.New()\n\tv.AutomaticEnv()\n\tv.SetConfigType(\"dotenv\")\n\tv.SetConfigName(\".env\")\n\tif err := v.ReadInConfig(); err != nil {\n\t\tpanic(err)\n\t}\n}\n",
			"models/config.go":           "package models\n\ntype EnvConfig struct {\n\tServerAddr string `mapstructure:\"SERVER_ADDR\"`\n\tServerPort string `mapstructure:\"SERVER_PORT\"`\n\tRedisAddr  string `mapstructure:\"REDIS_DEFAULT_ADDR\"`\n}\n",
		}, []string{"{ sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1=/p' .env.example || :; } > /out/empty.env", "COPY --from=build /out/empty.env /app/.env", "ENV SERVER_ADDR=0.0.0.0"}, nil,
			[]string{"      SERVER_ADDR: 0.0.0.0\n", "      REDIS_DEFAULT_ADDR: redis:6379\n"}},
		{"Postgres and MongoDB both claim DATABASE_URL: compose gets it once", map[string]string{
			"package.json": `{"scripts":{"start":"node server.js"},"dependencies":{"express":"4","pg":"8","mongoose":"8"}}`,
			"server.js":    "const { Pool } = require('pg')\nconst mongoose = require('mongoose')\nnew Pool({ connectionString: process.env.DATABASE_URL })\napp.get('/healthz', ok)\napp.listen(3000)\n",
		}, nil, nil, []string{"DATABASE_URL: postgresql://", "  mongo:\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, c.files))
			if err != nil {
				t.Fatal(err)
			}
			got := projectFiles(t, s, generate.Options{Name: "x"})
			holds(t, "Dockerfile", got["Dockerfile"], c.want, c.not)
			for _, w := range c.compose {
				if !strings.Contains(got["compose.yaml"], w) {
					t.Errorf("compose.yaml lacks %q:\n%s", w, got["compose.yaml"])
				}
			}
			// YAML rejects a mapping key written twice, as compose does.
			var doc map[string]any
			if err := yaml.Unmarshal([]byte(got["compose.yaml"]), &doc); err != nil {
				t.Errorf("compose.yaml: %v\n%s", err, got["compose.yaml"])
			}
		})
	}
}

// holds reports each of want that text lacks and each of not it has.
func holds(t *testing.T, name, text string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", name, w, text)
		}
	}
	for _, n := range not {
		if strings.Contains(text, n) {
			t.Errorf("%s has %q:\n%s", name, n, text)
		}
	}
}

// projectFiles is what init writes for s with o, by path.
func projectFiles(t *testing.T, s *detect.Stack, o generate.Options) map[string]string {
	t.Helper()
	p, err := generate.Resolve(s, o)
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate.Project(p)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.Path] = f.Content
	}
	return got
}

// TestDockerfile_ArgsCarryThePlansPort: where the program's arguments give
// its port, the image passes the plan's there (peer's `--port
// ${PORT:=9000}` follows init --port 8080; Heroku's `--port $PORT` gets
// the port the image sets; a privileged one moves to 8080, as a port
// variable's does), and EXPOSE and the health check agree with it.
func TestDockerfile_ArgsCarryThePlansPort(t *testing.T) {
	server := "const app = require('express')();\napp.get('/healthz', ok);\napp.listen(opts.port);\n"
	for name, tc := range map[string]struct {
		start string
		opts  generate.Options
		want  string
		port  string
	}{
		"the plan's port":  {"node server.js --port ${PORT:=9000}", generate.Options{Name: "x", Port: 8080}, `"server.js", "--port", "8080"]`, "8080"},
		"as detected":      {"node server.js --port ${PORT:=9000}", generate.Options{Name: "x"}, `"server.js", "--port", "9000"]`, "9000"},
		"$PORT":            {"node server.js --port=$PORT --title \"my app\"", generate.Options{Name: "x", Port: 4000}, `"server.js", "--port=4000", "--title", "my app"]`, "4000"},
		"a privileged one": {"node server.js --port 80", generate.Options{Name: "x"}, `"server.js", "--port", "8080"]`, "8080"},
	} {
		t.Run(name, func(t *testing.T) {
			pkg := fmt.Sprintf(`{"name": "x", "scripts": {"start": %q}, "dependencies": {"express": "4"}}`, tc.start)
			s, err := detect.Detect(testutil.WriteTree(t, map[string]string{"package.json": pkg, "server.js": server}))
			if err != nil {
				t.Fatal(err)
			}
			df := projectFiles(t, s, tc.opts)["Dockerfile"]
			for _, w := range []string{tc.want + "\n", "EXPOSE " + tc.port + "\n", "http://127.0.0.1:" + tc.port + "/healthz"} {
				if !strings.Contains(df, w) {
					t.Errorf("Dockerfile lacks %s:\n%s", w, df)
				}
			}
		})
	}
}
