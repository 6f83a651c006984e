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
	name        string
	metrics     *serviceMetrics // looked up once, not per request
	health      Health
	active      *target
	draining    []*target
	paused      chan struct{} // closed on resume; nil when not paused
	held        atomic.Int64
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
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK, writeTimeout: p.opts.WriteTimeout}
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
	r.Body = http.MaxBytesReader(rec, r.Body, p.opts.MaxBodyBytes)
	t, status, msg := p.pick(r.Context(), s)
	if t == nil {
		rec.Header().Set("Retry-After", "5")
		http.Error(rec, msg, status)
		return
	}
	t.inflight.Add(1)
	m.inflight.Add(1)
	defer func() {
		m.inflight.Add(-1)
		if t.inflight.Add(-1) == 0 {
			t.idle()
		}
	}()
	if p.opts.Gzip && acceptsGzip(r) {
		gz := &gzipWriter{ResponseWriter: rec}
		defer gz.close()
		t.rp.ServeHTTP(gz, r)
		return
	}
	t.rp.ServeHTTP(rec, r)
}

// pick returns the target for a request to s, waiting while s is paused.
func (p *Proxy) pick(ctx context.Context, s *service) (*target, int, string) {
	p.mu.RLock()
	paused, maintenance, t := s.paused, s.maintenance, s.active
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
		case <-ctx.Done():
			s.held.Add(-1)
			timer.Stop()
			return nil, http.StatusServiceUnavailable, "client went away\n"
		}
		timer.Stop()
		s.held.Add(-1)
		p.mu.RLock()
		t = s.active
		p.mu.RUnlock()
	}
	if t == nil {
		return nil, http.StatusServiceUnavailable, "no target is serving this service yet\n"
	}
	return t, 0, ""
}

// Switch makes target the active one of service: it starts health
// checking it, waits (up to ctx) until it is healthy, then routes new
// requests to it; the previous target drains, its requests in flight
// finishing, for up to drain, and is released. If target never turns
// healthy the switch fails and nothing changes.
func (p *Proxy) Switch(ctx context.Context, name, rawURL string, drain time.Duration) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("target %q: want http://host:port", rawURL)
	}
	p.mu.RLock()
	s := p.services[name]
	p.mu.RUnlock()
	if s == nil {
		return fmt.Errorf("no service %q", name)
	}
	t := p.newTarget(u, s.health)
	if err := t.waitHealthy(ctx); err != nil {
		t.close()
		return fmt.Errorf("target %s did not turn healthy (GET %s): %w; %s keeps its current target", u, s.health.Path, err, name)
	}
	p.mu.Lock()
	old := s.active
	s.active = t
	if old != nil && old.url.String() != t.url.String() {
		s.draining = append(s.draining, old)
	}
	p.mu.Unlock()
	p.opts.Logger.Info("switched", "service", name, "target", u.String())
	p.changed()
	if old != nil && old != t {
		go p.drainTarget(s, old, drain)
	}
	return nil
}

// drainTarget waits until old has no request in flight (or drain passes)
// and releases it.
func (p *Proxy) drainTarget(s *service, old *target, drain time.Duration) {
	old.waitIdle(drain)
	old.close()
	p.mu.Lock()
	for i, d := range s.draining {
		if d == old {
			s.draining = append(s.draining[:i], s.draining[i+1:]...)
			break
		}
	}
	p.mu.Unlock()
	p.opts.Logger.Info("drained", "service", s.name, "target", old.url.String())
	p.changed()
}

// Restore sets a service's active target without waiting for health: the
// state a restarted proxy had, so that it serves at once.
func (p *Proxy) restore(name, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("target %q", rawURL)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.services[name]
	if s == nil {
		return fmt.Errorf("no service %q", name)
	}
	t := p.newTarget(u, s.health)
	t.healthy.Store(true)
	if s.active != nil {
		s.active.close() // its checker and its connections
	}
	s.active = t
	return nil
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
	Name        string   `json:"name"`
	Health      Health   `json:"health"`
	Active      string   `json:"active,omitempty"`
	Healthy     bool     `json:"healthy"`
	Draining    []string `json:"draining,omitempty"`
	Paused      bool     `json:"paused,omitempty"`
	Maintenance bool     `json:"maintenance,omitempty"`
}

// State returns the current state.
func (p *Proxy) State() State {
	p.mu.RLock()
	defer p.mu.RUnlock()
	st := State{Routes: append([]Route(nil), p.routes...)}
	for _, s := range p.services {
		ss := ServiceState{Name: s.name, Health: s.health, Paused: s.paused != nil, Maintenance: s.maintenance}
		if s.active != nil {
			ss.Active, ss.Healthy = s.active.url.String(), s.active.healthy.Load()
		}
		for _, d := range s.draining {
			ss.Draining = append(ss.Draining, d.url.String())
		}
		st.Services = append(st.Services, ss)
	}
	sort.Slice(st.Services, func(i, j int) bool { return st.Services[i].Name < st.Services[j].Name })
	return st
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
		if s.Active != "" {
			if err := p.restore(s.Name, s.Active); err != nil {
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
		p.opts.OnChange(p.State())
	}
}

// Close stops every health checker and closes idle backend connections.
func (p *Proxy) Close() {
	p.mu.Lock()
	for _, s := range p.services {
		if s.active != nil {
			s.active.close()
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

var errNotHealthy = errors.New("not healthy")
