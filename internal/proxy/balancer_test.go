package proxy

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// replica is a test backend of one release's replica: /healthz answers
// while healthy; / says its name, or does what mode says: "reset" (drops
// the connection), "hang" (waits for the test's end), "fail N" (every Nth
// request a 500), "slow D" (waits D first); /hold waits for release.
type replica struct {
	*httptest.Server
	name    string
	healthy atomic.Bool
	mode    atomic.Value
	served  atomic.Int64 // answered 200
	failed  atomic.Int64 // answered 500
	arrived atomic.Int64 // requests other than probes, answered or not yet
	n       atomic.Int64
	release chan struct{}
	stop    chan struct{}
}

func newReplica(t *testing.T, name string) *replica {
	t.Helper()
	r := &replica{name: name, release: make(chan struct{}), stop: make(chan struct{})}
	r.healthy.Store(true)
	r.mode.Store("")
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() { close(r.stop); r.Close() })
	return r
}

func (r *replica) serve(w http.ResponseWriter, req *http.Request) {
	switch req.URL.Path {
	case "/healthz":
		if !r.healthy.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		return
	}
	r.arrived.Add(1)
	switch req.URL.Path {
	case "/hold":
		select {
		case <-r.release:
		case <-r.stop:
		}
	}
	mode, arg, _ := strings.Cut(r.mode.Load().(string), " ")
	n := r.n.Add(1)
	switch mode {
	case "reset":
		conn, _, _ := http.NewResponseController(w).Hijack()
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
		return
	case "hang":
		select {
		case <-r.stop:
		case <-req.Context().Done():
		}
		return
	case "fail":
		var every int64
		fmt.Sscan(arg, &every)
		if n%every == 0 {
			r.failed.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "%s failed\n", r.name)
			return
		}
	case "slow":
		d, _ := time.ParseDuration(arg)
		time.Sleep(d)
	case "slow-start": // "slow-start N D": the first N requests take D
		var first int64
		var ds string
		fmt.Sscan(arg, &first, &ds)
		d, _ := time.ParseDuration(ds)
		if n <= first {
			time.Sleep(d)
		}
	case "slow-burst": // "slow-burst FROM N D": the N requests after the FROMth take D
		var from, count int64
		var ds string
		fmt.Sscan(arg, &from, &count, &ds)
		d, _ := time.ParseDuration(ds)
		if n > from && n <= from+count {
			time.Sleep(d)
		}
	}
	r.served.Add(1)
	fmt.Fprintf(w, "%s ok\n", r.name)
}

// serveReplicas makes the replicas service app's active release.
func serveReplicas(t *testing.T, p *Proxy, rs ...*replica) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	must(t, p.SwitchTargets(ctx, "app", urlsOf(rs), time.Second))
}

func urlsOf(rs []*replica) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.URL)
	}
	return out
}

// hammer sends n requests from c clients at once and counts the answers
// by status and body.
func hammer(t *testing.T, url string, clients, n int) (byStatus map[int]int, bodies map[string]int) {
	t.Helper()
	var mu sync.Mutex
	byStatus, bodies = map[int]int{}, map[string]int{}
	var wg sync.WaitGroup
	var left atomic.Int64
	left.Store(int64(n))
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{}}
			defer client.CloseIdleConnections()
			for left.Add(-1) >= 0 {
				code, body := get2(client, url)
				mu.Lock()
				byStatus[code]++
				bodies[body]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return byStatus, bodies
}

// get2 is a GET through client: status and body, or 0 and the error.
func get2(client *http.Client, url string) (int, string) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err.Error()
	}
	return resp.StatusCode, string(b)
}

func targetState(t *testing.T, p *Proxy, url string) TargetState {
	t.Helper()
	for _, s := range p.State().Services {
		for _, ts := range append(s.Targets, canaryTargets(s)...) {
			if ts.URL == url {
				return ts
			}
		}
	}
	t.Fatalf("no target %s in the proxy's state", url)
	return TargetState{}
}

