// Package proxy is shipshape's reverse proxy for zero-downtime releases on
// one host: it routes by host and path prefix to services, each with one
// active target and, during a switch, draining ones; it health-checks
// targets, switches atomically once the new target is healthy, lets
// requests in flight on the old one finish, and can pause a service (hold
// requests) or put it in maintenance.
package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Health is how a service's targets are probed.
type Health struct {
	Path      string        `json:"path"`
	Interval  time.Duration `json:"interval"`
	Timeout   time.Duration `json:"timeout"`
	Healthy   int           `json:"healthy_threshold"`   // consecutive successes to turn healthy
	Unhealthy int           `json:"unhealthy_threshold"` // consecutive failures to turn unhealthy
}

func (h Health) withDefaults() Health {
	if h.Path == "" {
		h.Path = "/healthz"
	}
	if h.Interval <= 0 {
		h.Interval = time.Second
	}
	if h.Timeout <= 0 {
		h.Timeout = 2 * time.Second
	}
	if h.Healthy <= 0 {
		h.Healthy = 1
	}
	if h.Unhealthy <= 0 {
		h.Unhealthy = 3
	}
	return h
}

// Route sends requests for Host (empty: any) whose path starts with
// Prefix (empty: "/") to Service.
type Route struct {
	Host    string `json:"host,omitempty"`
	Prefix  string `json:"prefix,omitempty"`
	Service string `json:"service"`
}

// Options configure a Proxy.
type Options struct {
	// TrustedProxies are the peers whose X-Forwarded-* headers are kept;
	// from anyone else they are replaced.
	TrustedProxies []netip.Prefix
	// MaxBodyBytes bounds request bodies (0: 10 MiB).
	MaxBodyBytes int64
	// PauseTimeout is how long a request waits while its service is
	// paused before it gets 503 (0: 30 s).
	PauseTimeout time.Duration
	// MaxPaused bounds the requests held while paused; more get 503 at
	// once (0: 1000).
	MaxPaused int
	// ResponseHeaderTimeout bounds the wait for a backend's response
	// headers (0: 60 s); a backend that hangs gets the client a 504.
	ResponseHeaderTimeout time.Duration
	// WriteTimeout bounds each write to a client (0: 60 s); one that stops
	// reading is dropped, a stream that keeps moving is not.
	WriteTimeout time.Duration
	Logger       *slog.Logger
	// AccessLog logs every request (JSON, through Logger).
	AccessLog bool
	// RateLimit, when above 0, bounds each client IP to this many requests
	// a second on average and RateBurst at once; more get 429.
	RateLimit float64
	RateBurst int
	// Gzip compresses text, JSON, JavaScript and SVG responses of 1 KiB
	// and more for clients that accept it, unless the backend encoded them.
	Gzip bool
	// OnChange is called with the new state after every change of routes
	// or targets (the admin API persists it).
	OnChange func(State)
}

// Proxy is an http.Handler.
type Proxy struct {
	opts      Options
	transport *transport
	// probes checks targets' health, each probe on a new connection: a
	// kept one could be one the backend closed, and a probe failed on it
	// holds a switch back for an interval.
	probes   *http.Client
	metrics  *metrics
	unrouted *serviceMetrics // requests no route matched
	limiter  *rateLimiter    // nil: no rate limit

	mu       sync.RWMutex
	routes   []Route
	services map[string]*service
}

type service struct {
	name     string
	metrics  *serviceMetrics // looked up once, not per request
	health   Health
	balance  Balance
	active   *balancer // the serving release's replicas; nil before the first switch
	canary   *canary   // a release on trial beside active, or nil
	draining []*target
	paused   chan struct{} // closed on resume; nil when not paused
	held     atomic.Int64
	// maintenance answers every request with a 503 page.
	maintenance bool
}

