package verify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"time"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
)

// An Accessory is a service the app needs to start (its database, its
// cache), run beside it for the verification under the name the app's
// configuration uses (db, redis, mongo).
type Accessory struct {
	Alias string
	// Names are more names it answers to on the run's network: the host
	// names the app's code writes for it ('mongodb://mongodb:27017').
	Names []string
	Image string
	Env   []string
	// Health is a CMD health check; nil: running is enough. An image that
	// declares its own HEALTHCHECK is checked by that instead (see
	// healthTest).
	Health []string
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
	aliases []string
	c       *client.Client
}

// A Service is a started accessory as the app reaches it: its alias and
// its address on the run's network.
type Service struct {
	Alias string
	Addr  netip.Addr
}

// Services are the accessories' addresses on their network, for
// Options.Services. One the engine cannot tell is left out.
func (a *Accessories) Services(ctx context.Context) []Service {
	var out []Service
	for i, id := range a.ids {
		ins, err := a.c.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil || ins.Container.NetworkSettings == nil {
			continue
		}
		if ep := ins.Container.NetworkSettings.Networks[a.Network]; ep != nil && ep.IPAddress.IsValid() {
			out = append(out, Service{Alias: a.aliases[i], Addr: ep.IPAddress.Unmap()})
		}
	}
	return out
}

// StartAccessories starts each accessory on a new network and waits until
// every one is healthy (or running, without a health check), at most
// timeout. An accessory whose image the engine does not have is an error
// that names it: verify pulls nothing.
func StartAccessories(ctx context.Context, c *client.Client, list []Accessory, timeout time.Duration) (*Accessories, error) {
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	a := &Accessories{Network: "shipshape-verify-" + hex.EncodeToString(suffix[:]), c: c}
	if _, err := c.NetworkCreate(ctx, a.Network, client.NetworkCreateOptions{Driver: "bridge", Labels: engine.RunLabels(map[string]string{"dev.shipshape.verify": "accessory"})}); err != nil {
		return nil, fmt.Errorf("creating the network %s: %v", a.Network, err)
	}
	checked := make([]bool, len(list))
	for i, acc := range list {
		img, err := engine.InspectImage(ctx, c, acc.Image)
		if err != nil {
			a.Stop()
			return nil, fmt.Errorf("the app needs %s (%s), which the engine does not have: pull it first (docker pull %s)", acc.Alias, acc.Image, acc.Image)
		}
		var hc *container.HealthConfig
		if test := healthTest(acc.Health, img.Config); len(test) > 0 {
			hc = &container.HealthConfig{Test: test, Interval: time.Second, Timeout: 3 * time.Second, Retries: 60}
			checked[i] = true
		}
		created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
			Config:     &container.Config{Image: acc.Image, Env: acc.Env, Healthcheck: hc, Labels: engine.RunLabels(map[string]string{"dev.shipshape.verify": "accessory"})},
			HostConfig: &container.HostConfig{NetworkMode: container.NetworkMode(a.Network), Tmpfs: map[string]string{"/tmp": ""}},
			NetworkingConfig: &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
				a.Network: {Aliases: append([]string{acc.Alias}, acc.Names...)},
			}},
		})
		if err != nil {
			a.Stop()
			return nil, fmt.Errorf("creating %s from %s: %v", acc.Alias, acc.Image, err)
		}
		a.ids = append(a.ids, created.ID)
		a.aliases = append(a.aliases, acc.Alias)
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
		st, err := engine.WaitReady(ctx, c, id, checked[i], timeout)
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

// healthTest is the health check an accessory runs, as a HEALTHCHECK
// test: the image's own where it declares one, else health as a CMD
// check, else none. An image's makers know what ready means for it, and
// the check compose.yaml writes for the official image may need a tool a
// stand-in lacks (mongosh, which FerretDB standing in for mongo has not);
// the official images of the services init starts declare none, so theirs
// keep compose.yaml's check.
func healthTest(health []string, img *dockerspec.DockerOCIImageConfig) []string {
	if img != nil && img.Healthcheck != nil && len(img.Healthcheck.Test) > 1 && img.Healthcheck.Test[0] != "NONE" {
		return img.Healthcheck.Test
	}
	if len(health) == 0 {
		return nil
	}
	return append([]string{"CMD"}, health...)
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
