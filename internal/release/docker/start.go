package docker

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
)

// start creates the new release's container, hardened, beside the old
// one, starts it and waits until it is healthy and has an address.
func (d *deployment) start(ctx context.Context) error {
	o := &d.o
	t := time.Now()
	if err := d.create(ctx); err != nil {
		return err
	}
	if _, err := d.c.ContainerStart(ctx, d.id, client.ContainerStartOptions{}); err != nil {
		return engineGone(err, "starting "+d.name, d.serving())
	}
	hasHealth := d.healthcheck != nil
	st, err := engine.WaitReady(ctx, d.c, d.id, hasHealth, o.Timeout)
	if err != nil {
		return engineGone(err, "waiting for "+d.name+" to turn healthy", d.serving())
	}
	waited := time.Since(t).Round(time.Second)
	switch {
	case !st.Running:
		return fmt.Errorf("release %s exited with code %d before turning healthy; removed it, %s", d.name, st.ExitCode, d.serving())
	case hasHealth && (st.Health == nil || st.Health.Status != container.Healthy):
		status := "starting"
		if st.Health != nil {
			status = string(st.Health.Status)
		}
		return fmt.Errorf("release %s is %s after %v%s (--timeout %v); removed it, %s",
			d.name, status, waited, engine.LastProbe(st.Health), o.Timeout, d.serving())
	}
	ins, err := d.c.ContainerInspect(ctx, d.id, client.ContainerInspectOptions{})
	if err != nil {
		return engineGone(err, "inspecting "+d.name, d.serving())
	}
	ep := ins.Container.NetworkSettings.Networks[o.Network]
	if ep == nil || !ep.IPAddress.IsValid() {
		return fmt.Errorf("%s has no address on network %s", d.name, o.Network)
	}
	d.target = "http://" + net.JoinHostPort(ep.IPAddress.String(), fmt.Sprint(o.Port))
	d.step("start", t, "%s healthy", d.name)
	return nil
}

// create makes the container: the image's ID, not its tag (the release
// runs what was inspected, and a rollback finds it again however the tag
// moves), on every network of the service.
func (d *deployment) create(ctx context.Context) error {
	o := &d.o
	var probe *container.HealthConfig
	switch {
	case d.healthcheck != nil:
		probe = engine.FastProbe(*d.healthcheck, 2*time.Second)
	case o.healthDisabled():
		probe = o.Healthcheck // NONE: the image's own check stays off
	}
	endpoint := func() *network.EndpointSettings { return &network.EndpointSettings{Aliases: o.Aliases} }
	created, err := d.c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: d.name,
		Config: &container.Config{Image: d.imageID, Env: o.Env, Healthcheck: probe,
			Labels: map[string]string{LabelApp: o.Service, LabelRelease: d.release, LabelImage: o.imageName(), LabelImageID: d.imageID}},
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
		return engineGone(err, "creating "+d.name, d.serving())
	}
	d.id = created.ID
	for _, n := range o.Networks {
		if _, err := d.c.NetworkConnect(ctx, n, client.NetworkConnectOptions{Container: d.id, EndpointConfig: endpoint()}); err != nil {
			return engineGone(err, "connecting "+d.name+" to "+n, d.serving())
		}
	}
	return nil
}
