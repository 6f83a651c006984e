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
		if !strings.Contains(text, "ort:") {
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
