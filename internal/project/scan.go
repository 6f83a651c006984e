package project

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Evidence is something found in the code, with where.
type Evidence struct {
	Value string
	File  string
	Line  int
}

// App is what the scan found.
type App struct {
	Dir string
	// Routes are the HTTP paths the code registers.
	Routes []Evidence
	// RequiredEnv are variables read without a default (os.environ["X"]),
	// whose absence stops the app at start.
	RequiredEnv []Evidence
	// Express is where the code loads Express, nil when it does not.
	Express *Evidence
	// TrustsProxy is true when the code sets Express's `trust proxy`.
	TrustsProxy bool
	// Listens are the ports the code binds: literal ports in listen/run/bind
	// calls and the defaults of a PORT variable. A port taken from the
	// environment alone is not known and not listed.
	Listens []Evidence
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
	"venv": true, "dist": true, "build": true, "target": true, "testdata": true, "tests": true, "test": true,
	"examples": true, "example": true, "docs": true, "fixtures": true}

// manifests mark a project of its own.
var manifests = []string{"go.mod", "package.json", "Cargo.toml", "pyproject.toml", "requirements.txt", "setup.py"}

// SkipDir reports whether a directory below the app's root holds no code
// of the app: dependencies, build output, tests, examples and docs, hidden
// directories, and nested projects (a directory with a manifest of its
// own is another app, e.g. a frontend, or an example, unless the root is
// a workspace of them: see Workspace).
func SkipDir(path, name string, workspace bool) bool {
	if skipDirs[name] || strings.HasPrefix(name, ".") {
		return true
	}
	if workspace {
		return false
	}
	for _, m := range manifests {
		if _, err := os.Stat(filepath.Join(path, m)); err == nil {
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
		return true
	}
	return false
}

// TestFile reports whether a file name is a test's: its routes, ports and
// strings say nothing about the app.
func TestFile(name string) bool {
	return strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "test_") || strings.HasSuffix(name, "_test.py") ||
		strings.Contains(name, ".test.") || strings.Contains(name, ".spec.")
}

var (
	pyRoute = regexp.MustCompile(`@\w+(?:\.\w+)*\.(?:get|post|put|delete|patch|route|api_route|head)\(\s*[rf]?["']([^"']+)["']`)
	djRoute = regexp.MustCompile(`\b(?:re_)?path\(\s*r?["']\^?([^"'$]*)\$?["']`)
	goRoute = regexp.MustCompile(`\.(?:HandleFunc|Handle|GET|Get|POST|Post|PUT|Put|DELETE|Delete|Any|Route)\(\s*"([^"]+)"`)
	jsRoute = regexp.MustCompile(`\b(?:app|router|server|fastify|r)\.(?:get|post|put|delete|patch|all|head|route)\(\s*['"` + "`" + `]([^'"` + "`" + `]+)['"` + "`" + `]`)
	// Servers without a router compare the request path themselves:
	// http.server's self.path == "/health", Node's req.url === '/health',
	// a std-only Rust server's "GET /health HTTP".
	pyPathEq = regexp.MustCompile(`\bpath\s*==\s*["'](/[^"']*)["']`)
	jsPathEq = regexp.MustCompile(`\b(?:url|pathname)\s*===?\s*['"](/[^'"]*)['"]`)
	rsRoute  = regexp.MustCompile(`\.route\(\s*"([^"]+)"|#\[(?:get|post|put|delete|patch)\(\s*"([^"]+)"|"(?:GET|HEAD) (/[^ "]*) HTTP|^\s*"(/[^"]*)"\s*(?:\||=>)`)
	// A SIGTERM handler in any language: process.on('SIGTERM'),
	// signal.signal(signal.SIGTERM, ...), signal.Notify(..., syscall.SIGTERM),
	// tokio's signal::unix / ctrl_c, a raw signal(15, ...).
	sigterm   = regexp.MustCompile(`SIGTERM|\bsignal\(\s*15\s*,|tokio::signal|ctrl_c\(`)
	pyEnvHard = regexp.MustCompile(`os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]`)
	jsExpress = regexp.MustCompile(`require\(\s*['"]express['"]\s*\)|from\s+['"]express['"]`)
	jsTrust   = regexp.MustCompile(`\.(?:set|enable)\(\s*['"]trust proxy['"]`)

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
			regexp.MustCompile(`\bAddr:\s*"[\w.\[\]:]*:(\d{2,5})"`),
		},
		"js": {
			regexp.MustCompile(`\.listen\(\s*(?:\{\s*port:\s*)?(\d{2,5})\b`),
			regexp.MustCompile(`process\.env\.PORT\s*(?:\|\||\?\?)\s*["']?(\d{2,5})\b`),
		},
		"rust": {
			regexp.MustCompile(`\bbind\(\s*"[\w.\[\]:]*:(\d{2,5})"`),
			regexp.MustCompile(`\bbind\(\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\)`),
			regexp.MustCompile(`\[\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\]\s*,\s*(\d{2,5})\s*\)`),
		},
	}
)

