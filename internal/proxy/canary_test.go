package proxy

import (
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"
)

// startCanary runs p.Canary in the background and waits until the proxy
// routes to it; the returned function waits for its result.
func startCanary(t *testing.T, ctx context.Context, p *Proxy, req CanaryRequest) func() (CanaryResult, error) {
	t.Helper()
	type out struct {
		res CanaryResult
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := p.Canary(ctx, "app", req)
		done <- out{res, err}
	}()
	waitUntil(t, 5*time.Second, "the canary under way", func() bool {
		select {
		case o := <-done:
			done <- o
			return true
		default:
		}
		return p.State().Services[0].Canary != nil
	})
	return func() (CanaryResult, error) {
		select {
		case o := <-done:
			return o.res, o.err
		case <-time.After(30 * time.Second):
			t.Fatal("the canary did not end")
			return CanaryResult{}, nil
		}
	}
}

// appProxy is a proxy with the service "app" and no release yet, and its URL.
func appProxy(t *testing.T) (*Proxy, string) {
	t.Helper()
	p, srv := newProxy(t, Options{})
	must(t, p.SetService("app", fast, nil))
	return p, srv.URL
}

// appServing is appProxy with a release of one replica, named stable,
// active: what a canary is compared with.
func appServing(t *testing.T, stable string) (*Proxy, string, *replica) {
	t.Helper()
	p, url := appProxy(t)
	r := newReplica(t, stable)
	serveReplicas(t, p, r)
	return p, url, r
}

// trial is how a canary run to its end under steady load went.
type trial struct {
	res      CanaryResult
	err      error
	took     time.Duration
	byStatus map[int]int // every answer the load got, by status
}

// trialUnderLoad runs a canary to its verdict while clients send requests
// through the proxy at url.
func trialUnderLoad(t *testing.T, p *Proxy, url string, clients int, req CanaryRequest) trial {
	t.Helper()
	stop := steadyLoad(t, url+"/", clients)
	start := time.Now()
	res, err := startCanary(t, context.Background(), p, req)()
	took := time.Since(start)
	return trial{res: res, err: err, took: took, byStatus: stop()}
}

// The split: clients without a cookie are given a side by turns, exactly
// the share of them to the canary, each told its side by a cookie.
func TestCanary_SplitsTheShareExactly(t *testing.T) {
	p, url, stable := appServing(t, "stable")
	can := newReplica(t, "canary")
	ctx, cancel := context.WithCancel(context.Background())
	wait := startCanary(t, ctx, p, CanaryRequest{Targets: []string{can.URL}, Share: 10, For: Duration(time.Minute)})

	cookies := map[string]int{}
	for range 1000 {
		resp, err := http.Get(url + "/")
		must(t, err)
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			side, _, _ := strings.Cut(c.Value, ".")
			cookies[c.Name+" "+side]++
			if !c.HttpOnly || c.Path != "/" || c.SameSite != http.SameSiteLaxMode {
				t.Fatalf("cookie %s", c)
			}
		}
	}
	if can.served.Load() != 100 || stable.served.Load() != 900 {
		t.Errorf("1000 clients: %d to the canary, %d to the stable release; want 100 and 900", can.served.Load(), stable.served.Load())
	}
	if cookies[CanaryCookie+"app canary"] != 100 || cookies[CanaryCookie+"app stable"] != 900 {
		t.Errorf("cookies given: %v", cookies)
	}
	cancel()
	res, err := wait()
	if !errors.Is(err, context.Canceled) || res.Promoted {
		t.Errorf("a canary whose caller went away: %+v, %v; want aborted", res, err)
	}
	if _, body := get(t, url+"/"); body != "stable ok\n" {
		t.Errorf("after the aborted canary: %q", body)
	}
}

