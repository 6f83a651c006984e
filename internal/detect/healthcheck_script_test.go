package detect

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A HEALTHCHECK that runs a script of the repository: the path the
// script requests is the health route. Lissy93/dashy's `CMD node
// services/healthcheck.js` sends http.request({ host, port, path:
// '/healthz' }), a route its code registers as express().get(ENDPOINTS.health)
// (not read); joeferner/redis-commander's `CMD
// ["/redis-commander/bin/healthcheck.js"]`, under WORKDIR
// /redis-commander, gets `http://${host}:${port}${urlPrefix}/healthcheck`,
// a static file. A script that requests two paths, or one the image
// does not hold, gives none.
func TestDetect_HealthcheckScript(t *testing.T) {
	express := map[string]string{
		"package.json": `{"name":"x","main":"server.js","dependencies":{"express":"4"},"scripts":{"start":"node server.js"}}`,
		"server.js":    "const express = require('express');\nconst ENDPOINTS = { health: '/healthz' };\nconst app = express().get(ENDPOINTS.health, (req, res) => res.end('ok'))\n  .get('/conf', (req, res) => res.end());\napp.listen(process.env.PORT || 8080);\n",
	}
	for _, c := range []struct {
		name, dockerfile, script, file, want string
		line                                 int
	}{
		{"dashy", "FROM node:20\nWORKDIR /app\nCOPY . .\nHEALTHCHECK --interval=5m --timeout=10s \\\n  CMD node services/healthcheck.js\nCMD [\"node\", \"server.js\"]\n",
			"const http = require('http');\nconst requestOptions = {\n  host, port, timeout, agent, path: '/healthz',\n};\nhttp.request(requestOptions, (r) => process.exit(r.statusCode < 400 ? 0 : 1));\n",
			"services/healthcheck.js", "/healthz", 3},
		{"redis-commander", "FROM node:20\nWORKDIR /redis-commander\nCOPY . .\nHEALTHCHECK --interval=1m --timeout=2s CMD [\"/redis-commander/bin/healthcheck.js\"]\nCMD [\"node\", \"server.js\"]\n",
			"#!/usr/bin/env node\n// checks the server\nhttp.get(`http://${host}:${port}${urlPrefix}/healthcheck`, (resp) => {});\n",
			"bin/healthcheck.js", "/healthcheck", 3},
		{"a shell script", "FROM node:20\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD [\"/app/scripts/healthcheck.sh\"]\n",
			"#!/bin/sh\ncurl -fsS http://localhost:$PORT/api/health || exit 1\n", "scripts/healthcheck.sh", "/api/health", 2},
		{"a Python script", "FROM node:20\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD python3 hc.py\n",
			"import urllib.request\nurllib.request.urlopen(f'http://localhost:{port}/api/health')\n", "hc.py", "/api/health", 2},
		{"two paths", "FROM node:20\nWORKDIR /app\nHEALTHCHECK CMD node hc.js\n",
			"http.get('http://localhost:8080/healthz');\nhttp.get('http://localhost:8080/ready');\n", "hc.js", "", 0},
		{"outside the image's directory", "FROM node:20\nWORKDIR /app\nHEALTHCHECK CMD [\"/usr/local/bin/hc.js\"]\n",
			"http.get('http://localhost:8080/healthz');\n", "hc.js", "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"Dockerfile": c.dockerfile, c.file: c.script}
			for k, v := range express {
				files[k] = v
			}
			s, err := Detect(testutil.WriteTree(t, files))
			if err != nil {
				t.Fatal(err)
			}
			got := s.HealthPath
			if c.want == "" {
				if got != nil && got.File == c.file {
					t.Errorf("health %s from the script", ev(got))
				}
				return
			}
			if got == nil || got.Value != c.want || got.File != c.file || got.Line != c.line {
				t.Errorf("health %s, want %s from %s:%d", ev(got), c.want, c.file, c.line)
			}
		})
	}
}

