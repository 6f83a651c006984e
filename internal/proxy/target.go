package proxy

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// target is one backend (a release's container) of a service.
type target struct {
	url *url.URL
	rp  *httputil.ReverseProxy
	// plain: an http:// target without a path or query, which requests
	// without a body reach through the direct forwarder (forward.go).
	plain    bool
	pool     *pool // this target's connections, closed with it
	health   Health
	probes   *http.Client
	inflight atomic.Int64
	healthy  atomic.Bool
	// down: a request to it failed at the connection (reset, refused,
	// timed out); it gets no requests until a probe passes again.
	down  atomic.Bool
	stats targetStats

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced when health or in-flight count changes
	stop     chan struct{}
	stopOnce sync.Once
}

func (p *Proxy) newTarget(u *url.URL, h Health) *target {
	t := &target{url: u, pool: p.transport.newPool(u.Host), health: h, probes: p.probes,
		changed: make(chan struct{}), stop: make(chan struct{}),
		plain: u.Scheme == "http" && (u.Path == "" || u.Path == "/") && u.RawQuery == "" && u.RawPath == ""}
	t.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			pr.Out.Host = pr.In.Host // the app sees the host the client asked for
			if p.trusted(pr.In.RemoteAddr) {
				// A proxy in front of us: keep its chain and what the client used.
				if v := pr.In.Header.Values("X-Forwarded-For"); len(v) > 0 {
					pr.Out.Header["X-Forwarded-For"] = v
				}
				pr.SetXForwarded()
				for _, h := range []string{"X-Forwarded-Proto", "X-Forwarded-Host"} {
					if v := pr.In.Header.Get(h); v != "" {
						pr.Out.Header.Set(h, v)
					}
				}
				return
			}
			// From anyone else, client-sent forwarded headers are replaced
			// (Rewrite has removed them from pr.Out already).
			pr.SetXForwarded()
		},
		Transport: t.pool,
		// Without a pool ReverseProxy allocates 32 KiB per response: 85% of
		// the proxy's allocated bytes, and the garbage collector's work.
		BufferPool: copyBuffers,
		// Its own complaints (a client that hung up mid-body) go to the log
		// at debug level, as JSON, not to stderr as text.
		ErrorLog: slog.NewLogLogger(p.opts.Logger.Handler(), slog.LevelDebug),
		// Streams (server-sent events, responses without a length) are flushed
		// as they come by ReverseProxy itself; others in as few writes as possible.
		FlushInterval: 0,
		// Nothing is written yet: the proxy may try another replica (see
		// Proxy.forward), so the error is only noted.
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if rec := recorderOf(w); rec != nil {
				rec.backendErr = err
				return
			}
			w.WriteHeader(errorStatus(r, err))
		},
	}
	go t.check()
	return t
}

// copyBuffers lends ReverseProxy its copy buffers.
var copyBuffers = &bufferPool{sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}

type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() []byte  { return *b.p.Get().(*[]byte) }
func (b *bufferPool) Put(x []byte) { b.p.Put(&x) }

// errorStatus is what the client gets when the backend did not answer.
func errorStatus(r *http.Request, err error) int {
	switch {
	case r.Context().Err() != nil:
		return 499 // the client went away
	case isTimeout(err):
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}

func isTimeout(err error) bool {
	te, ok := err.(interface{ Timeout() bool })
	return ok && te.Timeout()
}

// check probes the target until it is closed.
func (t *target) check() {
	ticker := time.NewTicker(t.health.Interval)
	defer ticker.Stop()
	ok, fail := 0, 0
	for {
		if t.probe() {
			ok, fail = ok+1, 0
			if ok >= t.health.Healthy && !t.healthy.Load() {
				t.healthy.Store(true)
				t.notify()
			}
			if t.down.Load() {
				t.down.Store(false) // probed back in
			}
		} else {
			ok, fail = 0, fail+1
			if fail >= t.health.Unhealthy && t.healthy.Load() {
				t.healthy.Store(false)
				t.notify()
			}
		}
		select {
		case <-t.stop:
			return
		case <-ticker.C:
		}
	}
}

func (t *target) probe() bool {
	ctx, cancel := context.WithTimeout(context.Background(), t.health.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url.JoinPath(t.health.Path).String(), nil)
	if err != nil {
		return false
	}
	req.Header.Set("User-Agent", "shipshape-proxy-health")
	resp, err := t.probes.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode >= 200 && resp.StatusCode < 400
}

// up: the target gets requests.
func (t *target) up() bool { return t.healthy.Load() && !t.down.Load() }

// notify wakes everyone waiting for a change.
func (t *target) notify() {
	t.mu.Lock()
	close(t.changed)
	t.changed = make(chan struct{})
	t.mu.Unlock()
}

func (t *target) wait() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.changed
}

// idle is called when the last request in flight finishes.
func (t *target) idle() { t.notify() }

func (t *target) waitHealthy(ctx context.Context) error {
	for !t.healthy.Load() {
		ch := t.wait()
		if t.healthy.Load() {
			break
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// waitIdle returns once no request is in flight, or after max.
func (t *target) waitIdle(max time.Duration) {
	deadline := time.NewTimer(max)
	defer deadline.Stop()
	for t.inflight.Load() > 0 {
		ch := t.wait()
		if t.inflight.Load() == 0 {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			return
		}
	}
}

// close stops the health checks and closes the target's idle connections;
// those of requests still in flight close when they are done.
func (t *target) close() {
	t.stopOnce.Do(func() {
		close(t.stop)
		t.pool.close()
	})
}

// statusRecorder remembers the status and size of a response; Unwrap lets
// http.ResponseController reach Flush and Hijack (streams, WebSockets).
//
// Each write, and each flush of a stream, must complete within
// writeTimeout: a client that stops reading is dropped (a slow-read attack
// holds no connection), while a long download or event stream that keeps
// moving runs as long as it moves.
type statusRecorder struct {
	http.ResponseWriter
	status       int
	bytes        int64
	wrote        bool
	backendErr   error // the backend did not answer (set instead of writing)
	writeTimeout time.Duration
	deadline     time.Time
}

// extend moves the write deadline on when a quarter of the timeout has
// passed since it was set (a deadline change is not free).
func (r *statusRecorder) extend() {
	if r.writeTimeout <= 0 {
		return
	}
	if now := time.Now(); r.deadline.Sub(now) < r.writeTimeout*3/4 {
		r.deadline = now.Add(r.writeTimeout)
		if d, ok := r.ResponseWriter.(interface{ SetWriteDeadline(time.Time) error }); ok {
			_ = d.SetWriteDeadline(r.deadline) // the server's own writer: no ResponseController to allocate
		} else {
			_ = http.NewResponseController(r.ResponseWriter).SetWriteDeadline(r.deadline)
		}
	}
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
		r.extend()
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	r.extend()
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *statusRecorder) Flush() {
	r.extend()
	_ = http.NewResponseController(r.ResponseWriter).Flush()
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// recorderOf finds the statusRecorder beneath w (the gzip writer wraps it).
func recorderOf(w http.ResponseWriter) *statusRecorder {
	for {
		switch x := w.(type) {
		case *statusRecorder:
			return x
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return nil
		}
	}
}
