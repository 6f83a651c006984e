package cli

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

var goService = map[string]string{
	"go.mod":  "module example.com/svc\n\ngo 1.26\n",
	"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
}

// listFiles is every regular file under dir, relative, sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestInit_WritesEverythingThatPassesCheckThenIsIdempotent(t *testing.T) {
	dir := writeTree(t, goService)
	code, out, errOut := run(t, dir, "", "init")
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errOut)
	}
	for _, want := range []string{"language     go 1.26", "go.mod:3", "health       /healthz", "main.go:6", "wrote      Dockerfile", "wrote      .github/workflows/container.yml"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"Dockerfile", ".dockerignore", "compose.yaml", "deploy/k8s/base/deployment.yaml",
		"deploy/k8s/overlays/production/kustomization.yaml", "deploy/proxy/nginx.conf", "deploy/proxy/Caddyfile", ".github/workflows/container.yml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if code, out, _ := run(t, dir, "", "check", "--profile", "production", "--fail-on", "info"); code != 0 {
		t.Fatalf("check after init: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, dir, "", "init")
	if code != 0 || strings.Contains(out, "wrote") || !strings.Contains(out, "unchanged  Dockerfile") {
		t.Fatalf("second init: exit %d\n%s", code, out)
	}
}

// The last steps say to copy .env.example to .env, which would replace a
// .env the repository has (Azure-Samples/msdocs-flask-postgresql-sample-
// app commits one): then they say to add what it lacks instead.
func TestInit_NextStepsKeepAnExistingDotEnv(t *testing.T) {
	for _, withEnv := range []bool{false, true} {
		files := map[string]string{}
		for k, v := range goService {
			files[k] = v
		}
		if withEnv {
			files[".env"] = "DBHOST=localhost\n"
		}
		dir := writeTree(t, files)
		code, out, errOut := run(t, dir, "", "init")
		if code != 0 {
			t.Fatalf("init exit %d: %s", code, errOut)
		}
		// init runs in dir, which it names ".".
		cp := strings.Contains(out, "cp ./.env.example ./.env        # and fill in the secrets")
		add := strings.Contains(out, "# ./.env exists: add what ./.env.example has and it lacks")
		if cp == withEnv || add != withEnv {
			t.Errorf(".env there %v: the next steps say cp %v, add %v:\n%s", withEnv, cp, add, out)
		}
	}
}

func TestInit_NeverOverwritesWithoutForceAndWritesAllOrNothing(t *testing.T) {
	dir := writeTree(t, goService)
	mine := "FROM scratch\n# mine\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	before := listFiles(t, dir)
	code, _, errOut := run(t, dir, "", "init")
	if code != 2 || !strings.Contains(errOut, "Dockerfile") || !strings.Contains(errOut, "--force") {
		t.Fatalf("exit %d, stderr %q; want 2 naming Dockerfile and --force", code, errOut)
	}
	if got := listFiles(t, dir); strings.Join(got, " ") != strings.Join(before, " ") {
		t.Fatalf("a refused init wrote files: %v, was %v", got, before)
	}
	// --dry-run shows the difference and writes nothing.
	code, out, _ := run(t, dir, "", "init", "--dry-run")
	if code != 0 || !strings.Contains(out, "-# mine") || !strings.Contains(out, "+ENTRYPOINT [\"/app/server\"]") ||
		!strings.Contains(out, "=== compose.yaml (new)") || !strings.Contains(out, "nothing written") {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	if got := listFiles(t, dir); strings.Join(got, " ") != strings.Join(before, " ") {
		t.Fatalf("--dry-run wrote files: %v", got)
	}
	if code, _, errOut := run(t, dir, "", "init", "--force"); code != 0 {
		t.Fatalf("--force: exit %d %s", code, errOut)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if strings.Contains(string(data), "# mine") {
		t.Fatal("--force kept the old Dockerfile")
	}
	for _, f := range listFiles(t, dir) {
		if strings.Contains(f, ".shipshape-") {
			t.Errorf("temporary file left behind: %s", f)
		}
	}
}

// A failure part-way (here: deploy/ is a file, so deploy/k8s cannot be
// created) leaves the repository exactly as it was.
func TestInit_FailureLeavesNothingHalfWritten(t *testing.T) {
	files := map[string]string{"deploy": "not a directory\n"}
	for k, v := range goService {
		files[k] = v
	}
	dir := writeTree(t, files)
	before := listFiles(t, dir)
	code, _, errOut := run(t, dir, "", "init")
	if code == 0 {
		t.Fatal("init succeeded although deploy/ is a file")
	}
	if !strings.Contains(errOut, "deploy") {
		t.Errorf("error does not name the path: %q", errOut)
	}
	if got := listFiles(t, dir); strings.Join(got, " ") != strings.Join(before, " ") {
		t.Fatalf("failed init left files: %v, was %v", got, before)
	}
}

func TestInit_BadInputExit2(t *testing.T) {
	empty := writeTree(t, map[string]string{"README.md": "hi\n"})
	code, _, errOut := run(t, empty, "", "init")
	if code != 2 || !strings.Contains(errOut, "go.mod") || !strings.Contains(errOut, "requirements.txt") || !strings.Contains(errOut, "--stack") {
		t.Errorf("unrecognised repo: exit %d, %q", code, errOut)
	}
	if got := listFiles(t, empty); len(got) != 1 {
		t.Errorf("unrecognised repo got files: %v", got)
	}
	dir := writeTree(t, goService)
	for _, args := range [][]string{
		{"init", "--port", "70000"},
		{"init", "--stack", "cobol"},
		{"init", "--health-path", "healthz"},
		{"init", "--entrypoint", "app.py; rm -rf /"},
		{"init", "--stack", "python"}, // no entry point in a Go repository
		{"init", "--verify", "--build-arg", "NOVALUE"},
	} {
		code, _, errOut := run(t, dir, "", args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
	if got := listFiles(t, dir); len(got) != 2 {
		t.Errorf("refused inits wrote files: %v", got)
	}
}

// Overrides win over detection, and --stack reads a repository whose
// manifests say nothing.
func TestInit_Overrides(t *testing.T) {
	dir := writeTree(t, map[string]string{"server.py": "import http.server\n"})
	code, out, errOut := run(t, dir, "", "init", "--stack", "python", "--entrypoint", "server.py", "--port", "9000",
		"--health-path", "/ping", "--name", "My Svc", "--helm")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	df, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	// server.py handles no SIGTERM: it runs under a wrapper that exits on it.
	for _, want := range []string{`runpy.run_path(\"server.py\"`, "EXPOSE 9000", "http://127.0.0.1:9000/ping"} {
		if !strings.Contains(string(df), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "deploy/helm/my-svc/Chart.yaml")); err != nil {
		t.Errorf("no chart under the sanitised name: %v\n%s", err, out)
	}
	if code, out, _ := run(t, dir, "", "check", "--profile", "production", "--fail-on", "info"); code != 0 {
		t.Fatalf("check: exit %d\n%s", code, out)
	}
}

// Two servers and no health route: without a terminal init stops (exit 2)
// and lists the candidates with the flags that choose; nothing is written.
// The flags settle it.
func TestInit_OpenChoicesStopThenFlagsChoose(t *testing.T) {
	files := map[string]string{
		"go.mod":            "module x\n\ngo 1.26\n",
		"cmd/api/main.go":   "package main\n\nfunc main() { http.HandleFunc(\"/v1/items\", h); http.ListenAndServe(\":8080\", nil) }\n",
		"cmd/admin/main.go": "package main\n\nfunc main() { http.ListenAndServe(\":9090\", nil) }\n",
	}
	dir := writeTree(t, files)
	before := listFiles(t, dir)
	code, out, errOut := run(t, dir, "", "init")
	if code != 2 || !strings.Contains(errOut, "2 candidates for the entry point (cmd/admin at cmd/admin/main.go:1, cmd/api at cmd/api/main.go:1): pass --entrypoint") ||
		!strings.Contains(errOut, "pass --health-path") || !strings.Contains(out, "unsure       entry point") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if got := listFiles(t, dir); strings.Join(got, " ") != strings.Join(before, " ") {
		t.Fatalf("a stopped init wrote files: %v", got)
	}
	if strings.Contains(errOut, "its own Dockerfile") {
		t.Errorf("no Dockerfile, yet the stop names one:\n%s", errOut)
	}
	// The repository's own Dockerfile, which the next run would stop on
	// too, is said in the same stop (nestjs-typeorm-postgresql needed two).
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM golang:1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut = run(t, dir, "", "init"); code != 2 || !strings.Contains(errOut, "the repository has its own Dockerfile too, which init replaces only with --force") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	os.Remove(filepath.Join(dir, "Dockerfile"))
	code, out, errOut = run(t, dir, "", "init", "--entrypoint", "cmd/api", "--health-path", "/v1/items")
	if code != 0 || !strings.Contains(out, "port 8080, health /v1/items") {
		t.Fatalf("with the flags: exit %d\n%s\n%s", code, out, errOut)
	}
	// What the flags settled is printed as chosen, not as still open.
	if !strings.Contains(out, "chosen       health route                 --health-path /v1/items") || strings.Contains(out, "unsure") {
		t.Errorf("with the flags, the choices are not shown as chosen:\n%s", out)
	}
}

// The only program an example (pocketbase's examples/base): init stops
// (exit 2) and names the one candidate and the flag that takes it.
func TestInit_OnlyAnExampleProgramIsAsked(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod":                "module x\n\ngo 1.26\n",
		"server.go":             "package x\n\nfunc Start() { http.HandleFunc(\"/healthz\", h); http.ListenAndServe(\":8090\", nil) }\n",
		"examples/base/main.go": "package main\n\nfunc main() { x.Start() }\n",
	})
	code, out, errOut := run(t, dir, "", "init")
	if code != 2 || !strings.Contains(errOut, "one candidate for the entry point, not taken unasked: examples/base at examples/base/main.go:1 (an example program (examples/base)): pass --entrypoint examples/base to build it") ||
		!strings.Contains(out, "1 candidate: --entrypoint chooses") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// On a terminal init asks: a number picks a candidate, a typed value is
// taken as it is.
func TestInit_AsksOnATerminal(t *testing.T) {
	c := newInitCommand()
	c.in = bufio.NewReader(strings.NewReader("2\n/v1/items\n"))
	s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: "cmd/admin"}, {Value: "cmd/api"}},
		Ambiguous: []detect.Choice{
			{What: "entry point", Flag: "--entrypoint", Candidates: []detect.Evidence{{Value: "cmd/admin", File: "cmd/admin/main.go", Line: 1}, {Value: "cmd/api", File: "cmd/api/main.go", Line: 1}}},
			{What: "health route", Flag: "--health-path", Candidates: []detect.Evidence{{Value: "/swagger/index.html", File: "main.go", Line: 9, Why: "the API's Swagger UI page"}}},
		}}
	var out strings.Builder
	plan, err := c.resolve(&out, ".", s, generate.Options{Name: "x"})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if plan.Entrypoint != "./cmd/api" || plan.HealthPath != "/v1/items" {
		t.Fatalf("entry %q health %q\n%s", plan.Entrypoint, plan.HealthPath, out.String())
	}
	if !strings.Contains(out.String(), "Which entry point? (--entrypoint chooses it next time)") || !strings.Contains(out.String(), "2) cmd/api") ||
		!strings.Contains(out.String(), "main.go:9 (the API's Swagger UI page)") {
		t.Errorf("the question:\n%s", out.String())
	}
}

// Azure-Samples' voting app's shape: a Flask app with no manifest (its
// packages are installed only by its parent directory's Dockerfile). init
// stops and names the imports and the flag; --requirements-from-imports
// writes requirements.txt from them, unpinned, with the other files, and
// the image installs it and gunicorn; a second run (its own Dockerfile
// now present, which is no evidence) writes the same bytes. The flag is
// refused where a manifest exists or another stack is named.
func TestInit_RequirementsFromImports(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.py": "from flask import Flask, request, render_template\nimport os\nimport redis\nimport helpers\nimport yaml\n\n" +
			"app = Flask(__name__)\nr = redis.Redis(os.environ['REDIS'])\n\n@app.route('/healthz')\ndef health():\n    return 'ok'\n\nif __name__ == '__main__':\n    app.run()\n",
		"helpers.py": "import json\n",
	})
	code, _, errOut := run(t, dir, "", "init", "--stack", "python")
	if code != 2 || !strings.Contains(errOut, "flask (main.py:1)") || !strings.Contains(errOut, "--requirements-from-imports") {
		t.Fatalf("no manifest: exit %d, %q; want 2 naming the imports and the flag", code, errOut)
	}
	code, out, errOut := run(t, dir, "", "init", "--requirements-from-imports")
	if code != 0 {
		t.Fatalf("init --requirements-from-imports: exit %d\n%s%s", code, out, errOut)
	}
	reqs, err := os.ReadFile(filepath.Join(dir, "requirements.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nflask  # main.py:1, imported as flask\n", "\nPyYAML  # main.py:5, imported as yaml\n", "\nredis  # main.py:3, imported as redis\n"} {
		if !strings.Contains(string(reqs), want) {
			t.Errorf("requirements.txt lacks %q:\n%s", want, reqs)
		}
	}
	if strings.Contains(string(reqs), "helpers") || strings.Contains(string(reqs), "\nos") {
		t.Errorf("requirements.txt lists a local or standard module:\n%s", reqs)
	}
	df, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if !strings.Contains(string(df), "pip install --target /opt/deps -r requirements.txt gunicorn==") {
		t.Errorf("Dockerfile does not install requirements.txt and gunicorn:\n%s", df)
	}
	compose, _ := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if !strings.Contains(string(compose), "REDIS: redis\n") {
		t.Errorf("compose.yaml does not point REDIS, the host the code passes redis.Redis, at the redis service:\n%s", compose)
	}
	if code, out, _ := run(t, dir, "", "check", "--profile", "production", "--fail-on", "info"); code != 0 {
		t.Errorf("check after init: exit %d\n%s", code, out)
	}
	before := map[string]string{}
	for _, f := range listFiles(t, dir) {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		before[f] = string(b)
	}
	code, out, errOut = run(t, dir, "", "init", "--force", "--requirements-from-imports")
	if code != 0 || strings.Contains(out, "overwrite") {
		t.Fatalf("second init: exit %d\n%s%s", code, out, errOut)
	}
	for f, b := range before {
		if now, _ := os.ReadFile(filepath.Join(dir, f)); string(now) != b {
			t.Errorf("second init changed %s", f)
		}
	}
	for _, args := range [][]string{
		{"init", "--requirements-from-imports", "--stack", "node"},
	} {
		if code, _, errOut := run(t, dir, "", args...); code != 2 || !strings.Contains(errOut, "Python") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	declared := writeTree(t, map[string]string{"main.py": "import flask\n", "requirements.txt": "flask==3.0.3\n"})
	if code, _, errOut := run(t, declared, "", "init", "--requirements-from-imports"); code != 2 || !strings.Contains(errOut, "drop --requirements-from-imports") {
		t.Errorf("with a manifest: exit %d, %q", code, errOut)
	}
}

// TestInit_Args: --args gives the program its arguments in the image, ""
// none; a Python app, whose server runs it, and a directory of several
// services refuse it (exit 2), writing nothing.
func TestInit_Args(t *testing.T) {
	node := map[string]string{
		"package.json": `{"name": "peer", "scripts": {"start": "node server.js --port ${PORT:=9000}"}, "dependencies": {"express": "4"}}`,
		"server.js":    "const app = require('express')();\napp.get('/healthz', ok);\napp.listen(opts.port);\n",
	}
	for name, tc := range map[string]struct {
		args  []string
		entry string
	}{
		"from the start script": {nil, `"server.js", "--port", "9000"]`},
		"given":                 {[]string{"--args", `serve "/data dir"`}, `"server.js", "serve", "/data dir"]`},
		"none":                  {[]string{"--args", ""}, `"server.js"]`},
		"an & quoted":           {[]string{"--args", `--db 'file:x.db?_fk=1&_pragma=busy'`}, `"server.js", "--db", "file:x.db?_fk=1&_pragma=busy"]`},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, node)
			code, out, errOut := run(t, dir, "", append([]string{"init", "--only", "dockerfile"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			df, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(df), tc.entry+"\n") {
				t.Errorf("the Dockerfile's ENTRYPOINT lacks %s:\n%s", tc.entry, df)
			}
		})
	}
	for name, files := range map[string]map[string]string{
		"python": {"requirements.txt": "flask\n", "app.py": "app = Flask(__name__)\n@app.get('/healthz')\ndef h():\n    return 'ok'\n"},
		"Next.js": {"package.json": `{"scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "15.0.3"}}`,
			"next.config.js": "module.exports = { output: 'standalone' }\n"},
		"several services": {"api/package.json": node["package.json"], "api/server.js": node["server.js"],
			"web/package.json": node["package.json"], "web/server.js": node["server.js"]},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, files)
			code, out, errOut := run(t, dir, "", "init", "--args", "serve")
			if code != 2 || !strings.Contains(errOut, "--args") {
				t.Errorf("exit %d, want 2 naming --args\n%s%s", code, out, errOut)
			}
			if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err == nil {
				t.Error("a Dockerfile was written")
			}
		})
	}
	// An unquoted & would cut homebox's SQLite URL short without a word:
	// refused, naming what would be left out.
	t.Run("an unquoted &", func(t *testing.T) {
		dir := writeTree(t, node)
		code, out, errOut := run(t, dir, "", "init", "--args", "--db file:x.db?_fk=1&_pragma=busy")
		if code != 2 || !strings.Contains(errOut, `the words from "&_pragma=busy" on are left out`) {
			t.Errorf("exit %d, want 2 naming what is cut\n%s%s", code, out, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, "Dockerfile")); err == nil {
			t.Error("a Dockerfile was written")
		}
	})
}

