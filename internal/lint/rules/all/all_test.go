package all

import (
	"bytes"
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
)

// TestDocs_UpToDate fails when docs/rules.md no longer matches the registry.
func TestDocs_UpToDate(t *testing.T) {
	var buf bytes.Buffer
	if err := lint.WriteMarkdown(&buf, lint.List()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "..", "..", "docs", "rules.md")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatal("docs/rules.md is stale: run `make docs` and commit the result")
	}
}

// TestLint_DoesNotImportDeployOrProxy keeps the linter a pure library: it
// must never pull in code that talks to engines or clusters.
func TestLint_DoesNotImportDeployOrProxy(t *testing.T) {
	root := filepath.Join("..", "..")
	forbidden := []string{"internal/deploy", "internal/proxy", "internal/engine", "internal/cli"}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() == "testdata" {
			if d != nil && d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return err
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		for _, imp := range append(pkg.Imports, pkg.TestImports...) {
			for _, f := range forbidden {
				if strings.Contains(imp, "/"+f) {
					t.Errorf("%s imports %s", path, imp)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