// Stickiness: a client keeps its side for the whole trial (a user does not
// flip between versions); a cookie from another trial or another service
// is given a side anew.
func TestCanary_StickyPerClient(t *testing.T) {
	p, url, _ := appServing(t, "stable")
	can := newReplica(t, "canary")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wait := startCanary(t, ctx, p, CanaryRequest{Targets: []string{can.URL}, Share: 20, For: Duration(time.Minute)})

	var mu sync.Mutex
	sides := map[string]int{}
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			client := &http.Client{Jar: jar}
			seen := map[string]bool{}
			for range 20 {
				_, body := get2(client, url+"/")
				seen[body] = true
			}
			if len(seen) != 1 {
				t.Errorf("one client saw %v", seen)
			}
			mu.Lock()
			for b := range seen {
				sides[b]++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if sides["canary ok\n"] != 10 || sides["stable ok\n"] != 40 {
		t.Errorf("50 clients with cookies: %v; want 10 on the canary (20%%), 40 on the stable release", sides)
	}
	// A cookie of an earlier trial does not bind.
	req, _ := http.NewRequest(http.MethodGet, url+"/", nil)
	req.AddCookie(&http.Cookie{Name: CanaryCookie + "app", Value: "canary.00000000"})
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if len(resp.Cookies()) != 1 {
		t.Errorf("a client with a stale cookie was not given a side anew: %v", resp.Header["Set-Cookie"])
	}
	cancel()
	wait()
}

// A good canary is promoted once its time is up: it becomes the active
// release and the stable one drains.
func TestCanary_GoodReleasePromoted(t *testing.T) {
	p, url, _ := appServing(t, "v1")
	v2a, v2b := newReplica(t, "v2"), newReplica(t, "v2")
	tr := trialUnderLoad(t, p, url, 4, CanaryRequest{Targets: []string{v2a.URL, v2b.URL}, Share: 25, For: Duration(time.Second)})
	must(t, tr.err)
	if !tr.res.Promoted || tr.res.Canary.Requests == 0 || tr.res.Stable.Requests == 0 {
		t.Fatalf("a good canary: %+v", tr.res)
	}
	st := tr.res.State.Services[0]
	if st.Canary != nil || len(st.Targets) != 2 || st.Active != v2a.URL {
		t.Errorf("after the promotion: %+v", st)
	}
	if _, body := get(t, url+"/"); body != "v2 ok\n" {
		t.Errorf("after the promotion: %q", body)
	}
	if tr.byStatus[http.StatusOK] == 0 || len(tr.byStatus) != 1 {
		t.Errorf("statuses during the trial: %v", tr.byStatus)
	}
	t.Logf("promoted: %s; canary %+v, stable %+v", tr.res.Reason, tr.res.Canary, tr.res.Stable)
}

// A canary that fails one request in five is aborted within its trial,
// long before its time; every failed request was the canary's.
func TestCanary_FailingReleaseAborted(t *testing.T) {
	p, url, v1 := appServing(t, "v1")
	v2 := newReplica(t, "v2")
	v2.mode.Store("fail 5")
	tr := trialUnderLoad(t, p, url, 4, CanaryRequest{Targets: []string{v2.URL}, Share: 10, For: Duration(time.Minute)})
	must(t, tr.err)
	res := tr.res
	if res.Promoted || !strings.Contains(res.Reason, "error rate") {
		t.Fatalf("a canary failing 20%%: %+v", res)
	}
	if tr.took > 10*time.Second {
		t.Errorf("aborted after %v of a minute's trial", tr.took)
	}
	if failed := tr.byStatus[http.StatusInternalServerError]; len(tr.byStatus) != 2 || int64(failed) != v2.failed.Load() ||
		res.Canary.Errors != uint64(failed) || res.Stable.Errors != 0 {
		t.Errorf("answers %v; the canary failed %d, counted %d 5xx by the verdict, the stable release %d", tr.byStatus, v2.failed.Load(), res.Canary.Errors, res.Stable.Errors)
	}
	st := res.State.Services[0]
	if st.Canary != nil || st.Active != v1.URL || len(st.Targets) != 1 {
		t.Errorf("after the abort: %+v", st)
	}
	t.Logf("aborted after %v: %s", tr.took.Round(time.Millisecond), res.Reason)
}

// A canary that answers slowly is aborted on its p99.
func TestCanary_SlowReleaseAborted(t *testing.T) {
	p, url, _ := appServing(t, "v1")
	v2 := newReplica(t, "v2")
	v2.mode.Store("slow 150ms")
	tr := trialUnderLoad(t, p, url, 8, CanaryRequest{Targets: []string{v2.URL}, Share: 20, For: Duration(time.Minute)})
	must(t, tr.err)
	if tr.res.Promoted || !strings.Contains(tr.res.Reason, "p99") {
		t.Fatalf("a slow canary: %+v", tr.res)
	}
	if len(tr.byStatus) != 1 {
		t.Errorf("statuses: %v", tr.byStatus)
	}
	t.Logf("aborted: %s", tr.res.Reason)
}

// A release whose first requests are slow (it opens its connections,
// fills its caches) and then answers as fast as the stable one is
// promoted: its warm-up is not its p99.
func TestCanary_SlowStartPromoted(t *testing.T) {
	p, url, _ := appServing(t, "v1")
	v2 := newReplica(t, "v2")
	v2.mode.Store("slow-start 20 50ms")
	tr := trialUnderLoad(t, p, url, 8, CanaryRequest{Targets: []string{v2.URL}, Share: 20, For: Duration(2 * time.Second)})
	must(t, tr.err)
	if !tr.res.Promoted || !strings.Contains(tr.res.Reason, "p99 ") {
		t.Fatalf("a canary slow for its first 20 requests: %+v", tr.res)
	}
	t.Logf("promoted: %s", tr.res.Reason)
}

// A release with a burst of slow answers after its warm-up (a fresh
// process on a busy host), as fast as the stable one before and after,
// is promoted: its p99 was past the limit for less than latencyHold.
func TestCanary_SlowBurstPromoted(t *testing.T) {
	p, url, _ := appServing(t, "v1")
	v2 := newReplica(t, "v2")
	// Its warm-up ends at the first check after 50 requests (a few hundred
	// at this load), so 20 slow ones are more than 1% of what came after
	// it, until about 2,000 have: the p99 is past the limit for a few
	// hundred requests, well under latencyHold at this rate.
	v2.mode.Store("slow-burst 1800 20 100ms")
	tr := trialUnderLoad(t, p, url, 8, CanaryRequest{Targets: []string{v2.URL}, Share: 20, For: Duration(5 * time.Second)})
	must(t, tr.err)
	if !tr.res.Promoted {
		t.Fatalf("a canary with 20 slow answers after its warm-up: %+v", tr.res)
	}
	if tr.res.Canary.Requests < 1820 {
		t.Fatalf("the canary had %d requests: the burst, from its 1,800th, was not in the trial", tr.res.Canary.Requests)
	}
	t.Logf("promoted: %s", tr.res.Reason)
}

// While a canary is under way, a switch and a second canary are refused.
func TestCanary_OneChangeAtATime(t *testing.T) {
	p, _ := appProxy(t)
	v1, v2, v3 := newReplica(t, "v1"), newReplica(t, "v2"), newReplica(t, "v3")
	if _, err := p.Canary(context.Background(), "app", CanaryRequest{Targets: []string{v2.URL}, Share: 10, For: Duration(time.Second)}); err == nil ||
		!strings.Contains(err.Error(), "no active release") {
		t.Errorf("a canary without a release to compare with: %v", err)
	}
	serveReplicas(t, p, v1)
	ctx, cancel := context.WithCancel(context.Background())
	wait := startCanary(t, ctx, p, CanaryRequest{Targets: []string{v2.URL}, Share: 10, For: Duration(time.Minute)})
	if err := p.Switch(context.Background(), "app", v3.URL, time.Second); !errors.Is(err, ErrBusy) {
		t.Errorf("a switch during a canary: %v", err)
	}
	if _, err := p.Canary(context.Background(), "app", CanaryRequest{Targets: []string{v3.URL}, Share: 10, For: Duration(time.Second)}); !errors.Is(err, ErrBusy) {
		t.Errorf("a second canary: %v", err)
	}
	for _, bad := range []CanaryRequest{
		{Targets: []string{v3.URL}, Share: 0, For: Duration(time.Second)},
		{Targets: []string{v3.URL}, Share: 100, For: Duration(time.Second)},
		{Targets: []string{v3.URL}, Share: 10},
		{Targets: []string{v3.URL}, Share: 10, For: Duration(48 * time.Hour)},
		{Targets: []string{v3.URL}, Share: 10, For: Duration(time.Second), Thresholds: Thresholds{MaxErrorRate: 2}},
	} {
		if _, err := p.Canary(context.Background(), "app", bad); err == nil || errors.Is(err, ErrBusy) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	cancel()
	wait()
}

// steadyLoad sends requests from clients (no cookies: each request is
// given a side) until the returned stop, which counts them by status.
func steadyLoad(t *testing.T, url string, clients int) (stop func() map[int]int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	byStatus := map[int]int{}
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{}}
			defer client.CloseIdleConnections()
			for ctx.Err() == nil {
				code, _ := get2(client, url)
				mu.Lock()
				byStatus[code]++
				mu.Unlock()
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	return func() map[int]int {
		cancel()
		wg.Wait()
		return byStatus
	}
}

// sample makes a Sample of n requests, e 5xx and c connection errors, each
// taking d.
func sample(n, e, c uint64, d time.Duration) Sample {
	s := Sample{Requests: n, Errors: e, ConnErrors: c}
	s.latency[bucketOf(d)] = n
	return s
}

func TestVerdict_Thresholds(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name           string
		stable, canary Sample
		th             Thresholds
		final, held    bool // held: the p99 has been past the limit for latencyHold
		abort          bool
		reason         string
	}{
		{"same", sample(1000, 0, 0, 5*ms), sample(100, 0, 0, 5*ms), Thresholds{}, true, false, false, "error rate 0.00% of 100 requests"},
		{"20% failing", sample(1000, 0, 0, 5*ms), sample(100, 20, 0, 5*ms), Thresholds{}, false, false, true, "error rate 20.00% of 100 requests (20 5xx, 0 connection errors)"},
		{"connection errors count", sample(1000, 0, 0, 5*ms), sample(100, 0, 5, 5*ms), Thresholds{}, false, false, true, "error rate 5.00%"},
		{"no worse than stable", sample(1000, 100, 0, 5*ms), sample(100, 10, 0, 5*ms), Thresholds{}, true, false, false, ""},
		{"within the threshold", sample(1000, 0, 0, 5*ms), sample(400, 3, 0, 5*ms), Thresholds{}, true, false, false, ""},
		{"a looser threshold", sample(1000, 0, 0, 5*ms), sample(100, 20, 0, 5*ms), Thresholds{MaxErrorRate: 0.25}, true, false, false, ""},
		{"two errors are not evidence", sample(1000, 0, 0, 5*ms), sample(20, 2, 0, 5*ms), Thresholds{}, true, false, false, ""},
		{"too few requests for a rate", sample(1000, 0, 0, 5*ms), sample(10, 5, 0, 5*ms), Thresholds{}, true, false, false, "too few to judge"},
		{"slow", sample(1000, 0, 0, 5*ms), sample(100, 0, 0, 300*ms), Thresholds{}, false, true, true, "p99 latency"},
		{"slow, but not for long yet", sample(1000, 0, 0, 5*ms), sample(100, 0, 0, 300*ms), Thresholds{}, false, false, false, ""},
		{"slow at the end, however briefly", sample(1000, 0, 0, 5*ms), sample(100, 0, 0, 300*ms), Thresholds{}, true, false, true, "p99 latency"},
		{"slower within the grace", sample(1000, 0, 0, 2*ms), sample(100, 0, 0, 20*ms), Thresholds{}, true, false, false, ""},
		{"slower past the ratio", sample(1000, 0, 0, 200*ms), sample(100, 0, 0, 400*ms), Thresholds{}, false, true, true, "above 1.5x"},
		{"a looser ratio", sample(1000, 0, 0, 200*ms), sample(100, 0, 0, 400*ms), Thresholds{MaxP99: 3}, true, false, false, ""},
		{"too few for a p99", sample(1000, 0, 0, 5*ms), sample(40, 0, 0, time.Second), Thresholds{}, true, false, false, "too few requests to judge p99"},
		{"a few hiccups are not a slower release", sample(1000, 0, 0, 5*ms), func() Sample {
			s := sample(196, 0, 0, 5*ms)
			s.Requests += 4
			s.latency[bucketOf(200*ms)] = 4
			return s
		}(), Thresholds{}, true, false, false, "p99 "},
		{"five are", sample(1000, 0, 0, 5*ms), func() Sample {
			s := sample(195, 0, 0, 5*ms)
			s.Requests += 5
			s.latency[bucketOf(200*ms)] = 5
			return s
		}(), Thresholds{}, true, false, true, "p99 latency"},
		{"not final, nothing wrong", sample(1000, 0, 0, 5*ms), sample(100, 0, 0, 5*ms), Thresholds{}, false, false, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := counts{stable: tc.stable, canary: tc.canary, warmStable: tc.stable, warmCanary: tc.canary}
			abort, reason := verdict(n, tc.th, tc.final, tc.held)
			if abort != tc.abort || !strings.Contains(reason, tc.reason) {
				t.Errorf("verdict: abort %v, %q; want abort %v, %q", abort, reason, tc.abort, tc.reason)
			}
		})
	}
}

