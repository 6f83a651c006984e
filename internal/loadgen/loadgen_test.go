package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCountsFailuresAndBodies(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%10 == 0 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Write([]byte("v1 ok"))
	}))
	defer srv.Close()
	r, err := Run(context.Background(), Options{URL: srv.URL, Concurrency: 4, MaxRequests: 200, Duration: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 200 || r.Failures != 20 || r.ByStatus["502"] != 20 || r.Bodies["v1"] != 180 {
		t.Fatalf("%+v", r)
	}
	if r.Percentile(0.99) < r.Percentile(0.5) || r.RPS() <= 0 {
		t.Fatalf("percentiles %v %v, rps %v", r.Percentile(0.5), r.Percentile(0.99), r.RPS())
	}
	// A server that is gone: every request fails, none hangs.
	srv.Close()
	r, _ = Run(context.Background(), Options{URL: srv.URL, Concurrency: 2, MaxRequests: 10, Timeout: time.Second})
	if r.Failures != 10 {
		t.Fatalf("against a closed server: %+v", r)
	}
}
