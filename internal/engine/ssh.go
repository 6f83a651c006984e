package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// An engine on another host is reached the way Kamal and the docker CLI
// reach it: DOCKER_HOST=ssh://user@host. The docker CLI runs ssh(1) and
// `docker system dial-stdio` on the host for each connection; shipshape
// opens one SSH connection per host and process instead, and carries
// every connection to the host over it as a channel: the Docker API
// (direct-streamlocal@openssh.com to RemoteDockerSocket) and the proxy's
// admin socket alike. Nothing but sshd is needed on the host, with
// AllowStreamLocalForwarding (OpenSSH's default) and a user that may open
// the Docker socket.

// Dial opens a connection to a unix socket path or a TCP address.
type Dial func(ctx context.Context, network, addr string) (net.Conn, error)

// sshTimeout bounds the TCP connection and the SSH handshake.
const sshTimeout = 15 * time.Second

// sshConns are the process's open SSH connections, by host and the
// known_hosts file that vouched for it.
var sshConns = struct {
	sync.Mutex
	m map[sshKey]*ssh.Client
}{m: map[sshKey]*ssh.Client{}}

type sshKey struct {
	host       SSHHost
	knownHosts string
}

// SSHDial returns how to open connections on the engine's host when that
// host is reached over SSH (DOCKER_HOST or the docker context is
// ssh://...): a dial of a unix socket path or a TCP address there, carried
// by the one SSH connection that Connect uses too, opened at the first
// dial. ok is false when the engine is on this host or reached over TCP.
func SSHDial() (dial Dial, host SSHHost, ok bool, err error) {
	target, err := Host()
	if err != nil || !strings.HasPrefix(target, "ssh://") {
		return nil, SSHHost{}, false, err
	}
	h, err := ParseSSHHost(target)
	if err != nil {
		return nil, SSHHost{}, false, fmt.Errorf("DOCKER_HOST: %w", err)
	}
	return h.dial, h, true, nil
}

// ConnectError is an SSH host that could not be reached or logged in to:
// its message says why and what to do. Callers that reach something on
// the host (the proxy's socket) find it under their own errors with
// errors.As, and say it first.
type ConnectError struct {
	Host SSHHost
	Err  error
}

func (e *ConnectError) Error() string { return e.Err.Error() }
func (e *ConnectError) Unwrap() error { return e.Err }

// dial opens network/addr on the host through its SSH connection.
func (h SSHHost) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := sshConnect(ctx, h)
	if err != nil {
		return nil, err
	}
	conn, err := c.DialContext(ctx, network, addr)
	if err != nil {
		return nil, fmt.Errorf("opening %s on %s over SSH: %w", addr, h, err)
	}
	return conn, nil
}

// sshConnect returns the process's SSH connection to h, opening it when
// there is none (or the last one has closed).
func sshConnect(ctx context.Context, h SSHHost) (*ssh.Client, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, &ConnectError{Host: h, Err: fmt.Errorf("connecting to %s: no home directory to find ~/.ssh in (%v): set HOME", h, err)}
	}
	key := sshKey{h, filepath.Join(home, ".ssh", "known_hosts")}
	sshConns.Lock()
	defer sshConns.Unlock()
	if c, ok := sshConns.m[key]; ok {
		return c, nil
	}
	c, err := sshHandshake(ctx, h, home, key.knownHosts)
	if err != nil {
		return nil, &ConnectError{Host: h, Err: err}
	}
	sshConns.m[key] = c
	go func() {
		_ = c.Wait()
		sshConns.Lock()
		defer sshConns.Unlock()
		if sshConns.m[key] == c {
			delete(sshConns.m, key)
		}
	}()
	return c, nil
}

// sshHandshake connects to h, checks its key against knownHosts and logs
// in with the keys of ssh-agent and ~/.ssh.
func sshHandshake(ctx context.Context, h SSHHost, home, knownHosts string) (*ssh.Client, error) {
	check, algorithms, err := hostKeys(h, knownHosts)
	if err != nil {
		return nil, err
	}
	auth := authenticate(home)
	defer auth.close()
	cfg := &ssh.ClientConfig{
		User:              h.User,
		Auth:              []ssh.AuthMethod{ssh.PublicKeys(auth.signers...)},
		HostKeyCallback:   check,
		HostKeyAlgorithms: algorithms,
	}
	ctx, cancel := context.WithTimeout(ctx, sshTimeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", h.addr())
	if err != nil {
		return nil, fmt.Errorf("no SSH server answers at %s (%v): check the host and port in DOCKER_HOST or --host-ssh", h.addr(), err)
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	sc, chans, reqs, err := ssh.NewClientConn(conn, h.addr(), cfg)
	if err != nil {
		conn.Close()
		var hk *HostKeyError
		switch {
		case errors.As(err, &hk):
			return nil, hk
		case strings.Contains(err.Error(), "unable to authenticate"):
			return nil, auth.refused(h, home, err)
		}
		return nil, fmt.Errorf("connecting to %s: %w", h, err)
	}
	_ = conn.SetDeadline(time.Time{})
	return ssh.NewClient(sc, chans, reqs), nil
}

// fromAgent adds the keys ssh-agent holds. The agent's connection stays
// open until the handshake is over: it signs for them.
func (a *authentication) fromAgent(sock string) {
	conn, err := net.DialTimeout("unix", sock, 2*time.Second)
	if err != nil {
		a.notes = append(a.notes, fmt.Sprintf("ssh-agent at SSH_AUTH_SOCK=%s does not answer (%v)", sock, err))
		return
	}
	signers, err := agent.NewClient(conn).Signers()
	if err != nil {
		conn.Close()
		a.notes = append(a.notes, fmt.Sprintf("ssh-agent at %s: %v", sock, err))
		return
	}
	a.close = func() { conn.Close() }
	for _, s := range signers {
		a.signers = append(a.signers, s)
		a.offered = append(a.offered, "ssh-agent's "+s.PublicKey().Type()+" "+ssh.FingerprintSHA256(s.PublicKey()))
	}
}
