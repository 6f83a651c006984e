package docker

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/hostnet"
)

// labelReleaseCommand marks a release command's container (not a release:
// LabelApp is not on it), so that the next deploy removes one a killed
// deploy left.
const labelReleaseCommand = LabelApp + ".release-command"

// releaseCommand runs o.ReleaseCommand (a migration, say) to completion in
// a one-off container of the new image, with the release's environment,
// networks and volumes, before the new release starts and before any
// traffic moves. A failure stops the deploy with the command's output; the
// old release keeps serving.
func (d *deployment) releaseCommand(ctx context.Context) error {
	o := &d.o
	if len(o.ReleaseCommand) == 0 {
		return nil
	}
	t := time.Now()
	name := d.name + "-release-command"
	endpoint := func() *network.EndpointSettings { return &network.EndpointSettings{} }
	entrypoint, cmd := o.ReleaseCommand[:1], o.ReleaseCommand[1:]
	if o.releaseArgs {
		entrypoint, cmd = nil, o.ReleaseCommand
	}
	created, err := d.c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: name,
		Config: &container.Config{Image: d.imageID, Env: o.Env, Entrypoint: entrypoint, Cmd: cmd,
			Healthcheck: &container.HealthConfig{Test: []string{"NONE"}},
			Labels:      map[string]string{labelReleaseCommand: o.Service, LabelRelease: d.release}},
		HostConfig: &container.HostConfig{
			ReadonlyRootfs: true,
			Tmpfs:          map[string]string{"/tmp": "rw,noexec,nosuid,size=64m"},
			CapDrop:        []string{"ALL"},
			SecurityOpt:    []string{"no-new-privileges"},
			NetworkMode:    container.NetworkMode(o.Network),
			Mounts:         o.Mounts,
		},
		NetworkingConfig: &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{o.Network: endpoint()}},
	})
	if err != nil {
		return engineGone(err, "creating the release command's container", d.serving())
	}
	defer func() {
		_, _ = d.c.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	}()
	for _, n := range o.Networks {
		if _, err := d.c.NetworkConnect(ctx, n, client.NetworkConnectOptions{Container: created.ID, EndpointConfig: endpoint()}); err != nil {
			return engineGone(err, "connecting the release command to "+n, d.serving())
		}
	}
	wait := d.c.ContainerWait(ctx, created.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	if _, err := d.c.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return engineGone(err, "starting the release command", d.serving())
	}
	shown := strings.Join(o.ReleaseCommand, " ")
	var code int64
	select {
	case res := <-wait.Result:
		code = res.StatusCode
	case err := <-wait.Error:
		return engineGone(err, "waiting for the release command "+shown, d.serving())
	case <-ctx.Done():
		return ctx.Err()
	}
	if code != 0 {
		return fmt.Errorf("the release command %q exited with code %d; the release did not start, %s%s",
			shown, code, d.serving(), tail(d.logs(ctx, created.ID), 20))
	}
	d.step("release-command", t, "%s: exit 0", shown)
	return nil
}

// logs returns a container's output, stdout and stderr interleaved as
// written, bounded.
func (d *deployment) logs(ctx context.Context, id string) string {
	rc, err := d.c.ContainerLogs(context.WithoutCancel(ctx), id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Tail: "200"})
	if err != nil {
		return ""
	}
	defer rc.Close()
	var buf bytes.Buffer
	w := &limited{w: &buf, n: 64 << 10}
	_, _ = stdcopy.StdCopy(w, w, rc)
	return buf.String()
}

// hook runs a command (sh -c) on the machine shipshape runs on, with the
// release in its environment: SHIPSHAPE_SERVICE, SHIPSHAPE_RELEASE,
// SHIPSHAPE_IMAGE, SHIPSHAPE_TARGET (the new release's first replica's
// address), SHIPSHAPE_TARGETS (every replica's, space-separated),
// SHIPSHAPE_PREVIOUS and SHIPSHAPE_PREVIOUS_TARGETS (the release serving
// before, or empty). A non-zero exit is an error carrying the output's end.
//
// Hooks stay on this machine, where the deploy's author and their files
// are (a script in the repository, a notification with their credentials);
// the release's image may hold no shell at all. When the engine is on
// another host, the addresses are on that host's Docker network: each is
// forwarded from 127.0.0.1 here over the engine's SSH connection for as
// long as the hook runs (hostnet.Forward), so a hook's curl reaches the
// release wherever it runs.
func (d *deployment) hook(ctx context.Context, which, command string) error {
	t := time.Now()
	env, stop, err := d.hookEnv(ctx)
	if err != nil {
		return fmt.Errorf("the %s hook %q: reaching the release from here: %v", which, command, err)
	}
	defer stop()
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &limited{w: &out, n: 64 << 10}, &limited{w: &out, n: 64 << 10}
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("the %s hook %q failed (%v)%s", which, command, err, tail(out.String(), 20))
	}
	d.step(which, t, "%s: exit 0", command)
	return nil
}

// hookEnv is a hook's environment, its addresses reachable from this
// machine until stop.
func (d *deployment) hookEnv(ctx context.Context) (env []string, stop func(), err error) {
	var stops []func()
	stop = func() {
		for _, s := range stops {
			s()
		}
	}
	reach := func(targets []string) ([]string, error) {
		out := make([]string, 0, len(targets))
		for _, t := range targets {
			local, s, err := hostnet.Forward(ctx, t)
			if err != nil {
				return nil, err
			}
			stops = append(stops, s)
			out = append(out, local)
		}
		return out, nil
	}
	targets, err := reach(d.targets)
	if err == nil {
		var previous []string
		if previous, err = reach(activeTargets(d.current)); err == nil {
			first := func(l []string) string {
				if len(l) == 0 {
					return ""
				}
				return l[0]
			}
			return []string{"SHIPSHAPE_SERVICE=" + d.o.Service, "SHIPSHAPE_RELEASE=" + d.release, "SHIPSHAPE_IMAGE=" + d.o.imageName(),
				"SHIPSHAPE_TARGET=" + first(targets), "SHIPSHAPE_TARGETS=" + strings.Join(targets, " "),
				"SHIPSHAPE_PREVIOUS=" + first(previous), "SHIPSHAPE_PREVIOUS_TARGETS=" + strings.Join(previous, " ")}, stop, nil
		}
	}
	stop()
	return nil, func() {}, err
}

// preSwitch runs the --pre-switch hook: the new release is healthy and
// smoke-checked, no traffic has moved; a failure removes it.
func (d *deployment) preSwitch(ctx context.Context) error {
	if d.o.PreSwitch == "" {
		return nil
	}
	if err := d.hook(ctx, "pre-switch", d.o.PreSwitch); err != nil {
		return fmt.Errorf("%v; removed %s, %s", err, d.name, d.serving())
	}
	return nil
}

// tail is the last n lines of s, indented, after a colon, for an error
// message ("" when s is empty).
func tail(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return ":\n    " + strings.Join(lines, "\n    ")
}

// limited writes up to n bytes to w and drops the rest.
type limited struct {
	w interface{ Write([]byte) (int, error) }
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		_, _ = l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
