// Package detect recognises a service's stack from its repository: the
// language and its declared version, the framework and server, the package
// manager, entry points, the listen port, a health route, the databases it
// talks to, templates and migrations. Every fact carries its evidence (file
// and line) so that `shipshape init` can show why it decided what it did.
package detect

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// Evidence is a fact and where it was found (File relative to the
// repository; Line 0 when the file itself is the evidence).
type Evidence = project.Evidence

// Stack is what Detect found.
type Stack struct {
	Language       string     // go, python, node, rust
	Version        *Evidence  // the language version the project declares
	PackageManager *Evidence  // go, pip, uv, poetry, pdm, pipenv, npm, yarn, pnpm, cargo
	Framework      *Evidence  // net/http, gin, echo, chi, fiber; fastapi, flask, django; express, fastify, nestjs, next; axum, actix-web, rocket
	Server         *Evidence  // uvicorn, gunicorn (Python)
	Entrypoints    []Evidence // Go main packages (".", "cmd/api"); Python module:app or script; Node file; Rust binaries
	TypeScript     *Evidence
	Port           *Evidence
	HealthPath     *Evidence
	Databases      []Evidence // postgres, mysql, redis, sqlite
	Templates      *Evidence  // HTML templates rendered with generated URLs
	// UntrustedProxy is where Express is loaded without `trust proxy`:
	// behind a proxy, req.protocol and req.ip are the proxy's.
	UntrustedProxy *Evidence
	Migrations     *Evidence
	// SIGTERM is where the code handles SIGTERM; nil when it does not.
	SIGTERM *Evidence
	// Embeds are the paths a Go program's //go:embed directives take
	// from the source tree (relative, slash-separated, up to the first
	// wildcard): the build context must keep them.
	Embeds []Evidence
}

// ErrUnrecognised is returned, wrapped with what was looked for, when no
// stack matches.
var ErrUnrecognised = errors.New("no supported stack recognised")

// Languages are the stacks Detect knows, in the order it tries them.
var Languages = []string{"go", "rust", "node", "python"}

// Detect reads the repository at dir.
func Detect(dir string) (*Stack, error) {
	switch {
	case exists(dir, "go.mod"):
		return DetectAs(dir, "go")
	case exists(dir, "Cargo.toml"):
		return DetectAs(dir, "rust")
	case exists(dir, "package.json"):
		return DetectAs(dir, "node")
	case exists(dir, "pyproject.toml") || exists(dir, "requirements.txt") || exists(dir, "Pipfile") || exists(dir, "setup.py"):
		return DetectAs(dir, "python")
	}
	return nil, fmt.Errorf("%s: %w; looked for go.mod (Go), Cargo.toml (Rust), package.json (Node), "+
		"pyproject.toml, requirements.txt, Pipfile or setup.py (Python); pass --stack to say which", dir, ErrUnrecognised)
}

// DetectAs reads the repository at dir as a lang repository (one of
// Languages), whatever its manifests say: `init --stack`.
func DetectAs(dir, lang string) (*Stack, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	r := &repo{dir: dir, lines: map[string][]string{}}
	var s *Stack
	switch lang {
	case "go":
		s = detectGo(r)
	case "rust":
		s = detectRust(r)
	case "node":
		s = detectNode(r)
	case "python":
		s = detectPython(r)
	default:
		return nil, fmt.Errorf("unknown stack %q; one of %s", lang, strings.Join(Languages, ", "))
	}
	app := project.Scan(dir)
	if len(app.Listens) > 0 {
		s.Port = rel(dir, app.Listens[0])
	}
	for _, route := range app.Routes {
		if healthRoute.MatchString(route.Value) {
			s.HealthPath = rel(dir, route)
			break
		}
	}
	s.Databases = r.databases(s.Language)
	if app.HandlesSIGTERM != nil {
		s.SIGTERM = rel(dir, *app.HandlesSIGTERM)
	}
	if app.Express != nil && !app.TrustsProxy {
		s.UntrustedProxy = rel(dir, *app.Express)
	}
	return s, nil
}

var healthRoute = regexp.MustCompile(`^/(?:healthz?|livez|readyz|health/?live|_health|ping|status)/?$`)

func exists(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, name))
	return err == nil
}

func rel(dir string, e Evidence) *Evidence {
	if r, err := filepath.Rel(dir, e.File); err == nil {
		e.File = filepath.ToSlash(r)
	}
	return &e
}

