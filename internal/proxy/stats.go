package proxy

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// targetStats are one target's counters since it joined its service:
// what `shipshape status` shows and what a canary is judged on. Every
// request updates them from whichever core serves it, so they are atomics,
// never a lock.
type targetStats struct {
	requests   atomic.Uint64 // attempts sent to the target, failed ones included
	errors     atomic.Uint64 // answered 5xx by the backend
	connErrors atomic.Uint64 // failed at the connection: refused, reset, timed out
	latency    histogram
}

// observe counts a request the backend answered with status after d.
func (s *targetStats) observe(status int, d time.Duration) {
	s.requests.Add(1)
	if status >= 500 {
		s.errors.Add(1)
	}
	s.latency.observe(d)
}

// failed counts a request that got no answer from the backend.
func (s *targetStats) failed(d time.Duration) {
	s.requests.Add(1)
	s.connErrors.Add(1)
	s.latency.observe(d)
}

// snapshot reads the counters (each atomically, not all at one instant:
// under load they are a moment apart, which a rate does not notice).
func (s *targetStats) snapshot() Sample {
	var out Sample
	out.Requests = s.requests.Load()
	out.Errors = s.errors.Load()
	out.ConnErrors = s.connErrors.Load()
	for i := range s.latency.counts {
		out.latency[i] = s.latency.counts[i].Load()
	}
	return out
}

// histogram counts latencies in log-linear buckets of microseconds: exact
// below 16 µs, then eight buckets for each doubling, so a percentile read
// from it is within 12.5% of the true one, from 16 µs to beyond an hour,
// in 2 KiB and one atomic add per request.
type histogram struct {
	counts [histBuckets]atomic.Uint64
}

const (
	histSubBits = 3 // 8 buckets per doubling
	histExact   = 2 << histSubBits
	histBuckets = 256
)

func (h *histogram) observe(d time.Duration) {
	h.counts[bucketOf(d)].Add(1)
}

// bucketOf is d's bucket: the microseconds themselves below histExact,
// then the position of the leading bit and the histSubBits bits after it.
func bucketOf(d time.Duration) int {
	us := uint64(max(d, 0) / time.Microsecond)
	if us < histExact {
		return int(us)
	}
	e := bits.Len64(us) - histSubBits - 1 // shift that leaves 1xxx
	i := histExact + (e-1)<<histSubBits + int(us>>e)&(1<<histSubBits-1)
	return min(i, histBuckets-1)
}

// bucketTop is the largest latency bucket i counts.
func bucketTop(i int) time.Duration {
	if i < histExact {
		return time.Duration(i) * time.Microsecond
	}
	i -= histExact
	e := i>>histSubBits + 1
	m := uint64(i&(1<<histSubBits-1)) | 1<<histSubBits
	return time.Duration((m+1)<<e-1) * time.Microsecond
}

// Sample is what a target (or a release's targets together) counted over
// a stretch of time.
type Sample struct {
	Requests   uint64
	Errors     uint64 // 5xx answers
	ConnErrors uint64 // no answer: refused, reset, timed out
	latency    [histBuckets]uint64
}

// add sums two samples: a release's replicas as one.
func (s Sample) add(o Sample) Sample {
	s.Requests += o.Requests
	s.Errors += o.Errors
	s.ConnErrors += o.ConnErrors
	for i := range s.latency {
		s.latency[i] += o.latency[i]
	}
	return s
}

// since is what was counted after an earlier sample of the same counters.
func (s Sample) since(earlier Sample) Sample {
	s.Requests -= earlier.Requests
	s.Errors -= earlier.Errors
	s.ConnErrors -= earlier.ConnErrors
	for i := range s.latency {
		s.latency[i] -= earlier.latency[i]
	}
	return s
}

// ErrorRate is the share of requests answered 5xx or not at all.
func (s Sample) ErrorRate() float64 {
	if s.Requests == 0 {
		return 0
	}
	return float64(s.Errors+s.ConnErrors) / float64(s.Requests)
}

// Percentile is the latency below which q (0..1) of the requests fell,
// as the top of its bucket (0 with no requests).
func (s Sample) Percentile(q float64) time.Duration {
	var total uint64
	for _, c := range s.latency {
		total += c
	}
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total) + 0.5)
	rank = max(rank, 1)
	var seen uint64
	for i, c := range s.latency {
		seen += c
		if seen >= rank {
			return bucketTop(i)
		}
	}
	return bucketTop(histBuckets - 1)
}

// slowerThan counts the requests that certainly took longer than d: those
// in buckets that start above it.
func (s Sample) slowerThan(d time.Duration) uint64 {
	var n uint64
	for i := histBuckets - 1; i > 0 && bucketTop(i-1) >= d; i-- {
		n += s.latency[i]
	}
	return n
}

// Stats is a Sample as the admin API shows it.
type Stats struct {
	Requests   uint64   `json:"requests"`
	Errors     uint64   `json:"errors"`      // 5xx answers
	ConnErrors uint64   `json:"conn_errors"` // no answer: refused, reset, timed out
	P50        Duration `json:"p50"`
	P99        Duration `json:"p99"`
}

// Stats summarises s.
func (s Sample) Stats() Stats {
	return Stats{Requests: s.Requests, Errors: s.Errors, ConnErrors: s.ConnErrors,
		P50: Duration(s.Percentile(0.50)), P99: Duration(s.Percentile(0.99))}
}

// ErrorRate is the share of requests answered 5xx or not at all.
func (s Stats) ErrorRate() float64 {
	if s.Requests == 0 {
		return 0
	}
	return float64(s.Errors+s.ConnErrors) / float64(s.Requests)
}