// Latency is judged after the canary's warm-up: a slow start alone is
// not a slower release, a slow release after it is; errors count from
// the first request.
func TestVerdict_Warmup(t *testing.T) {
	ms := time.Millisecond
	stable := sample(2000, 0, 0, 5*ms)
	slowStart := sample(60, 0, 0, 80*ms) // the first 60 requests
	fast, slow := sample(300, 0, 0, 5*ms), sample(300, 0, 0, 80*ms)
	for _, tc := range []struct {
		name   string
		n      counts
		abort  bool
		reason string
	}{
		{"a slow warm-up, then as fast as stable", counts{stable: stable, canary: slowStart.add(fast), warmStable: sample(1800, 0, 0, 5*ms), warmCanary: fast}, false, "p99 5"},
		{"slow after the warm-up too", counts{stable: stable, canary: slowStart.add(slow), warmStable: sample(1800, 0, 0, 5*ms), warmCanary: slow}, true, "p99 latency"},
		{"warm-up not over", counts{stable: stable, canary: sample(40, 0, 0, 80*ms)}, false, "too few requests to judge p99 (0 after the canary's 50 of warm-up)"},
		{"errors in the warm-up count", counts{stable: stable, canary: sample(45, 10, 0, 5*ms)}, true, "error rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			abort, reason := verdict(tc.n, Thresholds{}, true, false)
			if abort != tc.abort || !strings.Contains(reason, tc.reason) {
				t.Errorf("verdict: abort %v, %q; want abort %v, %q", abort, reason, tc.abort, tc.reason)
			}
		})
	}
}

