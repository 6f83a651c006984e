package proxy

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/loadgen"
)

// countedBackend says its name, counts the connections open to it now
// and holds /hold until release is closed; /overlap takes 200 ms, so
// requests sent together each open a connection.
type countedBackend struct {
	*httptest.Server
	name    string
	open    atomic.Int64
	release chan struct{}
}

// serveAt starts a backend listening on addr ("127.0.0.1:0": any port).
func serveAt(t *testing.T, addr, name string) *countedBackend {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listening on %s: %v", addr, err)
	}
	b := &countedBackend{name: name, release: make(chan struct{})}
	b.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hold":
			<-b.release
		case "/overlap":
			time.Sleep(200 * time.Millisecond)
		}
		_, _ = w.Write([]byte(b.name + " ok\n"))
	}))
	b.Listener.Close()
	b.Listener = ln
	b.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			b.open.Add(1)
		case http.StateClosed, http.StateHijacked:
			b.open.Add(-1)
		}
	}
	b.Start()
	t.Cleanup(b.Close)
	return b
}

// together sends n requests to url at once and waits for their answers.
func together(t *testing.T, n int, url string) {
	t.Helper()
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, body := get(t, url); code != http.StatusOK {
				t.Errorf("GET %s: %d %q", url, code, body)
			}
		}()
	}
	wg.Wait()
}

func activeTarget(p *Proxy, service string) *target {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.services[service].active.targets[0]
}

