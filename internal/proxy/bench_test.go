package proxy

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/loadgen"
)

// BenchmarkProxy measures requests through the proxy to a trivial backend
// with 50 keep-alive clients (b.N requests), served by net/http's server.
// Profile with -cpuprofile.
func BenchmarkProxy(b *testing.B) {
	benchProxy(b, func(p *Proxy) (string, func()) {
		srv := httptest.NewServer(p)
		return srv.URL, srv.Close
	})
}

// BenchmarkProxy_ServeLoop is BenchmarkProxy served by the serve loop, as
// `shipshape proxy` serves plain HTTP.
func BenchmarkProxy_ServeLoop(b *testing.B) {
	benchProxy(b, func(p *Proxy) (string, func()) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		l := newServeLoop(&http.Server{Handler: p, ReadHeaderTimeout: defaultHeaderTimeout, IdleTimeout: idleTimeout})
		go l.serve(ln)
		return "http://" + ln.Addr().String(), func() { l.close(); l.srv.Close() }
	})
}

func benchProxy(b *testing.B, serve func(*Proxy) (url string, stop func())) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) }))
	defer backend.Close()
	p := New(Options{})
	defer p.Close()
	if err := p.SetService("app", Health{Path: "/", Interval: time.Second}, nil); err != nil {
		b.Fatal(err)
	}
	if err := p.restore("app", []string{backend.URL}); err != nil {
		b.Fatal(err)
	}
	url, stop := serve(p)
	defer stop()
	b.ResetTimer()
	r, err := loadgen.Run(context.Background(), loadgen.Options{URL: url, Concurrency: 50, MaxRequests: b.N})
	if err != nil || r.Failures > 0 {
		b.Fatalf("%v %v", r, err)
	}
	b.ReportMetric(r.RPS(), "req/s")
}
