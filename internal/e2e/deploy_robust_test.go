package e2e

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/release"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// engineCut stands between a client and the Docker socket: once it has
// seen the request that starts a container, it waits a moment and then
// behaves as a stopped daemon (the socket disappears, open connections
// drop).
type engineCut struct {
	path  string
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
	cut   chan struct{}
	once  sync.Once
}

func newEngineCut(t *testing.T, dir string, after time.Duration) *engineCut {
	t.Helper()
	e := &engineCut{path: filepath.Join(dir, "docker.sock"), cut: make(chan struct{})}
	ln, err := net.Listen("unix", e.path)
	if err != nil {
		t.Fatal(err)
	}
	e.ln = ln
	t.Cleanup(func() { e.stop() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("unix", "/var/run/docker.sock")
			if err != nil {
				conn.Close()
				continue
			}
			e.mu.Lock()
			e.conns = append(e.conns, conn, up)
			e.mu.Unlock()
			go func() { _, _ = io.Copy(conn, up); conn.Close() }()
			go func() {
				buf := make([]byte, 32<<10)
				for {
					n, err := conn.Read(buf)
					if n > 0 {
						if bytes.Contains(buf[:n], []byte("/start ")) {
							e.once.Do(func() { time.AfterFunc(after, e.stop) })
						}
						if _, werr := up.Write(buf[:n]); werr != nil {
							break
						}
					}
					if err != nil {
						break
					}
				}
				up.Close()
			}()
		}
	}()
	return e
}

func (e *engineCut) stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	select {
	case <-e.cut:
		return
	default:
	}
	close(e.cut)
	e.ln.Close()
	_ = os.Remove(e.path)
	for _, c := range e.conns {
		c.Close()
	}
}

