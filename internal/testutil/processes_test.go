package testutil

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestProcessesWith_FindsTheChildUntilItEnds(t *testing.T) {
	mark := filepath.Join(t.TempDir(), "marker")
	// The shell waits on its input, with no child of its own, and ends when
	// the input is closed.
	cmd := exec.Command("sh", "-c", "read line; : "+mark)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Until the child has exec'd the shell, its command line is this test's.
	var found []string
	for deadline := time.Now().Add(5 * time.Second); len(found) == 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		found = ProcessesWith(mark)
	}
	stdin.Close()
	cmd.Wait()
	if len(found) != 1 || !strings.HasPrefix(found[0], strconv.Itoa(cmd.Process.Pid)+" sh -c read line; : "+mark) {
		t.Errorf("processes with %s: %q, want the shell alone", mark, found)
	}
	if left := ProcessesWith(mark); len(left) != 0 {
		t.Errorf("after the shell ended: %q", left)
	}
}
