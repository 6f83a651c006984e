package e2e

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/engine"
)

// TestInitVerify_RemovesWhatAKilledRunLeft: an init --verify process
// killed with SIGKILL while its database runs cannot clean up; its
// Postgres and their network stay on the engine (a killed full test run
// left one, and every later run's leftover checks failed on it). The next
// run removes them, says which, and passes; what a live process made is
// not touched.
func TestInitVerify_RemovesWhatAKilledRunLeft(t *testing.T) {
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "shipshape")
	build := exec.Command("go", "build", "-o", bin, "./cmd/shipshape")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// What a live run (this test process) made stays.
	live, err := try("create", "--label", engine.LabelRun+"="+engine.RunID, "--label", "dev.shipshape.verify=accessory", "debian:bookworm-slim", "true")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = try("rm", "-f", live) })

	killedDir := filepath.Join(tmp, "killed", "greetings")
	writeCommitted(t, killedDir, greetingsWithSetup())
	accessories := func() []string {
		out, _ := try("ps", "-aq", "--no-trunc", "--filter", "label=dev.shipshape.verify=accessory", "--filter", "label="+engine.LabelRun)
		var ids []string
		for _, id := range strings.Fields(out) {
			if !strings.HasPrefix(id, live) && !strings.HasPrefix(live, id) {
				ids = append(ids, id)
			}
		}
		return ids
	}
	was := map[string]bool{}
	for _, id := range accessories() {
		was[id] = true
	}
	var stdout bytes.Buffer
	run := exec.Command(bin, "init", "--verify", killedDir)
	run.Stdout, run.Stderr = &stdout, &stdout
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	var left string
	for deadline := time.Now().Add(3 * time.Minute); left == "" && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		for _, id := range accessories() {
			if !was[id] {
				left = id
			}
		}
	}
	_ = run.Process.Signal(syscall.SIGKILL)
	_ = run.Wait()
	for _, m := range builtRef.FindAllStringSubmatch(stdout.String(), -1) {
		ref := m[1]
		t.Cleanup(func() { _, _ = try("rmi", "-f", ref) })
	}
	if left == "" {
		t.Fatalf("init --verify started no database within 3 minutes:\n%s", lastLines(stdout.String(), 20))
	}
	t.Cleanup(func() { _, _ = try("rm", "-f", left) })
	network, _ := try("inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", left)
	if state, err := try("inspect", "--format", "{{.State.Status}}", left); err != nil {
		t.Fatalf("the killed run's database is gone already (%v): nothing to prove", err)
	} else {
		t.Logf("SIGKILL left %s (%s) on network %s", left[:12], state, network)
	}

	dir := filepath.Join(tmp, "next", "greetings")
	writeCommitted(t, dir, greetingsWithSetup())
	code, out, errOut := initVerify(t, dir)
	if code != 0 {
		t.Fatalf("the next init --verify: exit %d\n%s\nstderr:\n%s", code, out, lastLines(errOut, 30))
	}
	if !strings.Contains(errOut, "Removed what an earlier run, killed before it could clean up, left on the engine: container ") ||
		!strings.Contains(errOut, "network "+network) {
		t.Errorf("the next run did not say what it removed:\n%s", lastLines(errOut, 30))
	}
	if _, err := try("inspect", "--format", "{{.Id}}", left); err == nil {
		t.Errorf("the killed run's database %s is still there", left[:12])
	}
	if network != "" {
		if _, err := try("network", "inspect", network); err == nil {
			t.Errorf("the killed run's network %s is still there", network)
		}
	}
	if _, err := try("inspect", "--format", "{{.Id}}", live); err != nil {
		t.Errorf("a live run's container was removed: %v", err)
	}
}
