package verify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// DefaultDiagnoseImage is the image whose bash reads a failed container's
// sockets and probes its routes from inside its network namespace:
// runtime images (distroless) have no shell to do it with.
const DefaultDiagnoseImage = "debian:bookworm-slim"

// logTail is how many of the container's last log lines a diagnosis keeps.
const logTail = 30

// diagnose gathers the evidence about container id, which failed as
// d.Failure says, and concludes. It never fails: what it cannot see, it
// says it could not see.
func diagnose(ctx context.Context, c *client.Client, id string, d *Diagnosis, image string) *Diagnosis {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var st *container.State
	var hostPort string
	if ins, err := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); err == nil {
		st = ins.Container.State
		if p, err := network.ParsePort(fmt.Sprintf("%d/tcp", d.Port)); err == nil && ins.Container.NetworkSettings != nil {
			if b := ins.Container.NetworkSettings.Ports[p]; len(b) > 0 {
				hostPort = b[0].HostPort
			}
		}
	}
	if st != nil {
		if d.Failure == Exited || d.Failure == ExitedServing {
			d.ExitCode, d.OOMKilled = st.ExitCode, st.OOMKilled
		}
		if d.EngineError == "" {
			d.EngineError = st.Error
		}
		if h := st.Health; h != nil && len(h.Log) > 0 {
			// The last line: a traceback ends with the error.
			out := strings.TrimSpace(h.Log[len(h.Log)-1].Output)
			d.Probe = clip(out[strings.LastIndex(out, "\n")+1:], 200)
		}
	}
	d.Logs = containerLogs(ctx, c, id)
	d.Causes = FindCauses(d.Logs, d.EngineError)
	if len(d.Logs) >= logTail {
		// A longer log: its first lines may hold what the last do not
		// (podgrab's failed SQLite open, then a panic on the nil handle
		// that fills the tail).
		head := containerLogHead(ctx, c, id)
		if len(d.Causes) == 0 {
			d.Causes = FindCauses(head, "")
		}
		d.FirstError = firstError(head, d.Logs)
	}
	if d.running() && st != nil && st.Running {
		var err error
		d.Listening, d.ListeningFrom, err = listeners(ctx, c, id, st.Pid, image)
		d.Listening = withoutEngineDNS(d.Listening)
		if err != nil {
			d.ListeningError = err.Error()
		}
		d.Routes, err = probeRoutes(ctx, c, id, image, d.Listening, d.Port, d.HealthPath)
		if err != nil {
			d.RoutesError = err.Error()
			if hostPort != "" && (d.ListeningError != "" || slices.Contains(listenPorts(d.Listening), d.Port)) {
				// Without a sidecar, the published port still reaches one port.
				d.Routes = probePublished(ctx, hostPort, d.Port, d.HealthPath)
			}
		}
	}
	d.conclude()
	return d
}

// containerLogs are the last logTail lines of stdout and stderr, in the
// order they were written.
func containerLogs(ctx context.Context, c *client.Client, id string) []string {
	return readLogs(ctx, c, id, strconv.Itoa(logTail), -1)
}

// readLogs reads the container's stdout and stderr, the last tail lines
// ("" for all, of at most headBytes), keeping the first max lines (-1
// for every one), each clipped to 300 bytes; nil when there are none.
func readLogs(ctx context.Context, c *client.Client, id, tail string, max int) []string {
	rc, err := c.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Tail: tail})
	if err != nil {
		return nil
	}
	defer rc.Close()
	var buf bytes.Buffer
	if _, err := stdcopy.StdCopy(&buf, &buf, io.LimitReader(rc, headBytes)); err != nil && buf.Len() == 0 {
		return nil
	}
	return logLines(buf.String(), max)
}

// logLines are a log's lines, the first max of them (-1 for all), each
// clipped to 300 bytes; nil for an empty log.
func logLines(text string, max int) []string {
	text = strings.TrimRight(text, "\r\n")
	all := strings.Split(text, "\n")
	if max >= 0 {
		all = strings.SplitN(text, "\n", max+1)
	}
	var lines []string
	for _, l := range all {
		if len(lines) == max {
			break
		}
		lines = append(lines, clip(strings.TrimRight(l, "\r"), 300))
	}
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	return lines
}

