package proxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
)

// The direct forwarder sends a request without a body (GET, HEAD, DELETE:
// nearly all of a web app's traffic) to a plain-HTTP target with nothing
// in between. httputil.ReverseProxy clones each request twice, with its
// headers and a context, rebuilds the headers in sorted order to write
// them, and copies every header of the response one value at a time; on
// a proxy that work, and the garbage it leaves, is much of the CPU a
// request costs. Here the backend request's head is written straight from
// the client's request, the response's header values are handed to the
// client's header map as they are, and a body of known length is written
// to the client out of the backend connection's read buffer, with no copy
// buffer.
//
// It does what ReverseProxy does for such a request: hop-by-hop headers
// (and those the Connection header names) are dropped both ways,
// X-Forwarded-For, -Host and -Proto are set (kept from a trusted peer),
// the client's Host is kept, 1xx answers are skipped, streams (server-sent
// events, bodies of unknown length) are flushed as they come, trailers are
// passed on, and a body that breaks off aborts the client's response.
// Everything else takes ReverseProxy: request bodies, upgrades
// (WebSockets), https targets, a target URL with a path, a request URI
// that is not a plain path, and a query that ReverseProxy would rewrite.

// directOK reports whether r can take the direct forwarder to t.
func (t *target) directOK(r *http.Request) bool {
	return t.plain && r.ContentLength == 0 && (r.Body == nil || r.Body == http.NoBody) &&
		len(r.RequestURI) > 0 && r.RequestURI[0] == '/' &&
		r.Header["Upgrade"] == nil && r.Header["Expect"] == nil && cleanQuery(r.URL.RawQuery)
}

