package proxy

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// runProxy runs the proxy (traffic on a free port, the admin API on a unix
// socket in a temporary directory) until the test ends, and returns the
// traffic address and a client for its admin socket.
func runProxy(t *testing.T) (string, *Client) {
	t.Helper()
	dir := t.TempDir()
	addr := freeAddr(t)
	sock := filepath.Join(dir, "admin.sock")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Listen: addr, Admin: "unix://" + sock, StatePath: filepath.Join(dir, "state.json")})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	c := NewClient(sock)
	waitFor(t, func() bool {
		_, err := c.State(context.Background())
		return err == nil
	})
	return addr, c
}

// Every admin call, through the client, against the real server on its
// unix socket.
func TestClient_RoundTripsEveryCall(t *testing.T) {
	addr, c := runProxy(t)
	ctx := context.Background()
	service := func(st State, err error) ServiceState {
		t.Helper()
		must(t, err)
		for _, s := range st.Services {
			if s.Name == "app" {
				return s
			}
		}
		t.Fatalf("no service app in %+v", st)
		return ServiceState{}
	}

	st, err := c.State(ctx)
	must(t, err)
	if len(st.Services) != 0 || len(st.Routes) != 0 {
		t.Fatalf("a new proxy's state: %+v", st)
	}

	st, err = c.SetService(ctx, "app", SetServiceRequest{Health: fast, Routes: []ServiceRoute{{Host: "Shop.example.com", Prefix: "/shop"}}})
	if s := service(st, err); s.Health != fast || s.Active != "" {
		t.Errorf("after SetService: %+v", s)
	}
	if want := []Route{{Host: "shop.example.com", Prefix: "/shop", Service: "app"}}; !reflect.DeepEqual(st.Routes, want) {
		t.Errorf("routes: %+v, want %+v", st.Routes, want)
	}

	v1, v2 := newBackend(t, "v1", true), newBackend(t, "v2", true)
	st, err = c.Switch(ctx, "app", SwitchRequest{Target: v1.URL, Timeout: Duration(5 * time.Second)})
	if s := service(st, err); s.Active != v1.URL || !s.Healthy {
		t.Errorf("after Switch to v1: %+v", s)
	}
	if _, body := get(t, "http://"+addr+"/shop", "Host", "shop.example.com"); !strings.HasPrefix(body, "v1 ") {
		t.Errorf("traffic after Switch to v1: %q", body)
	}
	st, err = c.Switch(ctx, "app", SwitchRequest{Target: v2.URL, Timeout: Duration(5 * time.Second), Drain: Duration(time.Second)})
	if s := service(st, err); s.Active != v2.URL {
		t.Errorf("after Switch to v2: %+v", s)
	}

	bad := newBackend(t, "bad", false)
	_, err = c.Switch(ctx, "app", SwitchRequest{Target: bad.URL, Timeout: Duration(200 * time.Millisecond)})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusConflict {
		t.Errorf("Switch to an unhealthy target: %v, want an APIError with 409", err)
	}
	if s := service(c.State(ctx)); s.Active != v2.URL {
		t.Errorf("after the refused switch: %+v, want v2 still active", s)
	}

	if s := service(c.Pause(ctx, "app")); !s.Paused {
		t.Errorf("after Pause: %+v", s)
	}
	if s := service(c.Resume(ctx, "app")); s.Paused {
		t.Errorf("after Resume: %+v", s)
	}
	if s := service(c.Maintenance(ctx, "app", true)); !s.Maintenance {
		t.Errorf("after Maintenance on: %+v", s)
	}
	if s := service(c.Maintenance(ctx, "app", false)); s.Maintenance {
		t.Errorf("after Maintenance off: %+v", s)
	}

	for name, call := range map[string]func() (State, error){
		"Pause of no such service":  func() (State, error) { return c.Pause(ctx, "nothing") },
		"Resume of no such service": func() (State, error) { return c.Resume(ctx, "nothing") },
		"SetService with a space":   func() (State, error) { return c.SetService(ctx, "a b", SetServiceRequest{}) },
		"a route without a slash": func() (State, error) {
			return c.SetService(ctx, "app", SetServiceRequest{Routes: []ServiceRoute{{Prefix: "shop"}}})
		},
	} {
		_, err := call()
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest || apiErr.Message == "" {
			t.Errorf("%s: %v, want an APIError with 400 and a message", name, err)
		}
	}
}

