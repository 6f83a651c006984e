package docker

import (
	"context"
	"fmt"
	"strings"

	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
)

// ensureNetwork creates the network name (with labels) unless it exists.
func ensureNetwork(ctx context.Context, c *client.Client, name string, labels map[string]string) error {
	_, err := c.NetworkInspect(ctx, name, client.NetworkInspectOptions{})
	if err == nil {
		return nil
	}
	if engine.Unreachable(err) {
		return engineGone(err, "looking up network "+name, "")
	}
	if labels == nil {
		labels = map[string]string{LabelApp: "network"}
	}
	_, err = c.NetworkCreate(ctx, name, client.NetworkCreateOptions{Driver: "bridge", Labels: labels})
	if err != nil && !strings.Contains(err.Error(), "already exists") {
		return fmt.Errorf("creating network %s: %v", name, err)
	}
	return nil
}
