package detect

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var (
	pyFromImport = regexp.MustCompile(`^\s*from\s+(\.*[\w.]*)\s+import\s+\(?\s*([^)#]+)`)
	pyImport     = regexp.MustCompile(`^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$`)
	// A router or an app: api_router = APIRouter(prefix="/utils"),
	// bp = Blueprint("main", __name__, url_prefix="/m"), app = FastAPI().
	pyRouterDef  = regexp.MustCompile(`^\s*(\w+)\s*(?::\s*[\w.\[\]]+\s*)?=\s*(?:[\w.]+\.)?(APIRouter|Blueprint|FastAPI|Flask|Quart|NinjaAPI|Router)\((.*)`)
	ninjaDocsURL = regexp.MustCompile(`\bdocs_url\s*=\s*(None|[rf]?["']([^"']*)["'])`)
	// Django Ninja's api.add_router("/games/", router): the prefix first.
	pyAddRouter = regexp.MustCompile(`^\s*([\w.]+)\.add_router\(\s*[rf]?["']([^"']*)["']\s*,\s*([\w.]+)\s*[,)]`)
	// parent.include_router(child, prefix=...), app.register_blueprint(bp, url_prefix=...).
	pyInclude     = regexp.MustCompile(`^\s*([\w.]+)\.(?:include_router|register_blueprint)\((.*)`)
	pyPrefixArg   = regexp.MustCompile(`\b(?:url_)?prefix\s*=\s*([^,)]+)`)
	pyChildArg    = regexp.MustCompile(`^\s*(?:(?:router|blueprint)\s*=\s*)?([\w.]+)`)
	pyRouteLine   = regexp.MustCompile(`^\s*@([\w.]+)\.(?:get|post|put|delete|patch|route|api_route|head|options)\(\s*(?:path\s*=\s*)?[rf]?["']([^"']*)["']`)
	pyStringLit   = regexp.MustCompile(`^\s*([rRfFbB]{0,2})(["'])(.*)(["'])\s*$`)
	pyFStringPart = regexp.MustCompile(`\{([\w.]+)\}`)
)

// pyRouters is what the Python code says about its routers: where each
// is made with which prefix of its own, and where each is included in
// another with which prefix.
type pyRouters struct {
	r        *repo
	own      map[string]string // "module:var" → its own prefix
	included map[string][2]string
	consts   map[string]*string // name → string value, nil when none
	// guards: "module:var" → the dependency that checks who calls its
	// APIRouter(dependencies=...) or include_router(..., dependencies=...)
	// puts before all its routes (fastapiAuthDependency).
	guards map[string]string
	// ninja are the Django Ninja APIs made ("module:var"), where, with
	// their docs page's path ("" when docs_url=None).
	ninja map[string]Evidence
	// imported caches imports' answer per file.
	imported map[string]map[string]string
}

// newPyRouters is an empty reading of the code's routers, for pythonMounts
// and starletteRoutes to fill and follow (its imports read once per file).
func (r *repo) newPyRouters() *pyRouters {
	return &pyRouters{r: r, own: map[string]string{}, included: map[string][2]string{}, consts: map[string]*string{}, guards: map[string]string{}}
}

