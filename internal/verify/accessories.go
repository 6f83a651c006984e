package verify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
)

// An Accessory is a service the app needs to start (its database, its
// cache), run beside it for the verification under the name the app's
// configuration uses (db, redis, mongo).
type Accessory struct {
	Alias  string
	Image  string
	Env    []string
	Health []string // a CMD health check; nil: running is enough
	// Files are files of the repository the accessory gets before it
	// starts (a database's set-up scripts), as compose would mount them.
	Files []AccessoryFile
	// Root is the repository: every file's source must resolve inside it.
	Root string
}

// Accessories are started accessories on a network of their own, for one
// run: Network goes in Options.Network, Stop removes everything.
type Accessories struct {
	Network string
	ids     []string
	c       *client.Client
}

// StartAccessories starts each accessory on a new network and waits until
// every one is healthy (or running, without a health check), at most
// timeout. An accessory whose image the engine does not have is an error
// that names it: verify pulls nothing.
func StartAccessories(ctx context.Context, c *client.Client, list []Accessory, timeout time.Duration) (*Accessories, error) {
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	a := &Accessories{Network: "shipshape-verify-" + hex.EncodeToString(suffix[:]), c: c}
	if _, err := c.NetworkCreate(ctx, a.Network, client.NetworkCreateOptions{Driver: "bridge", Labels: map[string]string{"dev.shipshape.verify": "accessory"}}); err != nil {
		return nil, fmt.Errorf("creating the network %s: %v", a.Network, err)
	}
	for _, acc := range list {
		if _, err := c.ImageInspect(ctx, acc.Image); err != nil {
			a.Stop()
			return nil, fmt.Errorf("the app needs %s (%s), which the engine does not have: pull it first (docker pull %s)", acc.Alias, acc.Image, acc.Image)
		}
		var hc *container.HealthConfig
		if len(acc.Health) > 0 {
			hc = &container.HealthConfig{Test: append([]string{"CMD"}, acc.Health...), Interval: time.Second, Timeout: 3 * time.Second, Retries: 60}
		}
		created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
			Config:     &container.Config{Image: acc.Image, Env: acc.Env, Healthcheck: hc, Labels: map[string]string{"dev.shipshape.verify": "accessory"}},
			HostConfig: &container.HostConfig{NetworkMode: container.NetworkMode(a.Network), Tmpfs: map[string]string{"/tmp": ""}},
			NetworkingConfig: &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
				a.Network: {Aliases: []string{acc.Alias}},
			}},
		})
		if err != nil {
			a.Stop()
			return nil, fmt.Errorf("creating %s from %s: %v", acc.Alias, acc.Image, err)
		}
		a.ids = append(a.ids, created.ID)
		if err := copyFiles(ctx, c, created.ID, acc.Root, acc.Files); err != nil {
			a.Stop()
			return nil, fmt.Errorf("giving %s its files: %w", acc.Alias, err)
		}
		if _, err := c.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
			a.Stop()
			return nil, fmt.Errorf("starting %s (%s): %v", acc.Alias, acc.Image, err)
		}
	}
	for i, id := range a.ids {
		st, err := engine.WaitReady(ctx, c, id, len(list[i].Health) > 0, timeout)
		if err == nil && st.Running && (st.Health == nil || st.Health.Status == container.Healthy) {
			continue
		}
		a.Stop()
		if err != nil {
			return nil, fmt.Errorf("waiting for %s: %v", list[i].Alias, err)
		}
		return nil, fmt.Errorf("%s (%s) did not turn healthy within %s", list[i].Alias, list[i].Image, timeout)
	}
	return a, nil
}

// Stop removes the accessories and their network, even after Ctrl-C.
func (a *Accessories) Stop() {
	ctx := context.Background()
	for _, id := range a.ids {
		_, _ = a.c.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	}
	_, _ = a.c.NetworkRemove(ctx, a.Network, client.NetworkRemoveOptions{})
}

// RandomSecret is a password for one run's accessories.
func RandomSecret() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
