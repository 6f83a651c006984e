package proxy

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
)

// The serve loop (serveloop.go) reads request heads itself, but only
// those of the common shape, which http.ReadRequest and net/http's server
// read alike: a request line "METHOD /path HTTP/1.x" with GET, HEAD,
// OPTIONS or DELETE, CRLF line ends, header names that are tokens and
// values without control characters, one valid Host (required for
// HTTP/1.1), no body (no Content-Length but 0, no Transfer-Encoding), and
// nothing that asks more of the server than an answer: no Expect,
// Upgrade, HTTP2-Settings, Trailer or Connection: upgrade. Anything else
// (malformed heads included) is left to net/http, which answers it as it
// always did. FuzzParseRequestHead holds the parser to http.ReadRequest.

// headVerdict is what parseRequestHead made of a buffer.
type headVerdict int

const (
	headIncomplete headVerdict = iota // no end of head yet: read more
	headOK                            // a head of the common shape, parsed
	headOther                         // not the common shape: net/http's
)

var headEnd = []byte("\r\n\r\n")

// parseRequestHead parses the head at the start of buf into req (whose
// Header is a map to fill, empty), returning the head's length.
func parseRequestHead(buf []byte, req *http.Request) (int, headVerdict) {
	end := bytes.Index(buf, headEnd)
	if end < 0 {
		if bareLF(buf) {
			return 0, headOther // net/http takes LF line ends: it answers
		}
		return 0, headIncomplete
	}
	block := string(buf[:end+2]) // every string of the request is a part of it
	line, rest, _ := strings.Cut(block, "\r\n")
	method, line, ok1 := strings.Cut(line, " ")
	uri, proto, ok2 := strings.Cut(line, " ")
	if !ok1 || !ok2 {
		return 0, headOther
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodDelete:
	default:
		return 0, headOther
	}
	minor := 1
	switch proto {
	case "HTTP/1.1":
	case "HTTP/1.0":
		minor = 0
	default:
		return 0, headOther
	}
	if uri == "" || uri[0] != '/' {
		return 0, headOther // also the absolute form, which names the host itself
	}
	for i := 0; i < len(uri); i++ {
		if uri[i] <= ' ' || uri[i] >= 0x7f {
			return 0, headOther
		}
	}
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return 0, headOther
	}
	h := req.Header
	// One slice for the values, cut into one per field as ReadRequest does.
	values := make([]string, strings.Count(rest, "\r\n"))
	host, hosts := "", 0
	for rest != "" {
		line, rest, _ = strings.Cut(rest, "\r\n")
		colon := strings.IndexByte(line, ':')
		if colon <= 0 || !token(line[:colon]) {
			return 0, headOther // also a folded line, which starts with a space
		}
		k, v := http.CanonicalHeaderKey(line[:colon]), strings.Trim(line[colon+1:], " \t")
		if !fieldValue(line[colon+1:]) {
			return 0, headOther
		}
		switch k {
		case "Host":
			if hosts++; hosts > 1 || !validHost(v) {
				return 0, headOther
			}
			host = v
		case "Content-Length":
			if v != "0" || h[k] != nil {
				return 0, headOther
			}
		case "Transfer-Encoding", "Expect", "Upgrade", "Http2-Settings", "Trailer":
			return 0, headOther
		case "Connection":
			if headerHasToken([]string{v}, "upgrade") {
				return 0, headOther
			}
		}
		if vv := h[k]; vv == nil {
			values[0] = v
			h[k] = values[:1:1]
			values = values[1:]
		} else {
			h[k] = append(vv, v)
		}
	}
	if minor == 1 && hosts == 0 {
		return 0, headOther // net/http answers 400
	}
	// As ReadRequest does: an HTTP/1.0 cache's Pragma stands for
	// Cache-Control.
	if p := h["Pragma"]; len(p) > 0 && p[0] == "no-cache" && h["Cache-Control"] == nil {
		h["Cache-Control"] = []string{"no-cache"}
	}
	conn := h["Connection"]
	delete(h, "Host") // net/http's server keeps it in req.Host only
	req.Method, req.URL, req.RequestURI = method, u, uri
	req.Proto, req.ProtoMajor, req.ProtoMinor = proto, 1, minor
	req.Host, req.Body, req.ContentLength = host, http.NoBody, 0
	req.Close = headerHasToken(conn, "close") || minor == 0 && !headerHasToken(conn, "keep-alive")
	return end + 4, headOK
}

// bareLF reports whether buf has a line ended by LF alone.
func bareLF(buf []byte) bool {
	for i := bytes.IndexByte(buf, '\n'); i >= 0; {
		if i == 0 || buf[i-1] != '\r' {
			return true
		}
		j := bytes.IndexByte(buf[i+1:], '\n')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// validHost is a stricter check than net/http's of a Host header's value:
// letters, digits and what names, IPv4 and IPv6 addresses and ports use.
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_') {
			return false
		}
	}
	return h != ""
}

// headerHasToken reports whether the comma-separated values vv name tok,
// as net/http reads Connection when it parses a request: elements trimmed
// of spaces and tabs, compared ignoring ASCII case.
func headerHasToken(vv []string, tok string) bool {
	for _, v := range vv {
		for v != "" {
			var elem string
			elem, v, _ = strings.Cut(v, ",")
			if asciiEqualFold(strings.Trim(elem, " \t"), tok) {
				return true
			}
		}
	}
	return false
}

// hasToken reports whether v has tok between token boundaries (space,
// comma, tab), as net/http's server reads Connection when it answers.
func hasToken(v, tok string) bool {
	for sp := 0; sp+len(tok) <= len(v); sp++ {
		if sp > 0 && !tokenBoundary(v[sp-1]) {
			continue
		}
		if e := sp + len(tok); e != len(v) && !tokenBoundary(v[e]) {
			continue
		}
		if asciiEqualFold(v[sp:sp+len(tok)], tok) {
			return true
		}
	}
	return false
}

func tokenBoundary(c byte) bool { return c == ' ' || c == ',' || c == '\t' }

// asciiEqualFold compares s and t ignoring ASCII case only (strings.EqualFold
// would also match Unicode folds such as ſ for s, which net/http does not).
func asciiEqualFold(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := s[i], t[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
