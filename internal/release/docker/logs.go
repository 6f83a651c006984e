package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/release"
)

// Logs writes the output of service's active release (the newest
// running) to w: every replica's, each line prefixed with its container
// when there are several. With Previous, first that of the release before
// it, prefixed with that release (and its container, for several). Without
// Follow the containers are shown one after the other, in replica order;
// with Follow all of the active release's stream at once until ctx ends.
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
		for _, r := range p.replicas {
			prefix := "[" + p.release + " previous] "
			if len(p.replicas) > 1 {
				prefix = "[" + r.name + " previous] "
			}
			if err := copyLogs(ctx, c, r.id, release.LogOptions{Since: o.Since, Tail: o.Tail}, w, prefix); err != nil {
				return err
			}
		}
	}
	replicas := list[active].replicas
	errs := make([]error, len(replicas))
	var wg sync.WaitGroup
	for i, r := range replicas {
		prefix := ""
		if len(replicas) > 1 {
			prefix = "[" + r.name + "] "
		}
		read := func() { errs[i] = copyLogs(ctx, c, r.id, o, w, prefix) }
		if !o.Follow {
			read()
			continue
		}
		wg.Add(1)
		go func() { defer wg.Done(); read() }()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// copyLogs copies a container's stdout and stderr, as written, each line
// prefixed; prefixed lines of several containers copied at once stay
// whole. Without a prefix (one container) it copies as written.
func copyLogs(ctx context.Context, c *client.Client, id string, o release.LogOptions, w io.Writer, prefix string) error {
	tail := "all"
	if o.Tail > 0 {
		tail = fmt.Sprint(o.Tail)
	}
	rc, err := c.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Follow: o.Follow, Since: o.Since, Tail: tail})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
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
