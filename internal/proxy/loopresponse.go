package proxy

import (
	"bufio"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// loopResponse is the http.ResponseWriter of a request the serve loop
// reads itself. It writes what net/http's server would write for the same
// handler calls, byte for byte: the status line, the handler's header
// fields sorted, then Date, Content-Length, Content-Type, Connection and
// Transfer-Encoding when net/http adds them; the body buffered 2 KiB
// (so that a short answer gets a Content-Length), then in chunks or as
// it is; the same keep-alive decision. It is net/http's response and
// chunkWriter (server.go) less what a request without a body never needs
// (100-continue, hijacking, a body left unread), with two savings: the
// header map is not cloned when the status is written, and one response
// is reused for every request of the connection.
//
// net/http sends the header fields as they were when the status was
// written, and clones the map then. Here the map is cloned only when a
// handler asks for it again after writing the status and before the head
// is out (ReverseProxy does, to add trailers it did not announce): the
// direct forwarder keeps the map it got before and changes it after the
// head only (trailers, read at the end as net/http reads them).
type loopResponse struct {
	c      *loopConn
	req    *http.Request
	header http.Header
	sent   http.Header   // the fields as the status was written, when header may have changed since
	w      *bufio.Writer // the body, buffered bufferBeforeChunking ahead of the head

	wroteHeader      bool // the status is set
	wroteHead        bool // the head is in c.bw
	chunking         bool
	handlerDone      bool
	closeAfterReply  bool
	wants10KeepAlive bool
	wantsClose       bool
	status           int
	contentLength    int64 // -1: not declared
	written          int64
	trailers         []string // declared in a Trailer header
	exclude          []string // header fields not written
	scratch          [64]byte // the Date and Content-Length values
	// rec is the proxy's status recorder of the request (Proxy.ServeHTTP),
	// kept here so that it is not allocated for each request.
	rec statusRecorder
}

// bufferBeforeChunking is net/http's: a body up to this size, written
// before the handler returns, gets a Content-Length.
const bufferBeforeChunking = 2048

var (
	_ http.ResponseWriter = (*loopResponse)(nil)
	_ http.Flusher        = (*loopResponse)(nil)
)

// reset readies w for req.
func (w *loopResponse) reset(req *http.Request) {
	h, bw, trailers, exclude := w.header, w.w, w.trailers[:0], w.exclude[:0]
	if h == nil {
		h = http.Header{}
	}
	clear(h)
	*w = loopResponse{c: w.c, req: req, header: h, w: bw, trailers: trailers, exclude: exclude, contentLength: -1}
	w.w.Reset((*chunkedWrite)(w))
	conn := req.Header.Get("Connection")
	w.wants10KeepAlive = req.ProtoMinor == 0 && hasToken(conn, "keep-alive")
	w.wantsClose = req.Close || hasToken(conn, "close")
}

func (w *loopResponse) Header() http.Header {
	if w.wroteHeader && !w.wroteHead && w.sent == nil {
		w.sent = w.header.Clone()
	}
	return w.header
}

func (w *loopResponse) WriteHeader(code int) {
	if w.wroteHeader {
		return // net/http logs a superfluous call and ignores it too
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		// Informational: written at once, the header map kept.
		bw := w.c.bw
		writeStatusLine(bw, w.req.ProtoMinor == 1, code)
		writeFields(bw, w.header, []string{"Content-Length", "Transfer-Encoding"})
		bw.WriteString("\r\n")
		_ = bw.Flush()
		return
	}
	w.wroteHeader, w.status = true, code
	if cl := first(w.header, "Content-Length"); cl != "" {
		if v, err := strconv.ParseInt(cl, 10, 64); err == nil && v >= 0 {
			w.contentLength = v
		} else {
			w.header.Del("Content-Length")
		}
	}
}

func (w *loopResponse) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	w.written += int64(len(p))
	if w.contentLength != -1 && w.written > w.contentLength {
		return 0, http.ErrContentLength
	}
	return w.w.Write(p)
}

func (w *loopResponse) Flush() { _ = w.FlushError() }

// FlushError is what http.ResponseController's Flush calls.
func (w *loopResponse) FlushError() error {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	err := w.w.Flush()
	if !w.wroteHead {
		w.writeHead(nil)
	}
	if e2 := w.c.bw.Flush(); err == nil {
		err = e2
	}
	return err
}

// SetWriteDeadline is what http.ResponseController's and the status
// recorder's write deadlines call. A deadline at most deadlineSlack
// earlier than t is kept: under load every request asks for one, a moment
// later than the last.
func (w *loopResponse) SetWriteDeadline(t time.Time) error {
	c := w.c
	if !t.IsZero() && !c.wdl.IsZero() && !c.wdl.After(t) && t.Sub(c.wdl) <= deadlineSlack {
		return nil
	}
	c.wdl = t
	return c.nc.SetWriteDeadline(t)
}

