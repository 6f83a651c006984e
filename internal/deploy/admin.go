package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
)

// Admin talks to shipshape proxy's admin API over its unix socket.
type Admin struct {
	socket string
	http   *http.Client
}

// NewAdmin returns a client for the admin socket at path.
func NewAdmin(path string) *Admin {
	return &Admin{socket: path, http: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", path)
		},
	}}}
}

func (a *Admin) call(ctx context.Context, method, path string, body any) (proxy.State, error) {
	var st proxy.State
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return st, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://proxy"+path, r)
	if err != nil {
		return st, err
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return st, fmt.Errorf("the proxy's admin socket %s does not answer (%v): start it with shipshape proxy", a.socket, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		return st, fmt.Errorf("%s", e.Error)
	}
	return st, json.Unmarshal(data, &st)
}

// State is the proxy's current state.
func (a *Admin) State(ctx context.Context) (proxy.State, error) {
	return a.call(ctx, http.MethodGet, "/v1/state", nil)
}

// EnsureService creates the service in the proxy when it lacks it (current
// is the service as the proxy holds it, zero when it does not), or when
// routes are given or the health path changed.
func (a *Admin) EnsureService(ctx context.Context, current proxy.ServiceState, service, healthPath string, routes []Route) error {
	if current.Name == service && len(routes) == 0 && current.Health.Path == healthPath {
		return nil
	}
	_, err := a.call(ctx, http.MethodPut, "/v1/services/"+service, map[string]any{
		"health": proxy.Health{Path: healthPath, Interval: time.Second, Timeout: 2 * time.Second, Healthy: 1, Unhealthy: 3},
		"routes": routes,
	})
	return err
}

// Switch asks the proxy to make target active once its probe passes.
func (a *Admin) Switch(ctx context.Context, service, target string, timeout, drain time.Duration) error {
	_, err := a.call(ctx, http.MethodPost, "/v1/services/"+service+"/switch",
		map[string]any{"target": target, "timeout": timeout.String(), "drain": drain.String()})
	return err
}

// WaitDrained returns once service has no draining target, or after max.
func (a *Admin) WaitDrained(ctx context.Context, service string, max time.Duration) error {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		st, err := a.State(ctx)
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