// The histogram's buckets cover every latency, in order, each within
// 12.5% of what it counts; a percentile read from it is that close.
func TestHistogram_Buckets(t *testing.T) {
	prev := -1
	for us := int64(0); us < 1e10; us = us*9/8 + 1 {
		d := time.Duration(us) * time.Microsecond
		i := bucketOf(d)
		if i < prev {
			t.Fatalf("%v: bucket %d after %d", d, i, prev)
		}
		prev = i
		top := bucketTop(i)
		if top < d || (i < histBuckets-1 && float64(top) > float64(d)*1.125+float64(time.Microsecond)) {
			t.Fatalf("%v: bucket %d tops at %v", d, i, top)
		}
		if i > 0 && bucketTop(i-1) >= d {
			t.Fatalf("%v: the bucket before, %d, tops at %v", d, i-1, bucketTop(i-1))
		}
	}
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.observe(time.Duration(i) * time.Millisecond)
	}
	var s Sample
	for i := range h.counts {
		s.latency[i] = h.counts[i].Load()
	}
	for q, want := range map[float64]time.Duration{0.5: 500 * time.Millisecond, 0.99: 990 * time.Millisecond} {
		if got := s.Percentile(q); got < want || float64(got) > float64(want)*1.125 {
			t.Errorf("p%g of 1..1000 ms: %v", q*100, got)
		}
	}
}
