package proxy

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// backend is a test app: /healthz answers when healthy is set, / says its
// name and echoes the forwarded headers, /slow waits for release.
type backend struct {
	*httptest.Server
	name    string
	healthy atomic.Bool
	release chan struct{}
	served  atomic.Int64
}

func newBackend(t *testing.T, name string, healthy bool) *backend {
	t.Helper()
	b := &backend{name: name, release: make(chan struct{})}
	b.healthy.Store(healthy)
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			if !b.healthy.Load() {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			io.WriteString(w, "ok")
		case "/slow":
			<-b.release
			fmt.Fprint(w, b.name)
		case "/events":
			w.Header().Set("Content-Type", "text/event-stream")
			for i := 0; i < 3; i++ {
				fmt.Fprintf(w, "data: %d\n\n", i)
				http.NewResponseController(w).Flush()
				time.Sleep(50 * time.Millisecond)
			}
		default:
			b.served.Add(1)
			fmt.Fprintf(w, "%s xff=%s proto=%s host=%s fwdhost=%s", b.name, r.Header.Get("X-Forwarded-For"),
				r.Header.Get("X-Forwarded-Proto"), r.Host, r.Header.Get("X-Forwarded-Host"))
		}
	}))
	t.Cleanup(b.Close)
	return b
}

var fast = Health{Path: "/healthz", Interval: 20 * time.Millisecond, Timeout: time.Second, Healthy: 1, Unhealthy: 2}

func newProxy(t *testing.T, opts Options) (*Proxy, *httptest.Server) {
	t.Helper()
	p := New(opts)
	srv := httptest.NewServer(p)
	t.Cleanup(func() { srv.Close(); p.Close() })
	return p, srv
}