// repo reads a repository's files at most once per Detect.
type repo struct {
	dir   string
	lines map[string][]string // relative path → lines; nil when unreadable
	code  []string            // codeFiles, once walked
}

// maxCodeFiles bounds the walk over the code.
const maxCodeFiles = 500

// read returns the lines of file (relative to the repository).
func (r *repo) read(file string) []string {
	if lines, ok := r.lines[file]; ok {
		return lines
	}
	var lines []string
	if data, err := os.ReadFile(filepath.Join(r.dir, file)); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
	}
	r.lines[file] = lines
	return lines
}

// find returns the first line of file (relative to dir) matching re, with
// the first group (or the whole match) as the value.
func (r *repo) find(file string, re *regexp.Regexp) *Evidence {
	manifest := !codeExt[filepath.Ext(file)]
	for i, line := range r.read(file) {
		if manifest && isComment(line) {
			continue
		}
		if m := re.FindStringSubmatch(line); m != nil {
			v := m[0]
			if len(m) > 1 {
				v = m[1]
			}
			return &Evidence{Value: v, File: filepath.ToSlash(file), Line: i + 1}
		}
	}
	return nil
}

// codeExt are the code files; in the others (manifests), whole-line
// comments are skipped: "# flask would go here" declares nothing. In code,
// a comment showing a connection URL is evidence worth printing.
var codeExt = map[string]bool{".go": true, ".py": true, ".js": true, ".ts": true, ".mjs": true, ".rs": true}

// isComment reports whether a line is a whole-line comment (#, but not
// Rust's #[attributes], and //).
func isComment(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "//") || strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "#[")
}

// firstOf tries each (file, pattern, value) in turn; value "" keeps the
// pattern's match.
func (r *repo) firstOf(probes ...probe) *Evidence {
	for _, p := range probes {
		if e := r.find(p.file, p.re); e != nil {
			if p.value != "" {
				e.Value = p.value
			}
			return e
		}
	}
	return nil
}

type probe struct {
	file  string
	re    *regexp.Regexp
	value string
}

// firstFile is the evidence of the first (file, value) pair whose file
// exists: lock files in order of precedence.
func (r *repo) firstFile(pairs ...[2]string) *Evidence {
	for _, p := range pairs {
		if e := r.fileEvidence(p[0], p[1]); e != nil {
			return e
		}
	}
	return nil
}

func (r *repo) fileEvidence(name, value string) *Evidence {
	if !exists(r.dir, name) {
		return nil
	}
	return &Evidence{Value: value, File: name}
}

// --- Go -------------------------------------------------------------------

var (
	goVersion = regexp.MustCompile(`^go\s+(\d+\.\d+(?:\.\d+)?)\s*$`)
	goMain    = regexp.MustCompile(`^package main\b`)
)

func detectGo(r *repo) *Stack {
	dir := r.dir
	s := &Stack{Language: "go", Version: r.find("go.mod", goVersion), PackageManager: &Evidence{Value: "go", File: "go.mod"}}
	for _, fw := range []struct{ name, module string }{
		{"gin", "github.com/gin-gonic/gin"}, {"echo", "github.com/labstack/echo"}, {"chi", "github.com/go-chi/chi"},
		{"fiber", "github.com/gofiber/fiber"},
	} {
		if e := r.find("go.mod", regexp.MustCompile(regexp.QuoteMeta(fw.module))); e != nil {
			e.Value = fw.name
			s.Framework = e
			break
		}
	}
	// Main packages: the root and cmd/*.
	candidates := []string{"."}
	if entries, err := os.ReadDir(filepath.Join(dir, "cmd")); err == nil {
		for _, e := range entries {
			if e.IsDir() {
				candidates = append(candidates, "cmd/"+e.Name())
			}
		}
	}
	for _, c := range candidates {
		files, _ := filepath.Glob(filepath.Join(dir, c, "*.go"))
		sort.Strings(files)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, _ := filepath.Rel(dir, f)
			if e := r.find(file, goMain); e != nil {
				e.Value = c
				s.Entrypoints = append(s.Entrypoints, *e)
				if s.Framework == nil {
					s.Framework = r.find(file, regexp.MustCompile(`"(net/http)"`))
				}
				break
			}
		}
	}
	// The import line, not any mention (a tool's own tables mention it).
	s.Templates = r.templates(regexp.MustCompile(`^\s*(?:import\s+)?(?:\w+\s+)?"html/template"\s*\)?\s*$|\.LoadHTMLGlob\(`), "go")
	s.Migrations = r.migrations()
	s.Embeds = r.goEmbeds()
	return s
}

