package proxy

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// metrics are the proxy's Prometheus counters, written in the text
// exposition format by WriteMetrics.
type metrics struct {
	mu        sync.Mutex
	requests  map[[2]string]uint64 // service, status class → count
	inflights map[string]int64
	buckets   map[string][]uint64 // service → cumulative counts per bound
	sums      map[string]float64
	counts    map[string]uint64
}

var latencyBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

func newMetrics() *metrics {
	return &metrics{requests: map[[2]string]uint64{}, inflights: map[string]int64{},
		buckets: map[string][]uint64{}, sums: map[string]float64{}, counts: map[string]uint64{}}
}

func (m *metrics) observe(service string, status int, d time.Duration) {
	class := fmt.Sprintf("%dxx", status/100)
	s := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{service, class}]++
	b := m.buckets[service]
	if b == nil {
		b = make([]uint64, len(latencyBounds))
		m.buckets[service] = b
	}
	for i, bound := range latencyBounds {
		if s <= bound {
			b[i]++
		}
	}
	m.sums[service] += s
	m.counts[service]++
}

func (m *metrics) inflight(service string, delta int64) {
	m.mu.Lock()
	m.inflights[service] += delta
	m.mu.Unlock()
}

// WriteMetrics writes the proxy's metrics in Prometheus text format.
func (p *Proxy) WriteMetrics(w io.Writer) {
	m := p.metrics
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP shipshape_proxy_requests_total Requests by service and status class.")
	fmt.Fprintln(w, "# TYPE shipshape_proxy_requests_total counter")
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		fmt.Fprintf(w, "shipshape_proxy_requests_total{service=%q,code=%q} %d\n", k[0], k[1], m.requests[k])
	}
	fmt.Fprintln(w, "# HELP shipshape_proxy_requests_in_flight Requests being served.")
	fmt.Fprintln(w, "# TYPE shipshape_proxy_requests_in_flight gauge")
	services := make([]string, 0, len(m.counts))
	for s := range m.inflights {
		fmt.Fprintf(w, "shipshape_proxy_requests_in_flight{service=%q} %d\n", s, m.inflights[s])
	}
	for s := range m.counts {
		services = append(services, s)
	}
	sort.Strings(services)
	fmt.Fprintln(w, "# HELP shipshape_proxy_request_duration_seconds Time to serve a request.")
	fmt.Fprintln(w, "# TYPE shipshape_proxy_request_duration_seconds histogram")
	for _, s := range services {
		for i, bound := range latencyBounds {
			fmt.Fprintf(w, "shipshape_proxy_request_duration_seconds_bucket{service=%q,le=\"%g\"} %d\n", s, bound, m.buckets[s][i])
		}
		fmt.Fprintf(w, "shipshape_proxy_request_duration_seconds_bucket{service=%q,le=\"+Inf\"} %d\n", s, m.counts[s])
		fmt.Fprintf(w, "shipshape_proxy_request_duration_seconds_sum{service=%q} %g\n", s, m.sums[s])
		fmt.Fprintf(w, "shipshape_proxy_request_duration_seconds_count{service=%q} %d\n", s, m.counts[s])
	}
}
