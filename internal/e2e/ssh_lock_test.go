package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/engine"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// remoteBench is a Docker host reached over SSH (scripts/sshd.sh on
// 127.0.0.1) with shipshape proxy running on it, for tests that deploy as a
// laptop or CI would: HOME holds the client key and the host's known key,
// ssh(1) on PATH uses them, and bin is shipshape built as a program, so
// that several deploys run as separate processes, each with its own SSH
// connection.
type remoteBench struct {
	host       remoteHost
	remote     string // root@127.0.0.1:PORT, for --host-ssh
	bin        string // the shipshape program
	sock, addr string // the proxy's admin socket on the host, its traffic address
	log        *sshdLog
}

func newRemoteBench(t *testing.T) *remoteBench {
	t.Helper()
	host := sshd(t)
	b := &remoteBench{host: host, remote: "root@127.0.0.1:" + host.port, log: &sshdLog{}}
	dir := t.TempDir()
	b.bin = filepath.Join(dir, "shipshape")
	if out, err := exec.Command("go", "build", "-o", b.bin, filepath.Join(repoRoot(t), "cmd", "shipshape")).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("SSH_AUTH_SOCK", "")
	t.Setenv("DOCKER_HOST", "")
	hostKey, err := os.ReadFile(filepath.Join(sshdState, "host_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	knownHosts := filepath.Join(home, ".ssh", "known_hosts")
	if err := os.MkdirAll(filepath.Dir(knownHosts), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(knownHosts, []byte("[127.0.0.1]:"+host.port+" "+string(hostKey)), 0o600); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(home, ".ssh", "id_ed25519")
	if err := os.WriteFile(key, host.clientKey, 0o600); err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\nexec /usr/bin/ssh -o UserKnownHostsFile=" + knownHosts + " -o IdentityFile=" + key + " -o BatchMode=yes \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "ssh"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))

	stamp := strconv.FormatInt(time.Now().UnixNano()%1000000, 10)
	b.sock = filepath.Join(sshdState, "remote", "proxy-"+stamp+".sock")
	b.addr = "127.0.0.1:" + freePort(t)
	sshRun := func(command string) *exec.Cmd { return exec.Command("ssh", "-p", host.port, "root@127.0.0.1", command) }
	startRemoteProxy(t, sshRun, b.bin, b.addr, b.sock, stamp)
	for i := 0; sshRun("test -S "+b.sock).Run() != nil; i++ {
		if i == 100 {
			t.Fatal("the proxy's admin socket did not appear on the host in 10 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.log.since(t)
	return b
}

// deploy starts shipshape deploy over SSH as a process of its own.
func (b *remoteBench) deploy(service, image string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	all := append([]string{"deploy", "--host-ssh", b.remote, "--proxy", b.sock, "--service", service, "--host", service + ".example.com",
		"--timeout", "30s", "--drain", "1s"}, args...)
	cmd := exec.Command(b.bin, append(all, image)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run deploys and waits: the exit code and the output.
func (b *remoteBench) run(t *testing.T, service, image string, args ...string) (int, string) {
	t.Helper()
	cmd, out := b.deploy(service, image, args...)
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

// lockHeld waits until the lock container of service exists on the
// engine, and returns its labels.
func lockHeld(t *testing.T, service string) string {
	t.Helper()
	for i := 0; i < 300; i++ {
		if out, err := try("inspect", "-f", "{{json .Config.Labels}}", "shipshape-lock-"+service); err == nil {
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no lock container shipshape-lock-%s after 15 s", service)
	return ""
}

// TestSSH_DeployLockAndHooks: deploys to one Docker host over SSH from
// several processes exclude each other through the lock on the host: two
// at once, exactly one releases; a deploy through the engine's local
// socket meanwhile is refused by the same lock; a deploy killed with
// SIGKILL leaves a lock the next deploy from this machine removes; a lock
// from another machine is refused, naming its holder, until the command
// the refusal prints breaks it. Then hooks of a release of two replicas
// get addresses on this machine's 127.0.0.1 that reach each new replica on
// the host through the SSH connection.
func TestSSH_DeployLockAndHooks(t *testing.T) {
	b := newRemoteBench(t)
	dir := t.TempDir()
	image := versionedImages(t, dir)
	v1, v2 := image("v1", "true"), image("v2", "true")
	service := fmt.Sprintf("e2e-lock-%d", time.Now().UnixNano()%100000)
	removeReleases(t, service)
	t.Cleanup(func() { _, _ = try("rm", "-f", "shipshape-lock-"+service) })

	// Two deploys at once, each a process with its own SSH connection. The
	// first holds the lock through its 6 s window; the second starts once
	// the lock is on the engine and is refused at once.
	first, firstOut := b.deploy(service, v1, "--window", "6s")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	labels := lockHeld(t, service)
	if !strings.Contains(labels, fmt.Sprintf("(pid %d)", first.Process.Pid)) {
		t.Errorf("the lock's labels do not name the first deploy's process %d: %s", first.Process.Pid, labels)
	}
	started := time.Now()
	code, out := b.run(t, service, v1, "--window", "6s")
	refusedIn := time.Since(started)
	if code != 1 || !strings.Contains(out, "another deploy of "+service+" is running on this host") ||
		!strings.Contains(out, fmt.Sprintf("(pid %d) holds its lock since", first.Process.Pid)) ||
		!strings.Contains(out, "DOCKER_HOST=ssh://"+b.remote+" docker rm -f shipshape-lock-"+service) {
		t.Errorf("the second deploy over SSH: exit %d\n%s", code, out)
	}
	// The same engine through its local socket, in this process: the same lock.
	c, err := engine.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = dockerrelease.Deploy(context.Background(), c, dockerrelease.Options{Service: service, Image: v1, Proxy: b.sock}, nil)
	if err == nil || !strings.Contains(err.Error(), "another deploy of "+service) {
		t.Errorf("a deploy through the local socket while one runs over SSH: %v", err)
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("the first deploy: %v\n%s", err, firstOut)
	}
	t.Logf("the second deploy was refused in %v while the first held the lock", refusedIn.Round(time.Millisecond))
	if _, err := try("inspect", "shipshape-lock-"+service); err == nil {
		t.Error("the lock container is left after the deploy ended")
	}
	if body := getHost(t, b.addr, service+".example.com"); body != "v1 ok\n" {
		t.Errorf("after the first deploy the host's proxy serves %q", body)
	}

	// Killed outright mid-deploy: its lock stays, and the next deploy from
	// this machine, seeing that process gone, removes it and says so.
	killed, _ := b.deploy(service, v2, "--window", "20s")
	if err := killed.Start(); err != nil {
		t.Fatal(err)
	}
	lockHeld(t, service)
	time.Sleep(500 * time.Millisecond)
	_ = killed.Process.Signal(syscall.SIGKILL)
	_ = killed.Wait()
	if _, err := try("inspect", "shipshape-lock-"+service); err != nil {
		t.Fatal("a deploy killed with SIGKILL left no lock: the test proves nothing")
	}
	code, out = b.run(t, service, v1, "--window", "1s")
	if code != 0 || !regexp.MustCompile(`lock .*removed the deploy lock of `+service+` that \S+ \(pid \d+\) took \S+ ago: that process no longer runs`).MatchString(out) {
		t.Errorf("the deploy after one killed: exit %d\n%s", code, out)
	}

	// A lock another machine holds cannot be judged from here: refused
	// until removed with the command the refusal prints.
	since := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	run(t, "create", "--name", "shipshape-lock-"+service, "--entrypoint", "/shipshape-deploy-lock",
		"--label", dockerrelease.LabelLock+"="+service,
		"--label", dockerrelease.LabelLock+".holder=ci@runner-7 (pid 4242)",
		"--label", dockerrelease.LabelLock+".since="+since,
		"--label", dockerrelease.LabelLock+".process=another-boot/pid:[4026531836]/4242/1000", v1)
	code, out = b.run(t, service, v2, "--window", "1s")
	breakIt := regexp.MustCompile(`DOCKER_HOST=\S+ docker rm -f \S+`).FindString(out)
	if code != 1 || !strings.Contains(out, "ci@runner-7 (pid 4242) holds its lock since "+since+" (1h0m") || breakIt == "" {
		t.Fatalf("a lock held on another machine: exit %d\n%s", code, out)
	}
	if out, err := exec.Command("sh", "-c", breakIt).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", breakIt, err, out)
	}

	// Hooks: with two replicas, SHIPSHAPE_TARGET and SHIPSHAPE_TARGETS are
	// addresses on this machine that reach the new replicas on the host
	// before any traffic moves to them.
	saw := filepath.Join(dir, "hook-saw")
	hook := `echo "$SHIPSHAPE_TARGET|$SHIPSHAPE_TARGETS|$SHIPSHAPE_PREVIOUS_TARGETS" > ` + saw +
		`; for t in $SHIPSHAPE_TARGETS; do curl -fsS --max-time 5 "$t/" >> ` + saw + ` || exit 1; done`
	code, out = b.run(t, service, v2, "--window", "1s", "--replicas", "2", "--pre-switch", hook)
	if code != 0 {
		t.Fatalf("deploy v2 with a pre-switch hook: exit %d\n%s", code, out)
	}
	data, err := os.ReadFile(saw)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	env := strings.Split(lines[0], "|")
	targets := strings.Fields(env[1])
	local := regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`)
	if len(lines) != 3 || len(targets) != 2 || targets[0] != env[0] || !local.MatchString(targets[0]) || !local.MatchString(targets[1]) ||
		lines[1] != "v2 ok" || lines[2] != "v2 ok" || len(strings.Fields(env[2])) != 1 {
		t.Errorf("the hook saw:\n%s\nwant the new replicas' addresses on 127.0.0.1, each answering v2 before the switch, and the previous release's", data)
	}
	if body := getHost(t, b.addr, service+".example.com"); body != "v2 ok\n" {
		t.Errorf("after v2 the host's proxy serves %q", body)
	}
}

// getHost is GET / on addr for host.
func getHost(t *testing.T, addr, host string) string {
	t.Helper()
	cmd := exec.Command("curl", "-sS", "--max-time", "5", "-H", "Host: "+host, "http://"+addr+"/")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("GET / on %s for %s: %v", addr, host, err)
	}
	return string(out)
}
