package engine

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// A run id names this process; orphaned is true only for a process of
// this host that is gone: another boot, an exited pid, a pid reused by a
// process started at another time. Another host's runs are never this
// host's to judge.
func TestOrphaned(t *testing.T) {
	if RunID == "" {
		t.Fatal("no run id on Linux: /proc unreadable?")
	}
	host, rest, _ := strings.Cut(RunID, " ")
	f := strings.Fields(rest)
	if len(f) != 3 || f[1] != strconv.Itoa(os.Getpid()) {
		t.Fatalf("RunID %q: want host, boot, this pid, start time", RunID)
	}
	boot, start := f[0], f[2]
	// A process that has exited: its pid is free (or another's, started
	// later).
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	exited := strconv.Itoa(cmd.ProcessState.Pid())
	for _, tc := range []struct {
		name, id string
		want     bool
	}{
		{"this process", RunID, false},
		{"an exited process", host + " " + boot + " " + exited + " " + start, true},
		{"this pid, started at another time", host + " " + boot + " " + f[1] + " 1", true},
		{"another boot", host + " 00000000-0000-0000-0000-000000000000 " + f[1] + " " + start, true},
		{"another host", "elsewhere " + boot + " " + exited + " " + start, false},
		{"not a run id", "hello", false},
		{"a pid that is not a number", host + " " + boot + " x " + start, false},
		{"empty", "", false},
	} {
		if got := orphaned(tc.id); got != tc.want {
			t.Errorf("%s: orphaned(%q) = %v, want %v", tc.name, tc.id, got, tc.want)
		}
	}
	if labels := RunLabels(map[string]string{"a": "b"}); labels[LabelRun] != RunID || labels["a"] != "b" {
		t.Errorf("RunLabels: %v", labels)
	}
}
