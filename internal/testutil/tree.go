// Package testutil holds helpers the tests of several packages share.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// WriteTree creates files (slash-separated relative paths → content) under
// a new temporary directory, with their parent directories, and returns it.
func WriteTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
