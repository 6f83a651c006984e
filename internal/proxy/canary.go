package proxy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// A canary is a new release on trial beside the stable one: it gets a
// share of the clients, each kept on its side by a cookie (a user does not
// flip between versions), while the proxy compares the two releases'
// error rates and p99 latency from its own counters. Past a threshold it
// aborts at once: the canary's targets drain and leave. When the trial
// time ends within the thresholds it promotes the canary with the usual
// switch: it becomes the active release and the stable one drains.
type canary struct {
	id    string
	b     *balancer
	share uint64 // of canaryScale
	// assigned counts the clients given a side: every client whose number
	// crosses a multiple of canaryScale/share goes to the canary, so the
	// share is exact from the first clients on, not only on average.
	assigned atomic.Uint64
	// setCookie[canary][secure] is the Set-Cookie header that keeps a
	// client on its side.
	setCookie [2][2]string
	cookie    string // its name
	started   time.Time
	until     time.Time
	stable0   Sample // the stable release's counters when the trial began
}

const (
	canaryScale = 10000 // a share in hundredths of a percent
	// CanaryCookie, followed by the service's name, is the cookie that
	// keeps a client on the canary's side or the stable one.
	CanaryCookie = "shipshape_canary_"
)

func newCanary(service string, b *balancer, share float64, d time.Duration) *canary {
	id := make([]byte, 4)
	_, _ = rand.Read(id)
	c := &canary{id: hex.EncodeToString(id), b: b, share: uint64(share*canaryScale/100 + 0.5), cookie: CanaryCookie + service}
	c.started = time.Now()
	c.until = c.started.Add(d)
	for in, side := range []string{"stable.", "canary."} {
		for secure := range 2 {
			ck := &http.Cookie{Name: c.cookie, Value: side + c.id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure == 1}
			c.setCookie[in][secure] = ck.String()
		}
	}
	return c
}

// chosen reports whether r goes to the canary: by its cookie when it has
// one from this trial, else by its turn, and then the response gives it
// the cookie.
func (c *canary) chosen(w http.ResponseWriter, r *http.Request) bool {
	if ck, err := r.Cookie(c.cookie); err == nil {
		if side, id, ok := strings.Cut(ck.Value, "."); ok && id == c.id {
			return side == "canary"
		}
	}
	n := c.assigned.Add(1)
	in := n*c.share/canaryScale != (n-1)*c.share/canaryScale
	i, secure := 0, 0
	if in {
		i = 1
	}
	if r.TLS != nil {
		secure = 1
	}
	w.Header().Add("Set-Cookie", c.setCookie[i][secure])
	return in
}

// CanaryRequest puts a new release on trial beside the active one
// (POST /v1/services/{name}/canary); the call answers, with a
// CanaryResult, once the canary is promoted or aborted. A caller that
// goes away aborts it.
type CanaryRequest struct {
	Targets []string `json:"targets"` // the new release's replicas
	// Share is the percentage of clients sent to the canary (above 0,
	// below 100).
	Share   float64  `json:"share"`
	For     Duration `json:"for"`     // how long the trial lasts before the promotion
	Timeout Duration `json:"timeout"` // for the targets to turn healthy (0: 60 s)
	Drain   Duration `json:"drain"`   // for requests on the release that leaves (0: 30 s)
	Thresholds
}

// Thresholds are how much worse than the stable release a canary may do
// before it is aborted.
type Thresholds struct {
	// MaxErrorRate is how far the canary's rate of 5xx answers and
	// connection errors may exceed the stable release's, as a fraction
	// (0.01: one percentage point; 0: the default, 0.01).
	MaxErrorRate float64 `json:"max_error_rate,omitempty"`
	// MaxP99 is how many times the stable release's p99 latency the
	// canary's may be, plus a grace of P99Grace (0: the default, 1.5).
	MaxP99 float64 `json:"max_p99,omitempty"`
}

