package proxy

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The serve loop is the proxy's plain-HTTP listener without net/http's
// server in the way of the common request (issue 14, speed): per
// connection one goroutine reads request heads itself out of its
// bufio.Reader (requesthead.go), hands each to the proxy's handler with a
// response writer that writes to the connection as net/http would
// (loopresponse.go), and reads the next. net/http's server costs, for
// each request, a goroutine watching the connection, a request context,
// three or four deadline changes and a copy of the response's header map;
// here there is one context per connection, and a deadline is moved only
// when a second has passed since it was set, or when a head arrives in
// pieces (the header timeout then runs from its first bytes, slowloris).
//
// A connection whose request is of any other shape (a body, an upgrade,
// h2c, Expect, a malformed or oversized head, a line ended by LF alone) is
// handed to net/http's server for good: it gets the connection through a
// listener of its own, with the bytes read so far replayed first, and
// answers that request and the rest as it always did. TLS and HTTP/2 stay
// on net/http, and so does the plain listener beside HTTPS (--http-listen).
//
// Shutdown does what http.Server.Shutdown does: it stops accepting,
// closes connections idle between requests, and waits (up to its context)
// for those with a request in flight to finish it; a response written
// while it waits says Connection: close.
//
// A client that hangs up while its request waits for the backend is
// noticed by the transport's sweeper, which looks (a non-blocking peek) at
// the clients of requests that have waited a tick, and ends the
// connection's context, as net/http's watching goroutine ends the
// request's: the backend's connection is cut and the client logged with
// 499. One difference is left: a request held while its service is paused
// waits for the resume or the pause timeout even if its client left.
type serveLoop struct {
	srv           *http.Server // for the rest; its handler and limits serve both
	headerTimeout time.Duration
	idleTimeout   time.Duration
	handedOver    *connQueue
	handedOff     atomic.Int64    // connections given to net/http, for tests
	ctx           context.Context // with net/http's server context value

	mu       sync.Mutex
	ln       net.Listener
	conns    map[*loopConn]struct{}
	shutting atomic.Bool
}

// newServeLoop returns a serve loop that hands what it does not serve to
// srv (which it starts serving with Serve).
func newServeLoop(srv *http.Server) *serveLoop {
	l := &serveLoop{srv: srv, headerTimeout: srv.ReadHeaderTimeout, idleTimeout: srv.IdleTimeout,
		conns: map[*loopConn]struct{}{}}
	if l.headerTimeout <= 0 {
		l.headerTimeout = defaultHeaderTimeout
	}
	if l.idleTimeout <= 0 {
		l.idleTimeout = idleTimeout
	}
	// ReverseProxy (targets off the direct path) aborts a response whose
	// body breaks off only when it runs in a server: this value says so.
	l.ctx = context.WithValue(context.Background(), http.ServerContextKey, srv)
	return l
}

// serve accepts connections on ln until shutdown or close, and returns
// http.ErrServerClosed then, as http.Server.Serve does.
func (l *serveLoop) serve(ln net.Listener) error {
	l.mu.Lock()
	if l.shutting.Load() {
		l.mu.Unlock()
		return http.ErrServerClosed
	}
	l.ln = ln
	l.handedOver = &connQueue{addr: ln.Addr(), conns: make(chan net.Conn), closed: make(chan struct{})}
	l.mu.Unlock()
	go func() {
		if err := l.srv.Serve(l.handedOver); !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			l.logf("http: serving the connections handed over: %v", err)
		}
	}()
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if l.shutting.Load() {
				return http.ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Out of descriptors and the like: as net/http, wait and retry.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			l.logf("http: Accept error: %v; retrying in %v", err, delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		c := l.newConn(nc)
		if !l.track(c, true) {
			nc.Close()
			return http.ErrServerClosed
		}
		go c.serve()
	}
}

// track adds c to the connections shutdown waits for, or removes it; it
// reports false when adding during shutdown.
func (l *serveLoop) track(c *loopConn, add bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !add {
		delete(l.conns, c)
		return true
	}
	if l.shutting.Load() {
		return false
	}
	l.conns[c] = struct{}{}
	return true
}

// shutdown stops accepting, closes idle connections and waits until the
// others have finished their request, or ctx ends (its error then).
func (l *serveLoop) shutdown(ctx context.Context) error {
	l.stop()
	wait := time.Millisecond
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		if l.closeIdle() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			wait = min(2*wait, 500*time.Millisecond)
			timer.Reset(wait)
		}
	}
}

