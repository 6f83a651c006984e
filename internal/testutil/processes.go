package testutil

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
)

// ProcessesWith lists the processes, other than this one, whose command
// line mentions s, each as its pid and command line: a test that gives a
// child a path of its own (a browser's profile under TMPDIR) finds what is
// left of it after the child should have ended.
func ProcessesWith(s string) []string {
	entries, _ := os.ReadDir("/proc")
	self := strconv.Itoa(os.Getpid())
	var found []string
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmdline, []byte(s)) && e.Name() != self {
			found = append(found, e.Name()+" "+string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
		}
	}
	return found
}