// pythonMounts rewrites each decorated route to the path it is served
// at: its router's own prefix, and the prefixes of the routers and apps
// it is included in, followed through imports. It returns what it read
// of the routers, nil when the code makes none.
func (r *repo) pythonMounts(routes []route) *pyRouters {
	pr := r.newPyRouters()
	found := false
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		for _, line := range pyLogicalLines(r.read(f)) {
			if m := pyRouterDef.FindStringSubmatch(line); m != nil {
				key := pyModule(f) + ":" + m[1]
				prefix := ""
				if p := pyPrefixArg.FindStringSubmatch(m[3]); p != nil && (m[2] == "APIRouter" || m[2] == "Blueprint") {
					prefix, _ = pr.str(p[1])
				}
				pr.own[key] = prefix
				if m[2] == "NinjaAPI" {
					if pr.ninja == nil {
						pr.ninja = map[string]Evidence{}
					}
					docs := "/docs" // NinjaAPI's docs_url default
					if d := ninjaDocsURL.FindStringSubmatch(m[3]); d != nil {
						docs = d[2]
					}
					at := 0
					for i, l := range r.read(f) {
						if strings.Contains(l, "NinjaAPI(") && strings.HasPrefix(strings.TrimSpace(l), m[1]) {
							at = i + 1
							break
						}
					}
					pr.ninja[key] = Evidence{Value: docs, File: f, Line: at}
				}
				if dep := fastapiAuthDependency(m[3], nil); dep != "" && m[2] != "Flask" && m[2] != "Blueprint" {
					pr.guards[key] = dep
				}
				found = true
			}
			if m := pyAddRouter.FindStringSubmatch(line); m != nil {
				ck, pk := pr.resolve(f, m[3]), pr.resolve(f, m[1])
				if _, seen := pr.included[ck]; ck != "" && pk != "" && !seen {
					pr.included[ck] = [2]string{pk, m[2]}
				}
				found = true
			}
			for _, m := range project.DjangoAPIURLs.FindAllStringSubmatch(line, -1) {
				// A Django Ninja API mounted in a URLconf: its routes are
				// under the path (a root URLconf's; an included one's
				// prefix is not followed here).
				if k := pr.resolve(f, m[2]); k != "" && m[2] != "admin.site" {
					if _, seen := pr.included[k]; !seen {
						pr.included[k] = [2]string{"", "/" + strings.TrimPrefix(m[1], "/")}
					}
					found = true
				}
			}
			if m := pyInclude.FindStringSubmatch(line); m != nil {
				child := pyChildArg.FindStringSubmatch(m[2])
				if child == nil {
					continue
				}
				prefix := ""
				if p := pyPrefixArg.FindStringSubmatch(m[2]); p != nil {
					prefix, _ = pr.str(p[1])
				}
				ck, pk := pr.resolve(f, child[1]), pr.resolve(f, m[1])
				if _, seen := pr.included[ck]; ck != "" && pk != "" && !seen {
					pr.included[ck] = [2]string{pk, prefix}
					if dep := fastapiAuthDependency(m[2], nil); dep != "" {
						pr.guards[ck+">"+pk] = dep // this inclusion's
					}
				}
				found = true
			}
		}
	}
	if !found {
		return nil
	}
	for i, rt := range routes {
		_, m := r.pyDecorator(rt)
		if m == nil {
			continue
		}
		key := pr.resolve(rt.File, m[1])
		if _, ok := pr.own[key]; !ok {
			continue
		}
		full := joinPath(pr.full(key, 0), m[2])
		if full != rt.Value {
			routes[i].Value = full
			routes[i].Why = "mounted at " + strings.TrimSuffix(pr.full(key, 0), "/")
		}
	}
	return pr
}

// guard is the dependency that checks who calls which router key, or a
// router or app it is included in, puts before its routes; "" for none.
func (pr *pyRouters) guard(key string) string {
	for depth := 0; key != "" && depth <= 10; depth++ {
		if dep := pr.guards[key]; dep != "" {
			return dep
		}
		inc, ok := pr.included[key]
		if !ok {
			break
		}
		if dep := pr.guards[key+">"+inc[0]]; dep != "" {
			return dep
		}
		key = inc[0]
	}
	return ""
}

// pyDecorator is the route decorator a Python route was read from, as
// pyRouteAt matches it (its router, its path), with its file's lines;
// a nil match for a route of another kind.
func (r *repo) pyDecorator(rt route) ([]string, []string) {
	lines := r.read(rt.File)
	if rt.Line < 1 || rt.Line > len(lines) {
		return lines, nil
	}
	return lines, pyRouteAt(lines, rt.Line-1)
}

// pyRouteAt is pyRouteLine's match for the route decorator at lines[i],
// with its path on the next line where black wrapped it there.
func pyRouteAt(lines []string, i int) []string {
	line := lines[i]
	if strings.HasSuffix(strings.TrimSpace(line), "(") && i+1 < len(lines) {
		line = strings.TrimRight(line, " \t") + strings.TrimSpace(lines[i+1])
	}
	return pyRouteLine.FindStringSubmatch(line)
}