// testdrivenio/fastapi-crud-async keeps its service in src/: `init src`
// named the image and the compose project "src". A directory named src,
// source, code or app takes the name of the one above it; --name wins.
func TestInit_GenericDirectoryTakesTheProjectsName(t *testing.T) {
	root := filepath.Join(t.TempDir(), "fastapi-crud-async")
	src := filepath.Join(root, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, root, "", "init", "--dry-run", "src")
	if code != 0 || !strings.Contains(out, "image fastapi-crud-async,") {
		t.Fatalf("exit %d, want the image named fastapi-crud-async:\n%s%s", code, out, errOut)
	}
	if _, out, _ := run(t, root, "", "init", "--dry-run", "--name", "api", "src"); !strings.Contains(out, "image api,") {
		t.Errorf("--name api did not win:\n%s", out)
	}
}

// pamelafox/flask-surveys-container-app keeps its app in src/ (its
// compose file builds ./src) beside a root pyproject.toml that holds
// linter settings: init at the root said only that it found no entry
// point. The stop now names the directory that holds one, and the run
// there.
func TestInit_NoEntryPointNamesTheServiceBelow(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		"pyproject.toml":       "[tool.ruff]\nline-length = 120\n",
		"src/requirements.txt": "flask\ngunicorn\n",
		"src/app.py":           "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/health')\ndef health():\n    return 'ok'\n",
	})
	code, out, errOut := run(t, root, "", "init", "--dry-run", "--health-path", "/health", ".")
	want := "a directory under it holds one: shipshape init src (python, its entry point app:app at src/app.py:2)"
	if code != 2 || !strings.Contains(errOut, "no entry point found") || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, want 2 naming %q:\n%s%s", code, want, out, errOut)
	}
}