// cleanQuery reports whether ReverseProxy would send q as it is: it
// rewrites a query with a semicolon, a broken escape or too many
// parameters (so that the backend cannot read it otherwise than the proxy).
func cleanQuery(q string) bool {
	if strings.Count(q, "&") >= 10000 {
		return false
	}
	for i := 0; i < len(q); i++ {
		switch q[i] {
		case ';':
			return false
		case '%':
			if i+2 >= len(q) || !ishex(q[i+1]) || !ishex(q[i+2]) {
				return false
			}
		}
	}
	return true
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// hopByHop: the headers of one connection, never forwarded.
func hopByHop(k string) bool {
	switch k {
	case "Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
		"Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}

// listed reports whether the Connection header values conn name k.
func listed(conn []string, k string) bool {
	for _, v := range conn {
		for v != "" {
			var tok string
			tok, v, _ = strings.Cut(v, ",")
			if strings.EqualFold(strings.TrimSpace(tok), k) {
				return true
			}
		}
	}
	return false
}

// outbound is the head of the request the direct forwarder sends.
type outbound struct {
	r       *http.Request
	addr    string // the target's host:port: the Host when the client sent none
	trusted bool   // the peer's X-Forwarded-* are kept
}

var _ head = (*outbound)(nil)

// writeHead writes what ReverseProxy would send for o.r, without cloning
// it. The server that parsed the request has refused header names and
// values that cannot be written back as they are.
func (o *outbound) writeHead(bw *bufio.Writer) error {
	r := o.r
	bw.WriteString(r.Method)
	bw.WriteByte(' ')
	bw.WriteString(r.RequestURI)
	host := r.Host
	if host == "" {
		host = o.addr
	}
	field(bw, " HTTP/1.1\r\nHost", host)
	conn := r.Header["Connection"]
	for k, vv := range r.Header {
		switch {
		case hopByHop(k), conn != nil && listed(conn, k):
			continue
		}
		switch k {
		case "Content-Length", "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto":
			continue
		}
		for _, v := range vv {
			field(bw, k, v)
		}
	}
	if te := r.Header["Te"]; te != nil && listed(te, "trailers") {
		field(bw, "Te", "trailers") // the client reads trailers, so may the backend send them
	}
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		field(bw, "Content-Length", "0") // as net/http writes it: servers expect one on these
	}
	if ip, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		bw.WriteString("X-Forwarded-For: ")
		if o.trusted {
			for _, v := range r.Header["X-Forwarded-For"] {
				bw.WriteString(v)
				bw.WriteString(", ")
			}
		}
		bw.WriteString(ip)
		bw.WriteString("\r\n")
	}
	fwdHost, proto := r.Host, "http"
	if r.TLS != nil {
		proto = "https"
	}
	if o.trusted {
		if v := r.Header.Get("X-Forwarded-Host"); v != "" {
			fwdHost = v
		}
		if v := r.Header.Get("X-Forwarded-Proto"); v != "" {
			proto = v
		}
	}
	field(bw, "X-Forwarded-Host", fwdHost)
	field(bw, "X-Forwarded-Proto", proto)
	_, err := bw.WriteString("\r\n")
	return err
}

// field writes one header line (bufio.Writer keeps the first error for
// Flush to report).
func field(bw *bufio.Writer, k, v string) {
	bw.WriteString(k)
	bw.WriteString(": ")
	bw.WriteString(v)
	bw.WriteString("\r\n")
}

// forwardDirect sends r to t and copies the answer to w. An error before
// anything was written is left in rec.backendErr for forward to count and
// perhaps retry elsewhere; one while the body is copied aborts the
// client's response, as ReverseProxy does.
func (p *Proxy) forwardDirect(w http.ResponseWriter, rec *statusRecorder, r *http.Request, t *target) {
	o := outbound{r: r, addr: t.url.Host, trusted: p.trusted(r.RemoteAddr)}
	c, resp, st, err := t.pool.send(r, &o)
	if err != nil {
		rec.backendErr = err
		return
	}
	dst := w.Header()
	conn := resp.Header["Connection"]
	for k, vv := range resp.Header {
		if hopByHop(k) || (conn != nil && listed(conn, k)) {
			continue
		}
		// The response's header map is not used again: its values can be
		// the client's as they are. A value set before (the canary's
		// cookie) is kept.
		if prev, ok := dst[k]; ok {
			dst[k] = append(prev, vv...)
		} else {
			dst[k] = vv
		}
	}
	announced := len(resp.Trailer)
	if announced > 0 {
		keys := make([]string, 0, announced)
		for k := range resp.Trailer {
			keys = append(keys, k)
		}
		dst.Add("Trailer", strings.Join(keys, ", "))
	}
	stream := resp.ContentLength < 0 || eventStream(resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	if stream {
		flush(w) // the headers now, though the first event may be a while
	}
	switch {
	case resp.Body == http.NoBody: // HEAD, 204, 304, an empty body
	case resp.ContentLength > 0 && len(resp.TransferEncoding) == 0:
		err = copyBuffered(w, c.br, resp.ContentLength, stream)
	default:
		err = copyStream(w, resp.Body)
		if err == nil {
			err = resp.Body.Close() // reads the trailers
		}
	}
	t.pool.release(c, st, err == nil && !resp.Close)
	if err != nil {
		var re readError
		if errors.As(err, &re) {
			p.opts.Logger.Debug("backend broke off a response", "target", t.url.String(), "path", r.URL.Path, "error", err.Error())
		}
		if r.Context().Value(http.ServerContextKey) != nil {
			panic(http.ErrAbortHandler) // the server drops the connection: the client sees a cut response
		}
		return
	}
	if len(resp.Trailer) == 0 {
		return
	}
	flush(w) // chunked, so that the trailers can follow
	for k, vv := range resp.Trailer {
		if len(resp.Trailer) != announced {
			k = http.TrailerPrefix + k
		}
		for _, v := range vv {
			dst.Add(k, v)
		}
	}
}

func eventStream(contentType string) bool {
	const es = "text/event-stream"
	return len(contentType) >= len(es) && strings.EqualFold(contentType[:len(es)], es) &&
		(len(contentType) == len(es) || contentType[len(es)] == ';' || contentType[len(es)] == ' ')
}

func flush(w http.ResponseWriter) { _ = http.NewResponseController(w).Flush() }

// readError is the backend failing while its body is read (a write error
// is the client's).
type readError struct{ error }

func (e readError) Unwrap() error { return e.error }

// copyBuffered writes the next n bytes of br to w from br's own buffer,
// flushing after each write when stream is set.
func copyBuffered(w http.ResponseWriter, br *bufio.Reader, n int64, stream bool) error {
	for n > 0 {
		if br.Buffered() == 0 {
			if _, err := br.Peek(1); err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return readError{err}
			}
		}
		b, _ := br.Peek(int(min(int64(br.Buffered()), n)))
		m, err := w.Write(b)
		_, _ = br.Discard(m)
		n -= int64(m)
		if err == nil && m < len(b) {
			err = io.ErrShortWrite
		}
		if err != nil {
			return err
		}
		if stream {
			flush(w)
		}
	}
	return nil
}

// copyStream copies a body of unknown length (chunked, or to the end of
// the connection), flushing each piece as it comes.
func copyStream(w http.ResponseWriter, body io.Reader) error {
	buf := copyBuffers.Get()
	defer copyBuffers.Put(buf)
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			m, err := w.Write(buf[:n])
			if err == nil && m < n {
				err = io.ErrShortWrite
			}
			if err != nil {
				return err
			}
			flush(w)
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return readError{rerr}
		}
	}
}
