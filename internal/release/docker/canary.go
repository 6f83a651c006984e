package docker

import (
	"context"
	"fmt"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
)

// CanaryError is a deploy whose canary the proxy aborted: the new release
// did worse than the one serving, which serves on; the new one is removed.
type CanaryError struct {
	Release string             // the new release's (first) container
	Result  proxy.CanaryResult // the verdict and both releases' figures
	Serving string             // what keeps serving
}

func (e *CanaryError) Error() string {
	r := e.Result
	return fmt.Sprintf("the canary of %s was aborted after %v: %s (canary: %s; stable: %s); removed it, %s",
		e.Release, time.Duration(r.Took).Round(100*time.Millisecond), r.Reason, figures(r.Canary), figures(r.Stable), e.Serving)
}

// figures says what a release counted: requests, errors, p99.
func figures(s proxy.Stats) string {
	return fmt.Sprintf("%d requests, %.2f%% failed, p99 %v", s.Requests, s.ErrorRate()*100, time.Duration(s.P99).Round(100*time.Microsecond))
}

// canary has the proxy try the new release (every replica) on o.Canary
// percent of the clients for o.CanaryFor beside the release that serves.
// The proxy compares the two from its own counters: past the thresholds
// it aborts, the new release is removed and the old one serves on; else
// it promotes the new release with the usual switch and drain. The
// verdict is the proxy's, so a deploy that dies mid-trial leaves no
// canary behind: the trial ends with the call (aborted), and the next
// deploy removes the container (see converge).
func (d *deployment) canary(ctx context.Context) error {
	o := &d.o
	t := time.Now()
	res, err := d.admin.Canary(ctx, o.Service, proxy.CanaryRequest{Targets: d.targets, Share: o.Canary, For: proxy.Duration(o.CanaryFor),
		Timeout: proxy.Duration(o.Timeout), Drain: proxy.Duration(o.Drain), Thresholds: o.CanaryThresholds})
	if err != nil {
		if ctx.Err() != nil {
			// The proxy aborts the trial as the call goes; let the canary's
			// requests in flight finish before its containers go.
			_ = waitSettled(context.WithoutCancel(ctx), d.admin, o.Service, o.Drain+5*time.Second)
			return err
		}
		return fmt.Errorf("the proxy refused a canary of %s: %v; removed it, %s", d.name, err, d.serving())
	}
	res.State = nil
	d.res.Canary = &res
	if !res.Promoted {
		d.step("canary", t, "aborted: %s", res.Reason)
		return &CanaryError{Release: d.name, Result: res, Serving: d.serving()}
	}
	d.switchedTo()
	d.step("canary", t, "%g%% of clients for %v (%s), then promoted: %s", o.Canary, o.CanaryFor, figures(res.Canary), res.Reason)
	return nil
}

// waitSettled returns once service has neither a canary nor a draining
// target, or after max.
func waitSettled(ctx context.Context, admin *proxy.Client, service string, max time.Duration) error {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		st, err := admin.State(ctx)
		if err != nil {
			return err
		}
		if s := serviceState(st, service); s.Canary == nil && len(s.Draining) == 0 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("still trying a canary or draining after %v", max)
}