// full is the path the routes of router key are served under.
func (pr *pyRouters) full(key string, depth int) string {
	own := pr.own[key]
	inc, ok := pr.included[key]
	if !ok || depth > 10 {
		return own
	}
	return joinPath(pr.full(inc[0], depth+1), inc[1], own)
}

// resolve names the router an expression in file refers to, as
// "module:var": a router the file makes, one it imports (from .routes
// import api as api_router), or an attribute of a module it imports
// (utils.router).
func (pr *pyRouters) resolve(file, expr string) string {
	mod := pyModule(file)
	head, rest, dotted := strings.Cut(expr, ".")
	imports := pr.imports(file)
	if !dotted {
		if target, ok := imports[head]; ok {
			// from X import name: X's name, or the module X.name itself.
			return target
		}
		return mod + ":" + head
	}
	if target, ok := imports[head]; ok && !strings.Contains(rest, ".") {
		m, v, _ := strings.Cut(target, ":")
		if pr.isModule(m + "." + v) {
			return m + "." + v + ":" + rest
		}
		if v == "" {
			return m + ":" + rest
		}
	}
	return ""
}

// imports maps a file's imported names to "module:name" ("module:" for a
// module imported whole).
func (pr *pyRouters) imports(file string) map[string]string {
	if out, ok := pr.imported[file]; ok {
		return out
	}
	if pr.imported == nil {
		pr.imported = map[string]map[string]string{}
	}
	out := map[string]string{}
	pr.imported[file] = out
	pkg := pyModule(file)
	if path.Base(file) != "__init__.py" {
		if i := strings.LastIndex(pkg, "."); i >= 0 {
			pkg = pkg[:i]
		} else {
			pkg = ""
		}
	}
	for _, line := range pyLogicalLines(pr.r.read(file)) {
		if m := pyImport.FindStringSubmatch(line); m != nil {
			name := m[2]
			if name == "" {
				name = m[1]
			}
			out[name] = pr.ownModule(m[1]) + ":"
			continue
		}
		m := pyFromImport.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		from := m[1]
		if strings.HasPrefix(from, ".") {
			dots := len(from) - len(strings.TrimLeft(from, "."))
			base := pkg
			for i := 1; i < dots; i++ {
				if j := strings.LastIndex(base, "."); j >= 0 {
					base = base[:j]
				} else {
					base = ""
				}
			}
			from = strings.Trim(base+"."+from[dots:], ".")
		}
		from = pr.ownModule(from)
		for _, item := range strings.Split(m[2], ",") {
			fields := strings.Fields(item)
			switch {
			case len(fields) == 1:
				out[fields[0]] = from + ":" + fields[0]
			case len(fields) == 3 && fields[1] == "as":
				out[fields[2]] = from + ":" + fields[0]
			}
		}
	}
	return out
}

// isModule reports whether a dotted module name is a file or package of
// the repository (at its root or under src/).
func (pr *pyRouters) isModule(mod string) bool {
	p := strings.ReplaceAll(mod, ".", "/")
	for _, f := range []string{p + ".py", p + "/__init__.py", "src/" + p + ".py", "src/" + p + "/__init__.py"} {
		if exists(pr.r.dir, f) {
			return true
		}
	}
	return false
}

// str evaluates a prefix expression: a string literal, an f-string of
// settings, a constant or a settings field with a string default
// (settings.API_V1_STR, API_V1_STR: str = "/api/v1").
func (pr *pyRouters) str(expr string) (string, bool) {
	expr = strings.TrimSpace(expr)
	if m := pyStringLit.FindStringSubmatch(expr); m != nil && m[2] == m[4] {
		s := m[3]
		if !strings.ContainsAny(m[1], "fF") {
			return s, true
		}
		ok := true
		s = pyFStringPart.ReplaceAllStringFunc(s, func(part string) string {
			v, found := pr.constant(strings.Trim(part, "{}"))
			ok = ok && found
			return v
		})
		return s, ok
	}
	return pr.constant(expr)
}

