package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
)

// TestProxyInstall_CrashAndUpgradeUnderLoad: shipshape proxy install runs
// the proxy's image as a container on the host's network with a restart
// policy; installing again is a no-op, another configuration is refused.
// The proxy serves the routes it is given; killed (SIGKILL to its
// process), the engine restarts it and it serves the saved routes again.
// shipshape proxy upgrade to an image whose binary has another version,
// under steady keep-alive load from 32 clients, fails no request, and the
// new version answers afterwards under the installed name.
func TestProxyInstall_CrashAndUpgradeUnderLoad(t *testing.T) {
	root := repoRoot(t)
	start := time.Now()
	// Two releases of the proxy, as images laid out as the repository's
	// Dockerfile lays them out (TestProxyImage builds that one; building
	// it here again took 11 minutes on a loaded machine): the same
	// distroless base, the binary at /app/server, each with its version.
	v1 := proxyRelease(t, root, "e2e-install")
	v2 := proxyRelease(t, root, "e2e-upgrade")
	t.Logf("the two proxy images took %v to build", time.Since(start).Round(100*time.Millisecond))

	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "b1 ok\n")
	}))
	t.Cleanup(backend.Close)

	dir := filepath.Join(t.TempDir(), "shipshape")
	sock, state := filepath.Join(dir, "proxy.sock"), filepath.Join(dir, "proxy.json")
	name := fmt.Sprintf("shipshape-e2e-proxy-install-%d", time.Now().UnixNano()%100000)
	port := freePort(t)
	url := "http://127.0.0.1:" + port + "/"
	install := []string{"proxy", "install", "--name", name, "--image", v1, "--listen", "127.0.0.1:" + port,
		"--admin", "unix://" + sock, "--state", state}
	removeInstalledProxy(t, name)
	code, out, errOut := shipshape(t, install...)
	if code != 0 || !strings.Contains(out, "installed "+name) {
		t.Fatalf("proxy install: exit %d\n%s%s", code, out, errOut)
	}
	t.Log(strings.TrimSpace(out))
	if got := run(t, "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.NetworkMode}} {{.State.Running}} {{.HostConfig.ReadonlyRootfs}}", name); got != "unless-stopped host true true" {
		t.Errorf("the installed container: %q; want unless-stopped host true true (restart policy, network, running, read-only)", got)
	}
	if code, out, _ := shipshape(t, install...); code != 0 || !strings.Contains(out, "nothing to do") {
		t.Errorf("installing again: exit %d, %q; want 0 and nothing to do", code, out)
	}
	other := append(append([]string(nil), install...), "--", "--gzip")
	if code, _, errOut := shipshape(t, other...); code != 2 || !strings.Contains(errOut, "install --force replaces it") {
		t.Errorf("installing another configuration: exit %d, %q; want 2 and what to run", code, errOut)
	}

	routeWeb(t, sock, backend.URL, url)
	admin := proxy.NewClient(sock)
	ctx := context.Background()
	before, err := admin.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// A crash: the engine restarts the proxy, which serves the saved routes.
	stop := keepAliveLoad(t, url, 16)
	pid, err := strconv.Atoi(run(t, "inspect", "-f", "{{.State.Pid}}", name))
	if err != nil || pid <= 1 {
		t.Fatalf("the proxy's pid: %d, %v", pid, err)
	}
	crashed := time.Now()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("killing the proxy (pid %d): %v", pid, err)
	}
	waitUntil(t, 30*time.Second, "the engine restarted the proxy and it serves the saved route", func() bool {
		restarts, err := try("inspect", "-f", "{{.RestartCount}}", name)
		return err == nil && restarts != "0" && serves(url, "b1 ok\n")
	})
	back := time.Since(crashed)
	time.Sleep(500 * time.Millisecond)
	r := stop()
	t.Logf("a crash under load: serving again after %v; %s (failed requests are expected here, while nothing listens)", back.Round(time.Millisecond), r)
	if v, err := admin.Version(ctx); err != nil || v.Version != before.Version {
		t.Errorf("after the crash the admin socket answers %+v, %v; want the same build, %s", v, err, before.Version)
	}

	// An upgrade under load drops nothing.
	stop = keepAliveLoad(t, url, 32)
	time.Sleep(time.Second)
	code, out, errOut = shipshape(t, "proxy", "upgrade", "--name", name, "--image", v2)
	time.Sleep(time.Second)
	r = stop()
	t.Logf("proxy upgrade under load: %s; bodies %v\n%s", r, r.Bodies, strings.TrimSpace(out))
	if code != 0 {
		t.Fatalf("proxy upgrade: exit %d\n%s%s", code, out, errOut)
	}
	if r.Failures != 0 || r.Requests < 200 || r.Bodies["b1"] != r.Requests {
		t.Errorf("%d of %d requests failed during the upgrade (%v); want none", r.Failures, r.Requests, r.ByStatus)
	}
	after, err := admin.Version(ctx)
	if err != nil || after.Version != "e2e-upgrade" || after.Version == before.Version {
		t.Errorf("after the upgrade the admin socket answers %+v, %v; want version e2e-upgrade (was %s)", after, err, before.Version)
	}
	v2ID := run(t, "image", "inspect", "-f", "{{.Id}}", v2)
	if got := run(t, "inspect", "-f", "{{.Image}} {{.HostConfig.RestartPolicy.Name}} {{.State.Running}}", name); got != v2ID+" unless-stopped true" {
		t.Errorf("after the upgrade %s is %q; want %s unless-stopped true", name, got, v2ID)
	}
	if _, err := try("inspect", name+"-next"); err == nil {
		t.Errorf("the new proxy still runs as %s-next", name)
	}
	if body := get(t, url); body != "b1 ok\n" {
		t.Errorf("after the upgrade: %q", body)
	}
	if code, out, _ := shipshape(t, "proxy", "upgrade", "--name", name, "--image", v2); code != 0 || !strings.Contains(out, "nothing to upgrade") {
		t.Errorf("upgrading again to the same image: exit %d, %q", code, out)
	}
}