var goEmbed = regexp.MustCompile(`^//go:embed\s+(.+)$`)

// goEmbeds lists the paths the //go:embed directives name, each once.
func (r *repo) goEmbeds() []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		for i, line := range r.read(f) {
			m := goEmbed.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			for _, pat := range embedPatterns(m[1]) {
				pat = strings.TrimPrefix(pat, "all:")
				var keep []string
				for _, part := range strings.Split(pat, "/") {
					if strings.ContainsAny(part, "*?[") {
						break
					}
					keep = append(keep, part)
				}
				p := path.Join(path.Dir(f), path.Join(keep...))
				if len(keep) == 0 || p == "." || seen[p] {
					continue
				}
				seen[p] = true
				out = append(out, Evidence{Value: p, File: f, Line: i + 1})
			}
		}
	}
	return out
}

// embedPatterns splits a //go:embed argument list: space-separated, each
// possibly in double quotes or backquotes.
func embedPatterns(args string) []string {
	var out []string
	for args = strings.TrimSpace(args); args != ""; args = strings.TrimSpace(args) {
		if q := args[0]; q == '"' || q == '`' {
			end := strings.IndexByte(args[1:], q)
			if end < 0 {
				return out
			}
			out = append(out, args[1:1+end])
			args = args[2+end:]
			continue
		}
		field, rest, _ := strings.Cut(args, " ")
		out = append(out, field)
		args = rest
	}
	return out
}

// --- Python ---------------------------------------------------------------

func detectPython(r *repo) *Stack {
	s := &Stack{Language: "python"}
	s.Version = r.firstOf(
		probe{".python-version", regexp.MustCompile(`^\s*(\d+\.\d+(?:\.\d+)?)`), ""},
		probe{"pyproject.toml", regexp.MustCompile(`requires-python\s*=\s*["'][^"'\d]*(\d+\.\d+(?:\.\d+)?)`), ""},
		probe{"Pipfile", regexp.MustCompile(`python_version\s*=\s*["'](\d+\.\d+)`), ""},
		probe{"runtime.txt", regexp.MustCompile(`python-(\d+\.\d+(?:\.\d+)?)`), ""})
	poetry := regexp.MustCompile(`^\[tool\.poetry\]`)
	s.PackageManager = r.firstFile([2]string{"uv.lock", "uv"}, [2]string{"poetry.lock", "poetry"})
	if s.PackageManager == nil {
		s.PackageManager = r.find("pyproject.toml", poetry)
		if s.PackageManager != nil {
			s.PackageManager.Value = "poetry"
		}
	}
	if s.PackageManager == nil {
		s.PackageManager = r.firstFile([2]string{"pdm.lock", "pdm"}, [2]string{"Pipfile", "pipenv"},
			[2]string{"requirements.txt", "pip"}, [2]string{"pyproject.toml", "pip"}, [2]string{"setup.py", "pip"})
	}
	deps := []string{"requirements.txt", "pyproject.toml", "Pipfile"}
	dep := func(name string) *Evidence {
		re := regexp.MustCompile(`(?i)(?:^|["'\s])` + regexp.QuoteMeta(name) + `(?:$|[\s"'<>=~!\[;,])`)
		for _, f := range deps {
			if e := r.find(f, re); e != nil {
				e.Value = name
				return e
			}
		}
		return nil
	}
	for _, fw := range []string{"django", "fastapi", "flask", "starlette"} {
		if e := dep(fw); e != nil {
			s.Framework = e
			break
		}
	}
	for _, srv := range []string{"uvicorn", "gunicorn"} {
		if e := dep(srv); e != nil {
			s.Server = e
			break
		}
	}
	if s.Framework != nil && s.Framework.Value == "django" {
		s.Migrations = r.fileEvidence("manage.py", "manage.py migrate")
	}
	s.Templates = r.templates(regexp.MustCompile(`render_template\(|TemplateResponse\(|Jinja2Templates\(|url_for\(`), "python")
	if s.Migrations == nil {
		s.Migrations = r.migrations()
	}
	s.Entrypoints = r.pythonApps(s.Framework)
	return s
}

