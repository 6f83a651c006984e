package proxy

import (
	"net/http"
	"sync"
	"time"
)

// pool is one target's backend connections. Its identity is the target's,
// not the backend's address: a release that gets the address of one gone
// before it starts with no connections, rather than with the dead ones the
// previous release left. It closes its idle connections when the target
// leaves its service.
type pool struct {
	t     *transport
	addr  string          // the target's host:port
	std   *http.Transport // requests off the direct path
	slots chan struct{}   // a token per open direct-path connection, up to maxConns

	mu     sync.Mutex
	idle   []*backendConn // most recently used last
	closed bool           // the target left: connections are not kept
}

var _ http.RoundTripper = (*pool)(nil)

// newPool returns an empty pool for a new target.
func (t *transport) newPool(addr string) *pool {
	p := &pool{t: t, addr: addr, std: t.std.Clone(), slots: make(chan struct{}, t.maxConns)}
	t.mu.Lock()
	t.pools[p] = struct{}{}
	t.mu.Unlock()
	return p
}

func (p *pool) RoundTrip(req *http.Request) (*http.Response, error) {
	if !direct(req) {
		return p.std.RoundTrip(req)
	}
	c, resp, st, err := p.send(req, nil, nil)
	if err != nil {
		return nil, err
	}
	resp.Body = &pooledBody{rc: resp.Body, c: c, p: p, state: st, reuse: !resp.Close && !req.Close,
		eof: resp.Body == http.NoBody || resp.ContentLength == 0}
	return resp, nil
}

// send writes req (or h, when not nil) on a pooled connection and reads
// the response headers (into rh, when it can: see exchange). Its body is
// read from c's reader; then release hands c back.
func (p *pool) send(req *http.Request, h *outbound, rh *respHead) (*backendConn, *http.Response, int64, error) {
	select {
	case p.slots <- struct{}{}:
	case <-req.Context().Done():
		return nil, nil, 0, req.Context().Err()
	}
	c, reused, err := p.conn(req)
	for err == nil {
		resp, st, err2 := p.t.exchange(c, req, h, p.addr, rh)
		if err = err2; err == nil {
			return c, resp, st, nil
		}
		c.close(p.t)
		// A pooled connection the backend closed after the check above
		// fails before any answer: a request without a body is safe to
		// send again (net/http does the same), on a new connection, since
		// the other idle ones are likely as dead as this one.
		if !reused || req.Context().Err() != nil || !stale(err) {
			break
		}
		reused = false
		c, err = p.t.dial(req.Context(), p.addr)
	}
	<-p.slots
	return nil, nil, 0, err
}

// release hands back c once its response body is read (st: c's state
// while it was): to the pool when reuse says it can carry another request
// and the sweeper has not cut it, else it is closed.
func (p *pool) release(c *backendConn, st int64, reuse bool) {
	c.client.Store(nil) // the client's connection is not kept alive by the pool
	if c.state.CompareAndSwap(st, 0) && reuse {
		p.put(c)
		return
	}
	c.close(p.t)
	<-p.slots
}

// conn returns the most recently used idle connection that is still
// usable, closing the dead ones on the way, or dials a new one.
func (p *pool) conn(req *http.Request) (*backendConn, bool, error) {
	for {
		p.mu.Lock()
		n := len(p.idle)
		if n == 0 {
			p.mu.Unlock()
			break
		}
		c := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		if c.usable(time.Now(), p.t.idleTimeout) {
			return c, true, nil
		}
		c.close(p.t)
	}
	c, err := p.t.dial(req.Context(), p.addr)
	return c, false, err
}

// put keeps c for the next request, or closes it when the pool is full or
// closed.
func (p *pool) put(c *backendConn) {
	c.idleFrom = time.Now()
	p.mu.Lock()
	if !p.closed && len(p.idle) < p.t.maxIdle {
		p.idle = append(p.idle, c)
		c = nil
	}
	p.mu.Unlock()
	if c != nil {
		c.close(p.t)
	}
	<-p.slots
}

// sweepIdle closes the idle connections that have been idle a while and
// are no longer usable. Those used within the last check are left to the
// check before reuse: under load the pool is not held for long.
func (p *pool) sweepIdle(now time.Time) {
	var dead []*backendConn
	p.mu.Lock()
	kept := p.idle[:0]
	for _, c := range p.idle {
		if now.Sub(c.idleFrom) < idleCheckEvery || c.usable(now, p.t.idleTimeout) {
			kept = append(kept, c)
		} else {
			dead = append(dead, c)
		}
	}
	clear(p.idle[len(kept):])
	p.idle = kept
	p.mu.Unlock()
	for _, c := range dead {
		c.close(p.t)
	}
}

// close closes the idle connections and keeps none from now on: those in
// use close when their request is done.
func (p *pool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, c := range idle {
		c.close(p.t)
	}
	p.std.CloseIdleConnections()
	p.t.mu.Lock()
	delete(p.t.pools, p)
	p.t.mu.Unlock()
}