func idleConns(p *pool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// waitUntil fails the test unless cond holds within d.
func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The defect of shipshape issue 14: a release that gets the address of
// one gone before it (Docker hands a freed address to the next container)
// must not inherit the connections the proxy kept to the old one. v1
// serves 64 keep-alive clients, v2 replaces it, v1 goes away and v3
// listens on v1's address: the switch to v3 passes its first health
// probe, and not one client request fails.
func TestPool_AddressReusedUnderLoad(t *testing.T) {
	health := Health{Path: "/healthz", Interval: 2 * time.Second, Timeout: time.Second, Healthy: 1, Unhealthy: 2}
	p, srv := newProxy(t, Options{})
	must(t, p.SetService("app", health, nil))
	v1, v2 := serveAt(t, "127.0.0.1:0", "v1"), serveAt(t, "127.0.0.1:0", "v2")
	reused := v1.Listener.Addr().String()
	switchTo := func(b *countedBackend) time.Duration {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		if err := p.Switch(ctx, "app", b.URL, 2*time.Second); err != nil {
			t.Fatalf("switching to %s: %v", b.name, err)
		}
		return time.Since(start)
	}
	drained := func() bool { return len(p.State().Services[0].Draining) == 0 }
	switchTo(v1)

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	loaded := make(chan *loadgen.Result, 1)
	go func() {
		r, _ := loadgen.Run(ctx, loadgen.Options{URL: srv.URL + "/", Concurrency: 64, Duration: time.Minute, MaxRequests: 5_000_000, Timeout: 5 * time.Second})
		loaded <- r
	}()
	waitUntil(t, 5*time.Second, "v1 serving most of the 64 clients", func() bool { return v1.open.Load() >= 32 })
	open := v1.open.Load()
	v2took := switchTo(v2)
	waitUntil(t, 5*time.Second, "v1 drained", drained)
	time.Sleep(300 * time.Millisecond) // v2 serves a while
	v1.Close()
	v3 := serveAt(t, reused, "v3")
	v3took := switchTo(v3)
	time.Sleep(300 * time.Millisecond)
	stop()
	r := <-loaded

	t.Logf("v1 had %d connections; switch to v2 %v, to v3 on v1's address %v; traffic: %s, bodies %v",
		open, v2took.Round(time.Millisecond), v3took.Round(time.Millisecond), r, r.Bodies)
	// The first probe runs at once: a switch that outlasts an interval
	// had a probe fail.
	if v3took >= health.Interval {
		t.Errorf("the switch to v3 on v1's address took %v: a probe failed (the interval is %v)", v3took, health.Interval)
	}
	if r.Failures != 0 {
		t.Errorf("%d of %d requests failed: %v", r.Failures, r.Requests, r.ByStatus)
	}
	if r.Bodies["v1"] == 0 || r.Bodies["v2"] == 0 || r.Bodies["v3"] == 0 {
		t.Errorf("bodies %v: want v1, v2 and v3 in turn", r.Bodies)
	}
}

// A drained target's connections close: the idle ones when it leaves its
// service, the one of a request still in flight when that request ends.
func TestPool_DrainClosesConnections(t *testing.T) {
	p, srv := newProxy(t, Options{})
	must(t, p.SetService("app", fast, nil))
	v1, v2 := serveAt(t, "127.0.0.1:0", "v1"), serveAt(t, "127.0.0.1:0", "v2")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	must(t, p.Switch(ctx, "app", v1.URL, 5*time.Second))
	together(t, 16, srv.URL+"/overlap")
	held := make(chan int, 1)
	go func() { code, _ := get(t, srv.URL+"/hold"); held <- code }()
	waitUntil(t, 2*time.Second, "the /hold request in flight", func() bool { return activeTarget(p, "app").inflight.Load() == 1 })
	if n := v1.open.Load(); n < 8 {
		t.Fatalf("16 requests at once opened %d connections to v1, want 8 or more", n)
	}

	must(t, p.Switch(ctx, "app", v2.URL, 5*time.Second))
	time.Sleep(100 * time.Millisecond) // the drain waits for /hold
	if n := v1.open.Load(); n < 1 {
		t.Fatalf("v1 has no connection open while /hold is in flight")
	}
	close(v1.release)
	if code := <-held; code != http.StatusOK {
		t.Errorf("the request in flight during the switch: %d", code)
	}
	waitUntil(t, 2*time.Second, "v1 drained", func() bool { return len(p.State().Services[0].Draining) == 0 })
	waitUntil(t, 2*time.Second, "every connection to the drained v1 closed", func() bool { return v1.open.Load() == 0 })
}

// Idle connections the backend closed (its keep-alive timeout, a restart)
// are noticed: none that idled a while is taken for a request, the
// sweeper closes them with no request at all, and a request on one that
// had just come back is sent again on a new connection, not on the next
// dead one.
func TestPool_NoticesTheBackendsClose(t *testing.T) {
	b := serveAt(t, "127.0.0.1:0", "b")
	p, srv := proxyTo(t, b.URL, Options{})
	pl := activeTarget(p, "app").pool
	// fill leaves idle connections in the pool that the backend then closes.
	fill := func() int {
		t.Helper()
		together(t, 8, srv.URL+"/overlap")
		n := idleConns(pl)
		if n < 4 {
			t.Fatalf("8 requests at once left %d idle connections, want 4 or more", n)
		}
		b.CloseClientConnections()
		waitUntil(t, 2*time.Second, "the backend closed its connections", func() bool { return b.open.Load() == 0 })
		return n
	}

	n := fill()
	time.Sleep(peekAfter) // idle long enough to be looked at
	req, _ := http.NewRequest(http.MethodGet, b.URL+"/", nil)
	c, reused, err := pl.conn(req)
	must(t, err)
	c.close(pl.t)
	if reused || idleConns(pl) != 0 {
		t.Errorf("after the backend closed %d idle connections the pool handed one out (%v) and kept %d", n, reused, idleConns(pl))
	}

	n = fill()
	waitUntil(t, 3*idleCheckEvery, "the sweeper closed the dead idle connections", func() bool { return idleConns(pl) == 0 })
	t.Logf("the sweeper closed %d dead idle connections", n)

	n = fill()
	for i := range n {
		if code, body := get(t, srv.URL+"/"); code != http.StatusOK || body != "b ok\n" {
			t.Fatalf("request %d after the backend closed %d connections just back in the pool: %d %q", i, n, code, body)
		}
	}
}

// The peek tells an idle connection from one its peer closed, reset, or
// sent unasked bytes on.
func TestPeeker_OpenUntilThePeerActs(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer ln.Close()
	for _, c := range []struct {
		name string
		act  func(net.Conn)
	}{
		{"closed", func(c net.Conn) { c.Close() }},
		{"reset", func(c net.Conn) { c.(*net.TCPConn).SetLinger(0); c.Close() }},
		{"sent bytes", func(c net.Conn) { c.Write([]byte("HTTP/1.1 408 Request Timeout\r\n\r\n")) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			must(t, err)
			defer conn.Close()
			peer, err := ln.Accept()
			must(t, err)
			defer peer.Close()
			var k peeker
			k.init(conn)
			if !k.open() {
				t.Fatal("an idle connection is not open")
			}
			c.act(peer)
			waitUntil(t, 2*time.Second, "the peek seeing the peer's act", func() bool { return !k.open() })
		})
	}
}