func canaryTargets(s ServiceState) []TargetState {
	if s.Canary == nil {
		return nil
	}
	return s.Canary.Targets
}

// Least outstanding requests: with a long request held on two of three
// replicas, every other request goes to the third; with none held, they
// go round evenly.
func TestBalancer_LeastRequests(t *testing.T) {
	p, srv := newProxy(t, Options{})
	must(t, p.SetService("app", fast, nil))
	a, b, c := newReplica(t, "a"), newReplica(t, "b"), newReplica(t, "c")
	serveReplicas(t, p, a, b, c)

	for range 30 {
		if code, body := get(t, srv.URL+"/"); code != http.StatusOK {
			t.Fatalf("%d %q", code, body)
		}
	}
	if a.served.Load() != 10 || b.served.Load() != 10 || c.served.Load() != 10 {
		t.Errorf("idle replicas served %d, %d, %d of 30; want 10 each", a.served.Load(), b.served.Load(), c.served.Load())
	}

	held := make(chan struct{}, 2)
	for i := range 2 {
		go func() { get(t, srv.URL+"/hold"); held <- struct{}{} }()
		waitFor(t, func() bool { return a.arrived.Load()+b.arrived.Load()+c.arrived.Load() == int64(31+i) })
	}
	free := map[bool]*replica{}
	for _, r := range []*replica{a, b, c} {
		free[targetState(t, p, r.URL).InFlight == 0] = r
	}
	idle := free[true]
	before := idle.served.Load()
	for range 20 {
		get(t, srv.URL+"/")
	}
	if got := idle.served.Load() - before; got != 20 {
		t.Errorf("with two replicas busy, the idle one %s got %d of 20 requests", idle.name, got)
	}
	close(a.release)
	close(b.release)
	close(c.release)
	<-held
	<-held
}

// Round robin: each replica in turn, busy or not.
func TestBalancer_RoundRobin(t *testing.T) {
	p, srv := newProxy(t, Options{})
	must(t, p.SetService("app", fast, nil))
	must(t, p.SetBalance("app", RoundRobin))
	a, b, c := newReplica(t, "a"), newReplica(t, "b"), newReplica(t, "c")
	serveReplicas(t, p, a, b, c)
	byStatus, _ := hammer(t, srv.URL+"/", 4, 300)
	if byStatus[http.StatusOK] != 300 {
		t.Fatalf("statuses %v", byStatus)
	}
	if a.served.Load() != 100 || b.served.Load() != 100 || c.served.Load() != 100 {
		t.Errorf("round robin served %d, %d, %d of 300; want 100 each", a.served.Load(), b.served.Load(), c.served.Load())
	}
	if st := p.State().Services[0]; st.Balance != RoundRobin || len(st.Targets) != 3 {
		t.Errorf("state: %+v", st)
	}
	must(t, p.SetBalance("app", ""))
	if err := p.SetBalance("app", "random"); err == nil {
		t.Error("an unknown balance was taken")
	}
}

// A switch to several targets happens only once every one is healthy;
// with one that never turns healthy nothing changes and the error names
// it.
func TestSwitchTargets_AllHealthyOrNothing(t *testing.T) {
	p, srv := newProxy(t, Options{})
	must(t, p.SetService("app", fast, nil))
	v1 := newReplica(t, "v1")
	serveReplicas(t, p, v1)
	a, b, sick := newReplica(t, "a"), newReplica(t, "b"), newReplica(t, "sick")
	sick.healthy.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := p.SwitchTargets(ctx, "app", []string{a.URL, b.URL, sick.URL}, time.Second)
	if err == nil || !strings.Contains(err.Error(), "1 of 3 targets ("+sick.URL+") did not turn healthy") {
		t.Fatalf("switch with a sick replica: %v", err)
	}
	if _, body := get(t, srv.URL+"/"); body != "v1 ok\n" {
		t.Errorf("after the refused switch: %q", body)
	}
	for _, bad := range [][]string{nil, {a.URL, a.URL}, {"ftp://x"}, make([]string, MaxReplicas+1)} {
		if err := p.SwitchTargets(context.Background(), "app", bad, time.Second); err == nil {
			t.Errorf("switch to %q was taken", bad)
		}
	}
	sick.healthy.Store(true)
	serveReplicas(t, p, a, b, sick)
	if st := p.State().Services[0]; !st.Healthy || st.Active != a.URL || len(st.Targets) != 3 || st.Draining[0] != v1.URL {
		t.Errorf("after the switch: %+v", st)
	}
}

