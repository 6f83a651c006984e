package release

import (
	"context"
	"time"
)

// Hold is the decision to keep a new release: check runs at once, then
// every interval, and once more when window has passed; the first failure
// is returned,
// and the caller switches back (one host) or undoes the rollout
// (Kubernetes). A window of 0 or less checks once. ctx ending stops the
// hold with ctx's error: the new release then stays, as it is what serves.
func Hold(ctx context.Context, window, every time.Duration, check func(context.Context) error) error {
	deadline := time.Now().Add(window)
	for {
		if err := check(ctx); err != nil {
			return err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(every, left)):
		}
	}
}
