package docker

import (
	"fmt"

	"github.com/shipshape/shipshape/internal/proxy"
)

// A release runs as Options.Replicas containers: SERVICE-RELEASE, then
// SERVICE-RELEASE-2, -3 and so on, each labelled LabelReplica and told its
// number in EnvReplica. The proxy spreads requests over them and takes one
// that fails a request out until its probe passes again.
//
// Who replaces a replica that dies: the engine restarts one whose process
// exits (the restart policy unless-stopped), and the proxy sends it
// requests again once its probe passes; one that is gone (removed, or
// stopped by hand) is replaced by the next deploy, which starts every
// replica of its release anew. Until then the others serve, and status
// shows it unhealthy.

// EnvReplica is set in each replica's environment to its number (1, 2...).
const EnvReplica = "SHIPSHAPE_REPLICA"

// replicaName is the container name of replica n of the release whose
// first container is first.
func replicaName(first string, n int) string {
	if n <= 1 {
		return first
	}
	return fmt.Sprintf("%s-%d", first, n)
}

// activeTargets are the addresses of the release a service serves (all
// its replicas), as the proxy holds them.
func activeTargets(s proxy.ServiceState) []string {
	var out []string
	for _, t := range s.Targets {
		out = append(out, t.URL)
	}
	if len(out) == 0 && s.Active != "" {
		out = []string{s.Active} // a proxy of one target per release
	}
	return out
}
