// Package e2e holds the tests that run on a real Docker engine: the one
// scripts/engine.sh installs and starts (the README's test command runs it
// first). Without an engine these tests fail, never skip.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/cli"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/testutil"
)

// docker is the client that comes with Debian's docker.io: it builds with
// BuildKit without a buildx plugin, which a newer client on the PATH wants.
const docker = "/usr/bin/docker"

// run runs docker with args and returns its trimmed standard output.
func run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := try(args...)
	if err != nil {
		t.Fatalf("docker %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func try(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, docker, args...)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// noneLeft returns a check, to run when the test ends, that fails t with
// what the docker listing args (e.g. ps -aq --filter label=…) shows then
// and did not show when noneLeft was called, of what this process made
// (engine.LabelRun): what an earlier run, killed before it could clean
// up, or another process's run beside this one has on the engine is not
// this test's doing.
func noneLeft(t *testing.T, what string, args ...string) func() {
	t.Helper()
	args = append(args, "--filter", "label="+engine.LabelRun+"="+engine.RunID)
	was, err := try(args...)
	if err != nil {
		t.Fatalf("docker %s: %v", strings.Join(args, " "), err)
	}
	before := map[string]bool{}
	for _, id := range strings.Fields(was) {
		before[id] = true
	}
	return func() {
		now, _ := try(args...)
		var left []string
		for _, id := range strings.Fields(now) {
			if !before[id] {
				left = append(left, id)
			}
		}
		if len(left) > 0 {
			t.Errorf("%s: %s", what, strings.Join(left, " "))
		}
	}
}

func TestMain(m *testing.M) {
	if _, err := try("info", "--format", "{{.ServerVersion}}"); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: no Docker engine answers (%v).\n"+
			"e2e: run scripts/engine.sh (make test does) to install and start it.\n", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// verifyImage runs `shipshape verify --format json` in process and
// returns its exit code and report.
func verifyImage(t *testing.T, args ...string) (int, map[string]verifyCheck, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Execute(context.Background(), append([]string{"verify", "--format", "json"}, args...), strings.NewReader(""), &out, &errOut)
	var rep struct {
		Checks []verifyCheck `json:"checks"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("verify %v: exit %d, stderr %q, output not JSON: %v\n%s", args, code, errOut.String(), err, out.String())
	}
	checks := map[string]verifyCheck{}
	for _, c := range rep.Checks {
		checks[c.Name] = c
	}
	return code, checks, out.String()
}

type verifyCheck struct {
	Name    string `json:"name"`
	Passed  bool   `json:"passed"`
	Warning bool   `json:"warning"`
	Detail  string `json:"detail"`
}

// TestVerify_GoExample builds examples/good/go-api on the engine and has
// `shipshape verify` prove it: non-root, HEALTHCHECK, healthy in a
// read-only, capability-less run, /healthz 200, no uid 0 process, exit 0 on
// SIGTERM, and a runtime image under 25 MB.
func TestVerify_GoExample(t *testing.T) {
	tag := fmt.Sprintf("shipshape-e2e/go-api:%d", time.Now().UnixNano())
	run(t, "build", "-q", "-t", tag, filepath.Join(repoRoot(t), "examples", "good", "go-api"))
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })

	code, checks, out := verifyImage(t, "--max-size", "25", tag)
	if code != 0 {
		t.Fatalf("verify exit %d:\n%s", code, out)
	}
	for _, name := range []string{"non-root-user", "healthcheck", "size", "layers", "wasted-bytes", "setuid-files", "shell", "package-manager",
		"healthy", "health-path", "memory", "process-uid", "graceful-stop"} {
		if c, ok := checks[name]; !ok || !c.Passed {
			t.Errorf("check %s = %+v", name, c)
		}
	}
	t.Logf("%s", out)
	if left, _ := try("ps", "-aq", "--filter", "ancestor="+tag); left != "" {
		t.Errorf("verify left containers behind: %s", left)
	}
}

// TestVerify_CatchesTheUsualMistakes runs verify on the image most teams
// start with: root, no HEALTHCHECK, a shell-form CMD whose shell (PID 1)
// never passes SIGTERM on, so `docker stop` has to kill it.
func TestVerify_CatchesTheUsualMistakes(t *testing.T) {
	dir := t.TempDir()
	dockerfile := "FROM python:3.11-slim-bookworm\nWORKDIR /srv\n" +
		"RUN head -c 2000000 /dev/zero > /opt/blob\nRUN rm /opt/blob\n" + // shipped, then hidden
		"EXPOSE 8000\nCMD python3 -m http.server 8000\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("shipshape-e2e/naive:%d", time.Now().UnixNano())
	run(t, "build", "-q", "-t", tag, dir)
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })

	code, checks, out := verifyImage(t, "--grace", "2s", "--health-path", "/", tag)
	if code != 1 {
		t.Fatalf("verify exit %d, want 1:\n%s", code, out)
	}
	want := map[string]bool{"non-root-user": false, "healthcheck": false, "starts": true, "health-path": true, "process-uid": false, "graceful-stop": false}
	for name, passed := range want {
		if c, ok := checks[name]; !ok || c.Passed != passed {
			t.Errorf("check %s = %+v, want passed=%v", name, c, passed)
		}
	}
	if d := checks["graceful-stop"].Detail; !strings.Contains(d, "did not exit within 2s") {
		t.Errorf("graceful-stop detail = %q", d)
	}
	// Left-overs are warnings: reported, not failing on their own.
	if d := checks["wasted-bytes"].Detail; !strings.Contains(d, "1.9 MB shipped but overwritten or deleted") || !strings.Contains(d, "/opt/blob") {
		t.Errorf("wasted-bytes detail = %q", d)
	}
	for _, name := range []string{"shell", "package-manager", "setuid-files", "wasted-bytes"} {
		if c := checks[name]; c.Passed || !c.Warning {
			t.Errorf("check %s = %+v, want a warning", name, c)
		}
	}
}

func TestVerify_NoSuchImageIsOneSentence(t *testing.T) {
	var out, errOut bytes.Buffer
	code := cli.Execute(context.Background(), []string{"verify", "shipshape-e2e/no-such-image:0"}, strings.NewReader(""), &out, &errOut)
	if code != 2 || out.Len() != 0 || !strings.Contains(errOut.String(), "no image shipshape-e2e/no-such-image:0 on the engine: build it first") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// TestBuildThenVerify is the path a user takes: a committed repository,
// `shipshape build` tags it with the commit and labels it, `shipshape verify`
// proves the result.
func TestBuildThenVerify(t *testing.T) {
	src := filepath.Join(repoRoot(t), "examples", "good", "go-api")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(data)
	}
	repo := testutil.WriteTree(t, files)
	git := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-qm", "go-api")
	git("remote", "add", "origin", "git@github.com:acme/go-api.git")
	sha := git("rev-parse", "HEAD")

	name := fmt.Sprintf("shipshape-e2e/built-%d", time.Now().UnixNano())
	var out, errOut bytes.Buffer
	code := cli.Execute(context.Background(), []string{"build", "--name", name, "--tag", "latest", repo}, strings.NewReader(""), &out, &errOut)
	ref := name + ":" + sha[:12]
	t.Cleanup(func() { _, _ = try("rmi", "-f", ref, name+":latest") })
	if code != 0 {
		t.Fatalf("build exit %d\nstdout %s\nstderr %s", code, out.String(), errOut.String())
	}
	if !strings.HasPrefix(out.String(), ref+"\tsha256:") {
		t.Errorf("build printed %q, want the reference %s, ID and size", out.String(), ref)
	}
	labels := run(t, "inspect", "-f", `{{index .Config.Labels "org.opencontainers.image.revision"}} {{index .Config.Labels "org.opencontainers.image.source"}}`, ref)
	if labels != sha+" https://github.com/acme/go-api" {
		t.Errorf("labels = %q", labels)
	}
	if id1, id2 := run(t, "inspect", "-f", "{{.Id}}", ref), run(t, "inspect", "-f", "{{.Id}}", name+":latest"); id1 != id2 {
		t.Errorf("latest is %s, commit tag %s", id2, id1)
	}
	if code, _, report := verifyImage(t, ref); code != 0 {
		t.Fatalf("verify of the built image: exit %d\n%s", code, report)
	}
}
