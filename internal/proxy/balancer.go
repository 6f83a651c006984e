package proxy

import (
	"fmt"
	"sync/atomic"
	"time"
)

// Balance is how a service's requests are spread over the replicas of a
// release.
type Balance string

const (
	// LeastRequests sends each request to the replica with the fewest in
	// flight: a replica slowed down (a long request, a pause) gets less.
	LeastRequests Balance = "least-requests"
	// RoundRobin sends requests to each replica in turn.
	RoundRobin Balance = "round-robin"
)

// MaxReplicas bounds the targets of one release.
const MaxReplicas = 64

func (b Balance) validate() error {
	switch b {
	case "", LeastRequests, RoundRobin:
		return nil
	}
	return fmt.Errorf("balance %q: %s or %s", b, LeastRequests, RoundRobin)
}

// balancer is a release's replicas as one: it picks the target for each
// request among those up (healthy, and not taken out after a failed
// request), and among all of them when none is: a probe can be wrong, and
// a request tried fails no worse than one refused.
type balancer struct {
	targets []*target
	picker  picker
	next    atomic.Uint32 // where the next look starts: ties go round
}

// picker chooses among targets, looking from start on.
type picker interface {
	pick(targets []*target, start uint32, skip uint64) *target
}

var (
	_ picker = leastRequests{}
	_ picker = roundRobin{}
)

func newBalancer(targets []*target, b Balance) *balancer {
	var p picker = leastRequests{}
	if b == RoundRobin {
		p = roundRobin{}
	}
	return &balancer{targets: targets, picker: p}
}

// pick returns the target for a request.
func (b *balancer) pick() *target {
	if len(b.targets) == 1 {
		return b.targets[0]
	}
	start := b.next.Add(1)
	if t := b.picker.pick(b.targets, start, 0); t != nil {
		return t
	}
	return b.targets[start%uint32(len(b.targets))]
}

// retry returns a target, up, that a request has not tried yet (tried
// has bit i set for targets[i]), or nil.
func (b *balancer) retry(tried uint64) *target {
	if len(b.targets) == 1 {
		return nil
	}
	return b.picker.pick(b.targets, b.next.Add(1), tried)
}

// index is t's position in b, for the tried bits.
func (b *balancer) index(t *target) int {
	for i, x := range b.targets {
		if x == t {
			return i
		}
	}
	return -1
}

type leastRequests struct{}

func (leastRequests) pick(ts []*target, start uint32, skip uint64) *target {
	var best *target
	var least int64
	n := uint32(len(ts))
	for i := range n {
		j := (start + i) % n
		t := ts[j]
		if skip&(1<<j) != 0 || !t.up() {
			continue
		}
		if in := t.inflight.Load(); best == nil || in < least {
			best, least = t, in
		}
	}
	return best
}

type roundRobin struct{}

func (roundRobin) pick(ts []*target, start uint32, skip uint64) *target {
	n := uint32(len(ts))
	for i := range n {
		j := (start + i) % n
		if skip&(1<<j) == 0 && ts[j].up() {
			return ts[j]
		}
	}
	return nil
}

// sample sums the counters of b's targets.
func (b *balancer) sample() Sample {
	var s Sample
	for _, t := range b.targets {
		s = s.add(t.stats.snapshot())
	}
	return s
}

// close stops b's targets' checks and closes their idle connections.
func (b *balancer) close() {
	for _, t := range b.targets {
		t.close()
	}
}

// waitIdle returns once no target of b has a request in flight, or after
// max.
func (b *balancer) waitIdle(max time.Duration) {
	deadline := time.Now().Add(max)
	for _, t := range b.targets {
		t.waitIdle(time.Until(deadline))
	}
}

// urls are b's targets' addresses.
func (b *balancer) urls() []string {
	out := make([]string, len(b.targets))
	for i, t := range b.targets {
		out[i] = t.url.String()
	}
	return out
}
