package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// Packages as their authors publish them to npm: compiled JavaScript and
// declarations, a bin, no sources and no lock file.

// TestDetect_NodeBinBeforeMain: the program "bin" installs is what runs;
// "main" is the library's entry, which loads and exits. verdaccio's
// package: main build/index.js (exports), bin bin/verdaccio (the server).
func TestDetect_NodeBinBeforeMain(t *testing.T) {
	for name, tc := range map[string]struct {
		files map[string]string
		want  string
	}{
		"a bin string": {map[string]string{
			"package.json":             `{"name": "verdaccio", "main": "build/index.js", "bin": "./bin/verdaccio", "dependencies": {"express": "4"}}`,
			"bin/verdaccio":            "#!/usr/bin/env node\nimport('../build/lib/cli.mjs');\n",
			"build/lib/cli.mjs":        "import { runServer } from './run-server.mjs';\nrunServer();\n",
			"build/lib/run-server.mjs": "export function runServer() { app.listen(4873); }\n",
			"build/index.js":           "exports.default = require('./lib/bootstrap.js');\n",
		}, "bin/verdaccio@package.json:1"},
		// A bin that starts no server is a command beside it, here the
		// scaffolder of hagopj13/node-express-boilerplate: main serves.
		"a scaffolding bin": {map[string]string{
			"package.json":           `{"name": "create-nodejs-express-app", "bin": "bin/createNodejsApp.js", "main": "src/index.js", "dependencies": {"express": "4"}}`,
			"bin/createNodejsApp.js": "#!/usr/bin/env node\nconst { execSync } = require('child_process');\nexecSync('git clone ' + repo);\n",
			"src/index.js":           "const app = require('./app');\napp.listen(3000);\n",
		}, "src/index.js@package.json:1"},
		"the bin named after the package": {map[string]string{
			"package.json": "{\n  \"name\": \"@acme/api\",\n  \"main\": \"lib/index.js\",\n  \"bin\": {\n    \"api-admin\": \"lib/admin.js\",\n    \"api\": \"lib/server.js\"\n  }\n}\n",
			"lib/index.js": "module.exports = {};\n", "lib/admin.js": "require('http').createServer().listen(3001);\n", "lib/server.js": "require('http').createServer().listen(3000);\n",
		}, "lib/server.js@package.json:6"},
		// Two bins, neither named after the package: main as before.
		"several bins": {map[string]string{
			"package.json": `{"name": "x", "main": "lib/index.js", "bin": {"a": "lib/a.js", "b": "lib/b.js"}}`,
			"lib/index.js": "module.exports = {};\n", "lib/a.js": "1\n", "lib/b.js": "2\n",
		}, "lib/index.js@package.json:1"},
		// A bin whose file is not in the tree is no evidence.
		"a missing bin": {map[string]string{
			"package.json": `{"name": "x", "main": "server.js", "bin": "cli.js"}`,
			"server.js":    "require('http').createServer().listen(3000);\n",
		}, "server.js@package.json:1"},
		// A main that starts the server itself wins over a CLI whose
		// subcommand loads it (`mytool serve`).
		"a CLI beside a server": {map[string]string{
			"package.json":  `{"name": "mytool", "main": "server.js", "bin": {"mytool": "bin/mytool.js"}}`,
			"bin/mytool.js": "program.command('serve').action(() => require('../server'));\n",
			"server.js":     "const app = require('express')();\napp.listen(3000);\n",
		}, "server.js@package.json:1"},
		// A start script still comes first (node-red: start and bin agree).
		"a start script": {map[string]string{
			"package.json": `{"name": "node-red", "main": "lib/red.js", "scripts": {"start": "node red.js"}, "bin": {"node-red": "./red.js"}}`,
			"red.js":       "1\n", "lib/red.js": "2\n",
		}, "red.js@package.json:1"},
	} {
		s, err := Detect(testutil.WriteTree(t, tc.files))
		if err != nil {
			t.Fatal(name, err)
		}
		if got := evs(s.Entrypoints); got != tc.want {
			t.Errorf("%s: entry points %s, want %s", name, got, tc.want)
		}
	}
}

