package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// WaitReady polls until the container is healthy (or, without a
// HEALTHCHECK, has kept running for a second), exits, or timeout passes,
// and returns its state then. On Podman it runs each health check that
// falls due and nobody ran (no systemd to run them: see podman.go).
func WaitReady(ctx context.Context, c *client.Client, id string, hasHealth bool, timeout time.Duration) (*container.State, error) {
	deadline := time.Now().Add(timeout)
	runningSince := time.Time{}
	podman := hasHealth && IsPodman(ctx, c)
	for {
		ins, err := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			return nil, err
		}
		if podman && healthDue(ins.Container, time.Now()) {
			if err := runHealthcheck(ctx, c, id); err != nil && ctx.Err() == nil {
				// A container that exited meanwhile is reported as exited.
				if again, ierr := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); ierr == nil && again.Container.State != nil && again.Container.State.Running {
					return nil, fmt.Errorf("running the health check on Podman: %w", err)
				}
			}
			continue
		}
		st := ins.Container.State
		if !st.Running && st.FinishedAt != "" && !strings.HasPrefix(st.FinishedAt, "0001") {
			return st, nil
		}
		if hasHealth && st.Health != nil && (st.Health.Status == container.Healthy || st.Health.Status == container.Unhealthy) {
			return st, nil
		}
		if !hasHealth && st.Running {
			if runningSince.IsZero() {
				runningSince = time.Now()
			} else if time.Since(runningSince) > time.Second {
				return st, nil
			}
		}
		if time.Now().After(deadline) {
			return st, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// LastProbe is the end of the last health probe's output, for messages
// ("; last probe exit 1: ..."), or "" before the first probe.
func LastProbe(h *container.Health) string {
	if h == nil || len(h.Log) == 0 {
		return ""
	}
	out := strings.TrimSpace(h.Log[len(h.Log)-1].Output)
	if len(out) > 200 {
		out = out[:200] + "…"
	}
	return fmt.Sprintf("; last probe exit %d: %q", h.Log[len(h.Log)-1].ExitCode, out)
}
