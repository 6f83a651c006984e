package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/container"
)

// Bad input is refused (exit 2, naming the flag and the fix) before any
// engine is asked.
func TestProxyInstall_BadFlagsRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--state", "state.json"}, "--state \"state.json\": the path on the host must be absolute"},
		{[]string{"--admin", "unix://proxy.sock"}, "must be absolute"},
		{[]string{"--admin", "127.0.0.1:9901"}, "needs --token-file"},
		{[]string{"--tls-cert", "/etc/c.pem"}, "go together"},
		{[]string{"--acme-email", "ops@example.com"}, "add --acme"},
		{[]string{"--name", "a b"}, "want a container name"},
		{[]string{"--", "--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"--", "--trust", "not-a-cidr-but-parsed-later", "--rate-limit", "x"}, "invalid argument \"x\""},
	} {
		code, _, stderr := run(t, "", "", append([]string{"proxy", "install"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("proxy install %v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// The container runs shipshape proxy with the flags given, on the host's
// network, restarted unless stopped, hardened, with the socket's and the
// state's directories mounted where they are on the host; the image's
// probe stays only where it reaches the proxy.
func TestProxyInstall_Container(t *testing.T) {
	c := newProxyInstallCommand()
	must(t, c.cmd.Flags().Parse([]string{"--listen", ":443", "--http-listen", ":80", "--acme", "--acme-email", "ops@example.com",
		"--admin", "unix:///run/shipshape/proxy.sock", "--state", "/var/lib/shipshape/proxy.json", "--image", "shipshape:abc", "--", "--gzip"}))
	c.svc.extra = c.cmd.Flags().Args()
	must(t, c.svc.Validate())
	create := c.svc.container("sha256:1234", true)
	wantArgs := []string{"proxy", "--listen", ":443", "--admin", "unix:///run/shipshape/proxy.sock", "--state", "/var/lib/shipshape/proxy.json",
		"--acme", "--acme-email", "ops@example.com", "--http-listen", ":80", "--gzip"}
	if !reflect.DeepEqual([]string(create.Config.Cmd), wantArgs) {
		t.Errorf("command: %q\nwant     %q", create.Config.Cmd, wantArgs)
	}
	hc := create.HostConfig
	if hc.NetworkMode != "host" || hc.RestartPolicy.Name != container.RestartPolicyUnlessStopped || !hc.ReadonlyRootfs ||
		!reflect.DeepEqual(hc.CapDrop, []string{"ALL"}) || !reflect.DeepEqual(hc.CapAdd, []string{"NET_BIND_SERVICE"}) {
		t.Errorf("host config: %+v", hc)
	}
	if want := []string{"/run/shipshape:/run/shipshape", "/var/lib/shipshape:/var/lib/shipshape"}; !reflect.DeepEqual(hc.Binds, want) {
		t.Errorf("binds %q, want %q", hc.Binds, want)
	}
	if create.Config.Healthcheck == nil || create.Config.Healthcheck.Test[0] != "NONE" {
		t.Errorf("HTTPS on :443: the image's plain-HTTP probe of :8080 must be off, got %+v", create.Config.Healthcheck)
	}

	// Read back from the label, as upgrade does.
	back, err := serviceOf("shipshape-proxy", decodeConfig(t, create.Config.Labels[labelProxyConfig]))
	must(t, err)
	if !reflect.DeepEqual(back.args(), wantArgs) || back.image != "shipshape:abc" || back.user != "0:0" {
		t.Errorf("read back: %q image %s user %s", back.args(), back.image, back.user)
	}

	plain := newProxyInstallCommand()
	must(t, plain.cmd.Flags().Parse([]string{"--listen", "0.0.0.0:8080", "--state", "/srv/proxy/state.json", "--admin", "unix:///srv/proxy/admin.sock"}))
	create = plain.svc.container("sha256:1234", true)
	if create.Config.Healthcheck != nil || len(create.HostConfig.Binds) != 1 {
		t.Errorf("plain HTTP on :8080: the image's probe fits and one directory holds both: %+v, %+v", create.Config.Healthcheck, create.HostConfig.Binds)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return -1
}

func decodeConfig(t *testing.T, label string) installedConfig {
	t.Helper()
	var cfg installedConfig
	if err := json.Unmarshal([]byte(label), &cfg); err != nil {
		t.Fatalf("label %q: %v", label, err)
	}
	return cfg
}

// --systemd writes a unit for the binary, which systemd-analyze verify
// accepts where it is installed; this machine boots without systemd, so
// the unit is written, not started, and the output says so. A second
// install is a no-op; another configuration wants --force.
func TestProxyInstall_SystemdUnit(t *testing.T) {
	dir := t.TempDir()
	units := filepath.Join(dir, "units")
	binary := filepath.Join(dir, "shipshape")
	must(t, os.WriteFile(binary, []byte("#!/bin/sh\n"), 0o755))
	args := []string{"proxy", "install", "--systemd", "--unit-dir", units, "--binary", binary,
		"--listen", "127.0.0.1:8080", "--state", filepath.Join(dir, "state dir", "proxy.json"), "--admin", "unix://" + filepath.Join(dir, "proxy.sock")}
	code, stdout, stderr := run(t, "", "", args...)
	if code != 0 {
		t.Fatalf("install --systemd: exit %d\n%s%s", code, stdout, stderr)
	}
	unit, err := os.ReadFile(filepath.Join(units, "shipshape-proxy.service"))
	must(t, err)
	for _, want := range []string{"ExecStart=" + binary + " proxy --listen 127.0.0.1:8080 --admin unix://", `--state "` + dir + `/state dir/proxy.json"`,
		"Restart=always", "WantedBy=multi-user.target", "AmbientCapabilities=CAP_NET_BIND_SERVICE"} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("the unit lacks %q:\n%s", want, unit)
		}
	}
	if _, err := exec.LookPath("systemd-analyze"); err == nil && !strings.Contains(stdout, "no complaints") {
		t.Errorf("systemd-analyze is installed but install did not say it verified the unit:\n%s", stdout)
	}
	if _, err := os.Stat("/run/systemd/system"); err != nil && !strings.Contains(stdout, "systemd is not running on this machine") {
		t.Errorf("without systemd running, install must say the unit is not started:\n%s", stdout)
	}

	code, stdout, _ = run(t, "", "", args...)
	if code != 0 || !strings.Contains(stdout, "nothing to do") {
		t.Errorf("a second install: exit %d, %q; want 0 and nothing to do", code, stdout)
	}
	code, _, stderr = run(t, "", "", append(args, "--listen", "127.0.0.1:9090")...)
	if code != 2 || !strings.Contains(stderr, "--force replaces it") {
		t.Errorf("another configuration: exit %d, %q; want 2 and --force", code, stderr)
	}
	code, _, _ = run(t, "", "", append(args, "--listen", "127.0.0.1:9090", "--force")...)
	if unit, _ := os.ReadFile(filepath.Join(units, "shipshape-proxy.service")); code != 0 || !strings.Contains(string(unit), "127.0.0.1:9090") {
		t.Errorf("--force: exit %d, unit:\n%s", code, unit)
	}
}

// --systemd with the Docker host on another machine (--host-ssh or
// DOCKER_HOST=ssh://) is refused before anything connects: the unit
// would be written here, not there.
func TestProxyInstall_SystemdOnARemoteHostRefused(t *testing.T) {
	t.Setenv("DOCKER_HOST", "") // --host-ssh sets it; this puts it back after the test
	units := t.TempDir()
	code, _, stderr := run(t, "", "", "proxy", "install", "--systemd", "--unit-dir", units, "--host-ssh", "deploy@web1.invalid")
	if code != 2 || !strings.Contains(stderr, "the Docker host is ssh://deploy@web1.invalid") || !strings.Contains(stderr, "on that host") {
		t.Errorf("install --systemd --host-ssh: exit %d, %q; want 2, naming the host and where to run it", code, stderr)
	}
	if entries, _ := os.ReadDir(units); len(entries) != 0 {
		t.Errorf("install --systemd for a remote host wrote %v here", entries)
	}
}

// A --token-file is read whole up to 64 KiB; a larger one is refused
// rather than read into memory.
func TestProxyInstall_TokenFileBounded(t *testing.T) {
	dir := t.TempDir()
	small, big := filepath.Join(dir, "token"), filepath.Join(dir, "big")
	must(t, os.WriteFile(small, []byte("s3cret\n"), 0o600))
	must(t, os.WriteFile(big, make([]byte, maxTokenFile+1), 0o600))
	if data, err := readBounded(small); err != nil || string(data) != "s3cret\n" {
		t.Errorf("a token file: %q, %v", data, err)
	}
	if _, err := readBounded(big); !errors.Is(err, errTokenFileSize) {
		t.Errorf("a token file of %d bytes: %v; want %v", maxTokenFile+1, err, errTokenFileSize)
	}
}

// deploy on a host where no proxy answers says what to install (exit 2),
// and asks only on a terminal.
func TestProxyAnswers_SaysWhatToInstall(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "proxy.sock")
	c := newProxyInstallCommand()
	c.cmd.SetContext(context.Background())
	c.cmd.SetIn(strings.NewReader("y\n")) // not a terminal: never read
	err := proxyAnswers(c.cmd, sock)
	if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "shipshape proxy install --admin unix://"+sock) {
		t.Errorf("no proxy: %v (exit %d); want exit 2 naming shipshape proxy install --admin unix://%s", err, exitCode(err), sock)
	}
}

func TestSystemdQuote(t *testing.T) {
	for in, want := range map[string]string{"--listen": "--listen", "/a b": `"/a b"`, "": `""`, `50%$x"`: `"50%%$$x\""`} {
		if got := systemdQuote(in); got != want {
			t.Errorf("systemdQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
