package proxy

import (
	"bufio"
	"bytes"
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

// writeHead writes what ReverseProxy would send for o.r, without cloning
// it (req.Write would need a cloned request). A concrete type, not an
// interface beside req.Write, so that o does not escape to the heap. The server that parsed the request has refused header names and
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
	rh := respHead{method: r.Method}
	c, resp, st, err := t.pool.send(r, &o, &rh)
	if err != nil {
		rec.backendErr = err
		return
	}
	if rh.parsed {
		p.answer(w, r, t, c, st, &rh)
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
	if stream && dst.Get("Content-Type") != "" {
		// The headers now, though the first event may be a while; without
		// a type they wait for the first bytes, which net/http's server
		// reads the type from.
		flush(w)
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
		p.abort(r, t, err)
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

// answer copies a response whose head readHead parsed (a body of known
// length, or none) to w.
func (p *Proxy) answer(w http.ResponseWriter, r *http.Request, t *target, c *backendConn, st int64, rh *respHead) {
	dst := w.Header()
	var conn []string
	contentType := ""
	for _, f := range rh.fields[:rh.n] {
		switch f[0] {
		case "Connection":
			conn = []string{f[1]}
		case "Content-Type":
			contentType = f[1]
		}
	}
	values := make([]string, rh.n) // one allocation for every field's value
	for i, f := range rh.fields[:rh.n] {
		if hopByHop(f[0]) || (conn != nil && listed(conn, f[0])) {
			continue
		}
		// A field's value slice is its own (capacity 1): a later Add to
		// dst copies it rather than writing into the next field's.
		values[i] = f[1]
		v := values[i : i+1 : i+1]
		if prev, ok := dst[f[0]]; ok {
			dst[f[0]] = append(prev, v...)
		} else {
			dst[f[0]] = v
		}
	}
	w.WriteHeader(rh.status)
	stream := eventStream(contentType)
	if stream {
		flush(w) // its type is set: nothing to read from the first bytes
	}
	var err error
	if rh.length > 0 {
		err = copyBuffered(w, c.br, rh.length, stream)
	}
	t.pool.release(c, st, err == nil && !rh.close)
	if err != nil {
		p.abort(r, t, err)
	}
}

// abort ends a response whose body could not be copied whole: the server
// drops the client's connection, so the client sees it cut, as
// ReverseProxy does.
func (p *Proxy) abort(r *http.Request, t *target, err error) {
	var re readError
	if errors.As(err, &re) {
		p.opts.Logger.Debug("backend broke off a response", "target", t.url.String(), "path", r.URL.Path, "error", err.Error())
	}
	if r.Context().Value(http.ServerContextKey) != nil {
		panic(http.ErrAbortHandler)
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

// respHead is a response head read by readHead: the common case of a
// backend's answer (HTTP/1.x, a status of 200 and up, a Content-Length or
// no body, no Transfer-Encoding, every header on one line), parsed out of
// the connection's read buffer into one string with no header map of its
// own. Anything else is left to http.ReadResponse.
type respHead struct {
	method string // of the request: a HEAD answer has no body
	parsed bool
	status int
	length int64 // the body's; 0 when it has none
	close  bool  // the backend closes the connection after it
	n      int   // header fields in fields
	fields [maxFastFields][2]string
}

// maxFastFields bounds the header fields of a head readHead parses; one
// with more goes to http.ReadResponse.
const maxFastFields = 32

// readHead parses the head at the start of br's buffer, if it is all
// there and of the common shape, and consumes it; else it consumes
// nothing and leaves h.parsed false.
func (h *respHead) readHead(br *bufio.Reader) {
	buf, _ := br.Peek(br.Buffered())
	end := bytes.Index(buf, []byte("\r\n\r\n"))
	if end < 0 {
		return
	}
	block := string(buf[:end+2]) // every key and value below is a part of it
	line, rest, _ := strings.Cut(block, "\r\n")
	if !fieldValue(line) {
		return // a bare CR or LF: ReadResponse would end the line there
	}
	var http10 bool
	switch {
	case strings.HasPrefix(line, "HTTP/1.1 "):
	case strings.HasPrefix(line, "HTTP/1.0 "):
		http10 = true
	default:
		return
	}
	code := line[len("HTTP/1.1 "):]
	if len(code) > 3 && code[3] != ' ' || len(code) < 3 {
		return
	}
	status := 0
	for _, c := range []byte(code[:3]) {
		if c < '0' || c > '9' {
			return
		}
		status = status*10 + int(c-'0')
	}
	if status < 200 {
		return // 1xx: skipped by ReadResponse's loop
	}
	length, conn := int64(-1), ""
	n := 0
	for rest != "" {
		line, rest, _ = strings.Cut(rest, "\r\n")
		colon := strings.IndexByte(line, ':')
		if colon <= 0 || n == maxFastFields || !token(line[:colon]) {
			return // also a folded line, which starts with a space
		}
		k, v := line[:colon], strings.Trim(line[colon+1:], " \t")
		if !fieldValue(v) {
			return
		}
		k = http.CanonicalHeaderKey(k)
		switch k {
		case "Transfer-Encoding", "Trailer", "Pragma":
			return // ReadResponse's own handling: chunked bodies, trailers, Pragma: no-cache
		case "Content-Length":
			if length >= 0 {
				return
			}
			if length = contentLength(v); length < 0 {
				return
			}
		case "Connection":
			if conn != "" {
				return
			}
			conn = v
		}
		h.fields[n] = [2]string{k, v}
		n++
	}
	switch {
	case h.method == http.MethodHead || status == http.StatusNoContent || status == http.StatusNotModified:
		length = 0
	case length < 0:
		return // read until the backend closes: ReadResponse
	}
	hasClose := listed([]string{conn}, "close")
	h.close = hasClose || http10 && !listed([]string{conn}, "keep-alive")
	if hasClose && !http10 {
		// ReadResponse drops the Connection field then, so what it names
		// is passed on: the same here.
		for i := range n {
			if h.fields[i][0] == "Connection" {
				copy(h.fields[i:n], h.fields[i+1:n])
				n--
				break
			}
		}
	}
	h.parsed, h.status, h.length, h.n = true, status, length, n
	_, _ = br.Discard(end + 4)
}

// token reports whether s is an HTTP token (a header field's name).
func token(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// fieldValue reports whether s may be a header field's value: no control
// characters but tab.
func fieldValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// contentLength parses a Content-Length value, or returns -1.
func contentLength(s string) int64 {
	if s == "" || len(s) > 18 {
		return -1
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n
}
