package release

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestHold(t *testing.T) {
	ctx := context.Background()
	n := 0
	count := func(context.Context) error { n++; return nil }
	if err := Hold(ctx, 0, time.Second, count); err != nil || n != 1 {
		t.Errorf("no window: %v after %d checks, want nil after 1", err, n)
	}
	n = 0
	start := time.Now()
	if err := Hold(ctx, 50*time.Millisecond, 10*time.Millisecond, count); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("a 50ms window ended after %v", took)
	}
	if n < 3 {
		t.Errorf("%d checks in a 50ms window checked every 10ms", n)
	}
	bad := errors.New("GET /healthz: 500")
	n = 0
	err := Hold(ctx, time.Hour, time.Millisecond, func(context.Context) error {
		if n++; n == 3 {
			return bad
		}
		return nil
	})
	if err != bad || n != 3 {
		t.Errorf("the third check failed: got %v after %d checks", err, n)
	}
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(20*time.Millisecond, cancel)
	if err := Hold(cctx, time.Hour, 5*time.Millisecond, func(context.Context) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted: %v, want context.Canceled", err)
	}
}
