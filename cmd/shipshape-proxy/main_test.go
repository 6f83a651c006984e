package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shipshape-proxy-main")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "shipshape-proxy")
	build := exec.Command("go", "build", "-ldflags", "-X main.version="+testVersion, "-o", binary, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const testVersion = "v0.0.0-main-test"

const module = "github.com/shipshape/shipshape/"

// The binary holds the proxy and nothing else of shipshape: what it does
// not import is what keeps the proxy's image small and its memory its own
// (docs/performance.md, Memory).
func TestShipshapeProxy_ImportsTheProxyOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("go list: %v\n%s", err, exit.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	allowed := map[string]bool{
		module + "cmd/shipshape-proxy":   true,
		module + "internal/cli/proxycmd": true,
		module + "internal/buildinfo":    true,
		module + "internal/proxy":        true,
		module + "internal/atomicfile":   true, // the state file and the ACME cache
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, module) && !allowed[pkg] {
			t.Errorf("shipshape-proxy imports %s: the proxy's binary should hold the proxy only", pkg)
		}
		for _, heavy := range []string{"k8s.io/", "sigs.k8s.io/", "helm.sh/", "github.com/moby/", "github.com/docker/", "github.com/compose-spec/"} {
			if strings.HasPrefix(pkg, heavy) {
				t.Errorf("shipshape-proxy imports %s", pkg)
			}
		}
	}
}

// running is the built binary serving, as the proxy's container runs it
// (the word proxy first), once its admin socket answers.
type running struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan error
	admin  *proxy.Client
}

// syncBuffer is the process's stderr, read while it writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func start(t *testing.T, state string) *running {
	t.Helper()
	dir := filepath.Dir(state)
	sock := filepath.Join(dir, "admin.sock")
	r := &running{stderr: &syncBuffer{}, exited: make(chan error, 1), admin: proxy.NewClient(sock)}
	r.cmd = exec.Command(binary, "proxy", "--listen", "127.0.0.1:0", "--admin", "unix://"+sock, "--state", state)
	r.cmd.Stderr = r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.exited <- r.cmd.Wait() }()
	t.Cleanup(func() { _ = r.cmd.Process.Kill() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		v, err := r.admin.Version(t.Context())
		if err == nil {
			if v.Version != testVersion || v.PID != r.cmd.Process.Pid {
				t.Errorf("GET /v1/version: %+v; want %s, pid %d", v, testVersion, r.cmd.Process.Pid)
			}
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer on %s after 10 s: %v\n%s", sock, err, r.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The built binary answers on its admin socket with the version it was
// linked with, and exits 0 on SIGTERM.
func TestShipshapeProxy_StopsOnSIGTERM(t *testing.T) {
	r := start(t, filepath.Join(t.TempDir(), "state.json"))
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-r.exited:
		if err != nil {
			t.Errorf("after SIGTERM: %v; want exit 0\n%s", err, r.stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("still running 15 s after SIGTERM\n%s", r.stderr.String())
	}
	if !strings.Contains(r.stderr.String(), `"msg":"proxy listening"`) {
		t.Errorf("no JSON start line on stderr:\n%s", r.stderr.String())
	}
}

// On SIGTERM the proxy lets a request in flight finish; a second SIGTERM
// ends it at once, as it does shipshape.
func TestShipshapeProxy_SecondSignalEndsTheDrain(t *testing.T) {
	release := make(chan struct{})
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		io.WriteString(w, "ok\n")
	}))
	t.Cleanup(func() { close(release); backend.Close() })
	state := filepath.Join(t.TempDir(), "state.json")
	saved := fmt.Sprintf(`{"routes": [{"prefix": "/", "service": "app"}],
 "services": [{"name": "app", "health": {"path": "/", "interval": 1000000000}, "targets": [{"url": %q}]}]}`, backend.URL)
	if err := os.WriteFile(state, []byte(saved), 0o600); err != nil {
		t.Fatal(err)
	}
	r := start(t, state)
	addr := listening(t, r)
	inFlight := make(chan error, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err == nil {
			resp.Body.Close()
		}
		inFlight <- err
	}()
	time.Sleep(300 * time.Millisecond) // the request reaches the backend
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-r.exited:
		t.Fatalf("exited (%v) on the first SIGTERM with a request in flight; want it to drain\n%s", err, r.stderr.String())
	case <-time.After(time.Second):
	}
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-r.exited:
		if err == nil {
			t.Errorf("the second SIGTERM: exit 0; want the process ended by it")
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("still running 5 s after the second SIGTERM\n%s", r.stderr.String())
	}
}

// listening is the traffic address from the proxy's start line.
func listening(t *testing.T, r *running) string {
	t.Helper()
	line := regexp.MustCompile(`"msg":"proxy listening","addr":"([^"]+)"`)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if m := line.FindStringSubmatch(r.stderr.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no start line with the address after 5 s:\n%s", r.stderr.String())
		}
	}
}
