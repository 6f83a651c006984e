// Package engine connects to the container engine: Docker's API, or
// Podman's Docker-compatible API (`podman system service`, then
// DOCKER_HOST=unix:///run/podman/podman.sock).
package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/moby/moby/client"
)

// Client is the engine's API client.
type Client = client.Client

// Connect returns a client for the engine DOCKER_HOST (or the default socket)
// names, with the API version negotiated down to what the engine speaks.
// When nothing answers, the error is one sentence that says what to do.
func Connect(ctx context.Context) (*Client, error) {
	c, err := client.New(client.FromEnv)
	if err != nil {
		return nil, fmt.Errorf("cannot configure the container engine client: %v (check DOCKER_HOST)", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := c.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		host := c.DaemonHost()
		c.Close()
		return nil, fmt.Errorf("no container engine answers at %s: start Docker (or Podman's API service) or set DOCKER_HOST", host)
	}
	return c, nil
}
