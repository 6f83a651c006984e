package detect

import (
	"go/ast"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// literalPortKey is a field a composite literal sets to the listen port.
var literalPortKey = regexp.MustCompile(`^(?i:(?:http|web|app|server|listen|api)?_?port)$`)

// goLiteralPort is the listen port a composite literal in the program's
// own packages sets (bnkamalesh/goapp's configs.go: &http.Config{Port:
// 8080, ...}, handed to its server), when there is one value only: a
// literal of another server's type (postgres.Config, RedisConfig) or a
// database's port does not count. It wins over the port a repository's
// Dockerfile exposes, which goapp's says 8000 while its code listens on
// 8080. scope holds the program's package directories; nil reads all.
func (r *repo) goLiteralPort(scope map[string]bool) *Evidence {
	var found []Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || scope != nil && !scope[path.Dir(f)] {
			continue
		}
		text := strings.Join(r.read(f), "\n")
		if !strings.Contains(text, "ort:") && !strings.Contains(text, "Addr:") {
			continue
		}
		file, _ := r.goFile(f)
		if file == nil {
			continue
		}
		fset := r.goFset()
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || lit.Type == nil || project.OtherServer(exprName(lit.Type)) {
				return true
			}
			for _, el := range lit.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, ok := kv.Key.(*ast.Ident)
				if ok && key.Name == "Addr" && exprName(lit.Type) == "http.Server" {
					// &http.Server{Addr: config.HTTPListen}, a package
					// variable whose value is host:port (mailpit's
					// config.go: HTTPListen = "[::]:8025").
					if e := r.goPackageAddr(scope, kv.Value); e != nil {
						found = append(found, *e)
					}
					continue
				}
				v, isLit := kv.Value.(*ast.BasicLit)
				if !ok || !isLit || v.Kind != token.INT || !literalPortKey.MatchString(key.Name) {
					continue
				}
				port, err := strconv.Atoi(v.Value)
				if err != nil || port < 80 || port > 65535 || servicePorts[v.Value] != "" {
					continue
				}
				found = append(found, Evidence{Value: v.Value, File: f, Line: fset.Position(kv.Pos()).Line,
					Why: "the code's " + exprName(lit.Type) + "{" + key.Name + ": " + v.Value + "}"})
			}
			return true
		})
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Where() < found[j].Where() })
	for _, e := range found[min(1, len(found)):] {
		if e.Value != found[0].Value {
			return nil // several ports: not one to choose silently
		}
	}
	if len(found) == 0 {
		return nil
	}
	return &found[0]
}

// addrPort is the port of a listen address: ":8025", "[::]:8025",
// "0.0.0.0:8025".
var addrPort = regexp.MustCompile(`^(?:\[[0-9a-fA-F:.]*\]|[\w.-]*):(\d{2,5})$`)

// goPackageAddr is the port of a listen address an expression names: a
// package-level variable or constant of the program's (x or pkg.x) whose
// value is a string literal host:port, declared once; nil otherwise.
func (r *repo) goPackageAddr(scope map[string]bool, e ast.Expr) *Evidence {
	decl := r.goPackageString(scope, e)
	if decl == nil {
		return nil
	}
	m := addrPort.FindStringSubmatch(decl.Value)
	if m == nil {
		return nil
	}
	if port, _ := strconv.Atoi(m[1]); port < 80 || port > 65535 || servicePorts[m[1]] != "" {
		return nil // a database's, or no port
	}
	return &Evidence{Value: m[1], File: decl.File, Line: decl.Line,
		Why: "the default of " + decl.Why + " (" + strconv.Quote(decl.Value) + "), the http.Server's Addr"}
}

// goPackageString is the string an expression names: a package-level
// variable or constant of the program's (x or pkg.x) declared once, with
// a string literal; Value is the string, Why the name. nil otherwise, and
// for another server's name (MetricsAddr, DebugAddr).
func (r *repo) goPackageString(scope map[string]bool, e ast.Expr) *Evidence {
	name := ""
	switch e := e.(type) {
	case *ast.Ident:
		name = e.Name
	case *ast.SelectorExpr:
		if _, ok := e.X.(*ast.Ident); ok {
			name = e.Sel.Name
		}
	}
	if name == "" || project.OtherServer(name) {
		return nil
	}
	var found []Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || scope != nil && !scope[path.Dir(f)] || !strings.Contains(strings.Join(r.read(f), "\n"), name) {
			continue
		}
		file, _ := r.goFile(f)
		if file == nil {
			continue
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR && g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if id.Name != name || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						return nil
					}
					v, _ := strconv.Unquote(lit.Value)
					found = append(found, Evidence{Value: v, File: f, Line: r.goFset().Position(id.Pos()).Line, Why: name})
				}
			}
		}
	}
	if len(found) != 1 {
		return nil
	}
	return &found[0]
}
