package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// A JavaScript app (no TypeScript) whose postinstall builds what it serves
// (Heroku's recipe: "postinstall": "npm run build", webpack): detect
// records InstallBuild ("the build runs it after the tree is copied"),
// but no build stage is written and the deps stage's package.json drops
// the postinstall: dist/ is never built.
func TestInstallBuildWithoutTypeScriptIsNeverBuilt(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json":      `{"name": "web", "main": "server.js", "scripts": {"build": "webpack --mode production", "start": "node server.js", "postinstall": "npm run build"}, "dependencies": {"express": "^4.21.0"}, "devDependencies": {"webpack": "^5.95.0", "webpack-cli": "^5.1.4"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"webpack.config.js": "module.exports = {entry: './src/index.js', output: {path: __dirname + '/dist'}};\n",
		"src/index.js":      "document.body.textContent = 'hi';\n",
		"server.js":         "const express = require('express');\nconst path = require('path');\nconst app = express();\napp.use(express.static(path.join(__dirname, 'dist')));\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.InstallBuild == nil {
		t.Fatal("InstallBuild not detected")
	}
	df := projectFiles(t, s, generate.Options{Name: "web", HealthPath: "/healthz"})["Dockerfile"]
	if !strings.Contains(df, "npm run build") {
		t.Errorf("the postinstall's build runs nowhere (no build stage):\n%s", df)
	}
}

// An install-time script that builds something other than the build
// script ("postinstall": "npm run build:web" beside "build": "tsc") is
// dropped from the install, and the build stage runs `npm run build`
// only, under a note that says the postinstall runs there.
func TestInstallBuildOtherThanBuildScriptIsLost(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json":      `{"name": "api", "main": "dist/index.js", "scripts": {"build": "tsc", "build:web": "vite build web --outDir ../public", "postinstall": "npm run build:web", "start": "node dist/index.js"}, "dependencies": {"express": "^4.21.0"}, "devDependencies": {"typescript": "^5.6.0", "vite": "^5.4.0"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"tsconfig.json":     `{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}`,
		"web/index.html":    "<html></html>\n",
		"src/index.ts":      "import express from 'express';\nconst app = express();\napp.use(express.static('public'));\napp.get('/healthz', (_q, r) => { r.send('ok'); });\napp.listen(Number(process.env.PORT ?? 3000));\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "api", HealthPath: "/healthz"})["Dockerfile"]
	if !strings.Contains(df, "build:web") && !strings.Contains(df, "npm run postinstall") {
		t.Errorf("the postinstall (npm run build:web) is dropped and never run:\n%s", df)
	}
}

// A settings-only .npmrc is COPYed with the manifests, but a repository
// .dockerignore that lists .npmrc (a common template line) is kept by
// init's merge (it "keeps secrets out"): the COPY names a file the
// context lacks and the build stops ("/.npmrc": not found).
func TestNpmrcCopiedButDockerignoreKeepsItOut(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"package.json":      `{"name": "api", "main": "index.js", "scripts": {"start": "node index.js"}, "dependencies": {"express": "^4.21.0"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		".npmrc":            "legacy-peer-deps=true\n",
		".dockerignore":     "node_modules\n.npmrc\n.env\n",
		"index.js":          "const express = require('express');\nconst app = express();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "api", HealthPath: "/healthz"})
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate.Project(p)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := generate.Changes(dir, files, true)
	if err != nil {
		t.Fatal(err)
	}
	var df, ignore string
	for _, c := range changes {
		switch c.Path {
		case "Dockerfile":
			df = c.Content
		case ".dockerignore":
			ignore = c.Content
		}
	}
	copies := strings.Contains(df, " .npmrc ./")
	lines := strings.Split(ignore, "\n")
	excluded := false
	for _, l := range lines {
		switch strings.TrimSpace(l) {
		case ".npmrc", "/.npmrc", "**/.npmrc":
			excluded = true
		case "!.npmrc", "!/.npmrc":
			excluded = false
		}
	}
	if copies && excluded {
		t.Errorf("the Dockerfile COPYs .npmrc, which the written .dockerignore excludes:\n%s\n---\n%s", df, ignore)
	}
}

// Caddy's 10MB request-body limit is dropped for every service of a set
// where one service takes uploads; nginx lifts it per location only.
func TestCaddyBodyLimitDroppedForEveryService(t *testing.T) {
	mk := func(files map[string]string, name string) generate.Service {
		s, err := detect.Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		p, err := generate.Resolve(s, generate.Options{Name: name, HealthPath: "/healthz"})
		if err != nil {
			t.Fatal(err)
		}
		return generate.Service{Name: name, Dir: name, Plan: p}
	}
	gomod := "module example.com/svc\n\ngo 1.22\n"
	uploads := mk(map[string]string{"go.mod": gomod, "main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.HandleFunc(\"/upload\", func(w http.ResponseWriter, r *http.Request) { r.ParseMultipartForm(32 << 20) })\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"}, "files")
	plain := mk(map[string]string{"go.mod": gomod, "main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"}, "api")
	if uploads.Plan.Stack.Uploads == nil || plain.Plan.Stack.Uploads != nil {
		t.Fatalf("Uploads: %v / %v", uploads.Plan.Stack.Uploads, plain.Plan.Stack.Uploads)
	}
	set := &generate.Set{Services: []generate.Service{plain, uploads}}
	for _, f := range generate.Proxy(set) {
		if f.Path == "deploy/proxy/nginx.conf" && strings.Count(f.Content, "client_max_body_size 0;") != 1 {
			t.Errorf("nginx: want the limit lifted for the uploads service alone:\n%s", f.Content)
		}
		if f.Path == "deploy/proxy/Caddyfile" && !strings.Contains(f.Content, "max_size 10MB") {
			t.Errorf("Caddy: service api (no uploads) lost its 10MB body limit because service files takes uploads:\n%s", f.Content)
		}
	}
}

// A single-page app whose postinstall builds it (the same Heroku recipe):
// staticDockerfile's build stage still runs the full install, with the
// postinstall, before `COPY . .`: vite build runs with no index.html or
// sources. nodeDockerfile drops it; staticDockerfile does not.
func TestStaticAppInstallBuildRunsBeforeTheTree(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json":      `{"name": "spa", "private": true, "scripts": {"dev": "vite", "build": "vite build", "postinstall": "npm run build"}, "dependencies": {"react": "^18.3.1", "react-dom": "^18.3.1"}, "devDependencies": {"vite": "^5.4.0"}}`,
		"package-lock.json": `{"lockfileVersion": 3}`,
		"index.html":        `<html><body><div id="root"></div><script type="module" src="/src/main.jsx"></script></body></html>`,
		"src/main.jsx":      "import React from 'react';\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.Static == nil || s.InstallBuild == nil {
		t.Fatalf("Static %v InstallBuild %v", s.Static, s.InstallBuild)
	}
	df := projectFiles(t, s, generate.Options{Name: "spa", HealthPath: "/"})["Dockerfile"]
	before, _, _ := strings.Cut(df, "COPY . .")
	if strings.Contains(before, "npm ci") && !strings.Contains(before, "delete (p.scripts || {})") {
		t.Errorf("the install before COPY . . runs the postinstall build with no sources:\n%s", before)
	}
}
