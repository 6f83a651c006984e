package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
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

// A device or a FIFO is written in place, never replaced by a file
// (check -o /dev/null as root once left the machine without /dev/null:
// the test uses a FIFO of its own, so that a regression cannot do that
// again); a link stays a link and its target gets the content.
func TestWrite_NotARegularFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		data, _ := os.ReadFile(fifo)
		got <- string(data)
	}()
	if err := Write(fifo, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "through"); return err }); err != nil {
		t.Fatal(err)
	}
	if data := <-got; data != "through" {
		t.Errorf("read %q from the FIFO, want through", data)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("%s after Write: %v, %v; want the FIFO still", fifo, st.Mode(), err)
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "report.sarif")
	link := filepath.Join(dir, "latest.sarif")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if data, _ := os.ReadFile(target); string(data) != "new" {
		t.Errorf("the link's target holds %q, want new", data)
	}
}
