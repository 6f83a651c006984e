package release

import (
	"bufio"
	"fmt"
	"io"
	"sync"
	"time"
)

// LogOptions choose what a target's Logs shows.
type LogOptions struct {
	Follow bool   // keep streaming the active release's output
	Since  string // as docker logs --since: a duration (10m) or a timestamp (RFC 3339)
	Tail   int    // the last lines of each container (0: all)
	// Previous also shows the release before the active one (the one a
	// rollback would bring back), each line prefixed with its release.
	// One Docker host only.
	Previous bool
}

// SinceTime is Since as a time (zero: none); now is the time a duration
// counts back from.
func (o LogOptions) SinceTime(now time.Time) (time.Time, error) {
	if o.Since == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(o.Since); err == nil {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, o.Since); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05", o.Since); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: a duration (10m) or a time (2026-11-30T10:00:00)", o.Since)
}

// Prefixed returns a writer that writes each whole line to w after
// prefix, one line at a time (several Prefixed writers may share w);
// Close flushes a last line without a newline.
func Prefixed(w io.Writer, prefix string) io.WriteCloser {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lineMu.Lock()
			fmt.Fprintf(w, "%s%s\n", prefix, sc.Bytes())
			lineMu.Unlock()
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	return closer{pw, done}
}

// lineMu keeps lines from several Prefixed writers whole.
var lineMu sync.Mutex

type closer struct {
	*io.PipeWriter
	done chan struct{}
}

func (c closer) Close() error {
	err := c.PipeWriter.Close()
	<-c.done
	return err
}
