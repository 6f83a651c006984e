package verify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
)

// RunStep runs the image ref once with entrypoint, as a release step
// (compose's app-migrate service, the Kubernetes migration Job) runs it:
// with opts' environment, network and mounts, hardened as the app's own
// run, and waits up to timeout for it to exit. An exit other than 0 is an
// error carrying the step's last output lines.
func RunStep(ctx context.Context, c *client.Client, ref string, entrypoint []string, opts Options, timeout time.Duration) error {
	created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     &container.Config{Image: ref, Entrypoint: entrypoint, Cmd: []string{}, Env: opts.Env, Labels: engine.RunLabels(nil)},
		HostConfig: hardenedHost(opts),
	})
	if err != nil {
		return fmt.Errorf("creating a container from %s: %v", ref, err)
	}
	defer func() {
		_, _ = c.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	}()
	if _, err := c.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return fmt.Errorf("starting %s: %v", strings.Join(entrypoint, " "), err)
	}
	code, stdout, stderr, err := waitOutput(ctx, c, created.ID, timeout)
	if err != nil {
		return fmt.Errorf("%s: %v", strings.Join(entrypoint, " "), err)
	}
	if code != 0 {
		lines := strings.Split(strings.TrimSpace(stdout.String()+"\n"+stderr.String()), "\n")
		if len(lines) > 10 {
			lines = lines[len(lines)-10:]
		}
		return fmt.Errorf("%s exited %d; its last output:\n    | %s", strings.Join(entrypoint, " "), code, strings.Join(lines, "\n    | "))
	}
	return nil
}