// New returns a proxy with no routes.
func New(opts Options) *Proxy {
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = 10 << 20
	}
	if opts.PauseTimeout == 0 {
		opts.PauseTimeout = 30 * time.Second
	}
	if opts.MaxPaused == 0 {
		opts.MaxPaused = 1000
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = 60 * time.Second
	}
	if opts.ResponseHeaderTimeout == 0 {
		opts.ResponseHeaderTimeout = 60 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	m := newMetrics()
	return &Proxy{
		opts:     opts,
		unrouted: m.of("-"),
		transport: newTransport(&http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        1024,
			MaxIdleConnsPerHost: 256,
			// Bounded backend connections: 1,000 clients do not open 1,000
			// backend connections (memory), they queue for 256.
			MaxConnsPerHost:       256,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: opts.ResponseHeaderTimeout,
			ExpectContinueTimeout: time.Second,
		}, opts.ResponseHeaderTimeout),
		probes: &http.Client{
			Transport: &http.Transport{
				Proxy:             nil,
				DialContext:       (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
				DisableKeepAlives: true,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		metrics:  m,
		limiter:  limiter(opts),
		services: map[string]*service{},
	}
}

func limiter(o Options) *rateLimiter {
	if o.RateLimit <= 0 {
		return nil
	}
	return newRateLimiter(o.RateLimit, o.RateBurst)
}

// SetService creates or updates a service and its routes (none: every
// host, every path); its targets are kept.
func (p *Proxy) SetService(name string, health Health, routes []Route) error {
	if name == "" || strings.ContainsAny(name, " /\t\n") {
		return fmt.Errorf("service name %q: letters, digits, - and _ only", name)
	}
	if len(routes) == 0 {
		routes = []Route{{Prefix: "/"}}
	}
	for i := range routes {
		routes[i].Service = name
		if routes[i].Prefix == "" {
			routes[i].Prefix = "/"
		}
		if !strings.HasPrefix(routes[i].Prefix, "/") {
			return fmt.Errorf("route prefix %q must start with /", routes[i].Prefix)
		}
		routes[i].Host = strings.ToLower(routes[i].Host)
	}
	p.mu.Lock()
	s := p.services[name]
	if s == nil {
		s = &service{name: name, metrics: p.metrics.of(name)}
		p.services[name] = s
	}
	s.health = health.withDefaults()
	kept := p.routes[:0:0]
	for _, r := range p.routes {
		if r.Service != name {
			kept = append(kept, r)
		}
	}
	p.routes = append(kept, routes...)
	// Longest prefix first; a host route before an any-host one.
	sort.SliceStable(p.routes, func(i, j int) bool {
		a, b := p.routes[i], p.routes[j]
		if (a.Host != "") != (b.Host != "") {
			return a.Host != ""
		}
		return len(a.Prefix) > len(b.Prefix)
	})
	p.mu.Unlock()
	p.changed()
	return nil
}

// route finds the service for a request.
func (p *Proxy) route(r *http.Request) *service {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, rt := range p.routes {
		if (rt.Host == "" || rt.Host == host) && pathHasPrefix(r.URL.Path, rt.Prefix) {
			return p.services[rt.Service]
		}
	}
	return nil
}

// pathHasPrefix matches whole segments: /api matches /api and /api/x, not /apix.
func pathHasPrefix(path, prefix string) bool {
	if prefix == "/" || path == prefix {
		return true
	}
	return strings.HasPrefix(path, strings.TrimSuffix(prefix, "/")+"/")
}

// HealthPath answers 200 to a client on loopback while the proxy serves.
const HealthPath = "/_shipshape/health"

func loopback(remoteAddr string) bool {
	ap, err := netip.ParseAddrPort(remoteAddr)
	return err == nil && ap.Addr().Unmap().IsLoopback()
}

// ServeHTTP proxies one request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var rec *statusRecorder
	if lw, ok := w.(*loopResponse); ok {
		rec = &lw.rec // the serve loop's: one per connection, no allocation
	} else {
		rec = new(statusRecorder)
	}
	*rec = statusRecorder{ResponseWriter: w, status: http.StatusOK, writeTimeout: p.opts.WriteTimeout}
	name, m := "-", p.unrouted
	defer func() {
		m.observe(rec.status, time.Since(start))
		if !p.opts.AccessLog {
			return
		}
		p.opts.Logger.Info("request", "service", name, "method", r.Method, "host", r.Host, "path", r.URL.Path,
			"status", rec.status, "bytes", rec.bytes, "duration_ms", time.Since(start).Milliseconds(), "remote", r.RemoteAddr)
	}()
	if r.URL.Path == HealthPath && loopback(r.RemoteAddr) {
		// The proxy's own health, for its container's HEALTHCHECK: only
		// from inside (loopback), so no app's path is taken from clients.
		io.WriteString(rec, "ok\n")
		return
	}
	s := p.route(r)
	if s == nil {
		http.Error(rec, "no route for this host and path\n", http.StatusNotFound)
		return
	}
	name, m = s.name, s.metrics
	if p.limiter != nil && !p.limiter.allow(r.RemoteAddr, time.Now()) {
		rec.Header().Set("Retry-After", "1")
		http.Error(rec, "too many requests from this address\n", http.StatusTooManyRequests)
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(rec, r.Body, p.opts.MaxBodyBytes)
	}
	b, status, msg := p.pick(rec, r, s)
	if b == nil {
		rec.Header().Set("Retry-After", "5")
		http.Error(rec, msg, status)
		return
	}
	m.inflight.Add(1)
	defer m.inflight.Add(-1)
	var w2 http.ResponseWriter = rec
	if p.opts.Gzip && acceptsGzip(r) {
		gz := &gzipWriter{ResponseWriter: rec}
		defer gz.close()
		w2 = gz
	}
	p.forward(w2, rec, r, b)
}

// forward sends r to a target of b. A request the backend did not answer
// (refused, reset, timed out) takes that target out until a probe passes;
// when it has no body and is idempotent, it is sent to another replica
// that is up, so a replica that dies costs its clients nothing.
func (p *Proxy) forward(w http.ResponseWriter, rec *statusRecorder, r *http.Request, b *balancer) {
	t := b.pick()
	var tried uint64
	for {
		begin := time.Now()
		p.attempt(w, rec, r, t)
		err := rec.backendErr
		if err == nil {
			return
		}
		rec.backendErr = nil
		if r.Context().Err() != nil {
			rec.WriteHeader(errorStatus(r, err)) // the client went away: not the target's fault
			return
		}
		t.stats.failed(time.Since(begin))
		if !t.down.Swap(true) {
			p.opts.Logger.Warn("backend error: target taken out until a probe passes", "target", t.url.String(), "path", r.URL.Path, "error", err.Error())
		}
		if i := b.index(t); i >= 0 {
			tried |= 1 << i
		}
		if next := b.retry(tried); next != nil && !rec.wrote && retryable(r, err) {
			t = next
			continue
		}
		rec.WriteHeader(errorStatus(r, err))
		return
	}
}

// attempt sends r to t once. A response the client stops reading ends in
// a panic (http.ErrAbortHandler, from ReverseProxy): the deferred part
// still counts it.
func (p *Proxy) attempt(w http.ResponseWriter, rec *statusRecorder, r *http.Request, t *target) {
	begin := time.Now()
	t.inflight.Add(1)
	defer func() {
		if t.inflight.Add(-1) == 0 {
			t.idle()
		}
		if rec.backendErr == nil {
			t.stats.observe(rec.status, time.Since(begin))
		}
	}()
	if t.directOK(r) {
		p.forwardDirect(w, rec, r, t)
		return
	}
	t.rp.ServeHTTP(w, r)
}

// retryable: r can be sent again elsewhere after err. Only a request
// without a body whose method is idempotent, and only when the backend
// refused or dropped it: one that timed out may still be running there.
func retryable(r *http.Request, err error) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		return false
	}
	return (r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0) && r.Header.Get("Upgrade") == "" && !isTimeout(err)
}