func switchTo(t *testing.T, p *Proxy, service string, b *backend) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.Switch(ctx, service, b.URL, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRoutesByHostAndPrefix(t *testing.T) {
	p, srv := newProxy(t, Options{})
	web, api, shop := newBackend(t, "web", true), newBackend(t, "api", true), newBackend(t, "shop", true)
	must(t, p.SetService("web", fast, []Route{{Prefix: "/"}}))
	must(t, p.SetService("api", fast, []Route{{Prefix: "/api"}}))
	must(t, p.SetService("shop", fast, []Route{{Host: "shop.example.com"}}))
	switchTo(t, p, "web", web)
	switchTo(t, p, "api", api)
	switchTo(t, p, "shop", shop)
	for _, c := range []struct{ path, host, want string }{
		{"/", "", "web"}, {"/api", "", "api"}, {"/api/items", "", "api"}, {"/apix", "", "web"},
		{"/api/items", "shop.example.com", "shop"}, {"/", "SHOP.example.com:8080", "shop"},
	} {
		var h []string
		if c.host != "" {
			h = []string{"Host", c.host}
		}
		if _, body := get(t, srv.URL+c.path, h...); !strings.HasPrefix(body, c.want+" ") {
			t.Errorf("%s %s → %q, want %s", c.host, c.path, body, c.want)
		}
	}
	if code, _ := get(t, srv.URL+"/", "Host", "other.example.com"); code != http.StatusOK {
		t.Errorf("any-host route: %d", code)
	}
	p2, srv2 := newProxy(t, Options{})
	must(t, p2.SetService("only", fast, []Route{{Host: "a.example.com"}}))
	if code, _ := get(t, srv2.URL+"/"); code != http.StatusNotFound {
		t.Errorf("no route: %d, want 404", code)
	}
	if code, _ := get(t, srv2.URL+"/", "Host", "a.example.com"); code != http.StatusServiceUnavailable {
		t.Errorf("route without a target: %d, want 503", code)
	}
}

// Client-sent X-Forwarded-* are replaced unless the peer is trusted; the
// app sees the host the client asked for.
func TestForwardedHeaders(t *testing.T) {
	b := newBackend(t, "app", true)
	spoof := []string{"X-Forwarded-For", "6.6.6.6", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example.com", "Host", "shop.example.com"}

	p, srv := newProxy(t, Options{})
	must(t, p.SetService("app", fast, nil))
	switchTo(t, p, "app", b)
	_, body := get(t, srv.URL+"/", spoof...)
	if want := "app xff=127.0.0.1 proto=http host=shop.example.com fwdhost=shop.example.com"; body != want {
		t.Errorf("untrusted peer: %q, want %q", body, want)
	}

	p2, srv2 := newProxy(t, Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	must(t, p2.SetService("app", fast, nil))
	switchTo(t, p2, "app", b)
	_, body = get(t, srv2.URL+"/", spoof...)
	if want := "app xff=6.6.6.6, 127.0.0.1 proto=https host=shop.example.com fwdhost=evil.example.com"; body != want {
		t.Errorf("trusted peer: %q, want %q", body, want)
	}
}

// Under steady traffic, a switch loses no request, an old request in flight
// finishes on the old target, and the served version changes once.
func TestSwitchDrainsAndDropsNothing(t *testing.T) {
	p, srv := newProxy(t, Options{})
	v1, v2 := newBackend(t, "v1", true), newBackend(t, "v2", true)
	must(t, p.SetService("app", fast, nil))
	switchTo(t, p, "app", v1)

	slow := make(chan string, 1)
	go func() { _, body := get(t, srv.URL+"/slow"); slow <- body }()
	waitFor(t, func() bool { return p.State().Services[0].Active != "" && v1inflight(p) == 1 })

	var failures, total atomic.Int64
	type result struct {
		start, end time.Time
		version    string
	}
	var mu sync.Mutex
	var results []result
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Timeout: 5 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				resp, err := c.Get(srv.URL + "/")
				total.Add(1)
				if err != nil {
					failures.Add(1)
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failures.Add(1)
					continue
				}
				mu.Lock()
				results = append(results, result{start, time.Now(), strings.Fields(string(b))[0]})
				mu.Unlock()
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	switchTo(t, p, "app", v2)
	time.Sleep(100 * time.Millisecond)
	if st := p.State().Services[0]; len(st.Draining) != 1 || st.Active != v2.URL {
		t.Errorf("after the switch: %+v; want v2 active and v1 draining", st)
	}
	close(v1.release)
	if body := <-slow; body != "v1" {
		t.Errorf("the request in flight on v1 got %q", body)
	}
	waitFor(t, func() bool { return len(p.State().Services[0].Draining) == 0 })
	close(stop)
	wg.Wait()
	if failures.Load() != 0 {
		t.Errorf("%d of %d requests failed during the switch", failures.Load(), total.Load())
	}
	// No flapping: once v2 has answered, no request started later reaches v1.
	var firstV2 time.Time
	counts := map[string]int{}
	for _, r := range results {
		counts[r.version]++
		if r.version == "v2" && (firstV2.IsZero() || r.end.Before(firstV2)) {
			firstV2 = r.end
		}
	}
	for _, r := range results {
		if r.version == "v1" && r.start.After(firstV2) {
			t.Fatalf("a request started %v after v2 first answered reached v1", r.start.Sub(firstV2))
		}
	}
	if counts["v1"] == 0 || counts["v2"] == 0 {
		t.Errorf("versions served: %v; want both", counts)
	}
	t.Logf("%d requests, %v, none failed", total.Load(), counts)
}

func v1inflight(p *Proxy) int64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, s := range p.services {
		if s.active != nil {
			return s.active.targets[0].inflight.Load()
		}
	}
	return 0
}

// A target that never turns healthy is refused; the old one keeps serving.
func TestSwitchToUnhealthyTargetChangesNothing(t *testing.T) {
	p, srv := newProxy(t, Options{})
	v1, bad := newBackend(t, "v1", true), newBackend(t, "bad", false)
	must(t, p.SetService("app", fast, nil))
	switchTo(t, p, "app", v1)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := p.Switch(ctx, "app", bad.URL, time.Second)
	if err == nil || !strings.Contains(err.Error(), "did not turn healthy") || !strings.Contains(err.Error(), "keeps its current target") {
		t.Fatalf("err = %v", err)
	}
	if _, body := get(t, srv.URL+"/"); !strings.HasPrefix(body, "v1 ") {
		t.Errorf("after a refused switch: %q", body)
	}
	if bad.served.Load() != 0 {
		t.Error("the unhealthy target got traffic")
	}
	for _, bad := range []string{"ftp://x", "http://", "not a url"} {
		if err := p.Switch(context.Background(), "app", bad, time.Second); err == nil {
			t.Errorf("target %q accepted", bad)
		}
	}
}

func TestPauseHoldsThenResumes(t *testing.T) {
	p, srv := newProxy(t, Options{PauseTimeout: 150 * time.Millisecond, MaxPaused: 2})
	v1 := newBackend(t, "v1", true)
	must(t, p.SetService("app", fast, nil))
	switchTo(t, p, "app", v1)
	must(t, p.Pause("app"))
	// Held past the pause timeout: 503.
	if code, _ := get(t, srv.URL+"/"); code != http.StatusServiceUnavailable {
		t.Errorf("paused past the timeout: %d, want 503", code)
	}
	// Held, then released by resume.
	done := make(chan int, 1)
	p.opts.PauseTimeout = 5 * time.Second
	go func() { code, _ := get(t, srv.URL+"/"); done <- code }()
	time.Sleep(50 * time.Millisecond)
	select {
	case code := <-done:
		t.Fatalf("a paused request was answered (%d)", code)
	default:
	}
	must(t, p.Resume("app"))
	if code := <-done; code != http.StatusOK {
		t.Errorf("after resume: %d", code)
	}
	must(t, p.Maintenance("app", true))
	if code, body := get(t, srv.URL+"/"); code != http.StatusServiceUnavailable || !strings.Contains(body, "maintenance") {
		t.Errorf("maintenance: %d %q", code, body)
	}
	must(t, p.Maintenance("app", false))
	if code, _ := get(t, srv.URL+"/"); code != http.StatusOK {
		t.Errorf("after maintenance: %d", code)
	}
}

// Server-sent events arrive as they are written, not when the stream ends.
func TestStreamsAreNotBuffered(t *testing.T) {
	p, srv := newProxy(t, Options{})
	b := newBackend(t, "app", true)
	must(t, p.SetService("app", fast, nil))
	switchTo(t, p, "app", b)
	resp, err := http.Get(srv.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || line != "data: 0\n" {
		t.Fatalf("first event: %q %v", line, err)
	}
	if time.Since(start) > 90*time.Millisecond {
		t.Errorf("the first event took %v: buffered until later events", time.Since(start))
	}
}

// A backend that hangs gets the client a 504 once the header timeout
// passes; one that resets the connection a 502; neither hangs the proxy.
func TestBackendThatHangsOrResets(t *testing.T) {
	hang := make(chan struct{})
	var mode atomic.Value
	mode.Store("ok")
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			return
		}
		switch mode.Load() {
		case "hang":
			<-hang
		case "reset":
			conn, _, _ := http.NewResponseController(w).Hijack()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	}))
	t.Cleanup(b.Close)
	t.Cleanup(func() { close(hang) }) // runs first: release the hung handler so Close can return
	p, srv := newProxy(t, Options{ResponseHeaderTimeout: 200 * time.Millisecond})
	must(t, p.SetService("app", fast, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	must(t, p.Switch(ctx, "app", b.URL, time.Second))
	mode.Store("hang")
	if code, _ := get(t, srv.URL+"/"); code != http.StatusGatewayTimeout {
		t.Errorf("hanging backend: %d, want 504", code)
	}
	mode.Store("reset")
	if code, _ := get(t, srv.URL+"/"); code != http.StatusBadGateway {
		t.Errorf("resetting backend: %d, want 502", code)
	}
}

func TestAdminRequiresTokenAndPersistsState(t *testing.T) {
	dir := t.TempDir()
	state := &StateFile{Path: filepath.Join(dir, "state.json")}
	p, _ := newProxy(t, Options{OnChange: func(st State) {
		if err := state.Save(st); err != nil {
			t.Error(err)
		}
	}})
	admin := httptest.NewServer(&Admin{Proxy: p, Token: "s3cret"})
	t.Cleanup(admin.Close)
	call := func(method, path, token, body string) (int, string) {
		req, _ := http.NewRequest(method, admin.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, token := range []string{"", "wrong"} {
		if code, _ := call("GET", "/v1/state", token, ""); code != http.StatusUnauthorized {
			t.Errorf("token %q: %d, want 401", token, code)
		}
	}
	v1 := newBackend(t, "v1", true)
	if code, body := call("PUT", "/v1/services/app", "s3cret", `{"health": {"path": "/healthz", "interval": 20000000}, "routes": [{"prefix": "/"}]}`); code != 200 {
		t.Fatalf("PUT service: %d %s", code, body)
	}
	if code, body := call("POST", "/v1/services/app/switch", "s3cret", `{"target": "`+v1.URL+`", "timeout": "5s", "drain": "1s"}`); code != 200 || !strings.Contains(body, v1.URL) {
		t.Fatalf("switch: %d %s", code, body)
	}
	bad := newBackend(t, "bad", false)
	if code, body := call("POST", "/v1/services/app/switch", "s3cret", `{"target": "`+bad.URL+`", "timeout": "200ms"}`); code != http.StatusConflict {
		t.Errorf("switch to an unhealthy target: %d %s, want 409", code, body)
	}
	if code, body := call("GET", "/metrics", "s3cret", ""); code != 200 || !strings.Contains(body, "shipshape_proxy_request_duration_seconds") {
		t.Errorf("metrics: %d %s", code, body)
	}

	// A new proxy restores routes and the active target from the file and
	// serves at once.
	saved, err := state.Load()
	if err != nil {
		t.Fatal(err)
	}
	p2, srv2 := newProxy(t, Options{})
	must(t, p2.Load(saved))
	if _, body := get(t, srv2.URL+"/"); !strings.HasPrefix(body, "v1 ") {
		t.Errorf("restored proxy answered %q", body)
	}
}

// Slow clients are bounded: a connection that never finishes its headers
// is closed after the header timeout; oversized and malformed requests are
// refused.
func TestRunClosesSlowClients(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	addr := freeAddr(t)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Listen: addr, Admin: "unix://" + filepath.Join(dir, "admin.sock"), StatePath: filepath.Join(dir, "state.json"),
			HeaderTimeout: 300 * time.Millisecond})
	}()
	var conn net.Conn
	waitFor(t, func() bool {
		c, err := net.Dial("tcp", addr)
		conn = c
		return err == nil
	})
	defer conn.Close()
	// Half a request, then nothing: the proxy hangs up after the timeout.
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprint(slow, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	start := time.Now()
	slow.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(slow); err != nil {
		t.Errorf("slow client: %v; want the proxy to close the connection", err)
	}
	if took := time.Since(start); took < 200*time.Millisecond || took > 3*time.Second {
		t.Errorf("slow client closed after %v; want about the 300 ms header timeout", took)
	}
	// An oversized header block is refused with 431.
	conn, err = net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", maxHeaderBytes+4096))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	if !strings.Contains(line, "431") {
		t.Errorf("oversized headers: %q, want 431", line)
	}
	// A malformed request line gets 400.
	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	fmt.Fprint(c2, "NOT A REQUEST\r\n\r\n")
	line, _ = bufio.NewReader(c2).ReadString('\n')
	if !strings.Contains(line, "400") {
		t.Errorf("malformed request: %q, want 400", line)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if err := Run(context.Background(), Config{Listen: addr, Admin: "127.0.0.1:0", StatePath: filepath.Join(dir, "s.json")}); err == nil ||
		!strings.Contains(err.Error(), "token") {
		t.Errorf("TCP admin without a token: %v", err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met in 2 s")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzAdmin sends arbitrary bodies to every admin endpoint and arbitrary
// bytes as a state file: errors, never a panic, and a 5xx never.
func FuzzAdmin(f *testing.F) {
	f.Add("PUT", "/v1/services/app", `{"health": {"path": "/healthz"}, "routes": [{"host": "a", "prefix": "/x"}]}`)
	f.Add("POST", "/v1/services/app/switch", `{"target": "http://127.0.0.1:1", "timeout": "1ms", "drain": 5}`)
	f.Add("POST", "/v1/services/app/maintenance", `{"on": true}`)
	f.Add("POST", "/v1/services/app/switch", `{"targets": ["http://127.0.0.1:1", "http://127.0.0.1:2"], "timeout": "1ms"}`)
	f.Add("POST", "/v1/services/app/canary", `{"targets": ["http://127.0.0.1:1"], "share": 10, "for": "1s", "timeout": "1ms", "max_p99": 2}`)
	f.Add("PUT", "/v1/services/app", `{"health": {}, "balance": "round-robin"}`)
	f.Add("GET", "/v1/state", ``)
	f.Fuzz(func(t *testing.T, method, path, body string) {
		p := New(Options{})
		defer p.Close()
		_ = p.SetService("app", fast, nil)
		// A switch or canary waits for its targets (60 s without a
		// timeout): the caller's deadline ends it, as a client's would.
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/", strings.NewReader(body))
		req.Method = method
		req.URL.Path = path
		w := httptest.NewRecorder()
		(&Admin{Proxy: p}).ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d", method, path, body, w.Code)
		}
		dir := t.TempDir()
		sf := &StateFile{Path: filepath.Join(dir, "state.json")}
		if err := os.WriteFile(sf.Path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if st, err := sf.Load(); err == nil {
			q := New(Options{})
			_ = q.Load(st)
			q.Close()
		}
	})
}

// A restarted proxy (same state file, same address) serves the same
// routes and target at once, without a deploy: only requests during the
// restart itself can fail.
func TestRestartRestoresState(t *testing.T) {
	dir := t.TempDir()
	b := newBackend(t, "v1", true)
	addr := freeAddr(t)
	sock := filepath.Join(dir, "admin.sock")
	cfg := Config{Listen: addr, Admin: "unix://" + sock, StatePath: filepath.Join(dir, "state.json")}
	start := func() (context.CancelFunc, chan error) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- Run(ctx, cfg) }()
		// Ready when both the listener and the admin socket answer: Run
		// opens them one after the other.
		waitFor(t, func() bool {
			for _, a := range [][2]string{{"tcp", addr}, {"unix", sock}} {
				c, err := net.Dial(a[0], a[1])
				if err != nil {
					return false
				}
				c.Close()
			}
			return true
		})
		return cancel, done
	}
	stop1, done1 := start()
	serveVia(t, sock, "app", b.URL, ServiceRoute{Host: "shop.example.com"})
	if _, body := get(t, "http://"+addr+"/", "Host", "shop.example.com"); !strings.HasPrefix(body, "v1 ") {
		t.Fatalf("before the restart: %q", body)
	}
	stop1()
	if err := <-done1; err != nil {
		t.Fatal(err)
	}
	stop2, done2 := start()
	defer func() { stop2(); <-done2 }()
	if _, body := get(t, "http://"+addr+"/", "Host", "shop.example.com"); !strings.HasPrefix(body, "v1 ") {
		t.Errorf("after the restart: %q; want the restored route and target", body)
	}
	if code, _ := get(t, "http://"+addr+"/"); code != http.StatusNotFound {
		t.Errorf("another host after the restart: %d, want 404 (routes restored, not defaulted)", code)
	}
}

// serveVia has the proxy behind the admin socket sock route routes to
// service and switch it to target.
func serveVia(t *testing.T, sock, service, target string, routes ...ServiceRoute) {
	t.Helper()
	admin, ctx := NewClient(sock), context.Background()
	if _, err := admin.SetService(ctx, service, SetServiceRequest{Health: fast, Routes: routes}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Switch(ctx, service, SwitchRequest{Target: target, Timeout: Duration(5 * time.Second)}); err != nil {
		t.Fatal(err)
	}
}

func TestRateLimitPerClient(t *testing.T) {
	l := newRateLimiter(10, 3)
	now := time.Now()
	for i := 0; i < 3; i++ {
		if !l.allow("10.0.0.1:5000", now) {
			t.Fatalf("request %d within the burst refused", i)
		}
	}
	if l.allow("10.0.0.1:5001", now) {
		t.Error("a fourth request at once was allowed (burst 3)")
	}
	if !l.allow("10.0.0.2:5000", now) {
		t.Error("another client was limited by the first")
	}
	if !l.allow("10.0.0.1:5000", now.Add(150*time.Millisecond)) {
		t.Error("after 150 ms at 10/s a token should be back")
	}
	if l.allow("10.0.0.1:5000", now.Add(160*time.Millisecond)) {
		t.Error("a second token appeared in 10 ms")
	}
	l.allow("10.0.0.3:1", now.Add(2*time.Minute)) // sweeps idle buckets
	if len(l.buckets) != 1 {
		t.Errorf("%d buckets after the sweep, want 1", len(l.buckets))
	}

	p, srv := newProxy(t, Options{RateLimit: 1, RateBurst: 2})
	b := newBackend(t, "v1", true)
	must(t, p.SetService("app", fast, nil))
	switchTo(t, p, "app", b)
	codes := []int{}
	for i := 0; i < 3; i++ {
		code, _ := get(t, srv.URL+"/")
		codes = append(codes, code)
	}
	if codes[0] != 200 || codes[1] != 200 || codes[2] != http.StatusTooManyRequests {
		t.Errorf("codes %v; want 200, 200, 429", codes)
	}
}

// WebSockets pass through: the upgrade reaches the backend, and bytes flow
// both ways on the hijacked connection.
func TestWebSocketUpgradePassesThrough(t *testing.T) {
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			return
		}
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			http.Error(w, "want an upgrade", http.StatusBadRequest)
			return
		}
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		rw.Flush()
		buf := make([]byte, 4)
		if _, err := io.ReadFull(rw, buf); err == nil {
			rw.Write(append([]byte("echo:"), buf...))
			rw.Flush()
		}
	}))
	t.Cleanup(b.Close)
	p, srv := newProxy(t, Options{})
	must(t, p.SetService("app", fast, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	must(t, p.Switch(ctx, "app", b.URL, time.Second))

	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(conn, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade through the proxy: %v %v", resp, err)
	}
	io.WriteString(conn, "ping")
	got := make([]byte, 9)
	if _, err := io.ReadFull(br, got); err != nil || string(got) != "echo:ping" {
		t.Fatalf("after the upgrade: %q %v", got, err)
	}
}

// While paused, at most MaxPaused requests are held; the next gets 503 at
// once rather than piling up.
func TestPauseHoldsAtMostMaxPaused(t *testing.T) {
	p, srv := newProxy(t, Options{PauseTimeout: 5 * time.Second, MaxPaused: 2})
	must(t, p.SetService("app", fast, nil))
	switchTo(t, p, "app", newBackend(t, "v1", true))
	must(t, p.Pause("app"))
	held := make(chan int, 2)
	for i := 0; i < 2; i++ {
		go func() { code, _ := get(t, srv.URL+"/"); held <- code }()
	}
	waitFor(t, func() bool { return p.services["app"].held.Load() == 2 })
	start := time.Now()
	if code, body := get(t, srv.URL+"/"); code != http.StatusServiceUnavailable || !strings.Contains(body, "too many") {
		t.Errorf("a third request while two are held: %d %q", code, body)
	}
	if time.Since(start) > time.Second {
		t.Errorf("the third request waited %v; it should be refused at once", time.Since(start))
	}
	must(t, p.Resume("app"))
	for i := 0; i < 2; i++ {
		if code := <-held; code != http.StatusOK {
			t.Errorf("a held request after resume: %d", code)
		}
	}
}
