package docker

import (
	"context"
	"fmt"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
)

// ensureService creates the service in the proxy when it lacks it (current
// is the service as the proxy holds it, zero when it does not, with its
// routes in currentRoutes), or when routes are given or the health path
// or the balance changed; a change without routes keeps the current ones.
func ensureService(ctx context.Context, admin *proxy.Client, current proxy.ServiceState, currentRoutes []Route, service, healthPath string, routes []Route, balance proxy.Balance) error {
	sameBalance := current.Balance == balance || current.Balance == "" && balance == proxy.LeastRequests
	if current.Name == service && len(routes) == 0 && current.Health.Path == healthPath && sameBalance {
		return nil
	}
	if len(routes) == 0 {
		routes = currentRoutes
	}
	_, err := admin.SetService(ctx, service, proxy.SetServiceRequest{
		Health:  proxy.Health{Path: healthPath, Interval: time.Second, Timeout: 2 * time.Second, Healthy: 1, Unhealthy: 3},
		Routes:  routes,
		Balance: balance,
	})
	return err
}

// proxyRoutes are service's routes in st.
func proxyRoutes(st proxy.State, service string) []Route {
	var out []Route
	for _, r := range st.Routes {
		if r.Service == service {
			out = append(out, Route{Host: r.Host, Prefix: r.Prefix})
		}
	}
	return out
}

// waitDrained returns once service has no draining target, or after max.
func waitDrained(ctx context.Context, admin *proxy.Client, service string, max time.Duration) error {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		st, err := admin.State(ctx)
		if err != nil {
			return err
		}
		drained := true
		for _, s := range st.Services {
			if s.Name == service && len(s.Draining) > 0 {
				drained = false
			}
		}
		if drained {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("still draining after %v", max)
}