// pick returns the release that serves a request to s (the stable one or,
// for the canary's share of clients, the canary), waiting while s is
// paused.
func (p *Proxy) pick(w http.ResponseWriter, r *http.Request, s *service) (*balancer, int, string) {
	p.mu.RLock()
	paused, maintenance, b, c := s.paused, s.maintenance, s.active, s.canary
	p.mu.RUnlock()
	if maintenance {
		return nil, http.StatusServiceUnavailable, "down for maintenance; back shortly\n"
	}
	if paused != nil {
		if s.held.Add(1) > int64(p.opts.MaxPaused) {
			s.held.Add(-1)
			return nil, http.StatusServiceUnavailable, "paused, and too many requests are waiting\n"
		}
		timer := time.NewTimer(p.opts.PauseTimeout)
		select {
		case <-paused:
		case <-timer.C:
			s.held.Add(-1)
			return nil, http.StatusServiceUnavailable, "paused for longer than the proxy holds requests\n"
		case <-r.Context().Done():
			s.held.Add(-1)
			timer.Stop()
			return nil, http.StatusServiceUnavailable, "client went away\n"
		}
		timer.Stop()
		s.held.Add(-1)
		p.mu.RLock()
		b, c = s.active, s.canary
		p.mu.RUnlock()
	}
	if b == nil {
		return nil, http.StatusServiceUnavailable, "no target is serving this service yet\n"
	}
	if c != nil && c.chosen(w, r) {
		return c.b, 0, ""
	}
	return b, 0, ""
}

