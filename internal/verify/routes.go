package verify

import (
	"context"
	"strconv"
	"strings"

	"github.com/moby/moby/client"
)

// probeScript GETs each HOSTS PORT PATH triple of its arguments from
// inside the network namespace with bash's /dev/tcp (no curl needed),
// connecting to the first of the comma-separated HOSTS that accepts, and
// prints "PORT PATH STATUS-LINE", or "PORT PATH refused".
const probeScript = `
while [ $# -ge 3 ]; do
  hosts=$1 port=$2 path=$3
  shift 3
  connected=
  for host in ${hosts//,/ }; do
    if { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null; then connected=1; break; fi
  done
  if [ -n "$connected" ]; then
    printf 'GET %s HTTP/1.1\r\nHost: localhost:%s\r\nUser-Agent: shipshape-verify\r\nAccept: */*\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
    line=
    IFS= read -r -t 3 line <&3
    exec 3<&- 3>&-
    printf '%s %s %s\n' "$port" "$path" "${line%$'\r'}"
  else
    printf '%s %s refused\n' "$port" "$path"
  fi
done
`

// maxProbedPorts bounds the probes when an app listens on many ports.
const maxProbedPorts = 8

// probeRoutes GETs the candidate health routes on every listening port
// (or, when the ports are unknown, on the expected one) from a sidecar.
func probeRoutes(ctx context.Context, c *client.Client, id, image string, ls []Listener, port int, healthPath string) ([]Route, error) {
	hosts := map[int]string{}
	var ports []int
	for _, l := range ls {
		if _, ok := hosts[l.Port]; !ok {
			ports = append(ports, l.Port)
		}
		// A wildcard listener is reached on loopback. An IPv6 one is
		// usually dual-stack, and the engine often leaves the container
		// without ::1: IPv4 first, ::1 for a v6-only socket.
		switch {
		case l.Addr.IsUnspecified() && l.Addr.Is4():
			hosts[l.Port] = "127.0.0.1"
		case l.Addr.IsUnspecified():
			if hosts[l.Port] != "127.0.0.1" {
				hosts[l.Port] = "127.0.0.1,::1"
			}
		case hosts[l.Port] == "":
			hosts[l.Port] = l.Addr.String()
		}
	}
	if len(ls) == 0 {
		ports, hosts[port] = []int{port}, "127.0.0.1"
	}
	if len(ports) > maxProbedPorts {
		ports = ports[:maxProbedPorts]
	}
	var args []string
	for _, p := range ports {
		for _, path := range CandidatePaths(healthPath) {
			if strings.ContainsFunc(path, func(r rune) bool { return r <= ' ' }) {
				continue
			}
			args = append(args, hosts[p], strconv.Itoa(p), path)
		}
	}
	out, err := runSidecar(ctx, c, image, id, probeScript, args...)
	if err != nil {
		return nil, err
	}
	return ParseProbeOutput(out), nil
}

// ParseProbeOutput reads probeScript's lines into routes.
func ParseProbeOutput(out string) []Route {
	var rs []Route
	for _, line := range strings.Split(out, "\n") {
		f := strings.SplitN(line, " ", 3)
		if len(f) < 2 {
			continue
		}
		port, err := strconv.Atoi(f[0])
		if err != nil || !strings.HasPrefix(f[1], "/") {
			continue
		}
		r := Route{Port: port, Path: f[1]}
		rest := ""
		if len(f) == 3 {
			rest = strings.TrimSpace(f[2])
		}
		switch status := strings.Fields(rest); {
		case rest == "refused":
			r.Error = "connection refused"
		case rest == "":
			r.Error = "no answer within 3s"
		case len(status) >= 2 && strings.HasPrefix(status[0], "HTTP/"):
			if n, err := strconv.Atoi(status[1]); err == nil && n >= 100 && n <= 999 {
				r.Status = n
			} else {
				r.Error = "a malformed status line"
			}
		default:
			r.Error = "not HTTP"
		}
		rs = append(rs, r)
	}
	return rs
}

// probePublished GETs the candidate routes through the published port:
// the expected port only, but no sidecar needed.
func probePublished(ctx context.Context, hostPort string, port int, healthPath string) []Route {
	var rs []Route
	for _, path := range CandidatePaths(healthPath) {
		code, err := get(ctx, "http://127.0.0.1:"+hostPort+path)
		r := Route{Port: port, Path: path, Status: code}
		if err != nil {
			r.Error = status(0, err)
		}
		rs = append(rs, r)
	}
	return rs
}
