package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/proxy"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// TestProxyImage: shipshape proxy ships as an image built from the
// Dockerfile shipshape init writes for this repository (the committed one
// must be what init writes today). The image runs read-only, non-root, with
// every capability dropped, turns healthy through its own HEALTHCHECK,
// serves a deploy under traffic without losing a request, and stops
// cleanly on SIGTERM.
func TestProxyImage(t *testing.T) {
	root := repoRoot(t)
	s, err := detect.Detect(root)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := generate.Resolve(s, generate.Options{Name: "shipshape", HealthPath: proxy.HealthPath, Port: 8080})
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate.Project(plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path != "Dockerfile" && f.Path != ".dockerignore" {
			continue
		}
		committed, err := os.ReadFile(filepath.Join(root, f.Path))
		if err != nil || string(committed) != f.Content {
			t.Fatalf("%s is not what init writes for this repository (%v); regenerate it: make proxy-image", f.Path, err)
		}
	}

	tag := "shipshape-e2e/proxy:test"
	start := time.Now()
	run(t, "build", "-q", "--build-arg", "GIT_SHA=e2e", "-t", tag, root)
	t.Logf("built %s in %v", tag, time.Since(start).Round(time.Second))
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })
	if user := run(t, "inspect", "-f", "{{.Config.User}}", tag); user != "10001:10001" {
		t.Errorf("the proxy image runs as %q, want 10001:10001", user)
	}

	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil { // the proxy's user writes its socket and state here
		t.Fatal(err)
	}
	image := versionedImages(t, filepath.Join(dir, "app"))
	p1, p2 := image("p1", "true"), image("p2", "true")
	suffix := fmt.Sprint(time.Now().UnixNano() % 100000)
	network, name := "shipshape-e2e-net-"+suffix, "shipshape-e2e-proxy-"+suffix
	run(t, "network", "create", network)
	t.Cleanup(func() { _, _ = try("network", "rm", network) })
	port := freePort(t)
	run(t, "run", "-d", "--name", name, "--network", network, "-p", "127.0.0.1:"+port+":8080",
		"--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "-v", dir+":/run/shipshape",
		tag, "proxy", "--listen", "0.0.0.0:8080", "--admin", "unix:///run/shipshape/proxy.sock", "--state", "/run/shipshape/state.json")
	t.Cleanup(func() {
		if t.Failed() {
			logs, _ := try("logs", "--tail", "30", name)
			t.Logf("proxy logs:\n%s", logs)
		}
		_, _ = try("rm", "-f", name)
	})
	deadline := time.Now().Add(60 * time.Second)
	for run(t, "inspect", "-f", "{{.State.Health.Status}}", name) != "healthy" {
		if time.Now().After(deadline) {
			t.Fatalf("the proxy container is not healthy after 60 s")
		}
		time.Sleep(500 * time.Millisecond)
	}

	service := "e2e-proxyimage-" + suffix
	removeReleases(t, service)
	c, err := engine.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	opts := func(img string) dockerrelease.Options {
		return dockerrelease.Options{Service: service, Image: img, Proxy: filepath.Join(dir, "proxy.sock"), Network: network,
			LockDir: dir, Timeout: 20 * time.Second, Drain: 2 * time.Second, Window: 2 * time.Second}
	}
	if _, err := dockerrelease.Deploy(context.Background(), c, opts(p1), nil); err != nil {
		t.Fatalf("deploy p1 behind the proxy container: %v", err)
	}
	url := "http://127.0.0.1:" + port + "/"
	if body := get(t, url); body != "p1 ok\n" {
		t.Fatalf("through the proxy container: %q", body)
	}
	stop := load(t, url)
	if _, err := dockerrelease.Deploy(context.Background(), c, opts(p2), nil); err != nil {
		t.Fatalf("deploy p2 behind the proxy container: %v", err)
	}
	r := stop()
	t.Logf("traffic through the proxy container during the deploy: %s; bodies %v", r, r.Bodies)
	if r.Failures != 0 || r.Bodies["p1"] == 0 || r.Bodies["p2"] == 0 {
		t.Errorf("%d of %d requests failed, bodies %v; want none failed, p1 then p2", r.Failures, r.Requests, r.Bodies)
	}

	start = time.Now()
	run(t, "stop", "-t", "10", name)
	if code := run(t, "inspect", "-f", "{{.State.ExitCode}}", name); code != "0" || time.Since(start) > 8*time.Second {
		t.Errorf("the proxy container stopped with code %s after %v; want 0, well before the 10 s grace", code, time.Since(start).Round(time.Millisecond))
	}
	logs, _ := exec.Command(docker, "logs", name).CombinedOutput() // the proxy logs on stderr
	if !strings.Contains(string(logs), `"msg":"proxy listening"`) {
		t.Errorf("the proxy container logged no JSON start line:\n%s", logs)
	}
}