// Switch makes target the active one of service: see SwitchTargets.
func (p *Proxy) Switch(ctx context.Context, name, target string, drain time.Duration) error {
	return p.SwitchTargets(ctx, name, []string{target}, drain)
}

// SwitchTargets makes targets (a release's replicas) the active ones of
// service: it starts health checking them, waits (up to ctx) until every
// one is healthy, then routes new requests to them; the previous targets
// drain, their requests in flight finishing, for up to drain, and are
// released. If one never turns healthy the switch fails and nothing
// changes. A canary under way is refused: it ends by itself.
func (p *Proxy) SwitchTargets(ctx context.Context, name string, targets []string, drain time.Duration) error {
	s, err := p.service(name)
	if err != nil {
		return err
	}
	b, err := p.healthyBalancer(ctx, s, targets)
	if err != nil {
		return fmt.Errorf("%w; %s keeps its current target", err, name)
	}
	p.mu.Lock()
	if s.canary != nil {
		p.mu.Unlock()
		b.close()
		return fmt.Errorf("%w: a canary of %s is under way; it promotes or aborts by itself", ErrBusy, name)
	}
	old := s.active
	s.active = b
	p.retire(s, old, b, drain)
	p.mu.Unlock()
	p.opts.Logger.Info("switched", "service", name, "targets", strings.Join(b.urls(), " "))
	p.changed()
	return nil
}

// ErrBusy is a change refused because another is under way.
var ErrBusy = errors.New("busy")

func (p *Proxy) service(name string) (*service, error) {
	p.mu.RLock()
	s := p.services[name]
	p.mu.RUnlock()
	if s == nil {
		return nil, fmt.Errorf("no service %q", name)
	}
	return s, nil
}

// parseTargets checks a release's target addresses.
func parseTargets(targets []string) ([]*url.URL, error) {
	if len(targets) == 0 {
		return nil, errors.New("no target: want http://host:port")
	}
	if len(targets) > MaxReplicas {
		return nil, fmt.Errorf("%d targets: at most %d replicas", len(targets), MaxReplicas)
	}
	seen := map[string]bool{}
	out := make([]*url.URL, len(targets))
	for i, raw := range targets {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("target %q: want http://host:port", raw)
		}
		if seen[u.String()] {
			return nil, fmt.Errorf("target %s is given twice", u)
		}
		seen[u.String()] = true
		out[i] = u
	}
	return out, nil
}

// healthyBalancer starts targets for s and waits, up to ctx, until every
// one is healthy; on failure they are closed and the error names those
// that were not.
func (p *Proxy) healthyBalancer(ctx context.Context, s *service, targets []string) (*balancer, error) {
	urls, err := parseTargets(targets)
	if err != nil {
		return nil, err
	}
	p.mu.RLock()
	health, balance := s.health, s.balance
	p.mu.RUnlock()
	ts := make([]*target, len(urls))
	for i, u := range urls {
		ts[i] = p.newTarget(u, health)
	}
	b := newBalancer(ts, balance)
	var sick []string
	for _, t := range ts {
		if err = t.waitHealthy(ctx); err != nil {
			break
		}
	}
	if err != nil {
		for _, t := range ts {
			if !t.healthy.Load() {
				sick = append(sick, t.url.String())
			}
		}
		b.close()
		what := "target " + sick[0]
		if len(ts) > 1 {
			what = fmt.Sprintf("%d of %d targets (%s)", len(sick), len(ts), strings.Join(sick, ", "))
		}
		return nil, fmt.Errorf("%s %w (GET %s): %w", what, ErrNotHealthy, health.Path, err)
	}
	return b, nil
}