var scanned sync.Map // absolute dir → *App: several rules read the same build context

// Scan reads the application under dir, once per process and directory.
// The cache is keyed by the absolute path: "." in one working directory is
// not "." in the next (init, then check, in one process).
func Scan(dir string) *App {
	key := dir
	if abs, err := filepath.Abs(dir); err == nil {
		key = abs
	}
	if app, ok := scanned.Load(key); ok {
		return app.(*App)
	}
	app, _ := scanned.LoadOrStore(key, scan(dir))
	return app.(*App)
}

func scan(dir string) *App {
	app := &App{Dir: dir}
	files := 0
	workspace := Workspace(dir)
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if path != dir && SkipDir(path, d.Name(), workspace) {
				return filepath.SkipDir
			}
			return nil
		}
		if files >= maxFiles {
			return filepath.SkipAll
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
		app.scanFile(path, lang)
		return nil
	})
	sort.Slice(app.Routes, func(i, j int) bool { return app.Routes[i].Value < app.Routes[j].Value })
	return app
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

func (a *App) scanFile(path, lang string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		var routes []*regexp.Regexp
		switch lang {
		case "python":
			routes = []*regexp.Regexp{pyRoute, djRoute, pyPathEq}
			for _, m := range pyEnvHard.FindAllStringSubmatch(line, -1) {
				a.RequiredEnv = append(a.RequiredEnv, Evidence{Value: m[1], File: path, Line: n})
			}
		case "go":
			routes = []*regexp.Regexp{goRoute}
		case "rust":
			routes = []*regexp.Regexp{rsRoute}
		case "js":
			routes = []*regexp.Regexp{jsRoute, jsPathEq}
			if a.Express == nil && jsExpress.MatchString(line) {
				a.Express = &Evidence{Value: "express", File: path, Line: n}
			}
			a.TrustsProxy = a.TrustsProxy || jsTrust.MatchString(line)
		}
		if a.HandlesSIGTERM == nil && sigterm.MatchString(line) {
			a.HandlesSIGTERM = &Evidence{Value: "SIGTERM", File: path, Line: n}
		}
		for _, re := range listenPatterns[lang] {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				a.Listens = append(a.Listens, Evidence{Value: m[1], File: path, Line: n})
			}
		}
		for _, re := range routes {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				route := firstGroup(m)
				if method, p, ok := strings.Cut(route, " "); ok && strings.ToUpper(method) == method {
					route = p // Go 1.22 patterns: "GET /healthz"
				}
				if !strings.HasPrefix(route, "/") {
					route = "/" + route
				}
				a.Routes = append(a.Routes, Evidence{Value: route, File: path, Line: n})
			}
		}
	}
}

// Serves reports whether the app registers a route that answers path.
// Path parameters ({id}, :id, <int:id>) match any segment.
func (a *App) Serves(path string) bool {
	path = strings.TrimSuffix(path, "/")
	for _, r := range a.Routes {
		if routeMatches(strings.TrimSuffix(r.Value, "/"), path) {
			return true
		}
	}
	return false
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
