package proxy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// transport is the proxy's RoundTripper. Requests without a body (GET,
// HEAD, DELETE: nearly all of a web app's traffic) take a direct path: a
// pooled keep-alive HTTP/1.1 connection written and read on the request's
// own goroutine. net/http's Transport hands each request to two more
// goroutines per connection (its read and write loops), and on a proxy
// that handoff, not the bytes, is what costs most CPU. Everything else
// (bodies, upgrades such as WebSockets, TLS backends) goes through the
// standard Transport, unchanged.
type transport struct {
	std           *http.Transport
	dialer        *net.Dialer
	headerTimeout time.Duration
	idleTimeout   time.Duration
	maxIdle       int // per backend
	maxConns      int // per backend: more requests wait for one

	mu    sync.Mutex
	hosts map[string]*hostPool
	// conns are the open direct-path connections. One sweeper cuts those
	// whose request's client went away or whose backend took too long to
	// answer: a context.AfterFunc and two deadline changes per request
	// cost more than the rest of the transport.
	conns     map[*backendConn]struct{}
	sweeping  bool
	stopSweep chan struct{}
}

type hostPool struct {
	idle  []*backendConn // most recently used last
	slots chan struct{}  // a token per open connection, up to maxConns
}

type backendConn struct {
	net.Conn
	br       *bufio.Reader
	bw       *bufio.Writer
	idleFrom time.Time
	// state is 0 while idle; for a request sent at unix ns T, 2T while
	// its headers are awaited and 2T+1 while its body is read (unique per
	// request, so the sweeper's compare-and-swap cannot hit the next one);
	// -1 once the sweeper cut it.
	state atomic.Int64
	done  atomic.Value // the request's <-chan struct{}
}

func newTransport(std *http.Transport, headerTimeout time.Duration) *transport {
	return &transport{
		std:           std,
		dialer:        &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second},
		headerTimeout: headerTimeout,
		idleTimeout:   90 * time.Second,
		maxIdle:       256,
		maxConns:      256,
		hosts:         map[string]*hostPool{},
		conns:         map[*backendConn]struct{}{},
		stopSweep:     make(chan struct{}),
	}
}

// sweep cuts, every 250 ms (or a quarter of the header timeout), the
// connections whose client went away or whose headers are late.
func (t *transport) sweep() {
	every := 250 * time.Millisecond
	if t.headerTimeout > 0 {
		every = max(min(every, t.headerTimeout/4), 10*time.Millisecond)
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-t.stopSweep:
			return
		case now := <-tick.C:
			limit := now.Add(-t.headerTimeout).UnixNano()
			t.mu.Lock()
			for c := range t.conns {
				s := c.state.Load()
				if s <= 0 {
					continue
				}
				cut := t.headerTimeout > 0 && s&1 == 0 && s/2 < limit
				if done, _ := c.done.Load().(<-chan struct{}); !cut && done != nil {
					select {
					case <-done:
						cut = true
					default:
					}
				}
				if cut && c.state.CompareAndSwap(s, -1) {
					_ = c.SetDeadline(time.Unix(1, 0))
				}
			}
			t.mu.Unlock()
		}
	}
}

// track adds c to, or removes it from, the connections the sweeper sees.
func (t *transport) track(c *backendConn, on bool) {
	t.mu.Lock()
	if on {
		t.conns[c] = struct{}{}
		if !t.sweeping {
			t.sweeping = true
			go t.sweep()
		}
	} else {
		delete(t.conns, c)
	}
	t.mu.Unlock()
}

