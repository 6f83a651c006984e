package detect

import (
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var goModuleLine = regexp.MustCompile(`^\s*module\s+"?([^\s"]+)"?`)

// goScope is the set of the module's package directories (relative, "."
// for the root) that the entry package builds from: itself and what it
// imports of the module, transitively. nil when that cannot be known (no
// module line): everything counts then. With several main packages in one
// module, a route or setting in another program's code is not the
// entry's (benbjohnson/wtf's cmd/wtf-storybook serves its own /).
func (r *repo) goScope(entry string) map[string]bool {
	var module string
	for _, line := range r.read("go.mod") {
		if m := goModuleLine.FindStringSubmatch(line); m != nil {
			module = m[1]
			break
		}
	}
	if module == "" {
		return nil
	}
	// Each package directory is read when reached, from the disk: the
	// walk over the code skips directories named like build output
	// (ardanlabs/service's api/services/sales/build), whose imports count.
	fset := token.NewFileSet()
	importsOf := func(dir string) []string {
		entries, err := os.ReadDir(filepath.Join(r.dir, filepath.FromSlash(dir)))
		if err != nil {
			return nil
		}
		var out []string
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || project.TestFile(name) {
				continue
			}
			file, err := parser.ParseFile(fset, "", strings.Join(r.read(path.Join(dir, name)), "\n"), parser.ImportsOnly)
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
	start := path.Clean(strings.TrimPrefix(entry, "./"))
	scope := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 && len(scope) < maxCodeFiles {
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