// logHead is how many of a long log's first lines a diagnosis reads,
// and headBytes how much of the log it reads for them at most.
const (
	logHead   = 40
	headBytes = 1 << 20
)

// containerLogHead are the first logHead lines of stdout and stderr (of
// at most headBytes of the log).
func containerLogHead(ctx context.Context, c *client.Client, id string) []string {
	return readLogs(ctx, c, id, "", logHead)
}

// errorLine is a log line that reports an error.
var errorLine = regexp.MustCompile(`(?i)\b(?:error|err|fatal|panic|failed|failure|unable|cannot|can't|could not|refused|denied|exception)\b`)

// firstError is the first line of head that reports an error, when the
// tail does not hold it (the diagnosis shows the tail): "" otherwise.
func firstError(head, tail []string) string {
	for _, l := range head {
		if errorLine.MatchString(l) {
			if slices.Contains(tail, l) {
				return ""
			}
			return l
		}
	}
	return ""
}

// listeners reads the container's LISTEN sockets (see sockets).
func listeners(ctx context.Context, c *client.Client, id string, pid int, image string) ([]Listener, string, error) {
	socks, from, err := sockets(ctx, c, id, pid, image)
	return listening(socks), from, err
}

// sockets reads the container's TCP sockets: from this host's /proc when
// the engine runs here (the container's PID is ours to read), else
// through a sidecar in the container's network namespace.
func sockets(ctx context.Context, c *client.Client, id string, pid int, image string) ([]Socket, string, error) {
	if socks, ok := hostSockets(c, id, pid); ok {
		return socks, fmt.Sprintf("/proc/%d/net/tcp on the engine's host", pid), nil
	}
	out, err := runSidecar(ctx, c, image, id, `cat /proc/net/tcp; echo '--- tcp6'; cat /proc/net/tcp6 2>/dev/null || true`)
	if err != nil {
		return nil, "", err
	}
	tcp, tcp6, _ := strings.Cut(out, "--- tcp6\n")
	socks, err := ParseProcNetSockets([]byte(tcp))
	if err != nil {
		return nil, "", err
	}
	if strings.TrimSpace(tcp6) != "" {
		socks6, err := ParseProcNetSockets([]byte(tcp6))
		if err != nil {
			return nil, "", err
		}
		socks = append(socks, socks6...)
	}
	return socks, "/proc/net/tcp read by a " + image + " sidecar", nil
}

// hostSockets reads /proc/PID/net/tcp{,6} when the engine is on this
// host. PID is in the engine's PID namespace, so it is only trusted when
// that process's cgroup names the container: with a remote engine, or one
// in a VM, PID is some other process here, or none.
func hostSockets(c *client.Client, id string, pid int) ([]Socket, bool) {
	if pid <= 0 || !strings.HasPrefix(c.DaemonHost(), "unix://") {
		return nil, false
	}
	cg, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", pid))
	if err != nil || !bytes.Contains(cg, []byte(id)) {
		return nil, false
	}
	var socks []Socket
	for _, f := range []string{"tcp", "tcp6"} {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/%s", pid, f))
		if err != nil {
			if f == "tcp6" && os.IsNotExist(err) { // IPv6 disabled
				continue
			}
			return nil, false
		}
		got, err := ParseProcNetSockets(data)
		if err != nil {
			return nil, false
		}
		socks = append(socks, got...)
	}
	return socks, true
}

// engineDNS is the address of Docker's embedded DNS server, which listens
// in the network namespace of every container on a user-defined network:
// its sockets are the engine's, not the app's.
var engineDNS = netip.MustParseAddr("127.0.0.11")

func withoutEngineDNS(list []Listener) []Listener {
	var out []Listener
	for _, l := range list {
		if l.Addr.Unmap() != engineDNS {
			out = append(out, l)
		}
	}
	return out
}
