package engine

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"
)

func TestParseSSHHost(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{in: "ssh://deploy@example.com", want: "ssh://deploy@example.com"},
		{in: "ssh://deploy@example.com:2222", want: "ssh://deploy@example.com:2222"},
		{in: "ssh://deploy@example.com:22/", want: "ssh://deploy@example.com"},
		{in: "ssh://deploy@[2001:db8::1]:2222", want: "ssh://deploy@[2001:db8::1]:2222"},
		{in: "ssh://example.com", want: "ssh://" + localUser() + "@example.com"},
		{in: "ssh://deploy:secret@example.com", err: "has a password"},
		{in: "ssh://deploy@example.com/var/run/docker.sock", err: "nothing may follow the host"},
		{in: "ssh://deploy@example.com:99999", err: "is not 1-65535"},
		{in: "ssh://deploy@example.com:x", err: "is not ssh://"},
		{in: "ssh://", err: "is not ssh://"},
		{in: "tcp://example.com:2375", err: "is not ssh://"},
		{in: "ssh://" + strings.Repeat("a", 600), err: "longer than"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			h, err := ParseSSHHost(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseSSHHost(%q) = %v, %v; want an error with %q", tc.in, h, err, tc.err)
				}
				return
			}
			if err != nil || h.String() != tc.want {
				t.Fatalf("ParseSSHHost(%q) = %q, %v; want %q", tc.in, h.String(), err, tc.want)
			}
		})
	}
}

// sshServer is an SSH server in the test: it logs in the authorized key
// and opens unix sockets for direct-streamlocal@openssh.com channels, as
// sshd does for DOCKER_HOST=ssh://.
type sshServer struct {
	port     int
	hostKeys []ssh.Signer
	accepted atomic.Int32 // connections logged in
	sockets  atomic.Int32 // unix sockets opened
}

func newSSHServer(t *testing.T, authorized ssh.PublicKey, hostKeys ...ssh.Signer) *sshServer {
	t.Helper()
	s := &sshServer{hostKeys: hostKeys}
	cfg := &ssh.ServerConfig{PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
		if bytes.Equal(key.Marshal(), authorized.Marshal()) {
			return nil, nil
		}
		return nil, errors.New("not authorized")
	}}
	for _, k := range hostKeys {
		cfg.AddHostKey(k)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s.port = ln.Addr().(*net.TCPAddr).Port
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn, cfg)
		}
	}()
	return s
}

func (s *sshServer) serve(conn net.Conn, cfg *ssh.ServerConfig) {
	sc, chans, reqs, err := ssh.NewServerConn(conn, cfg)
	if err != nil {
		conn.Close()
		return
	}
	defer sc.Close()
	s.accepted.Add(1)
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		var open struct {
			Path      string
			Reserved0 string
			Reserved1 uint32
		}
		if nc.ChannelType() != "direct-streamlocal@openssh.com" || ssh.Unmarshal(nc.ExtraData(), &open) != nil {
			_ = nc.Reject(ssh.UnknownChannelType, "no")
			continue
		}
		target, err := net.Dial("unix", open.Path)
		if err != nil {
			_ = nc.Reject(ssh.ConnectionFailed, "open failed")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			target.Close()
			continue
		}
		s.sockets.Add(1)
		go ssh.DiscardRequests(creqs)
		go func() { _, _ = io.Copy(ch, target); ch.CloseWrite() }()
		go func() { _, _ = io.Copy(target, ch); target.Close() }()
	}
}