var pyIdent = regexp.MustCompile(`^[\w.]+$`)

// constant is the string a name (its last attribute) is given in the
// code: NAME = "..." or NAME: str = "..." (a settings field's default).
func (pr *pyRouters) constant(expr string) (string, bool) {
	if !pyIdent.MatchString(expr) {
		return "", false
	}
	name := expr[strings.LastIndex(expr, ".")+1:]
	if v, ok := pr.consts[name]; ok {
		return deref(v)
	}
	re := regexp.MustCompile(`^\s*` + quoteMeta(name) + `\s*(?::[^=]+)?=\s*[rR]?["']([^"']*)["']\s*(?:#.*)?$`)
	var found *string
	for _, f := range pr.r.codeFiles() {
		if strings.HasSuffix(f, ".py") {
			if e := pr.r.find(f, re); e != nil {
				v := e.Value
				found = &v
				break
			}
		}
	}
	pr.consts[name] = found
	return deref(found)
}

func deref(p *string) (string, bool) {
	if p == nil {
		return "", false
	}
	return *p, true
}

// ownModule is the module of the repository an import names, as pyModule names
// the module of a file: without the src directory it is imported
// through (from src.api.v1.routes import router) or the package name
// the code gives its own directory (from app.controllers import x in
// app/, Stack.PackageRoot).
func (pr *pyRouters) ownModule(module string) string {
	if p := pr.r.ownPackage; p != "" {
		if rest, ok := strings.CutPrefix(module, p+"."); ok {
			return rest
		}
	}
	return strings.TrimPrefix(module, "src.")
}

// pyModule is the dotted module a file defines (src/ layouts without
// src, a package by its __init__.py).
func pyModule(file string) string {
	m := strings.TrimSuffix(strings.TrimPrefix(file, "src/"), ".py")
	m = strings.TrimSuffix(m, "/__init__")
	return strings.ReplaceAll(m, "/", ".")
}

// pyLogicalLines joins the lines of a bracketed expression that spans
// several (an import list, a call's arguments), up to 30, and drops
// comments.
func pyLogicalLines(lines []string) []string {
	var out []string
	var cur strings.Builder
	depth, joined := 0, 0
	for _, line := range lines {
		line = stripComment(line, "#")
		if strings.TrimSpace(line) == "" && cur.Len() == 0 {
			continue
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(line)
		depth += bracketDepth(line)
		joined++
		if depth <= 0 || joined >= 30 {
			out = append(out, cur.String())
			cur.Reset()
			depth, joined = 0, 0
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// stripComment cuts a line at a comment marker outside quotes.
func stripComment(line, marker string) string {
	out := line
	outsideQuotes(line, func(i int) bool {
		if strings.HasPrefix(line[i:], marker) {
			out = line[:i]
			return false
		}
		return true
	})
	return out
}

// bracketDepth is how many brackets a line opens and leaves open
// (negative when it closes more), quotes aside.
func bracketDepth(line string) int {
	depth := 0
	outsideQuotes(line, func(i int) bool {
		switch line[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		}
		return true
	})
	return depth
}

// outsideQuotes calls fn with the index of each byte of line that is not
// inside a quoted string (a backslash escapes within one), until fn
// returns false.
func outsideQuotes(line string, fn func(i int) bool) {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case !fn(i):
			return
		}
	}
}

// ninjaDocs are the Django Ninja APIs' own docs pages (/docs under where
// the API is mounted, unless docs_url=None), served without a session:
// offered first where init asks for a health route, as FastAPI's are.
func (pr *pyRouters) ninjaDocs() []route {
	var out []route
	for _, k := range slices.Sorted(maps.Keys(pr.ninja)) {
		e := pr.ninja[k]
		if e.Value == "" {
			continue
		}
		e.Value = joinPath(pr.full(k, 0), e.Value)
		e.Why = "Django Ninja's own API docs page, served without a session"
		out = append(out, route{Evidence: e, page: e.Why})
	}
	return out
}