// removeInstalledProxy removes the proxy installed as name (and the one an
// upgrade left as name-next) when the test ends, printing its last log
// lines if the test failed.
func removeInstalledProxy(t *testing.T, name string) {
	t.Cleanup(func() {
		if t.Failed() {
			logs, _ := exec.Command(docker, "logs", "--tail", "30", name).CombinedOutput()
			t.Logf("proxy logs:\n%s", logs)
		}
		_, _ = try("rm", "-f", name)
		_, _ = try("rm", "-f", name+"-next")
	})
}

// routeWeb routes every request through the proxy on sock to target, as
// the service web with a health check, and checks that url answers
// through it.
func routeWeb(t *testing.T, sock, target, url string) {
	t.Helper()
	admin := proxy.NewClient(sock)
	ctx := context.Background()
	health := proxy.Health{Path: "/healthz", Interval: 200 * time.Millisecond, Timeout: 2 * time.Second, Healthy: 1, Unhealthy: 3}
	if _, err := admin.SetService(ctx, "web", proxy.SetServiceRequest{Health: health}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Switch(ctx, "web", proxy.SwitchRequest{Target: target, Timeout: proxy.Duration(10 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	if body := get(t, url); body != "b1 ok\n" {
		t.Fatalf("through the installed proxy: %q", body)
	}
}

// proxyRelease builds shipshape here with version set and puts it in an
// image as the repository's Dockerfile does.
func proxyRelease(t *testing.T, root, version string) string {
	t.Helper()
	dir := t.TempDir()
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X github.com/shipshape/shipshape/internal/cli.version="+version,
		"-o", filepath.Join(dir, "server"), "./cmd/shipshape")
	build.Dir, build.Env = root, append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building shipshape %s: %v\n%s", version, err, out)
	}
	dockerfile := "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY server /app/server\nUSER 10001:10001\nENTRYPOINT [\"/app/server\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := "shipshape-e2e/proxy:" + version
	run(t, "build", "-q", "-t", tag, dir)
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })
	return tag
}

// serves says whether url answers 200 with body.
func serves(url, body string) bool {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	return resp.StatusCode == http.StatusOK && string(data) == body
}