func newSigner(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sshHome is a home directory with known, as lines of known_hosts (none:
// no file), and key as ~/.ssh/id_ed25519 (nil: none); DOCKER_HOST points
// at the server's port and ssh-agent is out of the way.
func sshHome(t *testing.T, port int, known []string, key ed25519.PrivateKey) string {
	t.Helper()
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if known != nil {
		write(t, filepath.Join(home, ".ssh", "known_hosts"), strings.Join(known, "\n")+"\n")
	}
	if key != nil {
		block, err := ssh.MarshalPrivateKey(key, "")
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(home, ".ssh", "id_ed25519"), string(pem.EncodeToMemory(block)))
	}
	t.Setenv("HOME", home)
	t.Setenv("SSH_AUTH_SOCK", "")
	t.Setenv("DOCKER_HOST", fmt.Sprintf("ssh://deploy@127.0.0.1:%d", port))
	t.Cleanup(closeSSHConns)
	return home
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// closeSSHConns closes the connections a test left in the process's cache.
func closeSSHConns() {
	sshConns.Lock()
	defer sshConns.Unlock()
	for k, c := range sshConns.m {
		c.Close()
		delete(sshConns.m, k)
	}
}

func knownLine(port int, key ssh.PublicKey) string {
	return knownhosts.Line([]string{fmt.Sprintf("127.0.0.1:%d", port)}, key)
}

// dialSocket opens sock on the engine's host through SSHDial.
func dialSocket(t *testing.T, sock string) (net.Conn, error) {
	t.Helper()
	dial, _, ok, err := SSHDial()
	if err != nil || !ok {
		t.Fatalf("SSHDial: ok %v, %v", ok, err)
	}
	return dial(context.Background(), "unix", sock)
}

// unixHTTP serves "hello" on a unix socket and returns its path.
func unixHTTP(t *testing.T) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "api.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "hello") })}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sock
}

func TestSSH_UnknownHostKeyIsRefusedWithTheCommandThatTrustsIt(t *testing.T) {
	client, hostKey := newSigner(t), newSigner(t)
	srv := newSSHServer(t, client.PublicKey(), hostKey)
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	home := sshHome(t, srv.port, nil, key)

	_, err := dialSocket(t, unixHTTP(t))
	if !errors.Is(err, ErrHostKeyUnknown) {
		t.Fatalf("dial: %v, want ErrHostKeyUnknown", err)
	}
	for _, want := range []string{
		fmt.Sprintf("ssh-keyscan -p %d 127.0.0.1 >> %s", srv.port, filepath.Join(home, ".ssh", "known_hosts")),
		ssh.FingerprintSHA256(hostKey.PublicKey()),
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not say %q", err, want)
		}
	}
	if srv.accepted.Load() != 0 {
		t.Error("the client logged in to a host it does not know")
	}
}

func TestSSH_ChangedHostKeyIsRefusedNamingTheLine(t *testing.T) {
	client, hostKey, oldKey := newSigner(t), newSigner(t), newSigner(t)
	srv := newSSHServer(t, client.PublicKey(), hostKey)
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	home := sshHome(t, srv.port, []string{"# old", knownLine(srv.port, oldKey.PublicKey())}, key)

	_, err := dialSocket(t, unixHTTP(t))
	if !errors.Is(err, ErrHostKeyChanged) {
		t.Fatalf("dial: %v, want ErrHostKeyChanged", err)
	}
	for _, want := range []string{
		"CHANGED",
		filepath.Join(home, ".ssh", "known_hosts") + ":2",
		ssh.FingerprintSHA256(oldKey.PublicKey()),
		ssh.FingerprintSHA256(hostKey.PublicKey()),
		fmt.Sprintf("ssh-keygen -R '[127.0.0.1]:%d'", srv.port),
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not say %q", err, want)
		}
	}
}

// One SSH connection carries every socket opened on the host.
func TestSSH_OneConnectionCarriesEverySocket(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	clientPub, _ := ssh.NewPublicKey(pub)
	hostKey := newSigner(t)
	srv := newSSHServer(t, clientPub, hostKey)
	sshHome(t, srv.port, []string{knownLine(srv.port, hostKey.PublicKey())}, key)
	sock := unixHTTP(t)

	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return dialSocket(t, sock)
	}}}
	for i := 0; i < 3; i++ {
		resp, err := hc.Get("http://host/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "hello" {
			t.Fatalf("GET %d through SSH: %q", i, body)
		}
	}
	if a, s := srv.accepted.Load(), srv.sockets.Load(); a != 1 || s != 3 {
		t.Errorf("%d SSH connections carried %d sockets, want 1 carrying 3", a, s)
	}
	if _, err := dialSocket(t, filepath.Join(t.TempDir(), "none.sock")); err == nil || !strings.Contains(err.Error(), "none.sock on ssh://deploy@127.0.0.1") {
		t.Errorf("a socket that is not there: %v", err)
	}
}