// Defaults and the evidence a verdict needs: a rate or a percentile over
// a handful of requests is noise, and a p99 within a few milliseconds of
// the stable one is a busy machine, not a slower release.
const (
	DefaultMaxErrorRate = 0.01
	DefaultMaxP99       = 1.5
	// P99Grace is added to the stable release's p99 times MaxP99.
	P99Grace = 25 * time.Millisecond
	// minErrorRequests and minErrors: the error rate is judged once the
	// canary has had this many requests and this many failed.
	minErrorRequests = 20
	minErrors        = 3
	// minLatencyRequests: each release's p99 is judged once it has had
	// this many requests in the trial; and minSlow: the canary's p99 is
	// past the limit only when that many of its requests are (with a
	// hundred requests, the p99 is the second slowest: one hiccup of a
	// busy machine is not a slower release).
	minLatencyRequests = 50
	minSlow            = 5
	// canaryWarmup: the canary's first requests (this many, up to the
	// check after them) are its warm-up, not counted in its p99 (nor the stable release's requests meanwhile).
	// A release that just started opens its connections and fills its
	// caches on them: on a busy host their tail was 5x the warm stable
	// release's, and aborted good releases. Its errors count from the
	// first request. (Argo Rollouts' analysis has initialDelay for this.)
	canaryWarmup = 50
	// latencyHold: before the trial's time is up, a canary is aborted on
	// its p99 only once it has been past the limit at every check for
	// this long. A slower release stays slower; a fresh process on a busy
	// host has bursts of slow answers, which stay in its p99 until
	// enough requests dilute them (a good release was aborted on one in
	// a full test run: p99 262 ms against the stable release's 82 ms,
	// the host's load average past 8). Argo Rollouts' consecutive
	// failure limit is this. At the end, the whole trial is judged.
	latencyHold = 2 * time.Second
	// MaxCanaryFor bounds a trial.
	MaxCanaryFor = 24 * time.Hour
)

func (th Thresholds) withDefaults() Thresholds {
	if th.MaxErrorRate <= 0 {
		th.MaxErrorRate = DefaultMaxErrorRate
	}
	if th.MaxP99 <= 0 {
		th.MaxP99 = DefaultMaxP99
	}
	return th
}

// CanaryResult is how a canary ended.
type CanaryResult struct {
	Promoted bool   `json:"promoted"`
	Reason   string `json:"reason"` // why it was aborted, or what it was promoted on
	// Canary and Stable are what the two releases counted during the trial.
	Canary Stats    `json:"canary"`
	Stable Stats    `json:"stable"`
	Took   Duration `json:"took"`
	State  *State   `json:"state,omitempty"` // after the verdict
}

// counts are what a verdict rests on: each release's requests since the
// trial began (errors are judged on them) and since the canary's warm-up
// ended (latency is; zero samples until it has).
type counts struct {
	stable, canary         Sample
	warmStable, warmCanary Sample
}

// slower says whether the canary's p99 since its warm-up is past the
// limit the thresholds set on the stable release's, with evidence enough
// to judge, and why.
func slower(n counts, th Thresholds) (slow bool, reason string) {
	th = th.withDefaults()
	wc, ws := n.warmCanary, n.warmStable
	cp, sp := wc.Percentile(0.99), ws.Percentile(0.99)
	limit := time.Duration(float64(sp)*th.MaxP99) + P99Grace
	if wc.Requests < minLatencyRequests || ws.Requests < minLatencyRequests || cp <= limit || wc.slowerThan(limit) < minSlow {
		return false, ""
	}
	return true, fmt.Sprintf("p99 latency %v against the stable release's %v, above %gx it plus %v",
		cp.Round(time.Millisecond/10), sp.Round(time.Millisecond/10), th.MaxP99, P99Grace)
}

// verdict is the comparison of a canary with the stable release during
// its trial: abort, and why; final is the comparison when the trial time
// is over, which also says what a promotion rests on. held is the
// canary's p99 past the limit at every check for latencyHold: before
// the end, latency aborts only then; errors abort at once.
func verdict(n counts, th Thresholds, final, held bool) (abort bool, reason string) {
	th = th.withDefaults()
	stable, can := n.stable, n.canary
	cr, sr := can.ErrorRate(), stable.ErrorRate()
	if can.Requests >= minErrorRequests && can.Errors+can.ConnErrors >= minErrors && cr > sr+th.MaxErrorRate {
		return true, fmt.Sprintf("error rate %s of %d requests (%d 5xx, %d connection errors) against the stable release's %s, more than %s above it",
			pct(cr), can.Requests, can.Errors, can.ConnErrors, pct(sr), pct(th.MaxErrorRate))
	}
	if slow, why := slower(n, th); slow && (final || held) {
		if !final {
			why += fmt.Sprintf(", for %v", latencyHold)
		}
		return true, why
	}
	wc, ws := n.warmCanary, n.warmStable
	cp, sp := wc.Percentile(0.99), ws.Percentile(0.99)
	latencyJudged := wc.Requests >= minLatencyRequests && ws.Requests >= minLatencyRequests
	if !final {
		return false, ""
	}
	if can.Requests < minErrorRequests {
		return false, fmt.Sprintf("only %d requests reached it, too few to judge; promoted as a plain switch would", can.Requests)
	}
	latency := fmt.Sprintf("p99 %v against %v", cp.Round(time.Millisecond/10), sp.Round(time.Millisecond/10))
	if !latencyJudged {
		latency = fmt.Sprintf("too few requests to judge p99 (%d after the canary's %d of warm-up)", wc.Requests, canaryWarmup)
	}
	return false, fmt.Sprintf("error rate %s of %d requests against the stable release's %s; %s", pct(cr), can.Requests, pct(sr), latency)
}

