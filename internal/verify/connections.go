package verify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// connectWait is how long after it starts a serving app is watched for
// its first connection to each service the run started beside it. It
// outlasts Mongoose's server selection (30 s), after which an app that
// cannot reach its database exits: bezkoder/node-express-mongodb, whose
// code connects to mongodb://0.0.0.0:27017, turned healthy in 2 s, passed,
// and exited at 30 s.
const connectWait = 35 * time.Second

// unconnected are the services of list that no socket of socks talks to.
// Any state but LISTEN counts: a connection the app holds, or one it
// closed (TIME_WAIT keeps it for a minute).
func unconnected(socks []Socket, list []Service) []Service {
	var out []Service
	for _, s := range list {
		found := false
		for _, so := range socks {
			if so.State != tcpListen && so.Remote.Addr().Unmap() == s.Addr {
				found = true
				break
			}
		}
		if !found {
			out = append(out, s)
		}
	}
	return out
}

func serviceNames(list []Service) string {
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = fmt.Sprintf("%s (%s)", s.Alias, s.Addr)
	}
	return strings.Join(names, ", ")
}

// checkConnections watches the serving app until it has connected to
// each of opts.Services, it exits, or opts.ConnectWait (connectWait) has
// passed since start. A health route that reads no table says nothing of
// the database: the app's own sockets do. It reports false when the
// container exited meanwhile (a failed check and a diagnosis are in r):
// there is nothing left to stop. No connection at the end is a warning,
// since an app may connect on the first request that needs it.
func checkConnections(ctx context.Context, c *client.Client, id string, start time.Time, opts Options, r *Report, why func(Failure, string)) (bool, error) {
	if len(opts.Services) == 0 {
		return true, nil
	}
	wait := opts.ConnectWait
	if wait == 0 {
		wait = connectWait
	}
	image := opts.DiagnoseImage
	if image == "" {
		image = DefaultDiagnoseImage
	}
	pending := opts.Services
	from := ""
	for {
		ins, err := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			return false, err
		}
		st := ins.Container.State
		if st == nil || !st.Running {
			code := 0
			if st != nil {
				code = st.ExitCode
			}
			r.add("keeps-running", false, "exited with code %d %v after it started, before it connected to %s", code, time.Since(start).Round(time.Second), serviceNames(pending))
			why(ExitedServing, "")
			r.Diagnosis.Unconnected = serviceNames(pending)
			r.Diagnosis.conclude() // again, with the services it names
			return false, nil
		}
		socks, src, err := sockets(ctx, c, id, st.Pid, image)
		switch {
		case err != nil && from == "":
			r.warn("connects", false, "cannot read the container's sockets to see whether it connected to %s: %v", serviceNames(pending), err)
			return true, nil
		case err != nil:
			// A read that failed as the app exited: the next look says so.
		default:
			from = src
			if pending = unconnected(socks, pending); len(pending) == 0 {
				r.add("connects", true, "connected to %s within %v of starting (%s)", serviceNames(opts.Services), time.Since(start).Round(time.Second), from)
				return true, nil
			}
		}
		if time.Since(start) >= wait {
			break
		}
		poll := time.Second
		if !strings.HasPrefix(from, "/proc/") {
			poll = 5 * time.Second // each look starts a sidecar
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(poll):
		}
	}
	if !r.has("log") {
		// What the app logged meanwhile may say why (a driver's timeout).
		logDatabaseCause(ctx, c, id, true, r)
	}
	r.warn("connects", false, "no connection to %s within %v of starting (%s): an app that connects on first use makes none until a request needs it; one that connects elsewhere (a host written in its code or configuration, a variable it does not read) never will", serviceNames(pending), wait, from)
	return true, nil
}
