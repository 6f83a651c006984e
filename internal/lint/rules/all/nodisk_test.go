package all

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// diskReaders are what reads the disk, by import path: a whole package, or
// the functions of it named. A rule gets files and facts from the project
// model (lint.Report.Model), which reads each once per check.
var diskReaders = map[string][]string{
	"os":        nil,
	"io/ioutil": nil,
	"github.com/shipshape/shipshape/internal/source/bounds": nil,
	"path/filepath": {"Glob", "Walk", "WalkDir", "EvalSymlinks"},
	"io/fs":         {"Glob", "ReadDir", "ReadFile", "Stat", "Sub", "WalkDir"},
	"github.com/shipshape/shipshape/internal/project":        {"Scan", "Workspace", "SkipDir"},
	"github.com/shipshape/shipshape/internal/source":         {"KindOfDir"},
	"github.com/shipshape/shipshape/internal/source/compose": {"Load"},
	"github.com/shipshape/shipshape/internal/source/kube":    {"Load", "LoadChart", "LoadKustomization", "IsChart", "IsKustomization"},
	"github.com/shipshape/shipshape/internal/source/nginx":   {"Load"},
}

// TestRules_NeverReadTheDisk holds every rule package to reading the
// project through the model: no rule imports os or bounds, walks or globs
// the file system, or calls a loader or scanner that does.
func TestRules_NeverReadTheDisk(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		names := map[string]string{} // the name a file uses → import path
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			funcs, reads := diskReaders[p]
			if reads && funcs == nil {
				t.Errorf("%s imports %s: read files through the project model (r.Model()) instead", fset.Position(imp.Pos()), p)
			}
			name := p[strings.LastIndex(p, "/")+1:]
			if imp.Name != nil {
				name = imp.Name.Name
			}
			names[name] = p
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			for _, fn := range diskReaders[names[pkg.Name]] {
				if sel.Sel.Name == fn {
					t.Errorf("%s calls %s.%s, which reads the disk: ask the project model (r.Model()) instead", fset.Position(sel.Pos()), pkg.Name, fn)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read %d rule files, expected every rule of every area", files)
	}
}
