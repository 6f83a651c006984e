package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// A bad flag is a usage error (exit 2) that names the flag, found before
// anything connects: neither the engine nor a cluster is reachable here,
// so an error about them would mean the flags were read too late.
func TestRelease_FlagsValidatedBeforeConnecting(t *testing.T) {
	nowhere := t.TempDir()
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(nowhere, "no-such.sock"))
	t.Setenv("KUBECONFIG", filepath.Join(nowhere, "no-such-kubeconfig"))
	k8s := []string{"deploy", "--target", "kubernetes", "--service", "shop", "--source", nowhere}
	for _, c := range []struct {
		args []string
		want string
	}{
		{append(k8s, "--url", "https://shop.example.com", "--port-forward", "8080"), "--url or --port-forward, not both"},
		{append(k8s, "--fail-on", "fatal"), "--fail-on"},
		{append(k8s, "--format", "yaml"), "text or json"},
		{append(k8s, "--env", "NOVALUE"), "KEY=VALUE"},
		{[]string{"deploy", "--target", "nomad", "--service", "shop", "shop:1"}, "docker or kubernetes"},
		{[]string{"deploy", "--service", "shop", "--window", "-1s", "shop:1"}, "--window"},
		{[]string{"deploy", "--service", "shop", "--project", "shop", "shop:1"}, "--project goes with --compose"},
		{[]string{"deploy", "--service", "shop", "--replicas", "65", "shop:1"}, "--replicas 65: from 1 to 64"},
		{[]string{"deploy", "--service", "shop", "--balance", "random", "shop:1"}, "--balance \"random\""},
		{[]string{"deploy", "--service", "shop", "--canary", "100%", "shop:1"}, "--canary \"100%\""},
		{[]string{"deploy", "--service", "shop", "--canary", "ten", "shop:1"}, "--canary \"ten\""},
		{[]string{"deploy", "--service", "shop", "--canary", "10%", "--canary-for", "0s", "shop:1"}, "--canary-for 0s"},
		{[]string{"deploy", "--service", "shop", "--canary", "10%", "--canary-max-errors", "0", "shop:1"}, "--canary-max-errors 0"},
		{[]string{"deploy", "--service", "shop", "--canary", "10%", "--canary-max-p99", "0.5", "shop:1"}, "--canary-max-p99 0.5"},
		{append(k8s, "--replicas", "3"), "--replicas and --canary are for one Docker host"},
		{[]string{"rollback", "--service", "shop", "--replicas", "-1"}, "--replicas -1"},
		{[]string{"rollback", "--target", "kubernetes", "--service", "shop", "--format", "xml"}, "text or json"},
		{[]string{"releases", "--target", "kubernetes", "--format", "xml", "shop"}, "text or json"},
		{[]string{"releases", "--target", "nomad", "shop"}, "docker or kubernetes"},
		{[]string{"status", "--format", "xml"}, "text or json"},
		{[]string{"verify", "--format", "xml", "shop:1"}, "text or json"},
	} {
		code, stdout, stderr := run(t, "", "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
		for _, late := range []string{"kubeconfig", "no container engine", "does not answer", "findings"} {
			if strings.Contains(stderr, late) {
				t.Errorf("%v: connected or checked before reading the flags: %q", c.args, stderr)
			}
		}
	}
}

// --canary takes a share with or without its percent sign; the
// thresholds, given in percentage points and a ratio, reach the deploy as
// the proxy reads them.
func TestRelease_CanaryFlags(t *testing.T) {
	for _, c := range []struct {
		args            []string
		share, maxError float64
		maxP99          float64
		replicas        int
	}{
		{nil, 0, 0, 1.5, 0},
		{[]string{"--canary", "10%", "--replicas", "3"}, 10, 0.01, 1.5, 3},
		{[]string{"--canary", "2.5", "--canary-max-errors", "5", "--canary-max-p99", "2"}, 2.5, 0.05, 2, 0},
	} {
		cmd := &cobra.Command{Use: "deploy"}
		d := &releaseOptions{}
		d.register(cmd, true)
		if err := cmd.ParseFlags(append([]string{"--service", "shop"}, c.args...)); err != nil {
			t.Fatal(err)
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		o := d.opts
		if o.Canary != c.share || o.CanaryThresholds.MaxErrorRate != c.maxError || o.CanaryThresholds.MaxP99 != c.maxP99 || o.Replicas != c.replicas ||
			o.Balance != "least-requests" || (c.share > 0 && o.CanaryFor != 2*time.Minute) {
			t.Errorf("%v: the deploy gets %+v", c.args, o)
		}
	}
}

// --window 0 means no verification window, in the CLI as in the
// library (deploy.Options.Window); the default is 10 s.
func TestRelease_WindowZeroMeansNoWindow(t *testing.T) {
	for _, c := range []struct {
		args []string
		want time.Duration
	}{
		{nil, 10 * time.Second},
		{[]string{"--window", "0"}, 0},
		{[]string{"--window", "3s"}, 3 * time.Second},
	} {
		cmd := &cobra.Command{Use: "deploy"}
		d := &releaseOptions{}
		d.register(cmd, true)
		if err := cmd.ParseFlags(append([]string{"--service", "shop"}, c.args...)); err != nil {
			t.Fatal(err)
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if d.opts.Window != c.want {
			t.Errorf("%v: the deploy gets Window %v, want %v", c.args, d.opts.Window, c.want)
		}
	}
}
