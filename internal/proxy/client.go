package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Client calls a running proxy's admin API (see Admin), one method per call.
type Client struct {
	addr  string // as given, for errors
	unix  bool
	base  string // the URL the paths are appended to
	token string
	http  *http.Client
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithToken sends "Authorization: Bearer token" with every call, as an
// admin API on TCP requires.
func WithToken(token string) ClientOption {
	return func(c *Client) { c.token = token }
}

// NewClient returns a client for the admin API at addr: a unix socket
// (unix:///run/shipshape/proxy.sock, or just its path) or a TCP address
// (127.0.0.1:9901, with WithToken).
func NewClient(addr string, opts ...ClientOption) *Client {
	c := &Client{addr: addr}
	for _, o := range opts {
		o(c)
	}
	socket, isUnix := strings.CutPrefix(addr, "unix://")
	if _, _, err := net.SplitHostPort(addr); err != nil || strings.Contains(addr, "/") {
		isUnix = true
	}
	network, address := "tcp", addr
	c.base = "http://" + addr
	if isUnix {
		network, address = "unix", socket
		c.unix, c.base = true, "http://proxy"
	}
	c.http = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			if dial, ok := ctx.Value(dialerKey{}).(Dialer); ok {
				return dial(ctx, network, address)
			}
			return (&net.Dialer{}).DialContext(ctx, network, address)
		},
	}}
	return c
}

// Dialer opens the admin API's socket ("unix", a path) or address ("tcp")
// on the proxy's host when that is not this one.
type Dialer func(ctx context.Context, network, addr string) (net.Conn, error)

type dialerKey struct{}

// ContextWithDialer returns a context in which every Client's calls reach
// the admin API through dial: the same address, on another host (over
// SSH, with shipshape --host-ssh). It rides on the context so that the
// clients the release code makes from a socket path go there too.
func ContextWithDialer(ctx context.Context, dial Dialer) context.Context {
	return context.WithValue(ctx, dialerKey{}, dial)
}

// APIError is the admin API refusing a call; Status is its HTTP status
// (400: a bad request or no such service, 401: a missing or wrong token,
// 409: a switch's target never turned healthy).
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string { return e.Message }

// State returns what the proxy serves.
func (c *Client) State(ctx context.Context) (State, error) {
	return c.call(ctx, http.MethodGet, "/v1/state", nil)
}

// SetService creates or updates the service name; its targets are kept.
func (c *Client) SetService(ctx context.Context, name string, req SetServiceRequest) (State, error) {
	return c.call(ctx, http.MethodPut, servicePath(name, ""), req)
}

// Switch makes req's targets the service's active ones once every one is
// healthy; it returns when the switch is done or refused.
func (c *Client) Switch(ctx context.Context, name string, req SwitchRequest) (State, error) {
	return c.call(ctx, http.MethodPost, servicePath(name, "switch"), req)
}

// Canary puts req's targets on trial beside the service's active release
// and returns once the proxy has promoted or aborted them (an error is a
// trial that did not start). Ending ctx aborts the trial.
func (c *Client) Canary(ctx context.Context, name string, req CanaryRequest) (CanaryResult, error) {
	var res CanaryResult
	err := c.do(ctx, http.MethodPost, servicePath(name, "canary"), req, &res)
	return res, err
}

// Pause holds the service's requests until Resume.
func (c *Client) Pause(ctx context.Context, name string) (State, error) {
	return c.call(ctx, http.MethodPost, servicePath(name, "pause"), nil)
}

// Resume lets the held requests of a paused service through.
func (c *Client) Resume(ctx context.Context, name string) (State, error) {
	return c.call(ctx, http.MethodPost, servicePath(name, "resume"), nil)
}

// Maintenance turns the service's maintenance page on or off.
func (c *Client) Maintenance(ctx context.Context, name string, on bool) (State, error) {
	return c.call(ctx, http.MethodPost, servicePath(name, "maintenance"), MaintenanceRequest{On: on})
}

func servicePath(name, action string) string {
	p := "/v1/services/" + url.PathEscape(name)
	if action != "" {
		p += "/" + action
	}
	return p
}

// call makes a call that answers State.
func (c *Client) call(ctx context.Context, method, path string, body any) (State, error) {
	var st State
	err := c.do(ctx, method, path, body, &st)
	return st, err
}

// do sends body (nil: none) and decodes the answer into out.
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		where := "admin API at " + c.addr
		if c.unix {
			where = "admin socket " + strings.TrimPrefix(c.addr, "unix://")
		}
		return fmt.Errorf("the proxy's %s does not answer (%w): start it with shipshape proxy", where, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("reading the proxy's answer to %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e ErrorResponse
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = fmt.Sprintf("%s %s: %s", method, path, resp.Status)
		}
		return &APIError{Status: resp.StatusCode, Message: e.Error}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("reading the proxy's answer to %s %s: %w", method, path, err)
	}
	return nil
}