func pct(f float64) string { return fmt.Sprintf("%.2f%%", f*100) }

// Canary runs a trial of targets as service's next release (see
// CanaryRequest) and promotes or aborts it. Its error is for a trial that
// did not start (a bad request, targets that never turned healthy, no
// active release to compare with, another canary under way) or that ctx
// ended (then the canary is aborted).
func (p *Proxy) Canary(ctx context.Context, name string, req CanaryRequest) (CanaryResult, error) {
	var res CanaryResult
	forD := time.Duration(req.For)
	switch {
	case !(req.Share > 0 && req.Share < 100):
		return res, fmt.Errorf("canary share %g%%: above 0 and below 100", req.Share)
	case forD <= 0 || forD > MaxCanaryFor:
		return res, fmt.Errorf("canary time %v: above 0, at most %v", forD, MaxCanaryFor)
	case req.MaxErrorRate < 0 || req.MaxErrorRate >= 1 || req.MaxP99 < 0:
		return res, errors.New("canary thresholds: an error rate from 0 to 1 and a p99 ratio of 0 or more")
	}
	timeout, drain := time.Duration(req.Timeout), time.Duration(req.Drain)
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	if drain <= 0 {
		drain = 30 * time.Second
	}
	s, err := p.service(name)
	if err != nil {
		return res, err
	}
	hctx, cancel := context.WithTimeout(ctx, timeout)
	b, err := p.healthyBalancer(hctx, s, req.Targets)
	cancel()
	if err != nil {
		return res, fmt.Errorf("%w; %s keeps its current target", err, name)
	}
	p.mu.Lock()
	switch {
	case s.active == nil:
		err = fmt.Errorf("%s has no active release to compare a canary with: switch to the first one", name)
	case s.canary != nil:
		err = fmt.Errorf("%w: a canary of %s is under way already", ErrBusy, name)
	}
	if err != nil {
		p.mu.Unlock()
		b.close()
		return res, err
	}
	c := newCanary(name, b, req.Share, forD)
	c.stable0 = s.active.sample()
	s.canary = c
	p.mu.Unlock()
	p.opts.Logger.Info("canary", "service", name, "targets", strings.Join(b.urls(), " "), "share", req.Share, "for", forD.String())
	p.changed()

	abort, reason, err := p.trial(ctx, s, c, req.Thresholds)
	p.mu.Lock()
	stable, can := s.active.sample().since(c.stable0), c.b.sample()
	s.canary = nil
	leaving := c.b
	if !abort {
		leaving = s.active
		s.active = c.b
	}
	p.retire(s, leaving, s.active, drain)
	p.mu.Unlock()
	// The release that leaves is counted once its requests in flight are
	// done: a request that failed there after the verdict is its own.
	leaving.waitIdle(drain)
	if abort {
		can = c.b.sample()
	} else {
		stable = leaving.sample().since(c.stable0)
	}
	res = CanaryResult{Promoted: !abort, Reason: reason, Canary: can.Stats(), Stable: stable.Stats(), Took: Duration(time.Since(c.started))}
	if abort {
		p.opts.Logger.Warn("canary aborted", "service", name, "reason", reason)
	} else {
		p.opts.Logger.Info("canary promoted", "service", name, "reason", reason)
	}
	p.changed()
	st := p.State()
	res.State = &st
	return res, err
}

// canaryCheckEvery is how often a trial compares the two releases.
const canaryCheckEvery = 200 * time.Millisecond

// trial compares the canary with the stable release until its time is up
// or a threshold is crossed; ctx ending aborts it.
func (p *Proxy) trial(ctx context.Context, s *service, c *canary, th Thresholds) (abort bool, reason string, err error) {
	tick := time.NewTicker(canaryCheckEvery)
	defer tick.Stop()
	var warm *counts        // the counters when the warm-up ended
	var slowSince time.Time // since when the canary's p99 has been past the limit at every check
	for {
		now := time.Now()
		final := !now.Before(c.until)
		p.mu.RLock()
		n := counts{stable: s.active.sample().since(c.stable0), canary: c.b.sample()}
		p.mu.RUnlock()
		if warm == nil && n.canary.Requests >= canaryWarmup {
			warm = &n
		}
		if warm != nil {
			n.warmStable, n.warmCanary = n.stable.since(warm.stable), n.canary.since(warm.canary)
		}
		switch slow, _ := slower(n, th); {
		case !slow:
			slowSince = time.Time{}
		case slowSince.IsZero():
			slowSince = now
		}
		held := !slowSince.IsZero() && now.Sub(slowSince) >= latencyHold
		if abort, reason := verdict(n, th, final, held); abort || final {
			return abort, reason, nil
		}
		select {
		case <-ctx.Done():
			return true, "the caller that started the canary went away", ctx.Err()
		case <-tick.C:
		}
	}
}