// Replicas and a canary through the client: a switch to three replicas
// with round robin, their counters in State, a canary promoted, and one
// refused because its replica never turns healthy.
func TestClient_ReplicasAndCanary(t *testing.T) {
	addr, c := runProxy(t)
	ctx := context.Background()
	_, err := c.SetService(ctx, "app", SetServiceRequest{Health: fast, Balance: RoundRobin})
	must(t, err)
	a, b, d := newReplica(t, "v1"), newReplica(t, "v1"), newReplica(t, "v1")
	st, err := c.Switch(ctx, "app", SwitchRequest{Targets: []string{a.URL, b.URL, d.URL}, Timeout: Duration(5 * time.Second)})
	must(t, err)
	if s := st.Services[0]; s.Balance != RoundRobin || len(s.Targets) != 3 || s.Active != a.URL || !s.Healthy {
		t.Fatalf("after a switch to three replicas: %+v", s)
	}
	for range 30 {
		get(t, "http://"+addr+"/")
	}
	st, err = c.State(ctx)
	must(t, err)
	s := st.Services[0]
	for _, ts := range s.Targets {
		if ts.Stats == nil || ts.Stats.Requests != 10 || ts.Stats.P99 <= 0 {
			t.Errorf("%s served %+v; want 10 of 30 requests", ts.URL, ts.Stats)
		}
	}
	if s.Requests != 30 || s.Failed != 0 {
		t.Errorf("the service's counters: %d requests, %d failed", s.Requests, s.Failed)
	}

	v2 := newReplica(t, "v2")
	stop := steadyLoad(t, "http://"+addr+"/", 2)
	res, err := c.Canary(ctx, "app", CanaryRequest{Targets: []string{v2.URL}, Share: 50, For: Duration(500 * time.Millisecond), Drain: Duration(time.Second)})
	stop()
	must(t, err)
	if !res.Promoted || res.Canary.Requests == 0 || res.State.Services[0].Active != v2.URL || time.Duration(res.Took) < 500*time.Millisecond {
		t.Errorf("canary: %+v", res)
	}
	sick := newReplica(t, "sick")
	sick.healthy.Store(false)
	_, err = c.Canary(ctx, "app", CanaryRequest{Targets: []string{sick.URL}, Share: 10, For: Duration(time.Second), Timeout: Duration(100 * time.Millisecond)})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusConflict || !strings.Contains(apiErr.Message, "did not turn healthy") {
		t.Errorf("a canary that never turns healthy: %v", err)
	}
	_, err = c.Canary(ctx, "app", CanaryRequest{Targets: []string{sick.URL}, Share: 200, For: Duration(time.Second)})
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest {
		t.Errorf("a canary of 200%%: %v", err)
	}
}

func TestClient_TokenOnTCP(t *testing.T) {
	p, _ := newProxy(t, Options{})
	srv := httptest.NewServer(&Admin{Proxy: p, Token: "s3cret"})
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")
	ctx := context.Background()
	if _, err := NewClient(addr, WithToken("s3cret")).SetService(ctx, "app", SetServiceRequest{}); err != nil {
		t.Errorf("with the token: %v", err)
	}
	for _, c := range []*Client{NewClient(addr), NewClient(addr, WithToken("wrong"))} {
		_, err := c.State(ctx)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized {
			t.Errorf("without the right token: %v, want an APIError with 401", err)
		}
	}
}

func TestClient_SaysWhatToStart(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "none.sock")
	for _, addr := range []string{sock, "unix://" + sock} {
		_, err := NewClient(addr).State(context.Background())
		if err == nil || !strings.Contains(err.Error(), "admin socket "+sock+" does not answer") ||
			!strings.Contains(err.Error(), "start it with shipshape proxy") {
			t.Errorf("%s: %v", addr, err)
		}
	}
	_, err := NewClient(freeAddr(t)).State(context.Background())
	if err == nil || !strings.Contains(err.Error(), "admin API at 127.0.0.1:") {
		t.Errorf("TCP: %v", err)
	}
}