// retire moves old's targets to draining after next replaced them; each
// is released once idle or after drain. p.mu is held.
func (p *Proxy) retire(s *service, old, next *balancer, drain time.Duration) {
	if old == nil {
		return
	}
	keep := map[string]bool{}
	if next != nil {
		for _, u := range next.urls() {
			keep[u] = true
		}
	}
	for _, t := range old.targets {
		if !keep[t.url.String()] {
			s.draining = append(s.draining, t)
		}
		go p.drainTarget(s, t, drain)
	}
}

// drainTarget waits until old has no request in flight (or drain passes)
// and releases it.
func (p *Proxy) drainTarget(s *service, old *target, drain time.Duration) {
	old.waitIdle(drain)
	old.close()
	p.mu.Lock()
	listed := false
	for i, d := range s.draining {
		if d == old {
			s.draining = append(s.draining[:i], s.draining[i+1:]...)
			listed = true
			break
		}
	}
	p.mu.Unlock()
	if listed {
		p.opts.Logger.Info("drained", "service", s.name, "target", old.url.String())
		p.changed()
	}
}

// restore sets a service's active targets without waiting for health:
// the state a restarted proxy had, so that it serves at once.
func (p *Proxy) restore(name string, targets []string) error {
	urls, err := parseTargets(targets)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.services[name]
	if s == nil {
		return fmt.Errorf("no service %q", name)
	}
	ts := make([]*target, len(urls))
	for i, u := range urls {
		ts[i] = p.newTarget(u, s.health)
		ts[i].healthy.Store(true)
	}
	if s.active != nil {
		s.active.close() // its checkers and its connections
	}
	s.active = newBalancer(ts, s.balance)
	return nil
}

// SetBalance sets how service's requests are spread over its replicas,
// from the next switch on.
func (p *Proxy) SetBalance(name string, b Balance) error {
	if err := b.validate(); err != nil {
		return err
	}
	if b == "" {
		b = LeastRequests
	}
	return p.withService(name, func(s *service) { s.balance = b })
}

// Pause holds new requests to service until Resume (or the pause timeout).
func (p *Proxy) Pause(name string) error {
	return p.withService(name, func(s *service) {
		if s.paused == nil {
			s.paused = make(chan struct{})
		}
	})
}

// Resume releases held requests.
func (p *Proxy) Resume(name string) error {
	return p.withService(name, func(s *service) {
		if s.paused != nil {
			close(s.paused)
			s.paused = nil
		}
	})
}

// Maintenance turns the maintenance page of service on or off.
func (p *Proxy) Maintenance(name string, on bool) error {
	return p.withService(name, func(s *service) { s.maintenance = on })
}

func (p *Proxy) withService(name string, fn func(*service)) error {
	p.mu.Lock()
	s := p.services[name]
	if s != nil {
		fn(s)
	}
	p.mu.Unlock()
	if s == nil {
		return fmt.Errorf("no service %q", name)
	}
	p.changed()
	return nil
}

// State is what the proxy serves, for the admin API and persistence.
type State struct {
	Routes   []Route        `json:"routes"`
	Services []ServiceState `json:"services"`
}

// ServiceState is one service.
type ServiceState struct {
	Name    string  `json:"name"`
	Health  Health  `json:"health"`
	Balance Balance `json:"balance,omitempty"`
	// Active is the active release's first target: all that a proxy of
	// one target per release said, and what a one-replica caller reads.
	Active string `json:"active,omitempty"`
	// Healthy: every active target passes its health check.
	Healthy bool `json:"healthy"`
	// Targets are the active release's replicas (one or more).
	Targets     []TargetState `json:"targets,omitempty"`
	Canary      *CanaryState  `json:"canary,omitempty"`
	Draining    []string      `json:"draining,omitempty"`
	Paused      bool          `json:"paused,omitempty"`
	Maintenance bool          `json:"maintenance,omitempty"`
	// Requests the service answered since the proxy started, and how many
	// of them were 5xx (the proxy's own 502, 503 and 504 included).
	Requests uint64 `json:"requests,omitempty"`
	Failed   uint64 `json:"failed,omitempty"`
}

