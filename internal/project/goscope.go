package project

import (
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/source/bounds"
)

var goModuleLine = regexp.MustCompile(`(?m)^\s*module\s+"?([^\s"]+)"?`)

// maxGoScopeDirs bounds the packages GoScope follows.
const maxGoScopeDirs = 2000

// GoModulePath is the module path dir's go.mod declares, "" when it has
// none.
func GoModulePath(dir string) string {
	data, err := bounds.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return ""
	}
	if m := goModuleLine.FindSubmatch(data); m != nil {
		return string(m[1])
	}
	return ""
}

// GoScope is the set of the module's package directories (relative to
// dir, the module's root; "." for the root) that the package in entry
// builds from: itself and what it imports of the module, transitively.
// nil when that cannot be known (no go.mod module line): everything
// counts then. With several main packages in one module, a route or a
// port in another program's code is not the entry's (benbjohnson/wtf's
// cmd/wtf-storybook listens on its own port and serves its own /).
// Packages are read from the disk as they are reached, so directories a
// walk over the code would skip (ardanlabs/service's routes go through
// api/services/sales/build) count.
func GoScope(dir, entry string) map[string]bool {
	module := GoModulePath(dir)
	if module == "" {
		return nil
	}
	fset := token.NewFileSet()
	importsOf := func(pkg string) []string {
		entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(pkg)))
		if err != nil {
			return nil
		}
		var out []string
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || TestFile(name) {
				continue
			}
			src, err := bounds.ReadFile(filepath.Join(dir, filepath.FromSlash(pkg), name))
			if err != nil {
				continue
			}
			file, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
			if err != nil {
				continue
			}
			for _, imp := range file.Imports {
				p, err := strconv.Unquote(imp.Path.Value)
				if err != nil {
					continue
				}
				if p == module {
					out = append(out, ".")
				} else if rest, ok := strings.CutPrefix(p, module+"/"); ok {
					out = append(out, path.Clean(rest))
				}
			}
		}
		return out
	}
	start := path.Clean(strings.TrimPrefix(filepath.ToSlash(entry), "./"))
	scope := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 && len(scope) < maxGoScopeDirs {
		d := queue[0]
		queue = queue[1:]
		for _, dep := range importsOf(d) {
			if !scope[dep] && !strings.HasPrefix(dep, "..") {
				scope[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	return scope
}
