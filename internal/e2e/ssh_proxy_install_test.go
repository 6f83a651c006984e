package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSSH_ProxyInstall: the proxy as a service on a Docker host reached
// over SSH (scripts/sshd.sh on 127.0.0.1, the shared engine behind it),
// each verb run with DOCKER_HOST=ssh://root@127.0.0.1:PORT as a laptop or
// CI runs it. proxy install starts the proxy's container on that engine
// and asks its admin socket through the SSH connection; installing again
// does nothing; a deploy over SSH switches the installed proxy to the new
// release; proxy upgrade over SSH, under keep-alive load, fails no
// request; installing again with the new image does nothing.
//
// The proxy runs in the engine's container, and the engine (dockerd) is
// not in sshd's mount namespace, so its admin socket cannot be on the
// tmpfs only sshd sees (as TestSSH_RemoteHost's proxy, a process started
// over SSH, is): it is in a directory this process could open too.
// sshd's log shows that every verb opened it through SSH.
func TestSSH_ProxyInstall(t *testing.T) {
	root := repoRoot(t)
	// Built before newRemoteBench moves HOME (Go's caches are under it).
	v1 := proxyRelease(t, root, "e2e-ssh-install")
	v2 := proxyRelease(t, root, "e2e-ssh-upgrade")
	b := newRemoteBench(t)
	stamp := strconv.FormatInt(time.Now().UnixNano()%1000000, 10)
	app := versionedImages(t, t.TempDir())
	r1, r2 := "s1-"+stamp, "s2-"+stamp // what each release answers
	app1, app2 := app(r1, "true"), app(r2, "true")

	dir := t.TempDir()
	sock, state := filepath.Join(dir, "run", "proxy.sock"), filepath.Join(dir, "lib", "proxy.json")
	name := "shipshape-e2e-ssh-proxy-" + stamp
	addr := "127.0.0.1:" + freePort(t)
	url := "http://" + addr + "/"
	removeInstalledProxy(t, name)
	service := "e2e-sshpx-" + stamp
	removeReleases(t, service)

	// Each verb runs with DOCKER_HOST set to the SSH host; this test's own
	// docker calls go to the engine's socket.
	overSSH := func(args ...string) (int, string, string) {
		t.Helper()
		t.Setenv("DOCKER_HOST", "ssh://"+b.remote)
		code, out, errOut := shipshape(t, args...)
		t.Setenv("DOCKER_HOST", "")
		return code, out, errOut
	}
	throughSSH := func(verb string) {
		t.Helper()
		_, sockets := b.log.since(t)
		if count(sockets, sock) == 0 || count(sockets, "/var/run/docker.sock") == 0 {
			t.Errorf("%s: sshd opened %v for it; want the proxy's admin socket %s and /var/run/docker.sock", verb, sockets, sock)
		}
	}

	install := []string{"proxy", "install", "--name", name, "--image", v1, "--listen", addr, "--admin", "unix://" + sock, "--state", state}
	b.log.since(t)
	code, out, errOut := overSSH(install...)
	if code != 0 || !strings.Contains(out, "installed "+name) || !strings.Contains(out, "(version e2e-ssh-install)") {
		t.Fatalf("proxy install over SSH: exit %d\n%s%s", code, out, errOut)
	}
	t.Log(strings.TrimSpace(out))
	throughSSH("install")
	if got := run(t, "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.NetworkMode}} {{.State.Running}} {{.HostConfig.ReadonlyRootfs}}", name); got != "unless-stopped host true true" {
		t.Errorf("the container install started over SSH: %q; want unless-stopped host true true (restart policy, network, running, read-only)", got)
	}
	if code, out, errOut := overSSH(install...); code != 0 || !strings.Contains(out, "nothing to do") {
		t.Errorf("installing again over SSH: exit %d, %q %s; want 0 and nothing to do", code, out, errOut)
	}

	deploy := func(image string) {
		t.Helper()
		code, out, errOut := overSSH("deploy", "--proxy", sock, "--service", service, "--timeout", "30s", "--drain", "1s", "--window", "1s", image)
		if code != 0 {
			t.Fatalf("deploy %s over SSH through the installed proxy: exit %d\n%s%s", image, code, out, errOut)
		}
		throughSSH("deploy")
	}
	b.log.since(t)
	deploy(app1)
	if body := get(t, url); body != r1+" ok\n" {
		t.Fatalf("after the deploy over SSH the installed proxy serves %q; want %q", body, r1+" ok\n")
	}

	// An upgrade over SSH under load drops nothing.
	stop := keepAliveLoad(t, url, 16)
	time.Sleep(time.Second)
	code, out, errOut = overSSH("proxy", "upgrade", "--name", name, "--image", v2)
	time.Sleep(time.Second)
	r := stop()
	t.Logf("proxy upgrade over SSH under load: %s; bodies %v\n%s", r, r.Bodies, strings.TrimSpace(out))
	if code != 0 || !strings.Contains(out, "→ e2e-ssh-upgrade") {
		t.Fatalf("proxy upgrade over SSH: exit %d\n%s%s", code, out, errOut)
	}
	throughSSH("upgrade")
	if r.Failures != 0 || r.Requests < 200 || r.Bodies[r1] != r.Requests {
		t.Errorf("%d of %d requests failed during the upgrade over SSH (%v); want none", r.Failures, r.Requests, r.ByStatus)
	}
	v2ID := run(t, "image", "inspect", "-f", "{{.Id}}", v2)
	if got := run(t, "inspect", "-f", "{{.Image}} {{.HostConfig.RestartPolicy.Name}} {{.State.Running}}", name); got != v2ID+" unless-stopped true" {
		t.Errorf("after the upgrade over SSH %s is %q; want %s unless-stopped true", name, got, v2ID)
	}
	if _, err := try("inspect", name+"-next"); err == nil {
		t.Errorf("the new proxy still runs as %s-next", name)
	}
	if code, out, errOut := overSSH("proxy", "upgrade", "--name", name, "--image", v2); code != 0 || !strings.Contains(out, "nothing to upgrade") {
		t.Errorf("upgrading again over SSH to the same image: exit %d, %q %s", code, out, errOut)
	}
	upgraded := append(append([]string(nil), install[:5]...), append([]string{v2}, install[6:]...)...)
	if code, out, errOut := overSSH(upgraded...); code != 0 || !strings.Contains(out, "nothing to do") {
		t.Errorf("installing the upgraded image again over SSH (%s): exit %d, %q %s; want 0 and nothing to do",
			strings.Join(upgraded, " "), code, out, errOut)
	}

	// The upgraded proxy takes the next deploy over SSH.
	b.log.since(t)
	deploy(app2)
	if body := get(t, url); body != r2+" ok\n" {
		t.Errorf("after the second deploy over SSH the upgraded proxy serves %q; want %q", body, r2+" ok\n")
	}

	// An admin API on TCP, with a token: the token file is on the Docker
	// host, so install reads it in the proxy's container through the
	// engine (the engine logs an archive-path event), and asks the proxy
	// on the host's 127.0.0.1 through the SSH connection.
	tcpName, adminAddr := name+"-tcp", "127.0.0.1:"+freePort(t)
	t.Cleanup(func() { _, _ = try("rm", "-f", tcpName) })
	token := filepath.Join(dir, "secrets", "admin.token")
	if err := os.MkdirAll(filepath.Dir(token), 0o700); err != nil {
		t.Fatal(err)
	}
	tcpInstall := []string{"proxy", "install", "--name", tcpName, "--image", v2, "--listen", "127.0.0.1:" + freePort(t),
		"--admin", adminAddr, "--token-file", token, "--state", filepath.Join(dir, "tcp", "proxy.json")}
	// A proxy that cannot start (a token the proxy refuses: bad input,
	// exit 2) fails the install at its first exit, with its log, and is
	// removed: left, its restart policy would start it forever, and the
	// next install would find it installed.
	if err := os.WriteFile(token, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	begun := time.Now()
	code, out, errOut = overSSH(tcpInstall...)
	failedIn := time.Since(begun)
	if code != 2 || !strings.Contains(errOut, "exited") || !strings.Contains(errOut, "the token must be at least 16 characters") ||
		!strings.Contains(errOut, "is removed") || failedIn > 20*time.Second {
		t.Errorf("install of a proxy that exits at once: exit %d after %v\n%s%s\nwant exit 2 at its first exit, its log and the container removed", code, failedIn, out, errOut)
	}
	if _, err := try("inspect", tcpName); err == nil {
		t.Errorf("the failed install left %s behind", tcpName)
	}
	t.Logf("install of a proxy that exits at once failed in %v", failedIn.Round(time.Millisecond))
	if err := os.WriteFile(token, []byte("e2e-admin-token-"+stamp+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	since := time.Now()
	b.log.since(t)
	code, out, errOut = overSSH(tcpInstall...)
	if code != 0 || !strings.Contains(out, "(version e2e-ssh-upgrade)") {
		t.Fatalf("proxy install over SSH with the admin API on TCP: exit %d\n%s%s", code, out, errOut)
	}
	if _, _, tcp := b.log.read(t); count(tcp, adminAddr) == 0 {
		t.Errorf("install with --admin %s: sshd connected to %v for it; want %s", adminAddr, tcp, adminAddr)
	}
	events := run(t, "events", "--since", strconv.FormatInt(since.Unix()-1, 10), "--until", strconv.FormatInt(time.Now().Unix()+1, 10),
		"--filter", "container="+tcpName, "--filter", "event=archive-path", "--format", "{{.Action}}")
	if !strings.Contains(events, "archive-path") {
		t.Errorf("install did not read --token-file in the proxy's container through the engine (no archive-path event: %q)", events)
	}
	if code, out, errOut := overSSH(tcpInstall...); code != 0 || !strings.Contains(out, "nothing to do") {
		t.Errorf("installing the proxy with the admin API on TCP again over SSH: exit %d, %q %s", code, out, errOut)
	}
}
