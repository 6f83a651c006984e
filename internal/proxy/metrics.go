package proxy

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// metrics are the proxy's Prometheus counters, written in the text
// exposition format by WriteMetrics. Counting is lock-free: every request
// updates them, on every core.
type metrics struct {
	services sync.Map // name → *serviceMetrics
}

type serviceMetrics struct {
	byClass  [6]atomic.Uint64 // 0xx..5xx
	inflight atomic.Int64
	buckets  [len(latencyBounds)]atomic.Uint64
	count    atomic.Uint64
	sumNanos atomic.Uint64
}

var latencyBounds = [...]float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

func newMetrics() *metrics { return &metrics{} }

func (m *metrics) of(service string) *serviceMetrics {
	if v, ok := m.services.Load(service); ok {
		return v.(*serviceMetrics)
	}
	v, _ := m.services.LoadOrStore(service, &serviceMetrics{})
	return v.(*serviceMetrics)
}

func (s *serviceMetrics) observe(status int, d time.Duration) {
	class := status / 100
	if class < 0 || class > 5 {
		class = 0
	}
	s.byClass[class].Add(1)
	secs := d.Seconds()
	for i, bound := range latencyBounds {
		if secs <= bound {
			s.buckets[i].Add(1)
			break // cumulated when written
		}
	}
	s.count.Add(1)
	s.sumNanos.Add(uint64(d))
}

// WriteMetrics writes the proxy's metrics in Prometheus text format.
func (p *Proxy) WriteMetrics(w io.Writer) {
	var names []string
	p.metrics.services.Range(func(k, _ any) bool { names = append(names, k.(string)); return true })
	sort.Strings(names)
	fmt.Fprintln(w, "# HELP shipshape_proxy_requests_total Requests by service and status class.")
	fmt.Fprintln(w, "# TYPE shipshape_proxy_requests_total counter")
	for _, n := range names {
		s := p.metrics.of(n)
		for c := range s.byClass {
			if v := s.byClass[c].Load(); v > 0 {
				fmt.Fprintf(w, "shipshape_proxy_requests_total{service=%q,code=\"%dxx\"} %d\n", n, c, v)
			}
		}
	}
	fmt.Fprintln(w, "# HELP shipshape_proxy_requests_in_flight Requests being served.")
	fmt.Fprintln(w, "# TYPE shipshape_proxy_requests_in_flight gauge")
	for _, n := range names {
		fmt.Fprintf(w, "shipshape_proxy_requests_in_flight{service=%q} %d\n", n, p.metrics.of(n).inflight.Load())
	}
	fmt.Fprintln(w, "# HELP shipshape_proxy_request_duration_seconds Time to serve a request.")
	fmt.Fprintln(w, "# TYPE shipshape_proxy_request_duration_seconds histogram")
	for _, n := range names {
		s := p.metrics.of(n)
		var cum uint64
		for i, bound := range latencyBounds {
			cum += s.buckets[i].Load()
			fmt.Fprintf(w, "shipshape_proxy_request_duration_seconds_bucket{service=%q,le=\"%g\"} %d\n", n, bound, cum)
		}
		fmt.Fprintf(w, "shipshape_proxy_request_duration_seconds_bucket{service=%q,le=\"+Inf\"} %d\n", n, s.count.Load())
		fmt.Fprintf(w, "shipshape_proxy_request_duration_seconds_sum{service=%q} %g\n", n, float64(s.sumNanos.Load())/1e9)
		fmt.Fprintf(w, "shipshape_proxy_request_duration_seconds_count{service=%q} %d\n", n, s.count.Load())
	}
}