// Passive health: a replica that stops listening is taken out on the
// first request refused, which is sent to another replica (the client
// sees nothing); a probe brings it back once it listens again.
func TestPassiveHealth_RefusedReplicaOutThenBack(t *testing.T) {
	p, srv := newProxy(t, Options{})
	a, b := newReplica(t, "a"), newReplica(t, "b")
	gone := serveAt(t, "127.0.0.1:0", "gone")
	addr := gone.Listener.Addr().String()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	health := fast
	health.Path = "/" // what serveAt's backend answers
	must(t, p.SetService("app", health, nil))
	must(t, p.SwitchTargets(ctx, "app", []string{a.URL, b.URL, gone.URL}, time.Second))
	gone.Close()

	byStatus, bodies := hammer(t, srv.URL+"/", 8, 600)
	if byStatus[http.StatusOK] != 600 || bodies["gone ok\n"] != 0 {
		t.Fatalf("with a replica refusing connections: statuses %v, bodies %v", byStatus, bodies)
	}
	ts := targetState(t, p, gone.URL)
	if ts.Stats.ConnErrors == 0 {
		t.Errorf("the refused replica counted no connection error: %+v", ts)
	}
	waitFor(t, func() bool { return !targetState(t, p, gone.URL).Healthy })

	back := serveAt(t, addr, "back")
	waitUntil(t, 2*time.Second, "the replica probed back in", func() bool { return targetState(t, p, back.URL).Healthy && !targetState(t, p, back.URL).Down })
	_, bodies = hammer(t, srv.URL+"/", 4, 90)
	if bodies["back ok\n"] == 0 {
		t.Errorf("the replica back on its address got no request: %v", bodies)
	}
}

// A replica that resets connections or hangs is taken out: a reset
// request goes to another replica, a hung one is answered 504 once the
// header timeout passes (it may still run there: it is not sent again),
// and the next requests avoid it.
func TestPassiveHealth_ResetOrTimeout(t *testing.T) {
	p, srv := newProxy(t, Options{ResponseHeaderTimeout: 200 * time.Millisecond})
	slow := fast
	slow.Interval = time.Hour // no probe brings it back during the test
	must(t, p.SetService("app", slow, nil))
	a, bad := newReplica(t, "a"), newReplica(t, "bad")
	serveReplicas(t, p, a, bad)

	bad.mode.Store("reset")
	for range 10 {
		if code, body := get(t, srv.URL+"/"); code != http.StatusOK || body != "a ok\n" {
			t.Fatalf("with a replica resetting: %d %q", code, body)
		}
	}
	ts := targetState(t, p, bad.URL)
	if !ts.Down || ts.Stats.ConnErrors != 1 || ts.Stats.Requests != 1 {
		t.Errorf("the resetting replica: %+v %+v; want taken out after one request", ts, *ts.Stats)
	}

	// Bring it back by hand (as a probe would), then make it hang.
	p.mu.RLock()
	for _, tg := range p.services["app"].active.targets {
		tg.down.Store(false)
	}
	p.mu.RUnlock()
	bad.mode.Store("hang")
	codes := map[int]int{}
	for range 10 {
		code, _ := get(t, srv.URL+"/")
		codes[code]++
	}
	if codes[http.StatusGatewayTimeout] != 1 || codes[http.StatusOK] != 9 {
		t.Errorf("with a replica hanging: %v; want one 504, then the others served", codes)
	}
	if ts := targetState(t, p, bad.URL); !ts.Down {
		t.Errorf("the hanging replica is not taken out: %+v", ts)
	}
}

