// Package loadgen sends steady HTTP traffic and counts what failed: the
// proof that a deploy or a proxy switch drops nothing, and the proxy
// benchmark's client. Keep-alive clients, bounded by requests and time.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options describe a run.
type Options struct {
	URL         string
	Concurrency int           // clients, each with its own keep-alive connection
	Duration    time.Duration // stop after this long
	MaxRequests int           // or after this many (0: no limit)
	Timeout     time.Duration // per request (0: 10 s)
	Host        string        // Host header, when not the URL's
}

// Result is what a run measured.
type Result struct {
	Requests  int
	Failures  int            // transport errors and non-2xx answers
	ByStatus  map[string]int // "200", "502", "error: ..." → count
	Bodies    map[string]int // first word of each 2xx body → count (a release's name)
	Elapsed   time.Duration
	latencies []time.Duration
}

// RPS is requests per second.
func (r *Result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Percentile returns the latency below which q (0..1) of requests fell.
func (r *Result) Percentile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(q * float64(len(r.latencies)-1))
	return r.latencies[i]
}

func (r *Result) String() string {
	return fmt.Sprintf("%d requests in %.1fs (%.0f/s), %d failed, p50 %v, p99 %v", r.Requests, r.Elapsed.Seconds(), r.RPS(),
		r.Failures, r.Percentile(0.50).Round(time.Microsecond), r.Percentile(0.99).Round(time.Microsecond))
}

// Run sends traffic until ctx is done, Duration passes or MaxRequests are sent.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = 1
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Duration)
		defer cancel()
	}
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: o.Concurrency,
		MaxConnsPerHost:     o.Concurrency,
		IdleConnTimeout:     time.Minute,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: o.Timeout}
	var (
		mu   sync.Mutex
		res  = &Result{ByStatus: map[string]int{}, Bodies: map[string]int{}}
		sent int
		wg   sync.WaitGroup
	)
	take := func() bool {
		mu.Lock()
		defer mu.Unlock()
		if o.MaxRequests > 0 && sent >= o.MaxRequests {
			return false
		}
		sent++
		return true
	}
	start := time.Now()
	for i := 0; i < o.Concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			status := map[string]int{}
			bodies := map[string]int{}
			failures := 0
			for ctx.Err() == nil && take() {
				req, err := http.NewRequest(http.MethodGet, o.URL, nil)
				if err != nil {
					return
				}
				if o.Host != "" {
					req.Host = o.Host
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() != nil {
						break // the run ended mid-request: not the server's failure
					}
					failures++
					status["error: "+shortErr(err)]++
					continue
				}
				body, rerr := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t0))
				key := fmt.Sprint(resp.StatusCode)
				if rerr != nil {
					key = "error: " + shortErr(rerr)
				}
				status[key]++
				if rerr != nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
					failures++
					continue
				}
				if f := strings.Fields(string(body)); len(f) > 0 {
					bodies[f[0]]++
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.Failures += failures
			for k, v := range status {
				res.ByStatus[k] += v
				res.Requests += v
			}
			for k, v := range bodies {
				res.Bodies[k] += v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	sort.Slice(res.latencies, func(i, j int) bool { return res.latencies[i] < res.latencies[j] })
	return res, nil
}

func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}
