package proxy

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/loadgen"
)

// runningProxy is a proxy run in the test process until stop.
type runningProxy struct {
	cancel context.CancelFunc
	done   chan error
}

func startRun(cfg Config) *runningProxy {
	ctx, cancel := context.WithCancel(context.Background())
	r := &runningProxy{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- Run(ctx, cfg) }()
	return r
}

func (r *runningProxy) stop() error { r.cancel(); return <-r.done }

// exited waits for the proxy to return on its own (after a hand-over).
func (r *runningProxy) exited(t *testing.T, within time.Duration) error {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err // for stop
		return err
	case <-time.After(within):
		t.Fatalf("the proxy still runs %v after handing over", within)
		return nil
	}
}

func handoverConfig(t *testing.T, version string, dir, addr string) Config {
	return Config{Listen: addr, Admin: "unix://" + filepath.Join(dir, "admin.sock"), StatePath: filepath.Join(dir, "state.json"), Version: version}
}

// waitVersion waits until the admin socket answers version (10 s at most).
func waitVersion(t *testing.T, sock, version string) {
	t.Helper()
	var (
		v   VersionInfo
		err error
	)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if v, err = NewClient(sock).Version(context.Background()); err == nil && v.Version == version {
			return
		}
	}
	t.Fatalf("the admin socket answers %+v, %v; want version %s", v, err, version)
}

// Three proxies, one after the other, take the same listening socket over
// in this process while 32 keep-alive clients send requests: not one
// fails, a slow request in flight on the first finishes on it, the routes
// and target move with the state file and the admin socket answers the
// newest. The first two return on their own, without an error.
func TestHandover_UnderLoadDropsNothing(t *testing.T) {
	dir, addr := t.TempDir(), freeAddr(t)
	sock := filepath.Join(dir, "admin.sock")
	b := newBackend(t, "v1", true)
	first := startRun(handoverConfig(t, "one", dir, addr))
	waitVersion(t, sock, "one")
	serveVia(t, sock, "app", b.URL, ServiceRoute{Host: "shop.example.com"})

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	results := make(chan *loadgen.Result, 1)
	go func() {
		r, _ := loadgen.Run(ctx, loadgen.Options{URL: "http://" + addr + "/", Host: "shop.example.com", Concurrency: 32,
			Duration: time.Minute, MaxRequests: 2_000_000, Timeout: 5 * time.Second})
		results <- r
	}()
	slow := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/slow", nil)
		req.Host = "shop.example.com"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			slow <- 0
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	time.Sleep(300 * time.Millisecond)

	second := startRun(handoverConfig(t, "two", dir, addr))
	time.Sleep(200 * time.Millisecond)
	waitVersion(t, sock, "two")
	close(b.release) // the slow request may finish now, on the first proxy
	if err := first.exited(t, 10*time.Second); err != nil {
		t.Errorf("the first proxy after handing over: %v", err)
	}
	if code := <-slow; code != http.StatusOK {
		t.Errorf("the request in flight during the hand-over: status %d, want 200", code)
	}
	time.Sleep(300 * time.Millisecond)

	third := startRun(handoverConfig(t, "three", dir, addr))
	defer third.stop()
	if err := second.exited(t, 10*time.Second); err != nil {
		t.Errorf("the second proxy after handing over: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	stopLoad()
	r := <-results
	t.Logf("traffic over two hand-overs: %s", r)
	if r.Failures != 0 || r.Requests < 100 || r.Bodies["v1"] != r.Requests {
		t.Errorf("%d of %d requests failed (%v); want none, all answered by v1", r.Failures, r.Requests, r.ByStatus)
	}
	waitVersion(t, sock, "three")
	st, err := NewClient(sock).State(context.Background())
	if err != nil || len(st.Services) != 1 || st.Services[0].Active != b.URL {
		t.Errorf("the third proxy's state: %+v, %v; want app active on %s", st, err, b.URL)
	}
}

// A proxy asked to serve other addresses gets no sockets: it fails with
// the reason, and the running one goes on serving and answering.
func TestHandover_RefusesOtherAddresses(t *testing.T) {
	dir, addr := t.TempDir(), freeAddr(t)
	sock := filepath.Join(dir, "admin.sock")
	running := startRun(handoverConfig(t, "one", dir, addr))
	defer running.stop()
	waitVersion(t, sock, "one")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := Run(ctx, handoverConfig(t, "two", dir, freeAddr(t)))
	if err == nil || !strings.Contains(err.Error(), "a hand-over keeps the addresses") {
		t.Fatalf("a successor on another address: %v; want a refusal that says why", err)
	}
	waitVersion(t, sock, "one")
	if c, err := net.Dial("tcp", addr); err != nil {
		t.Errorf("after the refusal the running proxy does not accept: %v", err)
	} else {
		c.Close()
	}
}

// A successor that takes the sockets and goes away before it serves: the
// running proxy takes its admin socket and the state file back, serves on,
// and a later successor can still take over.
func TestHandover_SuccessorThatDiesIsUndone(t *testing.T) {
	dir, addr := t.TempDir(), freeAddr(t)
	sock := filepath.Join(dir, "admin.sock")
	b := newBackend(t, "v1", true)
	running := startRun(handoverConfig(t, "one", dir, addr))
	defer running.stop()
	waitVersion(t, sock, "one")
	serveVia(t, sock, "app", b.URL)

	conn, err := net.Dial("unix", HandoverPath(filepath.Join(dir, "state.json")))
	if err != nil {
		t.Fatal(err)
	}
	must(t, writeLine(conn, handoverHello{Version: "dies", Listen: addr}))
	files, err := receiveFiles(conn.(*net.UnixConn))
	if err != nil || len(files) != 1 {
		t.Fatalf("received %d sockets, %v; want 1", len(files), err)
	}
	var reply handoverReply
	must(t, readLine(bufio.NewReader(conn), &reply))
	for _, f := range files {
		f.Close()
	}
	conn.Close() // without "serving"

	waitVersion(t, sock, "one")
	if _, err := NewClient(sock).Switch(context.Background(), "app", SwitchRequest{Target: b.URL, Timeout: Duration(5 * time.Second)}); err != nil {
		t.Errorf("a switch after the failed hand-over: %v", err)
	}
	if code, body := get(t, "http://"+addr+"/"); code != http.StatusOK || !strings.HasPrefix(body, "v1 ") {
		t.Errorf("traffic after the failed hand-over: %d %q", code, body)
	}
	waitFor(t, func() bool { // listening again (a dial would be a hand-over of its own)
		_, err := os.Stat(HandoverPath(filepath.Join(dir, "state.json")))
		return err == nil
	})
	next := startRun(handoverConfig(t, "two", dir, addr))
	defer next.stop()
	if err := running.exited(t, 10*time.Second); err != nil {
		t.Errorf("handing over after a failed one: %v", err)
	}
	waitVersion(t, sock, "two")
}
