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

// transport holds what the targets' connection pools share: the dialer,
// the limits and the sweeper. Each target has its own pool (pool.go), so a
// connection is never handed to a target other than the one it was opened
// for, even when a later target has the same address (Docker gives a freed
// address to the next container).
//
// Requests without a body (GET, HEAD, DELETE: nearly all of a web app's
// traffic) take a direct path: a pooled keep-alive HTTP/1.1 connection
// written and read on the request's own goroutine. net/http's Transport
// hands each request to two more goroutines per connection (its read and
// write loops), and on a proxy that handoff, not the bytes, is what costs
// most CPU. Everything else (bodies, upgrades such as WebSockets, TLS
// backends) goes through the standard Transport, one per pool.
type transport struct {
	std           *http.Transport // each pool clones it
	dialer        *net.Dialer
	headerTimeout time.Duration
	idleTimeout   time.Duration
	maxIdle       int // per target
	maxConns      int // per target: more requests wait for one

	mu sync.Mutex
	// conns are the open direct-path connections. One sweeper cuts those
	// whose request's client went away or whose backend took too long to
	// answer: a context.AfterFunc and two deadline changes per request
	// cost more than the rest of the transport.
	conns map[*backendConn]struct{}
	// pools are the open pools: once a second the sweeper closes their
	// idle connections that the backend closed or that idled too long.
	pools     map[*pool]struct{}
	sweeping  bool
	stopSweep chan struct{}
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
	// client is the serve loop's connection of the request, whose leaving
	// the sweeper notices (net/http's server notices it itself and ends
	// the request's context); nil for a request net/http serves.
	client atomic.Pointer[loopConn]
	peek   peeker // whether the backend closed it while it was idle
}

func newTransport(std *http.Transport, headerTimeout time.Duration) *transport {
	return &transport{
		std:           std,
		dialer:        &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second},
		headerTimeout: headerTimeout,
		idleTimeout:   90 * time.Second,
		maxIdle:       256,
		maxConns:      256,
		conns:         map[*backendConn]struct{}{},
		pools:         map[*pool]struct{}{},
		stopSweep:     make(chan struct{}),
	}
}

// idleCheckEvery is how often the sweeper looks at idle connections.
const idleCheckEvery = time.Second

// sweep cuts, every 250 ms (or a quarter of the header timeout), the
// connections whose client went away or whose headers are late; and once
// a second closes the idle connections their backend closed.
func (t *transport) sweep() {
	every := 250 * time.Millisecond
	if t.headerTimeout > 0 {
		every = max(min(every, t.headerTimeout/4), 10*time.Millisecond)
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	var idleChecked time.Time
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
				// A serve-loop client gone while its request waits: its
				// context ends, as net/http's server ends it, and the
				// request with it (looked at once it has waited a tick).
				if lc := c.client.Load(); !cut && lc != nil && s/2 < now.Add(-every).UnixNano() && lc.peek.gone() {
					lc.cancel()
					cut = true
				}
				if cut && c.state.CompareAndSwap(s, -1) {
					_ = c.SetDeadline(time.Unix(1, 0))
				}
			}
			var pools []*pool
			if now.Sub(idleChecked) >= idleCheckEvery {
				idleChecked = now
				pools = make([]*pool, 0, len(t.pools))
				for p := range t.pools {
					pools = append(pools, p)
				}
			}
			t.mu.Unlock()
			for _, p := range pools {
				p.sweepIdle(now)
			}
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

func stale(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// dial opens a direct-path connection to addr.
func (t *transport) dial(ctx context.Context, addr string) (*backendConn, error) {
	nc, err := t.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	rw := newRawIO(nc) // rawio_linux.go says why
	c := &backendConn{Conn: nc, br: bufio.NewReaderSize(rw, 4096), bw: bufio.NewWriterSize(rw, 4096)}
	c.peek.init(nc)
	t.track(c, true)
	return c, nil
}

// close closes the connection and forgets it.
func (c *backendConn) close(t *transport) {
	t.track(c, false)
	_ = c.Conn.Close()
}

// peekAfter is how long a connection idles before it is looked at when
// taken from the pool. Under load connections come back and go out again
// within it, and skip the look (a system call); one the backend closed in
// that moment fails before any answer and its request is sent again on a
// new connection.
const peekAfter = 100 * time.Millisecond

// usable reports whether an idle connection can carry a request: it has
// not idled past the timeout, nothing unread is buffered, and, once it has
// idled a while, its backend has not closed or reset it (a non-blocking
// peek, where net/http keeps a goroutine reading every connection).
func (c *backendConn) usable(now time.Time, idleTimeout time.Duration) bool {
	idle := now.Sub(c.idleFrom)
	return idle < idleTimeout && c.br.Buffered() == 0 && (idle < peekAfter || c.peek.open())
}

var errHeaderTimeout = timeoutError{"timeout awaiting the backend's response headers"}

type timeoutError struct{ msg string }

func (e timeoutError) Error() string { return e.msg }
func (e timeoutError) Timeout() bool { return true }

// exchange writes req (or h, when not nil) on c and reads the response
// headers; st is c's state while the body is read. The response's body is
// read from c.br: whoever reads it hands c back with pool.release.
//
// With rh, a head of the common shape is parsed into rh (rh.parsed; resp
// is nil then) instead of by http.ReadResponse.
func (t *transport) exchange(c *backendConn, req *http.Request, h *outbound, addr string, rh *respHead) (resp *http.Response, st int64, err error) {
	// The sweeper cuts c when the client goes away or the headers are late.
	c.done.Store(req.Context().Done())
	lc, _ := req.Context().Value(loopConnKey{}).(*loopConn)
	c.client.Store(lc)
	st = 2 * time.Now().UnixNano()
	c.state.Store(st)
	if h != nil {
		err = h.writeHead(c.bw)
	} else {
		err = req.Write(c.bw)
	}
	if err == nil {
		err = c.bw.Flush()
	}
	for err == nil {
		if rh != nil {
			if _, err = c.br.Peek(1); err != nil { // the answer's first bytes
				if err == io.EOF {
					err = io.ErrUnexpectedEOF // as ReadResponse says it
				}
				break
			}
			if rh.readHead(c.br); rh.parsed {
				break
			}
		}
		resp, err = http.ReadResponse(c.br, req)
		// 1xx answers (103 Early Hints) precede the response: skip them.
		if err != nil || resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		_ = resp.Body.Close()
	}
	// Headers in time, unless the sweeper cut the connection first.
	if !c.state.CompareAndSwap(st, st+1) && err == nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		err = errHeaderTimeout
	}
	if err != nil {
		if req.Context().Err() != nil {
			return nil, 0, req.Context().Err()
		}
		if c.state.Load() == -1 {
			return nil, 0, errHeaderTimeout
		}
		return nil, 0, fmt.Errorf("backend %s: %w", addr, err)
	}
	return resp, st + 1, nil
}

// pooledBody returns its connection to the pool once read to io.EOF and
// closed; a body closed early, or after an error, closes the connection.
type pooledBody struct {
	rc    io.ReadCloser
	c     *backendConn
	p     *pool
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
	b.p.release(b.c, b.state, b.eof && b.reuse)
	return nil
}

// Close stops the sweeper and closes the pools still open.
func (t *transport) Close() {
	t.mu.Lock()
	if t.sweeping {
		close(t.stopSweep)
		t.sweeping = false
	}
	pools := make([]*pool, 0, len(t.pools))
	for p := range t.pools {
		pools = append(pools, p)
	}
	t.mu.Unlock()
	for _, p := range pools {
		p.close()
	}
}