var (
	pyAppObject = regexp.MustCompile(`^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:fastapi\.|flask\.|starlette\.applications\.)?(?:FastAPI|Flask|Starlette)\(`)
	pyWSGI      = regexp.MustCompile(`^WSGI_APPLICATION\s*=\s*["']([\w.]+)\.application["']`)
	pyMain      = regexp.MustCompile(`^if\s+__name__\s*==\s*["']__main__["']`)
)

// pythonApps finds what a server runs: the module and object of an ASGI or
// WSGI app ("app.main:app"), Django's WSGI application, or for a plain
// script the file run with `python3 FILE`.
func (r *repo) pythonApps(fw *Evidence) []Evidence {
	var apps, scripts []Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		module := strings.ReplaceAll(strings.TrimSuffix(f, ".py"), "/", ".")
		module = strings.TrimSuffix(module, ".__init__")
		if e := r.find(f, pyAppObject); e != nil {
			e.Value = module + ":" + e.Value
			apps = append(apps, *e)
		}
		if e := r.find(f, pyWSGI); e != nil {
			e.Value += ":application"
			apps = append(apps, *e)
		}
		if !strings.Contains(f, "/") && f != "manage.py" {
			if e := r.find(f, pyMain); e != nil {
				e.Value = f
				scripts = append(scripts, *e)
			}
		}
	}
	if fw == nil || len(apps) == 0 {
		// A plain script that serves (http.server, wsgiref) comes first
		// when no framework is declared.
		return append(scripts, apps...)
	}
	return append(apps, scripts...)
}

// --- Node -----------------------------------------------------------------

