package proxy

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// gzipMinBytes: smaller responses grow or gain nothing when compressed.
const gzipMinBytes = 1024

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// acceptsGzip reports whether a response to r may be compressed: the
// client accepts gzip (q above 0), and it is neither a HEAD nor an
// upgrade (WebSocket), whose bytes are not a body.
func acceptsGzip(r *http.Request) bool {
	if r.Method == http.MethodHead || r.Header.Get("Upgrade") != "" {
		return false
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// compressible: text and the structured formats, not images, archives or
// event streams (each event must reach the client when it is written).
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case mt == "text/event-stream":
		return false
	case strings.HasPrefix(mt, "text/"):
		return true
	case mt == "application/json", mt == "application/javascript", mt == "application/xml",
		mt == "image/svg+xml", mt == "application/wasm", mt == "application/manifest+json",
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	return false
}

// gzipWriter compresses a response when, at its first write, the status,
// type and size say it is worth it and the backend did not encode it.
type gzipWriter struct {
	http.ResponseWriter
	gz      *gzip.Writer
	decided bool
}

func (g *gzipWriter) WriteHeader(code int) {
	if !g.decided && code >= 200 { // a 1xx (100 Continue, 103 Early Hints) comes before the response
		g.decided = true
		h := g.Header()
		n, _ := strconv.Atoi(h.Get("Content-Length"))
		if code != http.StatusNoContent && code != http.StatusNotModified && code != http.StatusPartialContent &&
			h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) &&
			(h.Get("Content-Length") == "" || n >= gzipMinBytes) {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			h.Del("Accept-Ranges")
			if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
				h.Set("ETag", "W/"+etag) // the bytes differ from the backend's
			}
			h.Add("Vary", "Accept-Encoding")
			g.gz = gzipWriters.Get().(*gzip.Writer)
			g.gz.Reset(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.decided {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.gz != nil {
		return g.gz.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

// Flush sends what is compressed so far: a streamed response still streams.
func (g *gzipWriter) Flush() {
	if g.gz != nil {
		_ = g.gz.Flush()
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// close ends the gzip stream and returns its writer to the pool.
func (g *gzipWriter) close() {
	if g.gz == nil {
		return
	}
	_ = g.gz.Close()
	g.gz.Reset(nil)
	gzipWriters.Put(g.gz)
	g.gz = nil
}
