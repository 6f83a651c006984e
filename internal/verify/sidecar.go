package verify

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
)

// runSidecar runs script with bash in image, in the network namespace of
// container target, as nobody, read-only, with no capabilities, and
// returns its standard output.
func runSidecar(ctx context.Context, c *client.Client, image, target, script string, args ...string) (string, error) {
	if _, err := c.ImageInspect(ctx, image); err != nil {
		if cerrdefs.IsNotFound(err) {
			return "", fmt.Errorf("no image %s on the engine to look inside the container with (its own image has no shell): pull it, or pass --diagnose-image with an image that has bash", image)
		}
		return "", fmt.Errorf("image %s: %v", image, err)
	}
	created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{
			Image:      image,
			Entrypoint: []string{"bash", "-c", script, "shipshape-diagnose"},
			Cmd:        args,
			User:       "65534:65534",
			Labels:     engine.RunLabels(map[string]string{"dev.shipshape.diagnose": target}),
		},
		HostConfig: &container.HostConfig{
			NetworkMode:    container.NetworkMode("container:" + target),
			ReadonlyRootfs: true,
			CapDrop:        []string{"ALL"},
			SecurityOpt:    []string{"no-new-privileges"},
		},
	})
	if err != nil {
		return "", fmt.Errorf("starting a %s sidecar: %v", image, err)
	}
	defer func() {
		_, _ = c.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	}()
	if _, err := c.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		if strings.Contains(err.Error(), "executable file not found") {
			return "", fmt.Errorf("the image %s has no bash to look inside the container with: pass --diagnose-image with one that has", image)
		}
		return "", fmt.Errorf("starting a %s sidecar: %v", image, err)
	}
	code, stdout, stderr, err := waitOutput(ctx, c, created.ID, 45*time.Second)
	if err != nil {
		return "", fmt.Errorf("the %s sidecar: %v", image, err)
	}
	switch {
	case code == 127 || code == 126:
		return "", fmt.Errorf("the image %s has no bash to look inside the container with: pass --diagnose-image with one that has", image)
	case code != 0:
		return "", fmt.Errorf("the %s sidecar exited %d: %s", image, code, clip(strings.TrimSpace(stderr.String()), 200))
	}
	return stdout.String(), nil
}

// waitOutput waits up to timeout for container id to exit and returns its
// exit code and output.
func waitOutput(ctx context.Context, c *client.Client, id string, timeout time.Duration) (int64, *bytes.Buffer, *bytes.Buffer, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wait := c.ContainerWait(ctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	var code int64
	select {
	case res := <-wait.Result:
		code = res.StatusCode
	case err := <-wait.Error:
		return 0, nil, nil, fmt.Errorf("waiting for it to exit: %v", err)
	}
	rc, err := c.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return 0, nil, nil, fmt.Errorf("reading its output: %v", err)
	}
	defer rc.Close()
	var stdout, stderr bytes.Buffer
	if _, err := stdcopy.StdCopy(&stdout, &stderr, rc); err != nil {
		return 0, nil, nil, fmt.Errorf("reading its output: %v", err)
	}
	return code, &stdout, &stderr, nil
}
