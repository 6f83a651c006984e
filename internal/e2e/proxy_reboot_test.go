package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/shipshape/shipshape/internal/proxy"
)

// TestProxyInstall_EngineRestart: an installed proxy comes back by itself
// when its engine stops and starts again, as at a reboot, and serves the
// routes it saved. The shared engine serves other tests meanwhile, so the
// engine restarted here is a second dockerd of this test's own (its data
// root, exec root, socket and containerd), on a host of its own: a network
// namespace, whose 127.0.0.1 is the proxy's and the backend's. It has no
// bridge and no iptables rules; in the shared engine's namespace,
// --bridge=none would delete that engine's docker0. It is given the
// proxy's image with docker save | docker load. Stopped with SIGTERM, as a
// shutdown stops it, it stops the proxy; then the admin socket's
// directory is removed, as a reboot empties /run; started again with the
// same flags, it starts the proxy without a docker start from anyone, and
// the saved route serves.
func TestProxyInstall_EngineRestart(t *testing.T) {
	image := proxyRelease(t, repoRoot(t), "e2e-reboot")
	_, noBridge := net.InterfaceByName("docker0") // the shared engine's
	eng := newPrivateEngine(t)
	started := time.Now()
	eng.start(t)
	t.Logf("a second dockerd answers on %s after %v (%s)", eng.host, time.Since(started).Round(time.Millisecond), eng.describe(t))
	eng.load(t, image)

	backend := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "b1 ok\n")
	}))
	backend.Listener.Close()
	backend.Listener = eng.listen(t)
	backend.Start()
	t.Cleanup(backend.Close)

	// /run and /var/lib of this "host": the socket's directory goes at the
	// reboot, the state's stays.
	runDir, libDir := filepath.Join(eng.root, "run", "shipshape"), filepath.Join(eng.root, "lib", "shipshape")
	sock, state := filepath.Join(runDir, "proxy.sock"), filepath.Join(libDir, "proxy.json")
	const name, listen = "shipshape-proxy", "127.0.0.1:8080" // the host is the engine's alone
	url := "http://" + listen + "/"
	t.Setenv("DOCKER_HOST", eng.host)
	code, out, errOut := shipshape(t, "proxy", "install", "--image", image, "--listen", listen,
		"--admin", "unix://"+sock, "--state", state)
	if code != 0 || !strings.Contains(out, "installed "+name) {
		t.Fatalf("proxy install on the second engine: exit %d\n%s%s\n%s", code, out, errOut, eng.logTail())
	}
	t.Log(strings.TrimSpace(out))

	admin := proxy.NewClient(sock)
	ctx := context.Background()
	health := proxy.Health{Path: "/healthz", Interval: 200 * time.Millisecond, Timeout: 2 * time.Second, Healthy: 1, Unhealthy: 3}
	if _, err := admin.SetService(ctx, "web", proxy.SetServiceRequest{Health: health}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Switch(ctx, "web", proxy.SwitchRequest{Target: backend.URL, Timeout: proxy.Duration(10 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	if body := eng.get(url); body != "b1 ok\n" {
		t.Fatalf("through the installed proxy: %q", body)
	}
	before := eng.inspect(t, name)
	if !before.State.Running || before.HostConfig.RestartPolicy.Name != "unless-stopped" {
		t.Fatalf("the installed proxy before the restart: %+v", before)
	}
	procs := eng.processes()
	containerd := 0
	for pid, cmdline := range procs {
		if strings.HasPrefix(cmdline, "containerd ") && strings.Contains(cmdline, eng.root+"/exec/containerd/") {
			containerd = pid
		}
	}
	if containerd == 0 {
		t.Fatalf("the second dockerd runs no containerd of its own; its processes: %v", procs)
	}

	// The shutdown: SIGTERM to dockerd, which stops its containers and its
	// containerd.
	dockerd := eng.cmd.Process.Pid
	stopped := time.Now()
	took := eng.stop(t)
	t.Logf("dockerd (pid %d) and its containerd (pid %d), the proxy's shim and the proxy exited %v after SIGTERM",
		dockerd, containerd, took.Round(time.Millisecond))
	if eng.serves(url, "b1 ok\n") {
		t.Fatal("the proxy still serves with its engine stopped: the restart below would prove nothing")
	}
	// What the engine wrote of the proxy as it stopped: stopped by the
	// shutdown, not by a user, so its restart policy holds at the next start.
	saved := eng.savedState(t, before.ID)
	t.Logf("the engine's record of the proxy while it is down: running %v, exit code %d, finished %s, stopped by hand %v, restarts %d",
		saved.State.Running, saved.State.ExitCode, saved.State.FinishedAt.Format(time.RFC3339Nano), saved.HasBeenManuallyStopped, saved.RestartCount)
	if saved.State.Running || saved.HasBeenManuallyStopped || saved.State.ExitCode != 0 || saved.State.FinishedAt.Before(stopped) {
		t.Errorf("the proxy as the engine left it: %+v; want stopped by the shutdown (exit code 0 on SIGTERM, after %s), not by hand",
			saved, stopped.UTC().Format(time.RFC3339Nano))
	}
	if err := os.RemoveAll(filepath.Join(eng.root, "run")); err != nil { // a reboot empties /run
		t.Fatal(err)
	}

	// The boot: the same dockerd, the same flags; nothing else is asked.
	restarted := time.Now()
	eng.start(t)
	answered := time.Since(restarted)
	waitUntil(t, time.Minute, "the engine started the installed proxy again and it serves the saved route", func() bool {
		return eng.serves(url, "b1 ok\n")
	})
	back := time.Since(restarted)
	after := eng.inspect(t, name)
	t.Logf("engine started again: it answered after %v, the proxy served the saved route after %v; the proxy: running %v, started %s (was %s), pid %d (was %d), restart count %d",
		answered.Round(time.Millisecond), back.Round(time.Millisecond), after.State.Running, after.State.StartedAt.Format(time.RFC3339Nano),
		before.State.StartedAt.Format(time.RFC3339Nano), after.State.Pid, before.State.Pid, after.RestartCount)
	if after.ID != before.ID || !after.State.Running || !after.State.StartedAt.After(restarted) || after.State.Pid == before.State.Pid ||
		after.HostConfig.RestartPolicy.Name != "unless-stopped" {
		t.Errorf("after the engine's restart %s is %+v; want the same container (%s) running, started after %s, in another process than %d, still unless-stopped",
			name, after, before.ID, restarted.UTC().Format(time.RFC3339Nano), before.State.Pid)
	}
	if v, err := admin.Version(ctx); err != nil || v.Version != "e2e-reboot" {
		t.Errorf("the admin socket, whose directory the reboot removed: %+v, %v; want version e2e-reboot", v, err)
	}
	st, err := admin.State(ctx)
	if err != nil || len(st.Services) != 1 || st.Services[0].Name != "web" || st.Services[0].Active != backend.URL {
		t.Errorf("the proxy's state after the restart: %+v, %v; want web on %s, as it saved it", st, err, backend.URL)
	}
	if _, err := net.InterfaceByName("docker0"); noBridge == nil && err != nil {
		t.Errorf("the shared engine's docker0 is gone (%v): the second engine changed this host's network", err)
	}
}

// privateEngine is a dockerd of one test's own beside the shared engine:
// everything of it (data, exec state, socket, log, its containerd's) is
// under root, and it can be stopped and started again without touching
// anything another test uses.
type privateEngine struct {
	root    string
	netns   string // the network namespace it runs in, a host of its own (/run/netns/NAME)
	host    string // unix://root/docker.sock
	dockerd string
	args    []string
	log     *os.File
	cmd     *exec.Cmd
	exited  chan struct{}
}

func newPrivateEngine(t *testing.T) *privateEngine {
	t.Helper()
	dockerd, err := exec.LookPath("dockerd")
	if err != nil {
		dockerd = "/usr/sbin/dockerd" // not always on a test's PATH
	}
	// Short, and not t.TempDir: unix socket paths are limited to 108
	// bytes, and the engine's mounts must go before its files do.
	root, err := os.MkdirTemp("", "shipshape-engine-")
	if err != nil {
		t.Fatal(err)
	}
	e := &privateEngine{root: root, host: "unix://" + filepath.Join(root, "docker.sock"), dockerd: dockerd}
	t.Cleanup(func() { e.cleanup(t) })
	name := filepath.Base(root)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v\n%s", name, err, out)
	}
	e.netns = filepath.Join("/run/netns", name)
	if out, err := exec.Command("ip", "-n", name, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("ip -n %s link set lo up: %v\n%s", name, err, out)
	}
	if err := os.WriteFile(filepath.Join(root, "daemon.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err) // not /etc/docker/daemon.json, which is the shared engine's
	}
	e.log, err = os.OpenFile(filepath.Join(root, "dockerd.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	e.args = []string{
		"--data-root", filepath.Join(root, "data"),
		"--exec-root", filepath.Join(root, "exec"),
		"--pidfile", filepath.Join(root, "dockerd.pid"),
		"--host", e.host,
		"--config-file", filepath.Join(root, "daemon.json"),
		// The host's network is all the proxy needs.
		"--bridge=none", "--iptables=false", "--ip-masq=false", "--ip-forward=false",
	}
	return e
}

// start starts dockerd (it starts its own containerd, whose state is under
// the exec root) and waits until it answers.
func (e *privateEngine) start(t *testing.T) {
	t.Helper()
	fmt.Fprintf(e.log, "\n--- %s: starting %s %s in %s\n", time.Now().UTC().Format(time.RFC3339Nano), e.dockerd, strings.Join(e.args, " "), e.netns)
	// nsenter enters the namespace and executes dockerd in its place.
	cmd := exec.Command("nsenter", append([]string{"--net=" + e.netns, e.dockerd}, e.args...)...)
	cmd.Stdout, cmd.Stderr = e.log, e.log
	// Should this test's process die, the engine stops with it. The death
	// signal follows the thread that started dockerd, not the process:
	// the goroutine that starts it keeps its thread until dockerd exits.
	// (Started from any thread, dockerd got SIGTERM when fetch, which
	// ends its thread after entering the namespace, ran on that one.)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	started, exited := make(chan error, 1), make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with dockerd
		err := cmd.Start()
		started <- err
		if err == nil {
			_ = cmd.Wait()
		}
		close(exited)
	}()
	if err := <-started; err != nil {
		t.Fatalf("starting %s: %v", e.dockerd, err)
	}
	e.cmd, e.exited = cmd, exited
	deadline := time.Now().Add(time.Minute)
	for {
		_, err := e.docker("version", "--format", "{{.Server.Version}}")
		if err == nil {
			return
		}
		select {
		case <-exited:
			t.Fatalf("dockerd exited (%v) before it answered; its log:\n%s", cmd.ProcessState, e.logTail())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("dockerd does not answer on %s after a minute (%v); its log:\n%s", e.host, err, e.logTail())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stop sends dockerd SIGTERM, as a shutdown does, and waits until it and
// every process it started (containerd, the shims, the containers) have
// exited; it returns how long that took.
func (e *privateEngine) stop(t *testing.T) time.Duration {
	t.Helper()
	procs := e.processes()
	begun := time.Now()
	if err := e.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM to dockerd: %v", err)
	}
	select {
	case <-e.exited:
	case <-time.After(2 * time.Minute):
		t.Fatalf("dockerd (pid %d) still runs 2 minutes after SIGTERM; its log:\n%s", e.cmd.Process.Pid, e.logTail())
	}
	fmt.Fprintf(e.log, "--- %s: dockerd exited: %v\n", time.Now().UTC().Format(time.RFC3339Nano), e.cmd.ProcessState)
	deadline := time.Now().Add(30 * time.Second)
	for {
		left := stillRunning(procs)
		for pid, cmdline := range e.processes() {
			left[pid] = cmdline
		}
		if len(left) == 0 {
			return time.Since(begun)
		}
		if time.Now().After(deadline) {
			t.Fatalf("30 s after dockerd exited, these of its processes still run: %v", left)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// docker runs the docker CLI against this engine.
func (e *privateEngine) docker(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, docker, append([]string{"--host", e.host}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("docker --host %s %s: %w: %s", e.host, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// describe is what the engine says of itself, for the log.
func (e *privateEngine) describe(t *testing.T) string {
	t.Helper()
	out, err := e.docker("info", "--format", "{{.ServerVersion}}, storage {{.Driver}}, cgroups {{.CgroupDriver}} v{{.CgroupVersion}}, root {{.DockerRootDir}}")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// load copies image from the shared engine into this one.
func (e *privateEngine) load(t *testing.T, image string) {
	t.Helper()
	begun := time.Now()
	save := exec.Command(docker, "save", image)
	load := exec.Command(docker, "--host", e.host, "load", "--quiet")
	pipe, err := save.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var saveErr, loadOut bytes.Buffer
	save.Stderr, load.Stdin, load.Stdout, load.Stderr = &saveErr, pipe, &loadOut, &loadOut
	if err := save.Start(); err != nil {
		t.Fatal(err)
	}
	if err := load.Start(); err != nil {
		_ = save.Process.Kill()
		_ = save.Wait()
		t.Fatal(err)
	}
	// load reads the pipe through its own descriptor; save exits once all
	// of the image is written to it.
	errSave, errLoad := save.Wait(), load.Wait()
	if errSave != nil || errLoad != nil {
		t.Fatalf("docker save %s | docker --host %s load: %v, %v\n%s%s", image, e.host, errSave, errLoad, saveErr.String(), loadOut.String())
	}
	t.Logf("%s copied into the second engine in %v: %s", image, time.Since(begun).Round(time.Millisecond), strings.TrimSpace(loadOut.String()))
}

// installedProxy is what a test reads of a container through the engine.
type installedProxy struct {
	ID           string
	RestartCount int
	State        struct {
		Running    bool
		Pid        int
		ExitCode   int
		StartedAt  time.Time
		FinishedAt time.Time
	}
	HostConfig struct {
		RestartPolicy struct{ Name string }
	}
}

func (e *privateEngine) inspect(t *testing.T, name string) installedProxy {
	t.Helper()
	out, err := e.docker("inspect", "--type", "container", name)
	if err != nil {
		t.Fatal(err)
	}
	var got []installedProxy
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 {
		t.Fatalf("docker inspect %s: %v\n%s", name, err, out)
	}
	return got[0]
}

// savedContainer is the engine's record of a container on disk.
type savedContainer struct {
	State struct {
		Running    bool
		ExitCode   int
		FinishedAt time.Time
	}
	HasBeenManuallyStopped bool
	RestartCount           int
}

// savedState reads the record the engine keeps of container id in its
// data root, which is all there is of it while the engine is down.
func (e *privateEngine) savedState(t *testing.T, id string) savedContainer {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(e.root, "data", "containers", id, "config.v2.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c savedContainer
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("the engine's record of %s: %v", id, err)
	}
	return c
}

// processes are the running processes whose command line names the
// engine's root: dockerd, its containerd, the shims it starts and the
// proxy (whose flags name its socket under root), by pid.
func (e *privateEngine) processes() map[int]string {
	mark := []byte(e.root + "/")
	found := map[int]string{}
	entries, _ := os.ReadDir("/proc")
	for _, entry := range entries {
		pid, err := strconv.Atoi(entry.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		// A process that has exited (a zombie too) has an empty command line.
		cmdline, err := os.ReadFile(filepath.Join("/proc", entry.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, mark) {
			continue
		}
		found[pid] = strings.Join(strings.Fields(strings.ReplaceAll(string(cmdline), "\x00", " ")), " ")
	}
	return found
}

// stillRunning are those of procs that run yet (the same pid with the
// same command line).
func stillRunning(procs map[int]string) map[int]string {
	left := map[int]string{}
	for pid, cmdline := range procs {
		data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		if err == nil && strings.Join(strings.Fields(strings.ReplaceAll(string(data), "\x00", " ")), " ") == cmdline {
			left[pid] = cmdline
		}
	}
	return left
}

// mounts are the mount points under the engine's root, deepest first.
func (e *privateEngine) mounts() []string {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	var found []string
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 5 {
			continue
		}
		point := unescapeMountPath(fields[4])
		if point == e.root || strings.HasPrefix(point, e.root+"/") {
			found = append(found, point)
		}
	}
	sort.Slice(found, func(i, j int) bool { return len(found[i]) > len(found[j]) })
	return found
}

// unescapeMountPath undoes mountinfo's octal escapes (\040 for a space).
func unescapeMountPath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// cleanup stops the engine if it runs, kills whatever of it outlived it
// (and fails the test for it), unmounts what it left mounted under its
// root and removes the root.
func (e *privateEngine) cleanup(t *testing.T) {
	if e.cmd != nil {
		select {
		case <-e.exited:
		default:
			_ = e.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-e.exited:
			case <-time.After(time.Minute):
				t.Errorf("dockerd (pid %d) still runs a minute after SIGTERM: killed", e.cmd.Process.Pid)
				_ = e.cmd.Process.Kill()
				<-e.exited
			}
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for left := e.processes(); len(left) > 0; left = e.processes() {
		if time.Now().After(deadline) {
			for pid, cmdline := range left {
				_ = syscall.Kill(pid, syscall.SIGKILL)
				t.Errorf("pid %d still ran 30 s after its engine stopped: killed: %s", pid, cmdline)
			}
			time.Sleep(time.Second)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if e.log != nil {
		e.log.Close()
	}
	left := e.mounts()
	for _, point := range left {
		if err := syscall.Unmount(point, syscall.MNT_DETACH); err != nil {
			t.Errorf("umount %s: %v", point, err)
		}
	}
	if len(left) > 0 {
		t.Logf("unmounted what the stopped engine left mounted: %s", strings.Join(left, ", "))
	}
	if still := e.mounts(); len(still) > 0 {
		t.Errorf("still mounted under %s: %v: not removing it", e.root, still)
		return
	}
	if err := os.RemoveAll(e.root); err != nil {
		t.Errorf("removing the second engine's files: %v", err)
	}
	if e.netns != "" {
		if out, err := exec.Command("ip", "netns", "delete", filepath.Base(e.netns)).CombinedOutput(); err != nil {
			t.Errorf("ip netns delete %s: %v\n%s", filepath.Base(e.netns), err, out)
		}
	}
}

// inNetns runs f on an OS thread that has entered the engine's network
// namespace, so that the sockets f makes are the engine host's. The
// thread stays locked: the runtime ends it with the goroutine, rather than
// give another goroutine a thread in that namespace.
func (e *privateEngine) inNetns(f func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		ns, err := os.Open(e.netns)
		if err != nil {
			done <- err
			return
		}
		defer ns.Close()
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- fmt.Errorf("entering %s: %w", e.netns, err)
			return
		}
		done <- f()
	}()
	return <-done
}

// listen is a listener on the engine host's 127.0.0.1.
func (e *privateEngine) listen(t *testing.T) net.Listener {
	t.Helper()
	var ln net.Listener
	err := e.inNetns(func() (err error) {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// client is an HTTP client whose connections are made on the engine's host.
func (e *privateEngine) client() *http.Client {
	return &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var conn net.Conn
			err := e.inNetns(func() (err error) {
				conn, err = (&net.Dialer{}).DialContext(ctx, network, addr)
				return err
			})
			return conn, err
		},
	}}
}

// serves says whether url on the engine's host answers 200 with body.
func (e *privateEngine) serves(url, body string) bool {
	got, status, err := e.fetch(url)
	return err == nil && status == http.StatusOK && got == body
}

// get is the body of url on the engine's host, or what failed.
func (e *privateEngine) get(url string) string {
	got, status, err := e.fetch(url)
	if err != nil {
		return err.Error()
	}
	if status != http.StatusOK {
		return fmt.Sprintf("%d %s", status, got)
	}
	return got
}

func (e *privateEngine) fetch(url string) (string, int, error) {
	c := e.client()
	defer c.CloseIdleConnections()
	resp, err := c.Get(url)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	return string(data), resp.StatusCode, err
}

// logTail is the end of dockerd's log, for a failure.
func (e *privateEngine) logTail() string {
	data, err := os.ReadFile(filepath.Join(e.root, "dockerd.log"))
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(data) > 4<<10 {
		data = data[len(data)-4<<10:]
	}
	return string(data)
}
