package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/cli"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/release"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// podmanSocket is where scripts/podman.sh serves Podman's Docker API.
const podmanSocket = "unix:///run/shipshape-podman/podman.sock"

// usePodman points this test's engine (DOCKER_HOST, for shipshape and the
// docker CLI alike) at Podman's API and its builds at the podman CLI, and
// returns a client for it. Without it the test fails, never skips.
func usePodman(t *testing.T) *client.Client {
	t.Helper()
	t.Setenv("DOCKER_HOST", podmanSocket)
	t.Setenv("SHIPSHAPE_DOCKER", "podman")
	c, err := engine.Connect(context.Background())
	if err != nil {
		t.Fatalf("%v: run scripts/podman.sh start (make test does)", err)
	}
	t.Cleanup(func() { c.Close() })
	if !engine.IsPodman(context.Background(), c) {
		t.Fatalf("the engine at %s is not Podman", podmanSocket)
	}
	return c
}

// TestPodman_BuildVerifyDeploy takes the versioned app through shipshape
// on Podman 4.3.1's Docker-compatible API: build with the podman CLI,
// verify (HEALTHCHECK seen, healthy, non-root processes listed), a host
// directory the image's user cannot write refused with both engines'
// fixes, then deploy through the proxy under load, switching twice with
// no failed request, and a release whose volume is root's refused before
// it starts while the running one keeps serving.
func TestPodman_BuildVerifyDeploy(t *testing.T) {
	ctx := context.Background()
	c := usePodman(t)
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"main.go": versionedApp, "Dockerfile": versionedDockerfile} {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=e2e", "-c", "user.email=e2e@example.com", "commit", "-qm", "app"}} {
		if out, err := exec.Command("git", append([]string{"-C", repo}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}

	// build: the podman CLI (SHIPSHAPE_DOCKER); shipshape has it write
	// Docker's image format, which keeps the HEALTHCHECK.
	name := "shipshape-e2e/podman-app"
	image := func(version string) string {
		t.Helper()
		start := time.Now()
		var out bytes.Buffer
		code := cli.Execute(ctx, []string{"build", "--name", name, "--tag", version, "--build-arg", "VERSION=" + version, "--build-arg", "HEALTHY=true", repo},
			strings.NewReader(""), &out, &out)
		if code != 0 {
			t.Fatalf("shipshape build %s on Podman: exit %d\n%s", version, code, out.String())
		}
		t.Logf("built %s:%s with the podman CLI in %v", name, version, time.Since(start).Round(time.Millisecond))
		ref := name + ":" + version
		t.Cleanup(func() { _, _ = c.ImageRemove(context.Background(), ref, client.ImageRemoveOptions{Force: true}) })
		return ref
	}
	v1 := image("v1")
	// Without SHIPSHAPE_DOCKER, build finds the engine is Podman and builds
	// with podman (docker's BuildKit cannot build through Podman's API).
	t.Setenv("SHIPSHAPE_DOCKER", "")
	v2 := image("v2")

	// verify, with a host directory only root may write mounted at /data.
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	code, checks, out := verifyImage(t, "--volume", data+":/data", v1)
	if code != 1 {
		t.Fatalf("verify with a root-owned /data: exit %d, want 1\n%s", code, out)
	}
	owners := checks["mount-owners"]
	for _, want := range []string{data, "uid 65532", "chown 65532:65532 " + data, "podman unshare chown 65532:65532 " + data, "--userns=keep-id:uid=65532,gid=65532"} {
		if owners.Passed || !strings.Contains(owners.Detail, want) {
			t.Errorf("mount-owners lacks %q: %+v", want, owners)
		}
	}
	if err := os.Chown(data, 65532, 65532); err != nil {
		t.Fatal(err)
	}
	code, checks, out = verifyImage(t, "--volume", data+":/data", v1)
	if code != 0 {
		t.Fatalf("verify on Podman: exit %d\n%s", code, out)
	}
	for _, name := range []string{"non-root-user", "healthcheck", "mount-owners", "healthy", "health-path", "process-uid", "graceful-stop"} {
		if c, ok := checks[name]; !ok || !c.Passed {
			t.Errorf("check %s = %+v", name, c)
		}
	}
	if d := checks["healthcheck"].Detail; !strings.Contains(d, "/app -healthcheck") {
		t.Errorf("healthcheck = %q, want the image's /app -healthcheck", d)
	}
	if d := checks["process-uid"].Detail; d != "processes run as uid 65532" {
		t.Errorf("process-uid = %q", d)
	}

	// deploy through the proxy, under load: v1, then v2, then v1 again.
	service := fmt.Sprintf("e2e-podman-%d", time.Now().UnixNano()%100000)
	removeReleases(t, service)
	addr, sock := startProxy(t, dir)
	opts := func(img string) dockerrelease.Options {
		return dockerrelease.Options{Service: service, Image: img, Proxy: sock, LockDir: dir, Timeout: 30 * time.Second, Drain: 3 * time.Second, Window: 3 * time.Second}
	}
	logSteps := func(version string) func(release.Step) {
		return func(s release.Step) {
			t.Logf("%s %s %v: %s", version, s.Name, s.Took.Round(time.Millisecond), s.Detail)
		}
	}
	if _, err := dockerrelease.Deploy(ctx, c, opts(v1), logSteps("v1")); err != nil {
		t.Fatalf("deploy v1 on Podman: %v", err)
	}
	if body := get(t, "http://"+addr+"/"); body != "v1 ok\n" {
		t.Fatalf("after v1: %q", body)
	}
	stopLoad := load(t, "http://"+addr+"/")
	for _, img := range []string{v2, v1} {
		if _, err := dockerrelease.Deploy(ctx, c, opts(img), logSteps(img)); err != nil {
			t.Fatalf("deploy %s on Podman under load: %v", img, err)
		}
	}
	r := stopLoad()
	t.Logf("traffic during two switches on Podman: %s; bodies %v; statuses %v", r, r.Bodies, r.ByStatus)
	if r.Failures != 0 || r.Bodies["v1"] == 0 || r.Bodies["v2"] == 0 {
		t.Errorf("%d of %d requests failed; versions served %v, want v1 and v2", r.Failures, r.Requests, r.Bodies)
	}

	// A volume a root container used first is root's: v2 is refused
	// before it starts, and v1 keeps serving.
	volume := fmt.Sprintf("e2e-podman-data-%d", time.Now().UnixNano()%100000)
	rootUses(t, c, volume)
	o := opts(v2)
	o.Mounts = []mount.Mount{{Type: mount.TypeVolume, Source: volume, Target: "/data"}}
	_, err := dockerrelease.Deploy(ctx, c, o, logSteps("v2 with "+volume))
	if err == nil {
		t.Fatal("a release whose /data volume is root's was deployed")
	}
	for _, want := range []string{"refused before it started", "the volume " + volume, "uid 65532", "chown 65532:65532 ", "podman unshare chown", "keeps serving"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal lacks %q: %v", want, err)
		}
	}
	if body := get(t, "http://"+addr+"/"); body != "v1 ok\n" {
		t.Errorf("after the refused release: %q", body)
	}
}

