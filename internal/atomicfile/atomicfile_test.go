package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := Write(path, 0o600, func(w io.Writer) error { _, err := io.WriteString(w, "one"); return err }); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("half way")
	err := Write(path, 0o600, func(w io.Writer) error { io.WriteString(w, "tw"); return failed })
	if !errors.Is(err, failed) {
		t.Fatalf("err = %v", err)
	}
	data, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(data) != "one" || st.Mode().Perm() != 0o600 {
		t.Errorf("after a failed write: %q %v; want the old content, mode 0600", data, st.Mode())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}
