package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/engine"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// TestDeploy_ReleaseCommandAndHooks: under steady traffic, a release
// command that fails stops the deploy with its output and the release's
// environment (seed 002 ran alembic in every container's entrypoint
// instead); a pre-switch hook that fails removes the new release; a
// post-switch hook that fails switches back; then all pass and the new
// release serves. v1 serves throughout the failures, no request fails, and
// no release command container is left behind.
func TestDeploy_ReleaseCommandAndHooks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	image := versionedImages(t, dir)
	v1, v2 := image("v1", "true"), image("v2", "true")
	service := fmt.Sprintf("e2e-hooks-%d", time.Now().UnixNano()%100000)
	removeReleases(t, service)
	t.Cleanup(func() {
		ids, _ := try("ps", "-aq", "--filter", "label="+dockerrelease.LabelApp+".release-command="+service)
		for _, id := range strings.Fields(ids) {
			_, _ = try("rm", "-f", id)
		}
	})
	addr, sock := startProxy(t, dir)
	c, err := engine.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	opts := func(img string) dockerrelease.Options {
		return dockerrelease.Options{Service: service, Image: img, Proxy: sock, LockDir: dir, Timeout: 20 * time.Second,
			Drain: 2 * time.Second, Window: 2 * time.Second, Env: []string{"GREETING=from-the-release-env"}}
	}
	if _, err := dockerrelease.Deploy(ctx, c, opts(v1), nil); err != nil {
		t.Fatalf("deploy v1: %v", err)
	}
	stopLoad := load(t, "http://"+addr+"/")

	o := opts(v2)
	o.ReleaseCommand = []string{"/app", "-exit", "3", "-say", "no such table: users"}
	_, err = dockerrelease.Deploy(ctx, c, o, nil)
	if err == nil || !strings.Contains(err.Error(), "exited with code 3") || !strings.Contains(err.Error(), "no such table: users from-the-release-env") ||
		!strings.Contains(err.Error(), "keeps serving") {
		t.Fatalf("a failing release command: %v", err)
	}
	if body := get(t, "http://"+addr+"/"); body != "v1 ok\n" {
		t.Fatalf("after the failed release command: %q", body)
	}

	o.ReleaseCommand = []string{"/app", "-exit", "0", "-say", "migrated"}
	o.PreSwitch = "echo checking $SHIPSHAPE_IMAGE; exit 4"
	if _, err = dockerrelease.Deploy(ctx, c, o, nil); err == nil || !strings.Contains(err.Error(), "pre-switch hook") ||
		!strings.Contains(err.Error(), "checking "+v2) || !strings.Contains(err.Error(), "keeps serving") {
		t.Fatalf("a failing pre-switch hook: %v", err)
	}
	if body := get(t, "http://"+addr+"/"); body != "v1 ok\n" {
		t.Fatalf("after the failed pre-switch hook: %q", body)
	}

	o.PreSwitch = ""
	o.PostSwitch = `test -n "$SHIPSHAPE_PREVIOUS" && exit 7`
	if _, err = dockerrelease.Deploy(ctx, c, o, nil); err == nil || !strings.Contains(err.Error(), "post-switch hook") || !strings.Contains(err.Error(), "switched back") {
		t.Fatalf("a failing post-switch hook: %v", err)
	}
	if body := get(t, "http://"+addr+"/"); body != "v1 ok\n" {
		t.Fatalf("after the failed post-switch hook: %q", body)
	}

	seen := filepath.Join(dir, "hook-saw")
	o.PostSwitch = `echo "$SHIPSHAPE_SERVICE $SHIPSHAPE_RELEASE $SHIPSHAPE_TARGET" > ` + seen
	res, err := dockerrelease.Deploy(ctx, c, o, nil)
	if err != nil {
		t.Fatalf("deploy v2 with everything passing: %v", err)
	}
	if body := get(t, "http://"+addr+"/"); body != "v2 ok\n" {
		t.Fatalf("after v2: %q", body)
	}
	got, _ := os.ReadFile(seen)
	if want := service + " " + res.Release + " " + res.Target + "\n"; string(got) != want {
		t.Errorf("the post-switch hook saw %q, want %q", got, want)
	}
	steps := ""
	for _, s := range res.Steps {
		steps += s.Name + " "
	}
	if !strings.HasPrefix(steps, "image release-command start smoke switch post-switch") {
		t.Errorf("steps %q", steps)
	}
	r := stopLoad()
	t.Logf("traffic through three refused releases and one good one: %s", r)
	if r.Failures > 0 {
		t.Errorf("%d requests failed", r.Failures)
	}
	if left, _ := try("ps", "-aq", "--filter", "label="+dockerrelease.LabelApp+".release-command="+service); strings.TrimSpace(left) != "" {
		t.Errorf("release command containers left: %s", left)
	}
}