// TestDeploy_EngineGone: the Docker daemon stops answering while the new
// release is starting. The deploy fails saying so, the old release keeps
// serving (not one request fails), and the next deploy removes the
// container the failed one left.
func TestDeploy_EngineGone(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	image := versionedImages(t, dir)
	g1, g2 := image("g1", "true"), image("g2", "true")
	service := "e2e-gone-" + strings.ReplaceAll(time.Now().Format("150405.000"), ".", "")
	removeReleases(t, service)
	addr, sock := startProxy(t, dir)
	opts := func(img string) dockerrelease.Options {
		return dockerrelease.Options{Service: service, Image: img, Proxy: sock, LockDir: dir, Timeout: 20 * time.Second, Drain: 2 * time.Second, Window: -1}
	}
	real, err := engine.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	if _, err := dockerrelease.Deploy(ctx, real, opts(g1), nil); err != nil {
		t.Fatalf("deploy g1: %v", err)
	}

	cut := newEngineCut(t, dir, 300*time.Millisecond)
	flaky, err := client.New(client.WithHost("unix://"+cut.path), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	defer flaky.Close()
	stop := load(t, "http://"+addr+"/")
	_, err = dockerrelease.Deploy(ctx, flaky, opts(g2), nil)
	time.Sleep(time.Second)
	r := stop()
	if err == nil || !strings.Contains(err.Error(), "the container engine stopped answering while") ||
		!strings.Contains(err.Error(), "keeps serving") || !strings.Contains(err.Error(), "rerun") {
		t.Fatalf("deploy while the engine goes away: %v", err)
	}
	t.Logf("the error: %v", err)
	if r.Failures != 0 || r.Bodies["g1"] != r.Requests {
		t.Errorf("%d of %d requests failed, bodies %v: want every one answered by g1", r.Failures, r.Requests, r.Bodies)
	}
	// The cut lands while g2 is being started: whether the engine got to
	// start it before the connection dropped is a race (under load it
	// sometimes did not), so the orphan is counted in any state; the next
	// deploy removes it either way.
	left := strings.Fields(run(t, "ps", "-aq", "--filter", "label="+dockerrelease.LabelApp+"="+service))
	if len(left) != 2 {
		t.Fatalf("%d release containers after the cut, want 2 (g1 and the orphaned g2, started or not)", len(left))
	}

	// The engine is back (the real socket): the next deploy converges first.
	var steps []string
	if _, err := dockerrelease.Deploy(ctx, real, opts(g2), func(s release.Step) { steps = append(steps, s.Name+": "+s.Detail) }); err != nil {
		t.Fatalf("the next deploy: %v", err)
	}
	if !strings.Contains(strings.Join(steps, "\n"), "converge: removed "+service) {
		t.Errorf("the next deploy did not remove the orphan:\n%s", strings.Join(steps, "\n"))
	}
	if body := get(t, "http://"+addr+"/"); body != "g2 ok\n" {
		t.Errorf("after the next deploy: %q", body)
	}
	ps := run(t, "ps", "-a", "--filter", "label="+dockerrelease.LabelApp+"="+service, "--format", "{{.State}}")
	if strings.Count(ps, "running") != 1 || strings.Count(ps, "exited") != 1 {
		t.Errorf("release containers: %q; want g2 running and g1 stopped, the orphan gone", ps)
	}
}

// TestDeploy_Killed: a deploy process killed with SIGKILL, once before the
// switch and once after it (in the verification window), never stops the
// traffic, and the next deploy converges: one release runs, the proxy's.
func TestDeploy_Killed(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "shipshape")
	build := exec.Command("go", "build", "-o", bin, "./cmd/shipshape")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	image := versionedImages(t, dir)
	k1, k2, k3 := image("k1", "true"), image("k2", "true"), image("k3", "true")
	service := "e2e-killed-" + strings.ReplaceAll(time.Now().Format("150405.000"), ".", "")
	removeReleases(t, service)
	addr, sock := startProxy(t, dir)
	admin := proxy.NewClient(sock)
	args := func(img string) []string {
		return []string{"deploy", "--service", service, "--proxy", sock, "--window", "20s", "--drain", "2s", img}
	}
	if code, out, errOut := shipshape(t, args(k1)...); code != 0 {
		t.Fatalf("deploy k1: exit %d\n%s%s", code, out, errOut)
	}
	active := func() string {
		st, err := admin.State(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st.Services {
			if s.Name == service {
				return s.Active
			}
		}
		return ""
	}
	running := func() int {
		return len(strings.Fields(run(t, "ps", "-q", "--filter", "label="+dockerrelease.LabelApp+"="+service)))
	}
	// killWhen starts a deploy of img and kills it with SIGKILL when cond holds.
	killWhen := func(img string, cond func() bool) {
		t.Helper()
		cmd := exec.Command(bin, args(img)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("the condition to kill the deploy of %s never held:\n%s", img, out.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		t.Logf("killed the deploy of %s after:\n%s", img, out.String())
	}

	stop := load(t, "http://"+addr+"/")
	first := active()
	killWhen(k2, func() bool { return running() == 2 }) // k2's container runs, the proxy still on k1
	time.Sleep(500 * time.Millisecond)
	if active() != first || get(t, "http://"+addr+"/") != "k1 ok\n" {
		t.Fatalf("after killing the deploy before its switch the proxy serves %s, want k1 at %s", active(), first)
	}
	// The next deploy removes k2's orphan, then is itself killed after
	// its switch: k2 serves, k1 still runs.
	killWhen(k2, func() bool { a := active(); return a != "" && a != first })
	if body := get(t, "http://"+addr+"/"); body != "k2 ok\n" || running() != 2 {
		t.Fatalf("after killing the deploy in its window: %q with %d releases running; want k2 serving beside k1", body, running())
	}
	code, out, errOut := shipshape(t, append(args(k3), "--window", "2s")...)
	r := stop()
	if code != 0 {
		t.Fatalf("the deploy after the kills: exit %d\n%s%s", code, out, errOut)
	}
	t.Logf("traffic: %s; bodies %v\n%s", r, r.Bodies, errOut)
	if !strings.Contains(errOut, "stopped "+service) || !strings.Contains(errOut, "the proxy no longer sends it traffic") {
		t.Errorf("the deploy after the kills did not stop the k1 the proxy left:\n%s", errOut)
	}
	if r.Failures != 0 || r.Bodies["k1"] == 0 || r.Bodies["k2"] == 0 || r.Bodies["k3"] == 0 {
		t.Errorf("%d of %d requests failed, bodies %v: want none failed, k1, k2, k3 in turn", r.Failures, r.Requests, r.Bodies)
	}
	if n := running(); n != 1 || get(t, "http://"+addr+"/") != "k3 ok\n" {
		t.Errorf("%d releases running after converging, want only k3", n)
	}
}