func TestSSH_AgentKeys(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	clientPub, _ := ssh.NewPublicKey(pub)
	hostKey := newSigner(t)
	srv := newSSHServer(t, clientPub, hostKey)
	sshHome(t, srv.port, []string{knownLine(srv.port, hostKey.PublicKey())}, nil)
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: key}); err != nil {
		t.Fatal(err)
	}
	agentSock := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", agentSock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _ = agent.ServeAgent(keyring, c); c.Close() }()
		}
	}()
	t.Setenv("SSH_AUTH_SOCK", agentSock)

	conn, err := dialSocket(t, unixHTTP(t))
	if err != nil {
		t.Fatalf("dial with the agent's key: %v", err)
	}
	conn.Close()
}

func TestSSH_RefusedKeysAreNamed(t *testing.T) {
	hostKey := newSigner(t)
	srv := newSSHServer(t, newSigner(t).PublicKey(), hostKey)
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	home := sshHome(t, srv.port, []string{knownLine(srv.port, hostKey.PublicKey())}, key)
	// A key with a passphrase cannot be used without ssh-agent: it is
	// named in the error, not asked for.
	_, locked, _ := ed25519.GenerateKey(rand.Reader)
	block, err := ssh.MarshalPrivateKeyWithPassphrase(locked, "", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(home, ".ssh", "id_rsa"), string(pem.EncodeToMemory(block)))

	_, err = dialSocket(t, unixHTTP(t))
	var ce *ConnectError
	if !errors.As(err, &ce) {
		t.Fatalf("dial: %v, want a ConnectError", err)
	}
	for _, want := range []string{
		"refused the keys",
		filepath.Join(home, ".ssh", "id_ed25519"),
		filepath.Join(home, ".ssh", "id_rsa") + " has a passphrase: add it to ssh-agent",
		"~deploy/.ssh/authorized_keys",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not say %q", err, want)
		}
	}
}

// A host with several keys is asked for the one known_hosts has, not for
// the one the client prefers (x/crypto/ssh: ECDSA before ed25519), which
// would look "changed".
func TestSSH_AsksForTheKnownKeysAlgorithm(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	clientPub, _ := ssh.NewPublicKey(pub)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecSigner, err := ssh.NewSignerFromKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	edSigner := newSigner(t)
	srv := newSSHServer(t, clientPub, ecSigner, edSigner)
	sshHome(t, srv.port, []string{knownLine(srv.port, edSigner.PublicKey())}, key)

	conn, err := dialSocket(t, unixHTTP(t))
	if err != nil {
		t.Fatalf("dial a host whose ed25519 key is known and whose ECDSA key is not: %v", err)
	}
	conn.Close()
}

func TestHost_FollowsTheDockerContext(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", dir)
	t.Setenv("DOCKER_HOST", "")
	t.Setenv("DOCKER_CONTEXT", "")
	meta := func(name, host string) {
		sum := sha256.Sum256([]byte(name))
		d := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]))
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(d, "meta.json"), `{"Name":"`+name+`","Metadata":{},"Endpoints":{"docker":{"Host":"`+host+`","SkipTLSVerify":false}}}`)
	}
	meta("prod", "ssh://deploy@prod.example.com")
	meta("staging", "ssh://deploy@staging.example.com:2222")

	host := func() string {
		t.Helper()
		h, err := Host()
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	if h := host(); h != "" {
		t.Errorf("no config.json: %q, want the default socket", h)
	}
	write(t, filepath.Join(dir, "config.json"), `{"auths":{},"currentContext":"prod"}`)
	if h := host(); h != "ssh://deploy@prod.example.com" {
		t.Errorf("current context prod: %q", h)
	}
	t.Setenv("DOCKER_CONTEXT", "staging")
	if h := host(); h != "ssh://deploy@staging.example.com:2222" {
		t.Errorf("DOCKER_CONTEXT=staging: %q", h)
	}
	t.Setenv("DOCKER_HOST", "unix:///run/podman/podman.sock")
	if h := host(); h != "unix:///run/podman/podman.sock" {
		t.Errorf("DOCKER_HOST wins over the context: %q", h)
	}
	t.Setenv("DOCKER_HOST", "")
	t.Setenv("DOCKER_CONTEXT", "gone")
	if _, err := Host(); err == nil || !strings.Contains(err.Error(), "docker context ls") {
		t.Errorf("a context that does not exist: %v", err)
	}
	t.Setenv("DOCKER_CONTEXT", "default")
	if h := host(); h != "" {
		t.Errorf("the default context: %q", h)
	}
}