// direct reports whether req takes the direct path.
func direct(req *http.Request) bool {
	return req.URL.Scheme == "http" && (req.Body == nil || req.Body == http.NoBody) &&
		req.Header.Get("Upgrade") == "" && req.Header.Get("Expect") == ""
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !direct(req) {
		return t.std.RoundTrip(req)
	}
	hp := t.pool(req.URL.Host)
	select {
	case hp.slots <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	for attempt := 0; ; attempt++ {
		c, reused, err := t.conn(req.Context(), req.URL.Host, hp)
		if err != nil {
			<-hp.slots
			return nil, err
		}
		resp, err := t.exchange(c, req, hp)
		if err == nil {
			return resp, nil
		}
		c.close(t)
		// A pooled connection the backend closed while it was idle fails
		// before any answer: a request without a body is safe to send again
		// on a new connection (net/http does the same).
		if reused && attempt == 0 && req.Context().Err() == nil && stale(err) {
			continue
		}
		<-hp.slots
		return nil, err
	}
}

func stale(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

func (t *transport) pool(host string) *hostPool {
	t.mu.Lock()
	defer t.mu.Unlock()
	hp := t.hosts[host]
	if hp == nil {
		hp = &hostPool{slots: make(chan struct{}, t.maxConns)}
		t.hosts[host] = hp
	}
	return hp
}

// conn returns an idle connection to host, or dials one.
func (t *transport) conn(ctx context.Context, host string, hp *hostPool) (*backendConn, bool, error) {
	t.mu.Lock()
	for len(hp.idle) > 0 {
		c := hp.idle[len(hp.idle)-1]
		hp.idle = hp.idle[:len(hp.idle)-1]
		if time.Since(c.idleFrom) < t.idleTimeout {
			t.mu.Unlock()
			return c, true, nil
		}
		c.close(t)
	}
	t.mu.Unlock()
	nc, err := t.dialer.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, false, err
	}
	c := &backendConn{Conn: nc, br: bufio.NewReaderSize(nc, 4096), bw: bufio.NewWriterSize(nc, 4096)}
	t.track(c, true)
	return c, false, nil
}

// Close closes the connection and forgets it.
func (c *backendConn) close(t *transport) {
	t.track(c, false)
	_ = c.Conn.Close()
}

// put returns c to the pool, or closes it when the pool is full.
func (t *transport) put(c *backendConn, hp *hostPool) {
	c.idleFrom = time.Now()
	t.mu.Lock()
	if len(hp.idle) < t.maxIdle {
		hp.idle = append(hp.idle, c)
		c = nil
	}
	t.mu.Unlock()
	if c != nil {
		c.close(t)
	}
	<-hp.slots
}

var errHeaderTimeout = timeoutError{"timeout awaiting the backend's response headers"}

type timeoutError struct{ msg string }

func (e timeoutError) Error() string { return e.msg }
func (e timeoutError) Timeout() bool { return true }

// exchange writes req on c and reads the response headers. The response
// body hands c back to the pool once read to its end.
func (t *transport) exchange(c *backendConn, req *http.Request, hp *hostPool) (*http.Response, error) {
	// The sweeper cuts c when the client goes away or the headers are late.
	c.done.Store(req.Context().Done())
	st := 2 * time.Now().UnixNano()
	c.state.Store(st)
	err := req.Write(c.bw)
	if err == nil {
		err = c.bw.Flush()
	}
	var resp *http.Response
	for err == nil {
		resp, err = http.ReadResponse(c.br, req)
		// 1xx answers (103 Early Hints) precede the response: skip them.
		if err != nil || resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		_ = resp.Body.Close()
	}
	// Headers in time, unless the sweeper cut the connection first.
	if !c.state.CompareAndSwap(st, st+1) && err == nil {
		_ = resp.Body.Close()
		err = errHeaderTimeout
	}
	if err != nil {
		if req.Context().Err() != nil {
			return nil, req.Context().Err()
		}
		if c.state.Load() == -1 {
			return nil, errHeaderTimeout
		}
		return nil, fmt.Errorf("backend %s: %w", req.URL.Host, err)
	}
	resp.Body = &pooledBody{rc: resp.Body, c: c, t: t, hp: hp, state: st + 1, reuse: !resp.Close && !req.Close,
		eof: resp.Body == http.NoBody || resp.ContentLength == 0}
	return resp, nil
}

// pooledBody returns its connection to the pool once read to io.EOF and
// closed; a body closed early, or after an error, closes the connection.
type pooledBody struct {
	rc    io.ReadCloser
	c     *backendConn
	t     *transport
	hp    *hostPool
	state int64 // c's state while the body is read
	reuse bool
	eof   bool
	done  bool
}

func (b *pooledBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, errors.New("read on a closed body")
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.eof = true
	} else if err != nil {
		b.reuse = false
	}
	return n, err
}

func (b *pooledBody) Close() error {
	if b.done {
		return nil
	}
	b.done = true
	_ = b.rc.Close()
	// Only a connection the sweeper has not cut goes back to the pool.
	if b.c.state.CompareAndSwap(b.state, 0) && b.eof && b.reuse {
		b.t.put(b.c, b.hp)
		return nil
	}
	b.c.close(b.t)
	<-b.hp.slots
	return nil
}

// Close stops the sweeper and closes the idle connections.
func (t *transport) Close() {
	t.mu.Lock()
	if t.sweeping {
		close(t.stopSweep)
		t.sweeping = false
	}
	t.mu.Unlock()
	t.CloseIdleConnections()
}

// CloseIdleConnections closes the pooled connections of both paths.
func (t *transport) CloseIdleConnections() {
	t.mu.Lock()
	var idle []*backendConn
	for _, hp := range t.hosts {
		idle = append(idle, hp.idle...)
		hp.idle = nil
	}
	t.mu.Unlock()
	for _, c := range idle {
		c.close(t)
	}
	t.std.CloseIdleConnections()
}
