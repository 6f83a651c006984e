package docker

import (
	"context"
	"fmt"
	"io"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/release"
)

// Logs writes the output of service's active release (the newest running)
// to w and, with Previous, first that of the release before it, prefixed.
// With Follow it streams until ctx ends.
func Logs(ctx context.Context, c *client.Client, service string, o release.LogOptions, w io.Writer) error {
	list, err := releases(ctx, c, service)
	if err != nil {
		return engineGone(err, "listing the releases of "+service, "")
	}
	active, previous := -1, -1
	for i, r := range list {
		switch {
		case r.running && active < 0:
			active = i
		case active >= 0 && previous < 0:
			previous = i
		}
	}
	if active < 0 {
		if len(list) == 0 {
			return fmt.Errorf("%s has no releases on this host (shipshape releases %s lists them)", service, service)
		}
		return fmt.Errorf("no release of %s is running; shipshape releases %s lists them", service, service)
	}
	if o.Previous && previous >= 0 {
		p := list[previous]
		if err := copyLogs(ctx, c, p.id, release.LogOptions{Since: o.Since, Tail: o.Tail}, w, "["+p.release+" previous] "); err != nil {
			return err
		}
	}
	return copyLogs(ctx, c, list[active].id, o, w, "")
}

// copyLogs copies a container's stdout and stderr, as written, each line
// prefixed.
func copyLogs(ctx context.Context, c *client.Client, id string, o release.LogOptions, w io.Writer, prefix string) error {
	tail := "all"
	if o.Tail > 0 {
		tail = fmt.Sprint(o.Tail)
	}
	rc, err := c.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Follow: o.Follow, Since: o.Since, Tail: tail})
	if err != nil {
		return engineGone(err, "reading the logs", "")
	}
	defer rc.Close()
	out := w
	if prefix != "" {
		pw := release.Prefixed(w, prefix)
		defer pw.Close()
		out = pw
	}
	if _, err := stdcopy.StdCopy(out, out, rc); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}