// finish ends the response once the handler returned, as net/http's
// finishRequest does.
func (w *loopResponse) finish() {
	w.handlerDone = true
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	_ = w.w.Flush()
	if !w.wroteHead {
		w.writeHead(nil)
	}
	if w.chunking {
		bw := w.c.bw
		bw.WriteString("0\r\n")
		if t := w.finalTrailers(); t != nil {
			writeFields(bw, t, nil)
		}
		bw.WriteString("\r\n")
	}
	_ = w.c.bw.Flush()
}

// reusable reports whether the connection can carry another request.
func (w *loopResponse) reusable() bool {
	switch {
	case w.closeAfterReply, w.c.werr != nil:
		return false
	case w.req.Method != http.MethodHead && w.contentLength != -1 && bodyAllowed(w.status) && w.contentLength != w.written:
		return false // it wrote less than it declared: out of step
	}
	return true
}

// chunkedWrite is the writer beneath the body's buffer: it writes the
// head before the first bytes of the body, then the body, chunked or not.
type chunkedWrite loopResponse

func (cw *chunkedWrite) Write(p []byte) (int, error) {
	w := (*loopResponse)(cw)
	if !w.wroteHead {
		w.writeHead(p)
	}
	if w.req.Method == http.MethodHead {
		return len(p), nil
	}
	bw := w.c.bw
	if w.chunking {
		bw.Write(strconv.AppendInt(w.scratch[:0], int64(len(p)), 16))
		bw.WriteString("\r\n")
	}
	n, err := bw.Write(p)
	if w.chunking && err == nil {
		_, err = bw.WriteString("\r\n")
	}
	if err != nil {
		_ = w.c.nc.Close()
	}
	return n, err
}

// writeHead writes the status line and header fields, deciding the
// framing of the body (p: its first bytes, all of it if the handler is
// done) as net/http's chunkWriter.writeHeader does.
func (w *loopResponse) writeHead(p []byte) {
	w.wroteHead = true
	header := w.header
	if w.sent != nil {
		header = w.sent
	}
	keepAlives := !w.c.l.shutting.Load()
	isHEAD := w.req.Method == http.MethodHead

	trailers := false
	for k := range header {
		if strings.HasPrefix(k, http.TrailerPrefix) {
			w.exclude = append(w.exclude, k)
			trailers = true
		}
	}
	for _, v := range header["Trailer"] {
		trailers = true
		foreachElement(v, w.declareTrailer)
	}

	te := first(header, "Transfer-Encoding")
	hasTE := te != ""
	var date, clen []byte
	var contentType, connection, transferEncoding string

	if w.handlerDone && !trailers && !hasTE && bodyAllowed(w.status) && !has(header, "Content-Length") && (!isHEAD || len(p) > 0) {
		w.contentLength = int64(len(p))
		clen = strconv.AppendInt(w.scratch[32:32], int64(len(p)), 10)
	}
	if w.wants10KeepAlive && keepAlives {
		if first(header, "Content-Length") != "" && first(header, "Connection") == "keep-alive" {
			w.closeAfterReply = false
		}
	}
	hasCL := w.contentLength != -1
	if w.wants10KeepAlive && (isHEAD || hasCL || !bodyAllowed(w.status)) {
		if _, set := header["Connection"]; !set {
			connection = "keep-alive"
		}
	} else if w.req.ProtoMinor == 0 || w.wantsClose {
		w.closeAfterReply = true
	}
	if first(header, "Connection") == "close" || !keepAlives {
		w.closeAfterReply = true
	}

	code := w.status
	if bodyAllowed(code) {
		_, haveType := header["Content-Type"]
		if header.Get("Content-Encoding") == "" && !haveType && !hasTE && len(p) > 0 {
			contentType = http.DetectContentType(p)
		}
	} else {
		w.exclude = append(w.exclude, "Content-Length", "Transfer-Encoding")
		if code == http.StatusNotModified {
			w.exclude = append(w.exclude, "Content-Type")
		}
	}
	if !has(header, "Date") { // a Date set to nil asks for none
		date = time.Now().UTC().AppendFormat(w.scratch[:0], http.TimeFormat)
	}
	if hasCL && hasTE && te != "identity" {
		w.exclude = append(w.exclude, "Content-Length")
		hasCL = false
	}
	switch {
	case isHEAD || !bodyAllowed(code):
		w.exclude = append(w.exclude, "Transfer-Encoding")
	case hasCL:
		w.exclude = append(w.exclude, "Transfer-Encoding")
	case w.req.ProtoMinor == 1:
		if hasTE && te == "identity" {
			w.closeAfterReply = true
			w.exclude = append(w.exclude, "Transfer-Encoding")
		} else {
			w.chunking = true
			transferEncoding = "chunked"
			if hasTE && te == "chunked" {
				w.exclude = append(w.exclude, "Transfer-Encoding")
			}
		}
	default:
		w.closeAfterReply = true // HTTP/1.0 and no length: the end of the connection ends it
		w.exclude = append(w.exclude, "Transfer-Encoding")
	}
	if w.chunking {
		w.exclude = append(w.exclude, "Content-Length")
	}
	if w.closeAfterReply && (!keepAlives || !hasToken(first(header, "Connection"), "close")) &&
		!(code == http.StatusSwitchingProtocols && header.Get("Upgrade") != "" && headerHasToken(header["Connection"], "Upgrade")) {
		w.exclude = append(w.exclude, "Connection")
		if w.req.ProtoMinor == 1 {
			connection = "close"
		}
	}

	bw := w.c.bw
	writeStatusLine(bw, w.req.ProtoMinor == 1, code)
	writeFields(bw, header, w.exclude)
	if date != nil {
		bw.WriteString("Date: ")
		bw.Write(date)
		bw.WriteString("\r\n")
	}
	if clen != nil {
		bw.WriteString("Content-Length: ")
		bw.Write(clen)
		bw.WriteString("\r\n")
	}
	for _, f := range [...][2]string{{"Content-Type", contentType}, {"Connection", connection}, {"Transfer-Encoding", transferEncoding}} {
		if f[1] != "" {
			field(bw, f[0], f[1])
		}
	}
	bw.WriteString("\r\n")
}