// A Prisma schema's datasource reads its URL from the environment: the
// variable is one the app reads (notiz-dev/nestjs-prisma-starter's
// prisma/schema.prisma:3, url = env("DATABASE_URL")).
func TestDetect_PrismaSchemaEnv(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":         `{"name":"x","main":"dist/main.js","dependencies":{"@nestjs/core":"10","@prisma/client":"5"},"devDependencies":{"prisma":"5"}}`,
		"src/main.ts":          "const app = await NestFactory.create(AppModule);\nawait app.listen(process.env.PORT || 3000);\n",
		"prisma/schema.prisma": "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n  // directUrl = env(\"DIRECT_URL\")\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var found *Evidence
	for i, e := range s.Env {
		if e.Value == "DATABASE_URL" {
			found = &s.Env[i]
		}
		if e.Value == "DIRECT_URL" {
			t.Errorf("a commented line's variable read: %s", ev(&s.Env[i]))
		}
	}
	if found == nil || found.File != "prisma/schema.prisma" || found.Line != 3 {
		t.Errorf("DATABASE_URL read at %s, want prisma/schema.prisma:3 (env %+v)", ev(found), s.Env)
	}
}

// dj-database-url's config() and django-environ's env.db() read the
// database's URL from the environment themselves: DATABASE_URL, or the
// name given (a review found init saying such an app reads no variable).
func TestDetect_PythonURLHelperReads(t *testing.T) {
	for settings, want := range map[string]string{
		"import dj_database_url\nDATABASES = {'default': dj_database_url.config(conn_max_age=600)}\n": "DATABASE_URL",
		"import dj_database_url\nDATABASES = {'default': dj_database_url.config(env='PG_URL')}\n":     "PG_URL",
		"import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n":                    "DATABASE_URL",
		"import environ\nenv = environ.Env()\nDATABASES = {'default': env.db_url('SQL_URL')}\n":       "SQL_URL",
	} {
		s, err := Detect(testutil.WriteTree(t, map[string]string{
			"requirements.txt": "django==5.2\npsycopg2==2.9.10\ndj-database-url==2.3.0\n",
			"manage.py":        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
			"site/__init__.py": "",
			"site/settings.py": settings,
			"site/wsgi.py":     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
		}))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range s.Env {
			found = found || e.Value == want && e.File == "site/settings.py"
		}
		if !found {
			t.Errorf("%q: no read of %s (env %+v)", settings, want, s.Env)
		}
	}
}

// The same rule on the real scripts (testdata/healthcheck, pinned by
// commit, MIT) under the real HEALTHCHECK lines of their Dockerfiles.
func TestDetect_HealthcheckScriptRealFiles(t *testing.T) {
	for _, c := range []struct {
		name, dockerfile, script, want string
		line                           int
	}{
		{"dashy", "FROM node:20-alpine\nWORKDIR /app\nCOPY . ./\nHEALTHCHECK --interval=5m --timeout=10s --start-period=20s --retries=3 \\\n  CMD node services/healthcheck.js\nCMD [ \"node\", \"server.js\" ]\n",
			"services/healthcheck.js", "/healthz", 35},
		{"redis-commander", "FROM node:20-alpine\nWORKDIR /redis-commander\nCOPY . .\nHEALTHCHECK --interval=1m --timeout=2s CMD [\"/redis-commander/bin/healthcheck.js\"]\nCMD [\"node\", \"server.js\"]\n",
			"bin/healthcheck.js", "/healthcheck", 29},
	} {
		script, err := os.ReadFile(filepath.Join("testdata", "healthcheck", c.name, "healthcheck.js"))
		if err != nil {
			t.Fatal(err)
		}
		s, err := Detect(testutil.WriteTree(t, map[string]string{
			"package.json": `{"name":"x","main":"server.js","dependencies":{"express":"4"}}`,
			"server.js":    "const app = require('express')();\napp.post('/save', (req, res) => res.end());\napp.listen(process.env.PORT || 8080);\n",
			"Dockerfile":   c.dockerfile,
			c.script:       string(script),
		}))
		if err != nil {
			t.Fatal(err)
		}
		if e := s.HealthPath; e == nil || e.Value != c.want || e.File != c.script || e.Line != c.line {
			t.Errorf("%s: health %s, want %s from %s:%d", c.name, ev(e), c.want, c.script, c.line)
		}
	}
}
