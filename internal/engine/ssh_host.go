package engine

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/user"
	"strconv"
	"strings"
)

// RemoteDockerSocket is the Docker API's socket on an SSH host: where
// `docker system dial-stdio` finds the engine there by default, and the
// path shipshape opens through the SSH connection.
const RemoteDockerSocket = "/var/run/docker.sock"

// SSHHost is an engine host reached over SSH, as DOCKER_HOST names it:
// ssh://[user@]host[:port].
type SSHHost struct {
	User string // default: the user running shipshape
	Host string // a name or an address, without brackets
	Port int    // default 22
}

// String is the host as DOCKER_HOST writes it, with the user always and
// the port when it is not 22.
func (h SSHHost) String() string {
	s := "ssh://" + h.User + "@" + h.Host
	if strings.Contains(h.Host, ":") {
		s = "ssh://" + h.User + "@[" + h.Host + "]"
	}
	if h.Port != 22 {
		s += ":" + strconv.Itoa(h.Port)
	}
	return s
}

// addr is host:port, for dialling and for known_hosts.
func (h SSHHost) addr() string { return net.JoinHostPort(h.Host, strconv.Itoa(h.Port)) }

// ParseSSHHost reads ssh://[user@]host[:port], as the docker CLI accepts
// it in DOCKER_HOST: no password, no path (the engine's socket there is
// RemoteDockerSocket), no query.
func ParseSSHHost(s string) (SSHHost, error) {
	const form = "ssh://[user@]host[:port]"
	if len(s) > 512 {
		return SSHHost{}, fmt.Errorf("%.40q…: longer than an SSH host can be (%s)", s, form)
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "ssh" || u.Host == "" || u.Opaque != "" {
		return SSHHost{}, fmt.Errorf("%q is not %s", s, form)
	}
	if _, hasPassword := u.User.Password(); hasPassword {
		return SSHHost{}, fmt.Errorf("%q has a password: SSH hosts take keys (ssh-agent, ~/.ssh/id_ed25519), never a password in the URL", s)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return SSHHost{}, fmt.Errorf("%q: nothing may follow the host (%s); the engine's socket there is %s", s, form, RemoteDockerSocket)
	}
	h := SSHHost{User: u.User.Username(), Host: u.Hostname(), Port: 22}
	if h.Host == "" || strings.ContainsAny(h.Host, " /@") {
		return SSHHost{}, fmt.Errorf("%q has no host (%s)", s, form)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SSHHost{}, fmt.Errorf("%q: port %q is not 1-65535", s, p)
		}
		h.Port = n
	}
	if strings.ContainsAny(h.User, " :/") {
		return SSHHost{}, fmt.Errorf("%q: user %q is not a user name", s, h.User)
	}
	if h.User == "" {
		h.User = localUser()
	}
	return h, nil
}

// localUser is who ssh(1) logs in as when the URL names no one.
func localUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}