// close closes the listener and every connection at once.
func (l *serveLoop) close() {
	l.stop()
	l.mu.Lock()
	for c := range l.conns {
		c.nc.Close()
	}
	l.mu.Unlock()
}

func (l *serveLoop) stop() {
	l.mu.Lock()
	l.shutting.Store(true)
	if l.ln != nil {
		l.ln.Close()
	}
	l.mu.Unlock()
}

// newConnGrace is how long a new connection may take to send its first
// request before shutdown counts it idle (net/http's 5 s).
const newConnGrace = 5 * time.Second

// closeIdle closes the connections waiting for a request and reports
// whether none is left.
func (l *serveLoop) closeIdle() bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.conns {
		st := c.state.Load()
		if st == connNew && now.Sub(c.accepted) < newConnGrace || st == connActive {
			continue
		}
		if c.state.CompareAndSwap(st, connClosed) {
			c.nc.Close()
			delete(l.conns, c)
		}
	}
	return len(l.conns) == 0
}

func (l *serveLoop) logf(format string, args ...any) {
	if l.srv.ErrorLog != nil {
		l.srv.ErrorLog.Printf(format, args...)
	}
}

// A connection's state, for shutdown.
const (
	connNew    int32 = iota // accepted, its first request not begun
	connIdle                // between requests
	connActive              // a request being read or served
	connClosed              // closed by shutdown
)

type loopConn struct {
	l        *serveLoop
	nc       net.Conn
	io       *rawIO // nc's reads and writes (rawio_linux.go says why)
	br       *bufio.Reader
	bw       *bufio.Writer // over connWriter: its errors are noted in werr
	werr     error
	ctx      context.Context
	cancel   context.CancelFunc
	template http.Request // every request's fields that are the connection's
	req      http.Request // the request being served: one per connection, reused
	header   http.Header  // its header map, cleared and reused
	resp     loopResponse
	state    atomic.Int32
	accepted time.Time
	deadline time.Time // the read deadline set last
	wdl      time.Time // the write deadline set last
	peek     peeker    // whether the client left (the transport's sweeper looks)
}

// loopConnKey is the context value of a serve-loop request: its
// connection.
type loopConnKey struct{}

func (l *serveLoop) newConn(nc net.Conn) *loopConn {
	c := &loopConn{l: l, nc: nc, io: newRawIO(nc), accepted: time.Now()}
	c.br = bufio.NewReaderSize(c.io, 4096)
	c.bw = bufio.NewWriterSize(connWriter{c}, 4096)
	c.ctx, c.cancel = context.WithCancel(context.WithValue(l.ctx, http.LocalAddrContextKey, nc.LocalAddr()))
	c.ctx = context.WithValue(c.ctx, loopConnKey{}, c)
	c.peek.init(nc)
	c.template = *(&http.Request{RemoteAddr: nc.RemoteAddr().String()}).WithContext(c.ctx)
	c.resp = loopResponse{c: c, w: bufio.NewWriterSize(nil, bufferBeforeChunking)}
	return c
}

// connWriter writes to the client, noting the first error and cancelling
// the connection's context then (as net/http cancels its request's).
type connWriter struct{ c *loopConn }

func (w connWriter) Write(p []byte) (int, error) {
	n, err := w.c.io.Write(p)
	if err != nil && w.c.werr == nil {
		w.c.werr = err
		w.c.cancel()
	}
	return n, err
}

// serve reads and answers requests until the connection ends or is handed
// over.
func (c *loopConn) serve() {
	handed := false
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				buf := make([]byte, 64<<10)
				buf = buf[:runtime.Stack(buf, false)]
				c.l.logf("http: panic serving %v: %v\n%s", c.template.RemoteAddr, v, buf)
			}
			_ = c.bw.Flush() // what was written reaches the client, as with net/http
		}
		if !handed {
			c.close()
		}
	}()
	for {
		req, verdict := c.next()
		switch verdict {
		case headOther:
			handed = c.handOver()
			return
		case headIncomplete:
			return // closed, timed out, or shut down
		}
		w := &c.resp
		w.reset(req)
		c.l.srv.Handler.ServeHTTP(w, req)
		w.finish()
		if !w.reusable() || c.l.shutting.Load() {
			return
		}
		if !c.state.CompareAndSwap(connActive, connIdle) {
			return
		}
	}
}

