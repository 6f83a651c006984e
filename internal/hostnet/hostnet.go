// Package hostnet reaches addresses on the container engine's host: its
// loopback, where verify publishes the container's port, and its Docker
// networks, where deploy smoke-checks a new release. Directly when the
// engine runs here; through the dialer the context carries when it runs on
// another host (over SSH: shipshape --host-ssh or DOCKER_HOST=ssh://).
package hostnet

import (
	"context"
	"net"
	"net/http"
)

// Dial opens a TCP connection to addr from the engine's host.
type Dial func(ctx context.Context, network, addr string) (net.Conn, error)

type dialKey struct{}

// WithDial returns a context whose HTTP requests to the engine's host
// (Transport) are opened by dial.
func WithDial(ctx context.Context, dial Dial) context.Context {
	return context.WithValue(ctx, dialKey{}, dial)
}

// Transport is the HTTP transport for requests to addresses on the
// engine's host: http.DefaultTransport when the engine runs here.
func Transport(ctx context.Context) http.RoundTripper {
	dial, ok := ctx.Value(dialKey{}).(Dial)
	if !ok {
		return http.DefaultTransport
	}
	return &http.Transport{DialContext: dial, DisableKeepAlives: true}
}