// TestDetect_NodeSourceRunnerOnAbsentSource: json-server's start script
// runs `babel-node -- src/cli/bin db.json`, and its npm package holds
// lib/ only: the script is no evidence; its bin is.
// TestDetect_NodeBinLinkOutOfTheTree: a bin that links out of the
// repository is not its program (the image would hold the link dangling).
func TestDetect_NodeBinLinkOutOfTheTree(t *testing.T) {
	outside := testutil.WriteTree(t, map[string]string{"srv.js": "require('http').createServer().listen(1);\n"})
	dir := testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "x", "main": "server.js", "bin": "bin/x.js"}`,
		"server.js":    "module.exports = {};\n",
	})
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "srv.js"), filepath.Join(dir, "bin", "x.js")); err != nil {
		t.Fatal(err)
	}
	s, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Entrypoints); got != "server.js@package.json:1" {
		t.Errorf("entry points %s", got)
	}
}

func TestDetect_NodeSourceRunnerOnAbsentSource(t *testing.T) {
	files := map[string]string{
		"package.json":        `{"name": "json-server", "main": "lib/server/index.js", "bin": "lib/cli/bin.js", "scripts": {"start": "babel-node -- src/cli/bin db.json", "build": "babel src -d lib"}, "dependencies": {"express": "4"}}`,
		"lib/cli/bin.js":      "#!/usr/bin/env node\nrequire('./index')();\n",
		"lib/cli/index.js":    "module.exports = () => { app.listen(argv.port, argv.host); };\n",
		"lib/server/index.js": "module.exports = {};\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Entrypoints); got != "lib/cli/bin.js@package.json:1" {
		t.Errorf("entry points %s", got)
	}
	// In the repository itself the source is there: the script counts,
	// resolved as node resolves it (src/cli/bin is src/cli/bin.js).
	files["src/cli/bin.js"] = "require('./index')();\n"
	s, err = Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Entrypoints); got != "src/cli/bin.js@package.json:1" {
		t.Errorf("with the sources: entry points %s", got)
	}
}

// TestDetect_NodeTypeScriptOnlyWithSources: typescript among the
// devDependencies of a package that ships compiled JavaScript and .d.ts
// files only is nothing to compile (verdaccio: its build script, vite
// build, has no sources and the build stage failed on them).
func TestDetect_NodeTypeScriptOnlyWithSources(t *testing.T) {
	files := map[string]string{
		"package.json":      `{"name": "verdaccio", "bin": "bin/verdaccio", "scripts": {"build": "vite build"}, "devDependencies": {"typescript": "5"}}`,
		"bin/verdaccio":     "import('../lib/cli.mjs');\n",
		"lib/cli.mjs":       "app.listen(4873);\n",
		"lib/index.d.ts":    "export declare const x: number;\n",
		"types/config.d.ts": "export {};\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.TypeScript != nil {
		t.Errorf("TypeScript %s, want none", ev(s.TypeScript))
	}
	files["src/server.ts"] = "export const a = 1;\n"
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || s.TypeScript == nil {
		t.Errorf("with src/server.ts: TypeScript %v (%v)", s.TypeScript, err)
	}
	delete(files, "src/server.ts")
	files["src/server.cts"] = "export const a = 1;\n"
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || s.TypeScript == nil {
		t.Errorf("with src/server.cts: TypeScript %v (%v)", s.TypeScript, err)
	}
	delete(files, "src/server.cts")
	files["tsconfig.json"] = `{"compilerOptions": {"outDir": "dist"}}`
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || s.TypeScript == nil {
		t.Errorf("with tsconfig.json: TypeScript %v (%v)", s.TypeScript, err)
	}
}

// TestDetect_NodeHomeDir: node-red keeps its flows in ~/.node-red
// (red.js:141). Only the program's own files count: a script beside it
// that writes to the home directory is not the server's.
func TestDetect_NodeHomeDir(t *testing.T) {
	files := map[string]string{
		"package.json": `{"name": "node-red", "scripts": {"start": "node red.js"}, "dependencies": {"express": "4"}}`,
		"red.js": "var path = require('path');\nvar settings = require('./settings');\n" +
			"    var userDir = parsedArgs.userDir || path.join(process.env.HOME || process.env.USERPROFILE || process.env.HOMEPATH,\".node-red\");\n" +
			"require('http').createServer().listen(1880);\nfs.copySync(path.join(__dirname, 'settings.js'), userSettingsFile);\n",
		"settings.js":        "module.exports = { uiPort: process.env.PORT || 1880 };\n",
		"scripts/install.js": "const dir = path.resolve(os.homedir(), '.npm-global');\n",
		"test/red_spec.js":   "const d = path.join(os.homedir(), '.node-red-test');\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.HomeDir); got != ".node-red@red.js:3" {
		t.Errorf("home dir %s", got)
	}
	// os.homedir(), in a file the entry loads; a comment is no code.
	files = map[string]string{
		"package.json": `{"main": "server.js"}`,
		"server.js":    "// path.join(process.env.HOME, '.old')\nconst store = require('./lib/store');\nrequire('http').createServer().listen(3000);\n",
		"lib/store.js": "const os = require('os');\nconst dir = path.resolve(os.homedir(), '.myapp');\nfs.mkdirSync(dir, { recursive: true });\n",
	}
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || ev(s.HomeDir) != ".myapp@lib/store.js:2" {
		t.Errorf("home dir %s (%v)", ev(s.HomeDir), err)
	}
	for _, line := range []string{
		"const dir = path.join(process.env.HOME || os.homedir(), '.myapp');",
		"const dir = path.join(require('os').homedir(), '.myapp');",
	} {
		files["lib/store.js"] = line + "\nfs.mkdirSync(dir);\n"
		if s, err = Detect(testutil.WriteTree(t, files)); err != nil || ev(s.HomeDir) != ".myapp@lib/store.js:1" {
			t.Errorf("%s: home dir %s (%v)", line, ev(s.HomeDir), err)
		}
	}
	// Not the program's state: a path read, not written; another tool's
	// credentials or configuration; a file inside the dot directory; the
	// parent of the home directory.
	for _, line := range []string{
		"const dir = path.resolve(os.homedir(), '.myapp');\nconst data = fs.readFileSync(path.join(dir, 'x'));",
		"const creds = path.join(os.homedir(), '.aws', 'credentials');\nfs.writeFileSync(out, creds);",
		"const rc = path.join(os.homedir(), '.npmrc');\nfs.writeFileSync(rc, token);",
		"const up = path.resolve(process.env.HOME, '..');\nfs.mkdirSync(up);",
	} {
		files["lib/store.js"] = line + "\n"
		if s, err = Detect(testutil.WriteTree(t, files)); err != nil || s.HomeDir != nil {
			t.Errorf("%q: home dir %s, want none (%v)", line, ev(s.HomeDir), err)
		}
	}
	// A compiled entry point (its files unknown): the repository's own
	// scripts do not count.
	files = map[string]string{
		"package.json":       `{"scripts": {"start": "node dist/index.js", "build": "tsc"}, "devDependencies": {"typescript": "5"}}`,
		"tsconfig.json":      `{"compilerOptions": {"outDir": "dist"}}`,
		"src/index.ts":       "import express from 'express';\nexpress().listen(3000);\n",
		"scripts/release.ts": "const rc = path.join(os.homedir(), '.releaserc');\nfs.writeFileSync(rc, 'x');\n",
	}
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || s.HomeDir != nil {
		t.Errorf("scripts/release.ts: home dir %s, want none (%v)", ev(s.HomeDir), err)
	}
	// A path in the home directory that is not a dot directory (expanding
	// a user's ~/file) is not the app's state.
	files["lib/store.js"] = "const f = path.join(os.homedir(), argv.file);\n"
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || s.HomeDir != nil {
		t.Errorf("home dir %s, want none (%v)", ev(s.HomeDir), err)
	}
}

// TestDetect_UnreadableFiles: cors-anywhere 0.4.4's tarball holds files
// of mode 0640; copied into the image as they are, its user could not
// read package.json (ERR_INVALID_PACKAGE_CONFIG ... permission denied).
// Directories others may not enter count too, and the entry point is
// checked where the walk does not go (dist/). The compiled stacks copy
// only their build's output: nothing to say.
func TestDetect_UnreadableFiles(t *testing.T) {
	server := "require('http').createServer().listen(8080);\n"
	for _, tc := range []struct {
		files map[string]string
		modes map[string]os.FileMode
		want  string
	}{
		{map[string]string{"package.json": `{"main": "server.js"}`, "server.js": server, "lib/a.js": "1\n", "Procfile": "web: node server.js\n"},
			map[string]os.FileMode{"package.json": 0o640, "server.js": 0o600, "lib/a.js": 0o640, "Procfile": 0o640},
			"Procfile@Procfile:0 lib/a.js@lib/a.js:0 package.json@package.json:0 server.js@server.js:0"},
		{map[string]string{"package.json": `{"main": "server.js"}`, "server.js": server}, nil, ""},
		// Private on purpose: a 0600 .env, .npmrc, a key.
		{map[string]string{"package.json": `{"main": "server.js"}`, "server.js": server, ".env": "A=1\n", ".npmrc": "x\n", "certs/tls.key": "k\n"},
			map[string]os.FileMode{".env": 0o600, ".npmrc": 0o600, "certs/tls.key": 0o600}, ""},
		// A directory others may not enter; the entry point in dist/,
		// which the walk skips.
		{map[string]string{"package.json": `{"name": "maild", "bin": "dist/bin/maild.js"}`, "dist/bin/maild.js": server, "lib/x.js": "1\n"},
			map[string]os.FileMode{"dist/bin/maild.js": 0o640, "lib": 0o700},
			"lib/@lib:0 dist/bin/maild.js@dist/bin/maild.js:0"},
		{map[string]string{"app.py": "from flask import Flask\napp = Flask(__name__)\n", "requirements.txt": "flask\n"}, map[string]os.FileMode{"app.py": 0o640}, "app.py@app.py:0"},
		{map[string]string{"go.mod": "module x\n\ngo 1.26\n", "main.go": "package main\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"}, map[string]os.FileMode{"main.go": 0o640}, ""},
	} {
		dir := testutil.WriteTree(t, tc.files)
		for f, mode := range tc.modes {
			if err := os.Chmod(filepath.Join(dir, f), mode); err != nil {
				t.Fatal(err)
			}
		}
		s, err := Detect(dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range s.Unreadable {
			got = append(got, fmt.Sprintf("%s@%s:%d", e.Value, e.File, e.Line))
			if !strings.HasPrefix(e.Why, "mode 0") {
				t.Errorf("why %q", e.Why)
			}
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%v: unreadable %q, want %q", tc.modes, strings.Join(got, " "), tc.want)
		}
		for _, d := range []string{"lib"} {
			_ = os.Chmod(filepath.Join(dir, d), 0o755) // for t.TempDir's cleanup
		}
	}
}

// TestDetect_KeyFilesNamed: .dockerignore leaves .pem and .key files out
// at any depth; those the program names are kept (a CA bundle it reads),
// not those its tests name (cors-anywhere's test/key.pem).
func TestDetect_KeyFilesNamed(t *testing.T) {
	files := map[string]string{
		"package.json":                `{"main": "server.js"}`,
		"server.js":                   "const ca = fs.readFileSync(path.join(__dirname, 'certs', 'rds-global-bundle.pem'));\nrequire('http').createServer().listen(8080);\n",
		"certs/rds-global-bundle.pem": "-----BEGIN CERTIFICATE-----\n",
		"certs/unused.pem":            "-----BEGIN CERTIFICATE-----\n",
		"test/test.js":                "const key = fs.readFileSync(path.join(__dirname, 'key.pem'));\n",
		"test/key.pem":                "-----BEGIN RSA PRIVATE KEY-----\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.KeyFiles); got != "certs/rds-global-bundle.pem@server.js:1" {
		t.Errorf("key files %s", got)
	}
	// A private key the code names stays out (to be mounted); a path
	// picks its file among files of the same name; a bare name that
	// several files share picks none; scripts and .env do not count.
	files = map[string]string{
		"package.json":     `{"main": "server.js"}`,
		"server.js":        "https.createServer({ key: fs.readFileSync('certs/server.pem'), ca: fs.readFileSync('certs/ca.pem'), x: 'bundle.pem' }).listen(8443);\n",
		"certs/server.pem": "-----BEGIN PRIVATE KEY-----\n",
		"certs/ca.pem":     "-----BEGIN CERTIFICATE-----\n",
		"admin/ca.pem":     "-----BEGIN CERTIFICATE-----\n",
		"a/bundle.pem":     "-----BEGIN CERTIFICATE-----\n",
		"b/bundle.pem":     "-----BEGIN CERTIFICATE-----\n",
		"scripts/gen.js":   "fs.writeFileSync('local.pem', cert);\n",
		"local.pem":        "-----BEGIN CERTIFICATE-----\n",
		".env":             "SSL_CERT=\"other.pem\"\n",
		"other.pem":        "-----BEGIN CERTIFICATE-----\n",
	}
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || evs(s.KeyFiles) != "certs/ca.pem@server.js:1" {
		t.Errorf("key files %s, want certs/ca.pem only (%v)", evs(s.KeyFiles), err)
	}
	// Rust: include_bytes! of a path relative to the source.
	files = map[string]string{
		"Cargo.toml":   "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.7\"\n",
		"src/main.rs":  "static CA: &[u8] = include_bytes!(\"../certs/ca.pem\");\nfn main() {}\n",
		"certs/ca.pem": "-----BEGIN CERTIFICATE-----\n",
	}
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || evs(s.KeyFiles) != "certs/ca.pem@src/main.rs:1" {
		t.Errorf("rust: key files %s (%v)", evs(s.KeyFiles), err)
	}
}

// TestDetect_ShipsDist: dist/ is the repository's when git does not ignore
// it, here or in a .gitignore above the service (a monorepo's root).
func TestDetect_ShipsDist(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		dir   string
		want  bool
	}{
		{map[string]string{"package.json": `{"bin": "dist/bin/maild.js"}`, "dist/bin/maild.js": "1\n"}, ".", true},
		{map[string]string{"package.json": `{"main": "dist/index.js"}`, "dist/index.js": "1\n", ".gitignore": "node_modules\ndist\n"}, ".", false},
		{map[string]string{"package.json": `{"main": "dist/index.js"}`, "dist/index.js": "1\n", ".gitignore": "/build\n"}, ".", true},
		{map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".gitignore": "**/dist/\n", "api/package.json": `{"main": "dist/index.js"}`, "api/dist/index.js": "1\n"}, "api", false},
		{map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".gitignore": "/dist\n", "api/package.json": `{"main": "dist/index.js"}`, "api/dist/index.js": "1\n"}, "api", true},
		{map[string]string{"package.json": `{"main": "index.js"}`, "index.js": "1\n"}, ".", false},
		// Patterns that ignore the files in dist/ rather than the
		// directory; a dist/.gitignore of *; git's own exclude file.
		{map[string]string{"package.json": `{"main": "dist/index.js"}`, "dist/index.js": "1\n", ".gitignore": "dist/*\n"}, ".", false},
		{map[string]string{"package.json": `{"main": "dist/index.js"}`, "dist/index.js": "1\n", ".gitignore": "/dist/**\n!dist/.gitkeep\n"}, ".", false},
		{map[string]string{"package.json": `{"main": "dist/index.js"}`, "dist/index.js": "1\n", "dist/.gitignore": "*\n"}, ".", false},
		{map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".git/info/exclude": "dist\n", "package.json": `{"main": "dist/index.js"}`, "dist/index.js": "1\n"}, ".", false},
	} {
		root := testutil.WriteTree(t, tc.files)
		s, err := Detect(filepath.Join(root, tc.dir))
		if err == nil && tc.dir != "." {
			// The same from inside the service, by a relative path.
			wd, _ := os.Getwd()
			if err := os.Chdir(filepath.Join(root, tc.dir)); err != nil {
				t.Fatal(err)
			}
			s2, err2 := Detect(".")
			_ = os.Chdir(wd)
			if err2 != nil || (s2.ShipsDist != nil) != tc.want {
				t.Errorf("%v, from inside the service: ships dist %v, want %v (%v)", tc.files, s2.ShipsDist != nil, tc.want, err2)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := s.ShipsDist != nil; got != tc.want {
			t.Errorf("%v: ships dist %v, want %v", tc.files, got, tc.want)
		}
	}
}

// TestDetect_WinstonLogDir: winston's file transport creates its directory
// at start, relative to the working directory; on a read-only root the app
// exited (Ilya-Balenko/intern_project: mkdir 'logs' ENOENT). The
// directory gets a volume.
func TestDetect_WinstonLogDir(t *testing.T) {
	for line, want := range map[string]string{
		"    new transports.File({ filename: 'logs/error.log', level: 'error' }),":                  "logs@src/utils/logger.js:2",
		"  new winston.transports.File({ filename: './var/log/app.log' })":                          "var/log@src/utils/logger.js:2",
		"  new winston.transports.DailyRotateFile({ dirname: 'logs', filename: 'app-%DATE%.log' })": "logs@src/utils/logger.js:2",
		"  new transports.File({ filename: 'app.log' })":                                            "-",
		"  new transports.Console()":                                                                "-",
		// Options over several lines; winston-daily-rotate-file by itself.
		"  new winston.transports.File({\n    level: 'error',\n    filename: 'logs/error.log'\n  }),": "logs@src/utils/logger.js:2",
		"  new DailyRotateFile({ dirname: 'audit', filename: 'a-%DATE%.log' })":                       "audit@src/utils/logger.js:2",
	} {
		files := map[string]string{
			"package.json":        `{"scripts": {"start": "node src/server.js"}, "dependencies": {"express": "5", "winston": "3"}}`,
			"src/server.js":       "const logger = require('./utils/logger');\nrequire('express')().listen(3000);\n",
			"src/utils/logger.js": "const { createLogger, transports } = require('winston');\n" + line + "\n",
		}
		s, err := Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		if got := ev(s.WriteDir); got != want {
			t.Errorf("%s: write dir %s, want %s", line, got, want)
		}
	}
	// The repository's own logs/ (a module there), and a transport in a
	// script of the repository's: no volume.
	for name, files := range map[string]map[string]string{
		"logs/ holds code": {
			"package.json":   `{"scripts": {"start": "node server.js"}, "dependencies": {"winston": "3"}}`,
			"server.js":      "const logger = require('./logs/logger');\nrequire('http').createServer().listen(3000);\n",
			"logs/logger.js": "module.exports = createLogger({ transports: [new transports.File({ filename: 'logs/app.log' })] });\n",
		},
		"a script": {
			"package.json":       `{"scripts": {"start": "node server.js"}, "dependencies": {"winston": "3"}}`,
			"server.js":          "require('http').createServer().listen(3000);\n",
			"scripts/migrate.js": "const l = createLogger({ transports: [new transports.File({ filename: 'logs/migrate.log' })] });\n",
		},
	} {
		s, err := Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		if s.WriteDir != nil {
			t.Errorf("%s: write dir %s, want none", name, ev(s.WriteDir))
		}
	}
}

// TestDetect_NodeHomeDirOfTheChosenProgram: with --entrypoint choosing
// among programs, the home directory is the chosen one's.
func TestDetect_NodeHomeDirOfTheChosenProgram(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"package.json":  `{"name": "x"}`,
		"api/server.js": "const d = path.join(os.homedir(), '.api-state');\nfs.mkdirSync(d);\nrequire('http').createServer().listen(3000);\n",
		"web/server.js": "const d = path.join(os.homedir(), '.web-state');\nfs.mkdirSync(d);\nrequire('http').createServer().listen(3001);\n",
	})
	for entry, want := range map[string]string{"api/server.js": ".api-state@api/server.js:1", "web/server.js": ".web-state@web/server.js:1"} {
		s, err := Detect(dir, WithEntrypoint(entry))
		if err != nil {
			t.Fatal(err)
		}
		if got := ev(s.HomeDir); got != want {
			t.Errorf("--entrypoint %s: home dir %s, want %s", entry, got, want)
		}
	}
}

// TestDetect_NodeRoutesInShippedDist: a package that runs from the dist/
// it ships has its routes and variables there; dist/ is read for them
// then, and only then (peer 1.0.2: `/` in dist/bin/peerjs.js, which it
// runs; before, "no health route found in the code").
func TestDetect_NodeRoutesInShippedDist(t *testing.T) {
	for name, tc := range map[string]struct {
		files map[string]string
		want  string
		// readDist: dist/'s own variable (LEGACY_SECRET) is read.
		readDist bool
	}{
		"a published package": {map[string]string{
			"package.json":       `{"name": "peer", "bin": {"peerjs": "dist/bin/peerjs.js"}, "scripts": {"build": "rollup -c"}, "dependencies": {"express": "4"}}`,
			"dist/bin/peerjs.js": "const app = require('express')();\napp.get('/status', (req, res) => res.send('ok'));\nconst s = process.env.LEGACY_SECRET;\napp.listen(process.env.PORT || 9000);\n",
		}, "/status", true},
		// A build's output beside its sources is not read: the sources are.
		"a TypeScript build committed": {map[string]string{
			"package.json":   `{"name": "api", "main": "dist/server.js", "devDependencies": {"typescript": "5"}, "dependencies": {"express": "4"}}`,
			"tsconfig.json":  `{"compilerOptions": {"outDir": "dist"}}`,
			"src/server.ts":  "const app = express();\napp.get('/healthz', ok);\napp.listen(3000);\n",
			"dist/server.js": "const app = express();\napp.get('/old-healthz', ok);\nconst s = process.env.LEGACY_SECRET;\napp.listen(3000);\n",
		}, "/healthz", false},
		"a Babel build committed": {map[string]string{
			"package.json":  `{"name": "api", "scripts": {"build": "babel src -d dist", "start": "node dist/index.js"}, "dependencies": {"express": "4"}}`,
			"src/index.js":  "const app = express();\napp.get('/healthz', ok);\napp.listen(3000);\n",
			"dist/index.js": "const app = express();\napp.get('/old-healthz', ok);\nconst s = process.env.LEGACY_SECRET;\napp.listen(3000);\n",
		}, "/healthz", false},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := DetectAs(testutil.WriteTree(t, tc.files), "node")
			if err != nil {
				t.Fatal(err)
			}
			if s.HealthPath == nil || s.HealthPath.Value != tc.want {
				t.Errorf("health %+v, want %s", s.HealthPath, tc.want)
			}
			readDist := false
			for _, e := range s.Env {
				readDist = readDist || e.Value == "LEGACY_SECRET"
			}
			if readDist != tc.readDist {
				t.Errorf("dist/'s variable read: %v, want %v (env %+v)", readDist, tc.readDist, s.Env)
			}
		})
	}
}

// TestDetect_NodeEntryStartsNoServer: where no health route is found and
// the entry point init can read starts no server, the open choice says so
// (y-websocket 3.1.0: its main, dist/y-websocket.cjs, is a client
// library; its server moved to another package). One that starts a
// server gets no such word.
func TestDetect_NodeEntryStartsNoServer(t *testing.T) {
	for name, tc := range map[string]struct {
		files map[string]string
		hint  string
	}{
		"a library's main": {map[string]string{
			"package.json":         `{"name": "y-websocket", "main": "dist/y-websocket.cjs", "dependencies": {"yjs": "13"}}`,
			"dist/y-websocket.cjs": "const sync = require('./sync.cjs');\nexports.WebsocketProvider = class {};\n",
			"dist/sync.cjs":        "exports.sync = () => {};\n",
		}, "dist/y-websocket.cjs, which the image runs (package.json main), starts no server that init can see"},
		"a server without a route": {map[string]string{
			"package.json": `{"name": "x", "main": "server.js"}`,
			"server.js":    "const lib = require('./lib');\nlib.start();\n",
			"lib.js":       "exports.start = () => require('net').createServer(onConn).listen(8125);\n",
		}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := DetectAs(testutil.WriteTree(t, tc.files), "node")
			if err != nil {
				t.Fatal(err)
			}
			hint := ""
			for _, c := range s.Ambiguous {
				if c.Flag == "--health-path" {
					hint = c.Hint
				}
			}
			if tc.hint == "" && hint != "" || !strings.Contains(hint, tc.hint) {
				t.Errorf("hint %q, want %q", hint, tc.hint)
			}
		})
	}
}

// TestDetect_MulterUploadDir: multer writes uploads into a directory
// relative to the working directory, and creates it at start when given
// as dest (kindliai/pcm2mp3's server.js:7, multer({ dest: 'uploads/' })):
// on the image's read-only root that is "EROFS: read-only file system,
// mkdir 'uploads/'". The directory gets the volume; memory storage, a
// directory the repository holds files in, or a path from elsewhere do not.
func TestDetect_MulterUploadDir(t *testing.T) {
	for code, want := range map[string]string{
		"const upload = multer({ dest: 'uploads/' });":                                                                 "uploads@server.js:3",
		"const upload = multer({ dest: './files', limits: { fileSize: 1e6 } });":                                       "files@server.js:3",
		"const storage = multer.diskStorage({\n  destination: 'public/uploads',\n});":                                  "-",
		"const storage = multer.diskStorage({\n  destination: 'tmp_uploads',\n});":                                     "tmp_uploads@server.js:4",
		"const storage = multer.diskStorage({\n  destination: function (req, file, cb) { cb(null, 'uploads/') },\n});": "uploads@server.js:4",
		"const upload = multer({ storage: multer.memoryStorage() });":                                                  "-",
		"const upload = multer({ dest: process.env.UPLOAD_DIR });":                                                     "-",
	} {
		files := map[string]string{
			"package.json":         `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "4", "multer": "1"}}`,
			"server.js":            "const express = require('express');\nconst multer = require('multer');\n" + code + "\nexpress().listen(3000);\n",
			"public/uploads/a.png": "png",
		}
		s, err := Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		if got := ev(s.WriteDir); got != want {
			t.Errorf("%s: write dir %s, want %s", code, got, want)
		}
	}
}

// Another object's destination, in a file that does not load multer, is
// no upload directory ({ origin: 'LAX', destination: 'JFK' }).
func TestDetect_DestinationWithoutMulter(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "4"}}`,
		"server.js":    "const express = require('express');\nconst flight = { origin: 'LAX', destination: 'JFK' };\nexpress().listen(3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.WriteDir); got != "-" {
		t.Errorf("write dir %s, want none", got)
	}
}