// When every replica is down the requests still go to them: a probe can
// be wrong, and a request tried fails no worse than one refused.
func TestPassiveHealth_AllDownStillTried(t *testing.T) {
	p, srv := newProxy(t, Options{})
	slow := fast
	slow.Interval = time.Hour
	must(t, p.SetService("app", slow, nil))
	a, b := newReplica(t, "a"), newReplica(t, "b")
	serveReplicas(t, p, a, b)
	p.mu.RLock()
	for _, tg := range p.services["app"].active.targets {
		tg.down.Store(true)
	}
	p.mu.RUnlock()
	byStatus, _ := hammer(t, srv.URL+"/", 2, 20)
	if byStatus[http.StatusOK] != 20 {
		t.Errorf("with every replica taken out: %v", byStatus)
	}
}

// The counters of each target: requests, 5xx, latency.
func TestTargetStats_CountPerReplica(t *testing.T) {
	p, srv := newProxy(t, Options{})
	must(t, p.SetService("app", fast, nil))
	must(t, p.SetBalance("app", RoundRobin))
	a, b := newReplica(t, "a"), newReplica(t, "b")
	b.mode.Store("fail 2")
	serveReplicas(t, p, a, b)
	hammer(t, srv.URL+"/", 1, 40)
	sa, sb := targetState(t, p, a.URL).Stats, targetState(t, p, b.URL).Stats
	if sa.Requests != 20 || sa.Errors != 0 || sb.Requests != 20 || sb.Errors != 10 {
		t.Errorf("a %+v, b %+v; want 20 requests each, 10 of b's 5xx", *sa, *sb)
	}
	if sa.P99 <= 0 || sa.P50 > sa.P99 {
		t.Errorf("latency of a: %+v", *sa)
	}
	st := p.State().Services[0]
	if st.Requests != 40 || st.Failed != 10 {
		t.Errorf("service counters: %d requests, %d failed; want 40, 10", st.Requests, st.Failed)
	}
}

// A restarted proxy serves every replica it served, with its balance; a
// state file of a proxy of one target per release (active only) still
// loads. No counter is kept in the file.
func TestLoad_RestoresReplicas(t *testing.T) {
	a, b := newReplica(t, "a"), newReplica(t, "b")
	var saved State
	p1 := New(Options{OnChange: func(st State) { saved = st }})
	must(t, p1.SetService("app", fast, nil))
	must(t, p1.SetBalance("app", RoundRobin))
	serveReplicas(t, p1, a, b)
	srv1 := httptest.NewServer(p1)
	get(t, srv1.URL+"/")
	srv1.Close()
	p1.Close()
	if s := saved.Services[0]; len(s.Targets) != 2 || s.Targets[0].Stats != nil || s.Requests != 0 {
		t.Fatalf("saved: %+v", s)
	}

	p2, srv2 := newProxy(t, Options{})
	must(t, p2.Load(saved))
	hammer(t, srv2.URL+"/", 1, 10)
	if a.served.Load()+b.served.Load() != 11 || b.served.Load() != 5 && b.served.Load() != 6 {
		t.Errorf("after a restart: a served %d, b %d; want both, in turn", a.served.Load(), b.served.Load())
	}

	old := State{Routes: []Route{{Prefix: "/", Service: "app"}}, Services: []ServiceState{{Name: "app", Health: fast, Active: a.URL, Healthy: true}}}
	p3, srv3 := newProxy(t, Options{})
	must(t, p3.Load(old))
	if _, body := get(t, srv3.URL+"/"); body != "a ok\n" {
		t.Errorf("an earlier proxy's state: %q", body)
	}
}
