package cli

import (
	"io"
	"os"
	"strings"
	"testing"
)

// Every verb that works on a Docker host takes --host-ssh, spelled the
// same way.
func TestHostFlags_EveryDockerHostVerb(t *testing.T) {
	root := newRootCommand(strings.NewReader(""), io.Discard, io.Discard)
	for _, name := range []string{"build", "verify", "deploy", "rollback", "releases", "status", "logs", "maintenance", "pause", "resume"} {
		verb, _, err := root.Find([]string{name})
		if err != nil || verb.Name() != name {
			t.Fatalf("no verb %s: %v", name, err)
		}
		if verb.Flags().Lookup("host-ssh") == nil {
			t.Errorf("%s has no --host-ssh", name)
		}
	}
}

func TestHostFlags_RefusedBeforeAnythingConnects(t *testing.T) {
	t.Setenv("DOCKER_HOST", "") // --host-ssh sets it for the process
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"releases", "shop", "--host-ssh", "deploy:secret@example.com"}, "never a password"},
		{[]string{"status", "--host-ssh", "deploy@example.com:0"}, "is not 1-65535"},
		{[]string{"logs", "shop", "--host-ssh", "deploy@example.com/var/run/docker.sock"}, "nothing may follow the host"},
		{[]string{"releases", "shop", "--target", "kubernetes", "--host-ssh", "deploy@example.com"}, "with --target kubernetes the kubeconfig"},
	} {
		code, _, errOut := run(t, "", "", tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		t.Errorf("a refused --host-ssh set DOCKER_HOST=%s", h)
	}
}

// A DOCKER_HOST that is not an SSH URL is the engine's business, not the
// flag's: a verb reports it as the engine does.
func TestHostFlags_BadSSHHostInTheEnvironment(t *testing.T) {
	t.Setenv("DOCKER_HOST", "ssh://deploy@example.com/tmp/docker.sock")
	code, _, errOut := run(t, "", "", "releases", "shop")
	if code != exitUsage || !strings.Contains(errOut, "DOCKER_HOST") || !strings.Contains(errOut, "nothing may follow the host") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}
