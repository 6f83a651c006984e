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
