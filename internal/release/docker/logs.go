package docker

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// LogOptions choose what Logs shows.
type LogOptions struct {
	Follow bool   // keep streaming the active release's output
	Since  string // as docker logs --since: a duration (10m) or a timestamp
	Tail   int    // the last lines of each release (0: all)
	// Previous also shows the release before the active one (the one a
	// rollback would bring back), each line prefixed with its release.
	Previous bool
}

// Logs writes the output of service's active release (the newest running)
// to w and, with Previous, first that of the release before it, prefixed.
// With Follow it streams until ctx ends.
func Logs(ctx context.Context, c *client.Client, service string, o LogOptions, w io.Writer) error {
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
		if err := copyLogs(ctx, c, p.id, LogOptions{Since: o.Since, Tail: o.Tail}, w, "["+p.release+" previous] "); err != nil {
			return err
		}
	}
	return copyLogs(ctx, c, list[active].id, o, w, "")
}

// copyLogs copies a container's stdout and stderr, as written, each line
// prefixed.
func copyLogs(ctx context.Context, c *client.Client, id string, o LogOptions, w io.Writer, prefix string) error {
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
		pw := prefixed(w, prefix)
		defer pw.Close()
		out = pw
	}
	if _, err := stdcopy.StdCopy(out, out, rc); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// prefixed returns a writer that writes each line to w after prefix;
// Close flushes a last line without a newline.
func prefixed(w io.Writer, prefix string) io.WriteCloser {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			fmt.Fprintf(w, "%s%s\n", prefix, sc.Bytes())
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	return closer{pw, done}
}

type closer struct {
	*io.PipeWriter
	done chan struct{}
}

func (c closer) Close() error {
	err := c.PipeWriter.Close()
	<-c.done
	return err
}