// next waits for the next request head and parses it: headOK with the
// request, headOther when net/http must read it, headIncomplete when the
// connection ends first.
func (c *loopConn) next() (*http.Request, headVerdict) {
	if c.br.Buffered() == 0 {
		wait := c.l.idleTimeout
		if c.state.Load() == connNew {
			wait = c.l.headerTimeout // net/http gives the first request no idle time
		}
		c.extendRead(wait)
		if _, err := c.br.Peek(1); err != nil {
			return nil, headIncomplete
		}
	}
	if st := c.state.Load(); st == connClosed || !c.state.CompareAndSwap(st, connActive) {
		return nil, headIncomplete
	}
	// The request, its header map and the map's storage are the
	// connection's, reused from one request to the next: a handler does
	// not keep a request once it returned (net/http makes them anew).
	req := &c.req
	*req = c.template
	if c.header == nil {
		c.header = make(http.Header, 8)
	}
	clear(c.header)
	req.Header = c.header
	slow := false
	for {
		buf, _ := c.br.Peek(c.br.Buffered())
		n, v := parseRequestHead(buf, req)
		switch v {
		case headOK:
			_, _ = c.br.Discard(n)
			return req, headOK
		case headOther:
			return nil, headOther
		}
		if len(buf) == c.br.Size() {
			return nil, headOther // longer than the buffer: net/http reads up to its limit
		}
		if !slow {
			// The head comes in pieces: the rest within the header timeout.
			slow = true
			if d := time.Now().Add(c.l.headerTimeout); d.Before(c.deadline) {
				c.setRead(d)
			}
		}
		if _, err := c.br.Peek(len(buf) + 1); err != nil {
			if isTimeout(err) {
				return nil, headIncomplete // net/http closes it without a word too
			}
			return nil, headOther // the end of a partial head: net/http answers it
		}
	}
}

// extendRead sets the read deadline to wait from now, unless the one set
// is at most deadlineSlack earlier (a deadline change is not free, and
// under load each connection asks for one many times a second).
func (c *loopConn) extendRead(wait time.Duration) {
	d := time.Now().Add(wait)
	if c.deadline.Before(d.Add(-deadlineSlack)) || c.deadline.After(d) {
		c.setRead(d)
	}
}

const deadlineSlack = time.Second

func (c *loopConn) setRead(d time.Time) {
	c.deadline = d
	_ = c.nc.SetReadDeadline(d)
}

// handOver gives the connection to net/http's server, the bytes read so
// far first; it reports false when that server no longer takes any (it
// shuts down), and the connection is closed.
func (c *loopConn) handOver() bool {
	c.l.track(c, false)
	c.cancel()
	buffered, _ := c.br.Peek(c.br.Buffered())
	rc := &replayConn{Conn: c.nc, buf: append([]byte(nil), buffered...)}
	// net/http sets its own read deadline for the request; none is left
	// from here that could cut it earlier.
	_ = c.nc.SetReadDeadline(time.Time{})
	c.l.handedOff.Add(1)
	select {
	case c.l.handedOver.conns <- rc:
		return true
	case <-c.l.handedOver.closed:
		c.nc.Close()
		return true
	}
}

func (c *loopConn) close() {
	c.l.track(c, false)
	c.cancel()
	_ = c.nc.Close()
}

// connQueue is the listener net/http's server accepts handed-over
// connections on.
type connQueue struct {
	addr   net.Addr
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

var _ net.Listener = (*connQueue)(nil)

func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.conns:
		return c, nil
	case <-q.closed:
		return nil, net.ErrClosed
	}
}

func (q *connQueue) Close() error {
	q.once.Do(func() { close(q.closed) })
	return nil
}

func (q *connQueue) Addr() net.Addr { return q.addr }

// replayConn reads buf before the connection: what the serve loop read
// of a request it handed over.
type replayConn struct {
	net.Conn
	buf []byte
}

func (c *replayConn) Read(p []byte) (int, error) {
	if len(c.buf) > 0 {
		n := copy(p, c.buf)
		c.buf = c.buf[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// CloseWrite lets net/http half-close as it does on a TCP connection
// (after refusing a request body too large).
func (c *replayConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