type packageJSON struct {
	Main            string            `json:"main"`
	Scripts         map[string]string `json:"scripts"`
	Engines         map[string]string `json:"engines"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	PackageManager  string            `json:"packageManager"`
}

func detectNode(r *repo) *Stack {
	s := &Stack{Language: "node"}
	var pkg packageJSON
	_ = json.Unmarshal([]byte(strings.Join(r.read("package.json"), "\n")), &pkg)
	key := func(k string) *Evidence {
		return r.find("package.json", regexp.MustCompile(`"`+regexp.QuoteMeta(k)+`"\s*:`))
	}
	s.Version = r.firstOf(
		probe{".nvmrc", regexp.MustCompile(`^\s*v?(\d+(?:\.\d+){0,2})`), ""},
		probe{".node-version", regexp.MustCompile(`^\s*v?(\d+(?:\.\d+){0,2})`), ""},
		probe{"package.json", regexp.MustCompile(`"node"\s*:\s*"[^"\d]*(\d+(?:\.\d+){0,2})`), ""})
	s.PackageManager = r.firstFile([2]string{"pnpm-lock.yaml", "pnpm"}, [2]string{"yarn.lock", "yarn"},
		[2]string{"package-lock.json", "npm"}, [2]string{"package.json", "npm"})
	for _, fw := range []struct{ name, pkg string }{{"next", "next"}, {"nestjs", "@nestjs/core"}, {"fastify", "fastify"}, {"express", "express"}} {
		if _, ok := pkg.Dependencies[fw.pkg]; ok {
			if e := key(fw.pkg); e != nil {
				e.Value = fw.name
				s.Framework = e
				break
			}
		}
	}
	_, ts := pkg.DevDependencies["typescript"]
	if _, dep := pkg.Dependencies["typescript"]; ts || dep || exists(r.dir, "tsconfig.json") {
		s.TypeScript = r.fileEvidence("tsconfig.json", "typescript")
		if s.TypeScript == nil {
			s.TypeScript = key("typescript")
		}
	}
	s.Templates = r.templates(regexp.MustCompile(`app\.set\(\s*['"]view engine['"]`), "js")
	s.Migrations = r.migrations()
	if e := r.nodeEntry(pkg, s); e != nil {
		s.Entrypoints = []Evidence{*e}
	}
	return s
}

var nodeStart = regexp.MustCompile(`"start"\s*:\s*"node\s+(?:--\S+\s+)*(?:\./)?([\w./-]+)`)

// nodeEntry is the file `node` runs in production: the start script's,
// then "main", then the usual names; for a TypeScript or NestJS build, its
// compiled output.
func (r *repo) nodeEntry(pkg packageJSON, s *Stack) *Evidence {
	if s.Framework != nil && s.Framework.Value == "next" {
		// `output: 'standalone'` builds .next/standalone/server.js.
		return &Evidence{Value: "server.js", File: s.Framework.File, Line: s.Framework.Line}
	}
	if e := r.find("package.json", nodeStart); e != nil {
		return e
	}
	if s.Framework != nil && s.Framework.Value == "nestjs" {
		return &Evidence{Value: "dist/main.js", File: s.Framework.File, Line: s.Framework.Line}
	}
	if pkg.Main != "" {
		if e := r.find("package.json", regexp.MustCompile(`"main"\s*:`)); e != nil {
			e.Value = pkg.Main
			return e
		}
	}
	for _, name := range []string{"server.js", "index.js", "app.js", "main.js", "src/server.js", "src/index.js"} {
		if e := r.fileEvidence(name, name); e != nil {
			return e
		}
	}
	if s.TypeScript != nil {
		return &Evidence{Value: "dist/index.js", File: s.TypeScript.File, Line: s.TypeScript.Line}
	}
	return nil
}

// --- Rust -----------------------------------------------------------------

func detectRust(r *repo) *Stack {
	dir := r.dir
	s := &Stack{Language: "rust", PackageManager: &Evidence{Value: "cargo", File: "Cargo.toml"}}
	s.Version = r.firstOf(
		probe{"rust-toolchain.toml", regexp.MustCompile(`channel\s*=\s*"(\d+\.\d+(?:\.\d+)?)"`), ""},
		probe{"rust-toolchain", regexp.MustCompile(`^\s*(\d+\.\d+(?:\.\d+)?)`), ""},
		probe{"Cargo.toml", regexp.MustCompile(`rust-version\s*=\s*"(\d+\.\d+(?:\.\d+)?)"`), ""})
	manifests := []string{"Cargo.toml"}
	if r.find("Cargo.toml", regexp.MustCompile(`^\[workspace\]`)) != nil {
		members, _ := filepath.Glob(filepath.Join(dir, "*", "Cargo.toml"))
		more, _ := filepath.Glob(filepath.Join(dir, "crates", "*", "Cargo.toml"))
		for _, m := range append(members, more...) {
			file, _ := filepath.Rel(dir, m)
			manifests = append(manifests, filepath.ToSlash(file))
		}
	}
	for _, m := range manifests {
		for _, fw := range []string{"axum", "actix-web", "rocket"} {
			if s.Framework == nil {
				if e := r.find(m, regexp.MustCompile(`^`+regexp.QuoteMeta(fw)+`\s*=`)); e != nil {
					e.Value = fw
					s.Framework = e
				}
			}
		}
		if e := r.find(m, regexp.MustCompile(`^name\s*=\s*"([^"]+)"`)); e != nil && r.find(m, regexp.MustCompile(`^\[workspace\]`)) == nil {
			if exists(filepath.Join(dir, filepath.Dir(m)), "src/main.rs") || r.find(m, regexp.MustCompile(`^\[\[bin\]\]`)) != nil {
				s.Entrypoints = append(s.Entrypoints, *e)
			}
		}
	}
	s.Migrations = r.migrations()
	return s
}

// --- shared ---------------------------------------------------------------

var dbPatterns = []struct {
	name string
	re   *regexp.Regexp
}{
	{"postgres", regexp.MustCompile(`(?i)\bpostgres(?:ql)?(?:\+\w+)?://|\bpsycopg2?\b|asyncpg|"pg"\s*:|github\.com/jackc/pgx|github\.com/lib/pq|\bsqlx\b.*postgres|tokio-postgres`)},
	{"mysql", regexp.MustCompile(`(?i)\bmysql(?:\+\w+)?://|\bpymysql\b|mysqlclient|"mysql2?"\s*:|go-sql-driver/mysql`)},
	{"redis", regexp.MustCompile(`(?i)\bredis://|^redis\b|"(?:io)?redis"\s*:|go-redis/redis|redis/go-redis|^redis\s*=|["']redis(?:\[[^\]]*\])?(?:[<>=~!;,\s"']|$)`)},
	{"sqlite", regexp.MustCompile(`(?i)sqlite(?:3)?(?:\+\w+)?:///([\w./-]+)|\bsqlite3?\b|mattn/go-sqlite3|modernc\.org/sqlite|"better-sqlite3"`)},
}

var sqliteURL = regexp.MustCompile(`(?i)sqlite(?:3)?(?:\+\w+)?:///([\w./-]+)`)

// databases looks in the dependency manifests and the code for the
// databases the app talks to, each once.
func (r *repo) databases(lang string) []Evidence {
	files := map[string][]string{
		"go":     {"go.mod"},
		"python": {"requirements.txt", "pyproject.toml", "Pipfile"},
		"node":   {"package.json"},
		"rust":   {"Cargo.toml"},
	}[lang]
	// A Go program's drivers are modules in go.mod; its code's strings
	// (a tool that names databases) are not evidence of a database.
	if lang != "go" {
		files = append(files, r.codeFiles()[:min(200, len(r.codeFiles()))]...)
	}
	var out []Evidence
	// A SQLite URL names the database file: it wins over a bare mention.
	for _, f := range files {
		if e := r.find(f, sqliteURL); e != nil {
			e.Value = "sqlite:" + e.Value
			out = append(out, *e)
			break
		}
	}
	for _, db := range dbPatterns {
		if db.name == "sqlite" && len(out) > 0 && strings.HasPrefix(out[len(out)-1].Value, "sqlite:") {
			continue
		}
		for _, f := range files {
			if e := r.find(f, db.re); e != nil {
				if db.name == "sqlite" && strings.Contains(e.Value, "/") {
					e.Value = "sqlite:" + e.Value // the database file's path
				} else {
					e.Value = db.name
				}
				out = append(out, *e)
				break
			}
		}
	}
	return out
}

// codeFiles lists up to maxCodeFiles source files, relative, skipping
// dependency and build directories; the tree is walked once.
func (r *repo) codeFiles() []string {
	if r.code != nil {
		return r.code
	}
	dir := r.dir
	out := []string{}
	workspace := project.Workspace(dir)
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || len(out) >= maxCodeFiles {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if p != dir && project.SkipDir(p, d.Name(), workspace) {
				return filepath.SkipDir
			}
			return nil
		}
		if project.TestFile(d.Name()) {
			return nil
		}
		switch filepath.Ext(p) {
		case ".go", ".py", ".js", ".ts", ".mjs", ".rs", ".toml", ".env":
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	r.code = out
	return out
}

func (r *repo) templates(re *regexp.Regexp, lang string) *Evidence {
	for _, f := range r.codeFiles() {
		if (lang == "python" && !strings.HasSuffix(f, ".py")) || (lang == "go" && !strings.HasSuffix(f, ".go")) ||
			(lang == "js" && !strings.HasSuffix(f, ".js") && !strings.HasSuffix(f, ".ts")) {
			continue
		}
		if e := r.find(f, re); e != nil {
			e.Value = "templates"
			return e
		}
	}
	return nil
}

func (r *repo) migrations() *Evidence {
	for _, d := range []string{"migrations", "alembic", "db/migrations", "prisma/migrations"} {
		if st, err := os.Stat(filepath.Join(r.dir, d)); err == nil && st.IsDir() {
			return &Evidence{Value: d, File: d}
		}
	}
	return nil
}

// Service is one service of a repository that holds several: its directory
// (relative, slash-separated) and its stack.
type Service struct {
	Dir   string
	Stack *Stack
}

// Services finds the services of a repository that is not one itself:
// each directory under services/, apps/ or the root whose manifests Detect
// recognises. The front service (web, frontend, gateway, app or ui, else
// the first by name) comes first; the proxy serves it at /.
func Services(dir string) ([]Service, error) {
	var out []Service
	for _, parent := range []string{"services", "apps", "."} {
		entries, err := os.ReadDir(filepath.Join(dir, parent))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || e.Name() == "node_modules" || e.Name() == "deploy" {
				continue
			}
			rel := path.Join(parent, e.Name())
			if s, err := Detect(filepath.Join(dir, rel)); err == nil {
				out = append(out, Service{Dir: rel, Stack: s})
			}
		}
		if len(out) > 0 {
			break
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w; looked for go.mod (Go), Cargo.toml (Rust), package.json (Node), "+
			"pyproject.toml, requirements.txt, Pipfile or setup.py (Python) at the root and in services/*, apps/* and */; pass --stack to say which", dir, ErrUnrecognised)
	}
	front := 0
	for i, s := range out {
		switch path.Base(s.Dir) {
		case "web", "frontend", "gateway", "app", "ui":
			front = i
		}
	}
	out[0], out[front] = out[front], out[0]
	sort.SliceStable(out[1:], func(i, j int) bool { return out[1+i].Dir < out[1+j].Dir })
	return out, nil
}
