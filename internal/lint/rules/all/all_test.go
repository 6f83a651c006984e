package all

import (
	"bytes"
	"os"
	"path/filepath"
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