// declareTrailer notes a field the Trailer header announces, unless the
// field may not be a trailer.
func (w *loopResponse) declareTrailer(k string) {
	k = http.CanonicalHeaderKey(k)
	if strings.HasPrefix(k, "If-") || badTrailer(k) {
		return
	}
	w.trailers = append(w.trailers, k)
}

// finalTrailers are the trailers the handler set: those it announced and
// those under http.TrailerPrefix.
func (w *loopResponse) finalTrailers() http.Header {
	var t http.Header
	for k, vv := range w.header {
		if kk, ok := strings.CutPrefix(k, http.TrailerPrefix); ok {
			if t == nil {
				t = http.Header{}
			}
			t[kk] = vv
		}
	}
	for _, k := range w.trailers {
		if t == nil {
			t = http.Header{}
		}
		for _, v := range w.header[k] {
			t.Add(k, v)
		}
	}
	return t
}

// badTrailer: fields RFC 7230 section 4.1.2 keeps out of trailers.
func badTrailer(k string) bool {
	switch k {
	case "Authorization", "Cache-Control", "Connection", "Content-Encoding", "Content-Length", "Content-Range",
		"Content-Type", "Expect", "Host", "Keep-Alive", "Max-Forwards", "Pragma", "Proxy-Authenticate",
		"Proxy-Authorization", "Proxy-Connection", "Range", "Realm", "Te", "Trailer", "Transfer-Encoding", "Www-Authenticate":
		return true
	}
	return false
}

// foreachElement calls fn with each non-empty element of a comma-separated
// value.
func foreachElement(v string, fn func(string)) {
	for f := range strings.SplitSeq(v, ",") {
		if f = strings.Trim(f, " \t\r\n"); f != "" {
			fn(f)
		}
	}
}

func bodyAllowed(status int) bool {
	return !(status >= 100 && status <= 199 || status == http.StatusNoContent || status == http.StatusNotModified)
}

// writeStatusLine writes what net/http writes: the reason phrase, or
// "status code N" for a status without one (the proxy's 499).
func writeStatusLine(bw *bufio.Writer, is11 bool, code int) {
	if is11 {
		bw.WriteString("HTTP/1.1 ")
	} else {
		bw.WriteString("HTTP/1.0 ")
	}
	if text := http.StatusText(code); text != "" {
		var b [3]byte
		bw.Write(strconv.AppendInt(b[:0], int64(code), 10))
		bw.WriteByte(' ')
		bw.WriteString(text)
		bw.WriteString("\r\n")
		return
	}
	fmt.Fprintf(bw, "%03d status code %d\r\n", code, code)
}

// writeFields writes h's fields but those in exclude, sorted by name, as
// http.Header.WriteSubset does: a name that is not a token is left out, a
// value's line breaks become spaces and its ends are trimmed.
func writeFields(bw *bufio.Writer, h http.Header, exclude []string) {
	var small [24]string
	keys := small[:0]
	for k := range h {
		if !excluded(exclude, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !token(k) {
			continue
		}
		for _, v := range h[k] {
			if strings.ContainsAny(v, "\r\n") {
				v = strings.NewReplacer("\n", " ", "\r", " ").Replace(v)
			}
			field(bw, k, strings.Trim(v, " \t\r\n"))
		}
	}
}

func excluded(exclude []string, k string) bool {
	for _, e := range exclude {
		if e == k {
			return true
		}
	}
	return false
}

func has(h http.Header, k string) bool {
	_, ok := h[k]
	return ok
}

// first is a field's first value, its name taken as it is (net/http's
// Header.get).
func first(h http.Header, k string) string {
	if v := h[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}
