package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/testutil"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shipshape-main")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "shipshape")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// bigManifest is a 15 MiB ConfigMap (under the 16 MiB limit) that takes
// check seconds to read: long enough to be interrupted in the middle.
func bigManifest() string {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n")
	value := strings.Repeat("x", 60)
	for i := 0; b.Len() < 15<<20; i++ {
		fmt.Fprintf(&b, "  key%d: %q\n", i, value)
	}
	return b.String()
}

// TestCheck_HostileInput: documents made to exhaust a parser are refused at
// their line, within a bound of time and memory that a real run respects by
// two orders of magnitude (a billion-laughs deployment.yaml took 10 minutes
// and 2.4 GB before the bound, and SIGTERM did not stop it).
func TestCheck_HostileInput(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"manifest aliases", map[string]string{"deployment.yaml": testutil.BillionLaughs("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n")}, "deployment.yaml:"},
		{"compose aliases", map[string]string{"compose.yaml": testutil.BillionLaughs("services:\n  web:\n    image: nginx:1.27.3\n")}, "compose.yaml:"},
		{"kustomize aliases", map[string]string{
			"kustomization.yaml": "resources:\n- deployment.yaml\n",
			"deployment.yaml":    testutil.BillionLaughs("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n"),
		}, "deployment.yaml:"},
		{"chart values aliases", map[string]string{
			"chart/Chart.yaml":          "apiVersion: v2\nname: lol\nversion: 0.1.0\n",
			"chart/values.yaml":         testutil.BillionLaughs(""),
			"chart/templates/conf.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata: {n: \"{{ len .Values }}\"}\n",
		}, "Chart.yaml:"},
		{"manifest over 16 MiB", map[string]string{"deployment.yaml": bigManifest() + strings.Repeat("# padding to pass the limit\n", 60000)}, "16 MiB limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := testutil.WriteTree(t, c.files)
			var out bytes.Buffer
			cmd := exec.Command(binary, "check", dir)
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			err := runWithin(t, cmd, 60*time.Second)
			took := time.Since(start)
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
				t.Fatalf("exit %v, want 2 (a file error)\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), c.want) {
				t.Errorf("output does not name %q:\n%s", c.want, out.String())
			}
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss >> 10 // KiB on Linux
			t.Logf("%s: %s, %d MiB at most", c.name, took.Round(time.Millisecond), rss)
			if rss > 512 {
				t.Errorf("check grew to %d MiB, over the 512 MiB bound", rss)
			}
		})
	}
}

// TestCheck_StopsOnSignal: a check in the middle of a long read stops on
// SIGTERM or SIGINT and exits with the shell's 128+signal code.
func TestCheck_StopsOnSignal(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"deploy/configmap.yaml": bigManifest()})
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			var out bytes.Buffer
			cmd := exec.Command(binary, "check", dir)
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Signal once check reads the manifest (it has long set up its
			// handlers by then): a fixed sleep raced a slow start on a
			// loaded machine, and the signal's default action won.
			waitReading(t, cmd.Process.Pid, filepath.Join(dir, "deploy", "configmap.yaml"))
			sent := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				ee, ok := err.(*exec.ExitError)
				if !ok || ee.ExitCode() != 128+int(sig) {
					t.Fatalf("exit %v, want %d\n%s", err, 128+int(sig), out.String())
				}
				if !strings.Contains(out.String(), "interrupted by") {
					t.Errorf("output does not say it was interrupted:\n%s", out.String())
				}
				t.Logf("stopped %s after %s", sig, time.Since(sent).Round(time.Millisecond))
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("check still running 10 s after %s", sig)
			}
		})
	}
}

// waitReading returns once the process pid has path open, or after 10 s
// (then the test goes on and its own checks tell what happened).
func waitReading(t *testing.T, pid int, path string) {
	t.Helper()
	fds := fmt.Sprintf("/proc/%d/fd", pid)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		entries, _ := os.ReadDir(fds)
		for _, e := range entries {
			if target, err := os.Readlink(filepath.Join(fds, e.Name())); err == nil && target == path {
				return
			}
		}
	}
	t.Logf("check never had %s open within 10 s", path)
}

func runWithin(t *testing.T, cmd *exec.Cmd, limit time.Duration) error {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("still running after %s", limit)
		return nil
	}
}
