// Package engine connects to the container engine: Docker's API, or
// Podman's Docker-compatible API (`podman system service`, then
// DOCKER_HOST=unix:///run/podman/podman.sock), on this host or on another
// one over SSH (DOCKER_HOST=ssh://user@host, see ssh.go).
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// Client is the engine's API client.
type Client = client.Client

// Connect returns a client for the engine Host names, with the API
// version negotiated down to what the engine speaks. When nothing
// answers, the error is one sentence that says what to do.
func Connect(ctx context.Context) (*Client, error) {
	host, err := Host()
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(host, "ssh://") {
		return connectSSH(ctx, host)
	}
	opts := []client.Opt{client.FromEnv}
	if host != "" && os.Getenv(client.EnvOverrideHost) == "" {
		opts = append(opts, client.WithHost(host)) // the docker context's
	}
	c, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("cannot configure the container engine client: %v (check DOCKER_HOST)", err)
	}
	return ping(ctx, c, c.DaemonHost(), "start Docker (or Podman's API service) or set DOCKER_HOST")
}

// connectSSH connects to the Docker API on an SSH host: its socket,
// opened through the process's SSH connection to the host.
func connectSSH(ctx context.Context, host string) (*Client, error) {
	h, err := ParseSSHHost(host)
	if err != nil {
		return nil, fmt.Errorf("DOCKER_HOST: %w", err)
	}
	// Connecting first says what is wrong with SSH itself (an unknown
	// host key, a refused key) in its own words, which the API client's
	// "cannot connect" would hide.
	if _, err := sshConnect(ctx, h); err != nil {
		return nil, err
	}
	conn, err := h.dial(ctx, "unix", RemoteDockerSocket)
	if err != nil {
		return nil, fmt.Errorf("%w: is Docker running there? The user %s needs access to its socket (the docker group), and sshd must allow AllowStreamLocalForwarding (its default)", err, h.User)
	}
	conn.Close()
	c, err := client.New(
		client.WithHost("http://docker"), // any host: the dialer decides where
		client.WithDialContext(func(ctx context.Context, _, _ string) (net.Conn, error) {
			return h.dial(ctx, "unix", RemoteDockerSocket)
		}),
		client.WithAPIVersionFromEnv(),
	)
	if err != nil {
		return nil, fmt.Errorf("cannot configure the container engine client for %s: %v", h, err)
	}
	return ping(ctx, c, h.String()+" ("+RemoteDockerSocket+")", "start Docker on that host")
}

// ping negotiates the API version; where and what name the engine and
// the fix in the error.
func ping(ctx context.Context, c *Client, where, what string) (*Client, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := c.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		c.Close()
		return nil, fmt.Errorf("no container engine answers at %s: %s", where, what)
	}
	return c, nil
}

// maxDockerConfig bounds what the docker CLI's configuration files may
// make us read.
const maxDockerConfig = 1 << 20

// Host is the engine's address as the docker CLI chooses it: DOCKER_HOST;
// else the docker context DOCKER_CONTEXT names, or the current context of
// ~/.docker/config.json (DOCKER_CONFIG moves the directory); "" for the
// default socket.
func Host() (string, error) {
	if h := os.Getenv(client.EnvOverrideHost); h != "" {
		return h, nil
	}
	dir := os.Getenv("DOCKER_CONFIG")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", nil
		}
		dir = filepath.Join(home, ".docker")
	}
	name := os.Getenv("DOCKER_CONTEXT")
	if name == "" {
		var cfg struct {
			CurrentContext string `json:"currentContext"`
		}
		path := filepath.Join(dir, "config.json")
		data, err := readBounded(path, maxDockerConfig)
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if err := json.Unmarshal(data, &cfg); err != nil {
			return "", fmt.Errorf("%s: %v: fix the file, or set DOCKER_HOST", path, err)
		}
		name = cfg.CurrentContext
	}
	if name == "" || name == "default" {
		return "", nil
	}
	return contextHost(dir, name)
}

// contextHost is the Docker endpoint of the docker context name, from
// the metadata `docker context create` writes.
func contextHost(dir, name string) (string, error) {
	sum := sha256.Sum256([]byte(name))
	path := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
	data, err := readBounded(path, maxDockerConfig)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("docker context %q does not exist (no %s): docker context ls lists them; or set DOCKER_HOST", name, path)
	}
	if err != nil {
		return "", err
	}
	var meta struct {
		Endpoints map[string]struct {
			Host string `json:"Host"`
		} `json:"Endpoints"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return "", fmt.Errorf("%s (docker context %q): %v", path, name, err)
	}
	host := meta.Endpoints["docker"].Host
	if host == "" {
		return "", fmt.Errorf("docker context %q has no Docker endpoint (%s): set DOCKER_HOST", name, path)
	}
	if _, err := os.Stat(filepath.Join(dir, "contexts", "tls", hex.EncodeToString(sum[:]), "docker")); err == nil {
		return "", fmt.Errorf("docker context %q connects with TLS, whose certificates shipshape does not read from a context: set DOCKER_HOST=%s, DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH instead", name, host)
	}
	return host, nil
}

// readBounded reads a file of at most max bytes.
func readBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes, more than it can be", path, max)
	}
	return data, nil
}
