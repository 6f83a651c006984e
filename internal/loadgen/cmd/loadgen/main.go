// Command loadgen sends steady HTTP traffic and prints requests/s, p50, p99
// and failures as one JSON line (scripts/bench-proxy.sh).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/shipshape/shipshape/internal/loadgen"
)

func main() {
	var o loadgen.Options
	flag.StringVar(&o.URL, "url", "", "URL to GET")
	flag.IntVar(&o.Concurrency, "c", 50, "concurrent keep-alive clients")
	flag.DurationVar(&o.Duration, "d", 10*time.Second, "how long")
	flag.IntVar(&o.MaxRequests, "n", 0, "at most this many requests (0: no limit)")
	flag.Parse()
	if o.URL == "" {
		fmt.Fprintln(os.Stderr, "loadgen: -url is required")
		os.Exit(2)
	}
	r, err := loadgen.Run(context.Background(), o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(map[string]any{
		"requests": r.Requests, "failures": r.Failures, "rps": r.RPS(),
		"p50_ms": float64(r.Percentile(0.5).Microseconds()) / 1000, "p99_ms": float64(r.Percentile(0.99).Microseconds()) / 1000,
		"by_status": r.ByStatus,
	})
}
