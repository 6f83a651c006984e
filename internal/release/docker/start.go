package docker

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
)

// start creates the new release's containers (its replicas), hardened,
// beside the old release, starts them and waits until every one is
// healthy and has an address.
func (d *deployment) start(ctx context.Context) error {
	o := &d.o
	t := time.Now()
	for i := range o.Replicas {
		if err := d.create(ctx, i+1); err != nil {
			return err
		}
	}
	for i, id := range d.ids {
		if _, err := d.c.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
			return engineGone(err, "starting "+d.names[i], d.serving())
		}
	}
	deadline := time.Now().Add(o.Timeout)
	for i := range d.ids {
		if err := d.ready(ctx, i, time.Until(deadline), t); err != nil {
			if o.Replicas > 1 {
				err = fmt.Errorf("replica %d of %d: %w", i+1, o.Replicas, err)
			}
			return err
		}
	}
	d.name, d.target = d.names[0], d.targets[0]
	if o.Replicas == 1 {
		d.step("start", t, "%s healthy", d.name)
	} else {
		d.step("start", t, "%d replicas healthy: %s", o.Replicas, strings.Join(d.names, ", "))
	}
	return nil
}

// ready waits, up to timeout, until replica i is healthy, and reads its
// address.
func (d *deployment) ready(ctx context.Context, i int, timeout time.Duration, started time.Time) error {
	o := &d.o
	id, name := d.ids[i], d.names[i]
	hasHealth := d.healthcheck != nil
	st, err := engine.WaitReady(ctx, d.c, id, hasHealth, max(timeout, time.Second))
	if err != nil {
		return engineGone(err, "waiting for "+name+" to turn healthy", d.serving())
	}
	waited := time.Since(started).Round(time.Second)
	switch {
	case !st.Running:
		return fmt.Errorf("release %s exited with code %d before turning healthy; removed it, %s", name, st.ExitCode, d.serving())
	case hasHealth && (st.Health == nil || st.Health.Status != container.Healthy):
		status := "starting"
		if st.Health != nil {
			status = string(st.Health.Status)
		}
		return fmt.Errorf("release %s is %s after %v%s (--timeout %v); removed it, %s",
			name, status, waited, engine.LastProbe(st.Health), o.Timeout, d.serving())
	}
	ins, err := d.c.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return engineGone(err, "inspecting "+name, d.serving())
	}
	ep := ins.Container.NetworkSettings.Networks[o.Network]
	if ep == nil || !ep.IPAddress.IsValid() {
		return fmt.Errorf("%s has no address on network %s", name, o.Network)
	}
	d.targets = append(d.targets, "http://"+net.JoinHostPort(ep.IPAddress.String(), fmt.Sprint(o.Port)))
	return nil
}

// create makes the container of replica n: the image's ID, not its tag
// (the release runs what was inspected, and a rollback finds it again
// however the tag moves), on every network of the service.
func (d *deployment) create(ctx context.Context, n int) error {
	o := &d.o
	var probe *container.HealthConfig
	switch {
	case d.healthcheck != nil:
		probe = engine.FastProbe(*d.healthcheck, 2*time.Second)
	case o.healthDisabled():
		probe = o.Healthcheck // NONE: the image's own check stays off
	}
	endpoint := func() *network.EndpointSettings { return &network.EndpointSettings{Aliases: o.Aliases} }
	name := replicaName(d.name, n)
	created, err := d.c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: name,
		Config: &container.Config{Image: d.imageID, Env: append(slices.Clip(o.Env), fmt.Sprintf("%s=%d", EnvReplica, n)), Healthcheck: probe,
			Labels: map[string]string{LabelApp: o.Service, LabelRelease: d.release, LabelImage: o.imageName(), LabelImageID: d.imageID,
				LabelReplica: strconv.Itoa(n)}},
		HostConfig: &container.HostConfig{
			ReadonlyRootfs: true,
			Tmpfs:          map[string]string{"/tmp": "rw,noexec,nosuid,size=64m"},
			CapDrop:        []string{"ALL"},
			SecurityOpt:    []string{"no-new-privileges"},
			RestartPolicy:  container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
			NetworkMode:    container.NetworkMode(o.Network),
			Mounts:         o.Mounts,
		},
		NetworkingConfig: &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{o.Network: endpoint()}},
	})
	if err != nil {
		return engineGone(err, "creating "+name, d.serving())
	}
	d.ids, d.names = append(d.ids, created.ID), append(d.names, name)
	for _, net := range o.Networks {
		if _, err := d.c.NetworkConnect(ctx, net, client.NetworkConnectOptions{Container: created.ID, EndpointConfig: endpoint()}); err != nil {
			return engineGone(err, "connecting "+name+" to "+net, d.serving())
		}
	}
	return nil
}
