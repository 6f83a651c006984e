package proxy

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/loadgen"
)

// BenchmarkProxy measures requests through the proxy to a trivial backend
// with 50 keep-alive clients (b.N requests). Profile with -cpuprofile.
func BenchmarkProxy(b *testing.B) {
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
	srv := httptest.NewServer(p)
	defer srv.Close()
	b.ResetTimer()
	r, err := loadgen.Run(context.Background(), loadgen.Options{URL: srv.URL, Concurrency: 50, MaxRequests: b.N})
	if err != nil || r.Failures > 0 {
		b.Fatalf("%v %v", r, err)
	}
	b.ReportMetric(r.RPS(), "req/s")
}
