package e2e

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// sshdState is where scripts/sshd.sh keeps the SSH server the remote-host
// test logs in to: its keys, port, log, and remote/, a directory that is
// a tmpfs in sshd's mount namespace only.
const sshdState = "/run/shipshape-sshd"

// remoteHost is the OpenSSH server scripts/sshd.sh runs on 127.0.0.1.
type remoteHost struct {
	port            string
	hostFingerprint string
	clientKey       []byte
}

func sshd(t *testing.T) remoteHost {
	t.Helper()
	port, err := os.ReadFile(filepath.Join(sshdState, "port"))
	if err != nil {
		t.Fatalf("no SSH server (%v): run scripts/sshd.sh start (make test does)", err)
	}
	pub, err := os.ReadFile(filepath.Join(sshdState, "host_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	key, _, _, _, err := ssh.ParseAuthorizedKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	client, err := os.ReadFile(filepath.Join(sshdState, "client_key"))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(filepath.Join(repoRoot(t), "scripts", "sshd.sh"), "status").CombinedOutput(); err != nil {
		t.Fatalf("%s: run scripts/sshd.sh start (make test does)", out)
	}
	return remoteHost{port: strings.TrimSpace(string(port)), hostFingerprint: ssh.FingerprintSHA256(key), clientKey: client}
}

// sshdLog reads what sshd logged since offset: the connections it
// accepted and the unix sockets it opened for them.
type sshdLog struct{ offset int64 }

func (l *sshdLog) since(t *testing.T) (accepted int, sockets []string) {
	accepted, sockets, _ = l.read(t)
	return accepted, sockets
}

// read also returns the TCP addresses sshd connected to for the client
// (host:port).
func (l *sshdLog) read(t *testing.T) (accepted int, sockets, tcp []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sshdState, "sshd.log"))
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(data)) < l.offset {
		l.offset = 0 // sshd started again
	}
	for _, line := range strings.Split(string(data[l.offset:]), "\n") {
		if strings.HasPrefix(line, "Accepted publickey for root from 127.0.0.1") {
			accepted++
		}
		if _, target, ok := strings.Cut(line, "server_request_direct_tcpip: originator"); ok {
			if _, to, ok := strings.Cut(target, "target "); ok {
				host, port, _ := strings.Cut(strings.TrimSpace(to), " port ")
				tcp = append(tcp, net.JoinHostPort(host, port))
			}
		}
		if _, target, ok := strings.Cut(line, "server_request_direct_streamlocal: originator"); ok {
			if _, path, ok := strings.Cut(target, "target "); ok {
				sockets = append(sockets, strings.TrimSpace(path))
			}
		}
	}
	l.offset = int64(len(data))
	return accepted, sockets, tcp
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestSSH_RemoteHost works on a Docker host over SSH, the way a laptop or
// CI deploys to a server: an OpenSSH server (scripts/sshd.sh) on
// 127.0.0.1 stands for the host. An unknown host key and a changed one are
// refused with the commands that fix them; then build (the docker CLI over
// ssh), verify, deploy twice, rollback, releases, status, logs and
// maintenance run with --host-ssh, against a proxy started on the host
// over SSH whose admin socket is on a file system that only sshd's mount
// namespace has: this process cannot open it except through sshd.
//
// What 127.0.0.1 cannot prove: the host shares this machine's network,
// so verify's request to the port it publishes on 127.0.0.1 and deploy's
// smoke checks of the new container's address would also succeed if they
// did not go through SSH (they do not: docs/releasing.md, Remote hosts).
func TestSSH_RemoteHost(t *testing.T) {
	host := sshd(t)
	// The shipshape the host runs its proxy with, built before HOME moves
	// (Go's caches are under it).
	bin := t.TempDir()
	shipshapeBin := filepath.Join(bin, "shipshape")
	if out, err := exec.Command("go", "build", "-o", shipshapeBin, filepath.Join(repoRoot(t), "cmd", "shipshape")).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("SSH_AUTH_SOCK", "")
	t.Setenv("DOCKER_HOST", "") // --host-ssh sets it; this puts it back after the test
	knownHosts := filepath.Join(home, ".ssh", "known_hosts")
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "id_ed25519"), host.clientKey, 0o600); err != nil {
		t.Fatal(err)
	}
	remote := "root@127.0.0.1:" + host.port
	log := &sshdLog{}
	log.since(t)

	// An unknown host: refused before logging in, with the key's
	// fingerprint and the command that trusts it.
	code, _, errOut := shipshape(t, "releases", "nothing", "--host-ssh", remote)
	trust := fmt.Sprintf("ssh-keyscan -p %s 127.0.0.1 >> %s", host.port, knownHosts)
	if code != 2 || !strings.Contains(errOut, "is not known") || !strings.Contains(errOut, host.hostFingerprint) || !strings.Contains(errOut, trust) {
		t.Fatalf("unknown host key: exit %d, %s\nwant exit 2, the fingerprint %s and %q", code, errOut, host.hostFingerprint, trust)
	}
	// A changed key (known_hosts has another for the host): refused loudly,
	// naming the line, with the commands that replace it. Running them
	// (the ones the refusal prints) makes the host known.
	other, err := os.ReadFile(filepath.Join(sshdState, "client_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(knownHosts, []byte("# an old key\n[127.0.0.1]:"+host.port+" "+string(other)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = shipshape(t, "releases", "nothing", "--host-ssh", remote)
	if code != 2 || !strings.Contains(errOut, "CHANGED") || !strings.Contains(errOut, knownHosts+":2") {
		t.Fatalf("changed host key: exit %d, %s", code, errOut)
	}
	if accepted, _ := log.since(t); accepted != 0 {
		t.Fatalf("a refused host was logged in to %d times", accepted)
	}
	fix := regexp.MustCompile(`ssh-keygen -R '[^']+' -f \S+|ssh-keyscan -p \d+ \S+ >> \S+`).FindAllString(errOut, -1)
	if len(fix) != 2 {
		t.Fatalf("the refusal does not print the two commands that fix it: %s", errOut)
	}
	for _, c := range fix {
		if out, err := exec.Command("sh", "-c", strings.TrimSuffix(c, ",")).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", c, err, out)
		}
	}

	// The docker CLI build runs reaches the host with ssh(1), which reads
	// ~/.ssh from the password database, not $HOME: a wrapper points it at
	// this test's.
	wrapper := "#!/bin/sh\nexec /usr/bin/ssh -o UserKnownHostsFile=" + knownHosts + " -o IdentityFile=" + filepath.Join(home, ".ssh", "id_ed25519") + " -o BatchMode=yes \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "ssh"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	// The proxy runs on the host, started over SSH: its admin socket is on
	// the tmpfs only sshd's mount namespace has.
	stamp := strconv.FormatInt(time.Now().UnixNano()%1000000, 10)
	sock := filepath.Join(sshdState, "remote", "proxy-"+stamp+".sock")
	addr := "127.0.0.1:" + freePort(t)
	sshRun := func(command string) *exec.Cmd {
		return exec.Command("ssh", "-p", host.port, "root@127.0.0.1", command)
	}
	startRemoteProxy(t, sshRun, shipshapeBin, addr, sock, stamp)
	for i := 0; sshRun("test -S "+sock).Run() != nil; i++ {
		if i == 100 {
			t.Fatal("the proxy's admin socket did not appear on the host in 10 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Fatalf("%s is on this host's file system (%v): the test would not prove the socket is reached over SSH", sock, err)
	}
	t.Setenv("DOCKER_HOST", "") // the refused --host-ssh above set it
	if code, _, errOut := shipshape(t, "status", "--proxy", sock); code != 2 || !strings.Contains(errOut, "does not answer") {
		t.Fatalf("status without SSH reached the host's socket: exit %d %s", code, errOut)
	}
	log.since(t)

	// One SSH connection carries the proxy's admin API and the Docker API.
	code, out, errOut := shipshape(t, "status", "--host-ssh", remote, "--proxy", sock)
	if code != 0 || !strings.Contains(out, "the proxy serves no service yet") {
		t.Fatalf("status over SSH: exit %d %s%s", code, out, errOut)
	}
	// (status asks the proxy for its state and its certificates: a channel each.)
	accepted, sockets := log.since(t)
	if accepted != 1 || count(sockets, sock) == 0 || count(sockets, "/var/run/docker.sock") == 0 {
		t.Errorf("status: %d SSH connections, sockets %v; want 1 connection carrying %s and /var/run/docker.sock", accepted, sockets, sock)
	}

	// build: the docker CLI (Debian's 20.10, BuildKit) runs the build on
	// the host through `docker system dial-stdio` over ssh.
	repo := t.TempDir()
	for name, content := range map[string]string{"main.go": versionedApp, "Dockerfile": versionedDockerfile} {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git(t, repo, "init", "-q")
	git(t, repo, "add", "-A")
	git(t, repo, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com", "commit", "-qm", "app")
	name := "shipshape-e2e/ssh-" + stamp
	refs := []string{name + ":v1", name + ":v2"}
	t.Cleanup(func() { _, _ = try(append([]string{"rmi", "-f"}, refs...)...) })
	for _, v := range []string{"v1", "v2"} {
		code, out, errOut := shipshape(t, "build", "--host-ssh", remote, "--name", name, "--tag", v,
			"--build-arg", "VERSION="+v, "--build-arg", "HEALTHY=true", repo)
		if code != 0 || !strings.Contains(out, name+":"+v) {
			t.Fatalf("build %s over SSH: exit %d\n%s\n%s", v, code, out, errOut)
		}
		refs = append(refs, strings.Fields(out)[0]) // NAME:<commit>
	}
	if accepted, _ := log.since(t); accepted == 0 {
		t.Error("build: the docker CLI opened no SSH connection")
	}

	if code, out, errOut := shipshape(t, "verify", "--host-ssh", remote, name+":v1"); code != 0 {
		t.Fatalf("verify over SSH: exit %d\n%s\n%s", code, out, errOut)
	}
	// verify's requests to the port it published on the host's 127.0.0.1
	// were made from the host.
	if _, _, tcp := log.read(t); len(tcp) == 0 || !strings.HasPrefix(tcp[0], "127.0.0.1:") {
		t.Errorf("verify: sshd connected to %v for it; want the published port on 127.0.0.1", tcp)
	}

	service := "e2e-ssh-" + stamp
	removeReleases(t, service)
	deploy := func(verb string, args ...string) string {
		t.Helper()
		all := append([]string{verb, "--host-ssh", remote, "--proxy", sock, "--service", service, "--host", "ssh.example.com",
			"--timeout", "30s", "--drain", "1s", "--window", "1s"}, args...)
		code, out, errOut := shipshape(t, all...)
		if code != 0 {
			t.Fatalf("%s over SSH: exit %d\n%s\n%s", verb, code, out, errOut)
		}
		return out
	}
	serves := func(want string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/", nil)
		req.Host = "ssh.example.com"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body := make([]byte, 64)
		n, _ := resp.Body.Read(body)
		if got := string(body[:n]); got != want {
			t.Errorf("the host's proxy serves %q (%d), want %q", got, resp.StatusCode, want)
		}
	}
	deploy("deploy", name+":v1")
	accepted, sockets, tcp := log.read(t)
	if accepted != 0 || count(sockets, sock) == 0 || count(sockets, "/var/run/docker.sock") == 0 {
		t.Errorf("deploy: %d new SSH connections, sockets %v; want the process's one connection carrying %s and /var/run/docker.sock", accepted, sockets, sock)
	}
	// Its smoke checks of the new release went to the container's address
	// on the host's Docker network from the host.
	if len(tcp) == 0 || !strings.HasSuffix(tcp[0], ":8080") {
		t.Errorf("deploy: sshd connected to %v for it; want the new release's address, port 8080", tcp)
	}
	serves("v1 ok\n")
	deploy("deploy", name+":v2")
	serves("v2 ok\n")
	deploy("rollback")
	serves("v1 ok\n")

	code, out, errOut = shipshape(t, "releases", service, "--host-ssh", remote)
	if code != 0 || strings.Count(out, "\n") != 3 || !strings.Contains(out, name+":v2") {
		t.Errorf("releases over SSH: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = shipshape(t, "status", service, "--host-ssh", remote, "--proxy", sock)
	if code != 0 || !strings.HasPrefix(out, service+": ") || !strings.Contains(out, "(healthy)") {
		t.Errorf("status over SSH: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = shipshape(t, "logs", service, "--host-ssh", remote)
	if code != 0 || strings.TrimSpace(out) != "v1 listening on :8080" {
		t.Errorf("logs over SSH: exit %d %q %s", code, out, errOut)
	}
	code, out, errOut = shipshape(t, "maintenance", "on", service, "--host-ssh", remote, "--proxy", sock)
	if code != 0 || !strings.Contains(out, "in maintenance") {
		t.Errorf("maintenance on over SSH: exit %d %s%s", code, out, errOut)
	}
	code, out, errOut = shipshape(t, "maintenance", "off", service, "--host-ssh", remote, "--proxy", sock)
	if code != 0 || !strings.Contains(out, "serving") {
		t.Errorf("maintenance off over SSH: exit %d %s%s", code, out, errOut)
	}
	serves("v1 ok\n")
}

// startRemoteProxy starts (with sshRun) bin's proxy on the SSH host, listening on addr
// with its admin API on sock, its state named by stamp, and stops it when
// the test ends.
func startRemoteProxy(t *testing.T, sshRun func(string) *exec.Cmd, bin, addr, sock, stamp string) {
	t.Helper()
	proxyCmd := sshRun(fmt.Sprintf("echo $$; exec %s proxy --listen %s --admin unix://%s --state %s --access-log=false",
		bin, addr, sock, filepath.Join(sshdState, "remote", "proxy-"+stamp+".json")))
	stdout, err := proxyCmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := proxyCmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("starting the proxy over SSH: %v", err)
	}
	t.Cleanup(func() {
		_ = sshRun("kill " + strings.TrimSpace(pid)).Run()
		_ = proxyCmd.Wait()
	})
}
