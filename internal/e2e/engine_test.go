// Package e2e holds the tests that run on a real Docker engine: the one
// scripts/engine.sh installs and starts (the README's test command runs it
// first). Without an engine these tests fail, never skip.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// docker is the client that comes with Debian's docker.io: it builds with
// BuildKit without a buildx plugin, which a newer client on the PATH wants.
const docker = "/usr/bin/docker"

// run runs docker with args and returns its trimmed standard output.
func run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := try(args...)
	if err != nil {
		t.Fatalf("docker %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func try(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, docker, args...)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

func TestMain(m *testing.M) {
	if _, err := try("info", "--format", "{{.ServerVersion}}"); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: no Docker engine answers (%v).\n"+
			"e2e: run scripts/engine.sh (make test does) to install and start it.\n", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// TestGoExample_RunsHealthyNonRootAndStopsCleanly builds examples/good/go-api
// on the engine and proves what `shipshape verify` will prove for any image:
// it starts, turns healthy through its own HEALTHCHECK, serves, runs as a
// non-root user and stops on SIGTERM well before docker stop's deadline.
func TestGoExample_RunsHealthyNonRootAndStopsCleanly(t *testing.T) {
	tag := fmt.Sprintf("shipshape-e2e/go-api:%d", time.Now().UnixNano())
	run(t, "build", "-q", "-t", tag, filepath.Join(repoRoot(t), "examples", "good", "go-api"))
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })

	// A faster health interval than the image's 10 s keeps the test short;
	// the check itself is the image's own.
	id := run(t, "run", "-d", "-p", "127.0.0.1::8080", "--health-interval", "1s", tag)
	t.Cleanup(func() { _, _ = try("rm", "-f", id) })

	deadline := time.Now().Add(60 * time.Second)
	status := ""
	for time.Now().Before(deadline) {
		status = run(t, "inspect", "-f", "{{.State.Health.Status}}", id)
		if status == "healthy" || status == "unhealthy" {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if status != "healthy" {
		logs, _ := try("logs", id)
		t.Fatalf("container health = %q after 60 s; logs:\n%s", status, logs)
	}

	addr := run(t, "port", id, "8080/tcp")
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("published on %q, want 127.0.0.1 only", addr)
	}
	resp, err := http.Get("http://" + strings.Split(addr, "\n")[0] + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "hello") {
		t.Fatalf("GET / = %d %q", resp.StatusCode, body)
	}

	// The user the kernel sees, not only what the image config says.
	procs := run(t, "top", id, "-eo", "pid,uid")
	uid := ""
	for _, line := range strings.Split(procs, "\n")[1:] {
		if f := strings.Fields(line); len(f) == 2 {
			uid = f[1]
			if uid == "0" {
				t.Fatalf("a process runs as root:\n%s", procs)
			}
		}
	}
	if uid == "" {
		t.Fatalf("no processes in docker top:\n%s", procs)
	}

	start := time.Now()
	run(t, "stop", "-t", "10", id)
	took := time.Since(start)
	code := run(t, "inspect", "-f", "{{.State.ExitCode}}", id)
	if code != "0" {
		t.Fatalf("exit code %s after docker stop: not a clean stop (137: SIGTERM ignored, killed at the deadline; 2: a Go program without a SIGTERM handler)", code)
	}
	t.Logf("healthy, served, uid %s, stopped in %v", uid, took.Round(time.Millisecond))
}