// TargetState is one target (a replica of a release).
type TargetState struct {
	URL     string `json:"url"`
	Healthy bool   `json:"healthy"`
	// Down: a request to it failed at the connection; it gets no requests
	// until a probe passes.
	Down     bool   `json:"down,omitempty"`
	InFlight int64  `json:"in_flight,omitempty"`
	Stats    *Stats `json:"stats,omitempty"` // since it joined; not in the state file
}

// CanaryState is a canary under way.
type CanaryState struct {
	Share   float64       `json:"share"` // percent of clients
	Started time.Time     `json:"started"`
	Until   time.Time     `json:"until"`
	Targets []TargetState `json:"targets"`
}

// State returns the current state, with every target's counters.
func (p *Proxy) State() State { return p.state(true) }

// state is the current state; without counters it is what the state
// file keeps (counters are for a running proxy, and a changed state is
// saved, not every request).
func (p *Proxy) state(counters bool) State {
	p.mu.RLock()
	defer p.mu.RUnlock()
	st := State{Routes: append([]Route(nil), p.routes...)}
	for _, s := range p.services {
		ss := ServiceState{Name: s.name, Health: s.health, Balance: s.balance, Paused: s.paused != nil, Maintenance: s.maintenance}
		if s.active != nil {
			ss.Targets = targetStates(s.active, counters)
			ss.Active, ss.Healthy = ss.Targets[0].URL, true
			for _, t := range ss.Targets {
				ss.Healthy = ss.Healthy && t.Healthy
			}
		}
		if c := s.canary; c != nil {
			ss.Canary = &CanaryState{Share: float64(c.share) * 100 / canaryScale, Started: c.started, Until: c.until, Targets: targetStates(c.b, counters)}
		}
		for _, d := range s.draining {
			ss.Draining = append(ss.Draining, d.url.String())
		}
		if counters {
			ss.Requests = s.metrics.count.Load()
			ss.Failed = s.metrics.byClass[5].Load()
		}
		st.Services = append(st.Services, ss)
	}
	sort.Slice(st.Services, func(i, j int) bool { return st.Services[i].Name < st.Services[j].Name })
	return st
}

func targetStates(b *balancer, counters bool) []TargetState {
	out := make([]TargetState, len(b.targets))
	for i, t := range b.targets {
		out[i] = TargetState{URL: t.url.String(), Healthy: t.healthy.Load(), Down: t.down.Load()}
		if counters {
			st := t.stats.snapshot().Stats()
			out[i].Stats, out[i].InFlight = &st, t.inflight.Load()
		}
	}
	return out
}

// Load restores a state (routes, health settings, active targets).
func (p *Proxy) Load(st State) error {
	byService := map[string][]Route{}
	for _, r := range st.Routes {
		byService[r.Service] = append(byService[r.Service], r)
	}
	for _, s := range st.Services {
		if err := p.SetService(s.Name, s.Health, byService[s.Name]); err != nil {
			return err
		}
		if err := p.SetBalance(s.Name, s.Balance); err != nil {
			return err
		}
		var targets []string
		for _, t := range s.Targets {
			targets = append(targets, t.URL)
		}
		if len(targets) == 0 && s.Active != "" {
			targets = []string{s.Active} // saved by a proxy of one target per release
		}
		if len(targets) > 0 {
			if err := p.restore(s.Name, targets); err != nil {
				return err
			}
		}
		if s.Maintenance {
			_ = p.Maintenance(s.Name, true)
		}
	}
	p.changed()
	return nil
}

func (p *Proxy) changed() {
	if p.opts.OnChange != nil {
		p.opts.OnChange(p.state(false))
	}
}

// Close stops every health checker and closes idle backend connections.
func (p *Proxy) Close() {
	p.mu.Lock()
	for _, s := range p.services {
		if s.active != nil {
			s.active.close()
		}
		if s.canary != nil {
			s.canary.b.close()
		}
		for _, d := range s.draining {
			d.close()
		}
	}
	p.mu.Unlock()
	p.transport.Close()
}

// trusted reports whether the peer's forwarded headers are believed.
func (p *Proxy) trusted(remoteAddr string) bool {
	if len(p.opts.TrustedProxies) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return false
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	for _, pfx := range p.opts.TrustedProxies {
		if pfx.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// ErrNotHealthy is a switch or a canary refused because a target never
// turned healthy.
var ErrNotHealthy = errors.New("did not turn healthy")