// TestDocker_MountOwnersRefused shows the same refusals on Docker: verify
// with a host directory only root may write, and a deploy whose new
// volume Docker leaves to root (the image has no /data to copy).
func TestDocker_MountOwnersRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	img := versionedImages(t, dir)("owners", "true")
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	code, checks, out := verifyImage(t, "--volume", data+":/data", img)
	if c := checks["mount-owners"]; code != 1 || c.Passed || !strings.Contains(c.Detail, "chown 65532:65532 "+data) {
		t.Fatalf("verify with a root-owned /data on Docker: exit %d, mount-owners %+v\n%s", code, c, out)
	}
	if err := os.Chown(data, 65532, 65532); err != nil {
		t.Fatal(err)
	}
	// The rest of verify reads Docker as it did: the HEALTHCHECK, the
	// processes' uids (ps -eo pid,uid on the host).
	code, checks, out = verifyImage(t, "--volume", data+":/data", img)
	if code != 0 || !checks["mount-owners"].Passed || checks["process-uid"].Detail != "processes run as uid 65532" ||
		!strings.Contains(checks["healthcheck"].Detail, "/app -healthcheck") || !checks["healthy"].Passed {
		t.Fatalf("verify on Docker with /data chowned to the image's user: exit %d\n%s", code, out)
	}

	c, err := engine.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	service := fmt.Sprintf("e2e-owners-%d", time.Now().UnixNano()%100000)
	removeReleases(t, service)
	_, sock := startProxy(t, dir)
	volume := service + "-data"
	t.Cleanup(func() { _, _ = c.VolumeRemove(context.Background(), volume, client.VolumeRemoveOptions{Force: true}) })
	_, err = dockerrelease.Deploy(ctx, c, dockerrelease.Options{Service: service, Image: img, Proxy: sock, LockDir: dir,
		Mounts: []mount.Mount{{Type: mount.TypeVolume, Source: volume, Target: "/data"}}}, nil)
	if err == nil || !strings.Contains(err.Error(), "refused before it started") || !strings.Contains(err.Error(), "chown 65532:65532 /var/lib/docker/volumes/"+volume+"/_data") {
		t.Fatalf("deploy with a new root-owned volume on Docker: %v", err)
	}
	if ps, _ := try("ps", "-aq", "--filter", "label="+dockerrelease.LabelApp+"="+service); ps != "" {
		t.Errorf("the refused release left containers: %s", ps)
	}
}

// rootUses runs a root container of debian:bookworm-slim with the named
// volume at /data, as an older image running as root would have: the
// volume is root's from then on. It is removed when the test ends.
func rootUses(t *testing.T, c *client.Client, volume string) {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { _, _ = c.VolumeRemove(context.Background(), volume, client.VolumeRemoveOptions{Force: true}) })
	created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     &container.Config{Image: "debian:bookworm-slim", User: "0", Cmd: []string{"true"}},
		HostConfig: &container.HostConfig{Mounts: []mount.Mount{{Type: mount.TypeVolume, Source: volume, Target: "/data"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = c.ContainerRemove(ctx, created.ID, client.ContainerRemoveOptions{Force: true}) }()
	if _, err := c.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatal(err)
	}
	wait := c.ContainerWait(ctx, created.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	select {
	case <-wait.Result:
	case err := <-wait.Error:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatal("the root container did not exit in 30 s")
	}
}