// TestInit_WorkspaceMemberStops: init in a member of a Node workspace a
// directory above declares stops and names the root (the twenty-fourth
// try's init apps/api wrote npm install for a pnpm member's workspace:
// dependency); a member with a lock file of its own, one that depends on
// no other member, and a workspace past the repository's root, are not
// stopped.
func TestInit_WorkspaceMemberStops(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		"pnpm-workspace.yaml":        "packages:\n  - 'apps/*'\n",
		"pnpm-lock.yaml":             "lockfileVersion: '9.0'\n",
		".git/HEAD":                  "ref: refs/heads/main\n",
		"apps/api/package.json":      `{"name": "api", "dependencies": {"lib": "workspace:*"}}`,
		"apps/web/package.json":      `{"name": "web", "dependencies": {"api": "^1.0.0"}}`,
		"apps/alone/package.json":    `{"name": "alone", "dependencies": {"express": "^4.21.0"}}`,
		"apps/own/package.json":      `{"name": "own"}`,
		"apps/own/package-lock.json": `{"lockfileVersion": 3}`,
		"apps/api/sub/package.json":  `{"name": "sub"}`,
	})
	why := workspaceMemberDir(filepath.Join(root, "apps", "api"))
	if !strings.Contains(why, "is a member of the Node workspace at") || !strings.Contains(why, "pnpm-workspace.yaml:2") || !strings.Contains(why, "--entrypoint apps/api/") {
		t.Errorf("apps/api: %q", why)
	}
	if why := workspaceMemberDir(filepath.Join(root, "apps", "web")); !strings.Contains(why, "depends on its other members") {
		t.Errorf("apps/web, which depends on api by name: %q", why)
	}
	for _, dir := range []string{"apps/own", "apps/api/sub", "apps/alone", "."} {
		if why := workspaceMemberDir(filepath.Join(root, dir)); why != "" {
			t.Errorf("%s stopped: %s", dir, why)
		}
	}
	// A repository inside another's workspace directory is its own.
	inner := filepath.Join(root, "apps", "api")
	if err := os.MkdirAll(filepath.Join(inner, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if why := workspaceMemberDir(inner); why != "" {
		t.Errorf("a repository's root stopped: %s", why)
	}
}

// TestInit_KeptComposeEnvExample: a repository with its own compose
// project keeps it, and init writes no compose.yaml; its .env.example then
// lists no password for the Postgres init's compose.yaml would have run
// (brocoders/nestjs-boilerplate's got POSTGRES_PASSWORD, which nothing
// read), while the app's own secret stays. An existing .env.example is
// shown as merged, not overwritten, and what init adds to it says why.
func TestInit_KeptComposeEnvExample(t *testing.T) {
	app := map[string]string{
		"package.json": `{"name": "api", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.18.2", "pg": "^8.11.0"}}`,
		"server.js": "const express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool({ connectionString: process.env.DATABASE_URL });\n" +
			"const secret = process.env.SESSION_SECRET;\nconst app = express();\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
	}
	dir := writeTree(t, app)
	code, out, _ := run(t, dir, "", "init", "--dry-run")
	if code != 0 || !strings.Contains(out, "\nPOSTGRES_PASSWORD=\n") {
		t.Fatalf("without a compose project of its own, .env.example should list POSTGRES_PASSWORD: exit %d\n%s", code, out)
	}
	app["docker-compose.yml"] = "services:\n  api:\n    build: .\n    env_file: .env\n"
	app[".env.example"] = "PORT=3000\n"
	dir = writeTree(t, app)
	code, out, _ = run(t, dir, "", "init", "--dry-run")
	if code != 0 || !strings.Contains(out, "no compose.yaml written") {
		t.Fatalf("exit %d: the repository's compose project should be kept\n%s", code, out)
	}
	if strings.Contains(out, "POSTGRES_PASSWORD") || !strings.Contains(out, "+SESSION_SECRET=") {
		t.Errorf(".env.example should gain SESSION_SECRET and no POSTGRES_PASSWORD:\n%s", out)
	}
	for _, want := range []string{
		"=== .env.example (exists: the lines it lacks would be added, and every line of it kept)",
		"+# Added by shipshape init: variables the app or the generated files read, which this file lacked.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the dry run lacks %q:\n%s", want, out)
		}
	}
}
