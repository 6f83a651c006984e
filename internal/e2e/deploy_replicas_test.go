package e2e

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/release"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// TestDeploy_Replicas: under steady traffic through shipshape proxy, v1
// runs as three replicas and the proxy spreads requests over all three;
// one replica's process is killed (a crash): the engine restarts it, the
// proxy takes it out and probes it back in, and no client notices; v2
// replaces all three at once; a v3 with one replica that never turns
// healthy is refused and v2 serves on. Not one request fails.
func TestDeploy_Replicas(t *testing.T) {
	ctx := context.Background()
	b := newDeployBench(t, "e2e-replicas")
	dir, image, service, addr, sock, c := b.dir, b.image, b.service, b.addr, b.sock, b.c
	v1, v2 := image("v1", "true"), image("v2", "true")
	opts := func(img string, env ...string) dockerrelease.Options {
		return dockerrelease.Options{Service: service, Image: img, Proxy: sock, LockDir: dir, Replicas: 3, Env: env,
			Timeout: 30 * time.Second, Drain: 5 * time.Second, Window: 2 * time.Second}
	}
	logSteps := func(name string) func(release.Step) {
		return func(s release.Step) { t.Logf("%s %s %v: %s", name, s.Name, s.Took.Round(time.Millisecond), s.Detail) }
	}
	res, err := dockerrelease.Deploy(ctx, c, opts(v1), logSteps("v1"))
	if err != nil {
		t.Fatalf("deploy v1: %v", err)
	}
	if len(res.Targets) != 3 {
		t.Fatalf("v1 runs on %v; want three replicas", res.Targets)
	}
	admin := proxy.NewClient(sock)
	stopLoad := load(t, "http://"+addr+"/")

	// Every replica serves.
	time.Sleep(2 * time.Second)
	st := serviceOf(t, admin, service)
	if len(st.Targets) != 3 {
		t.Fatalf("the proxy serves %+v; want three targets", st.Targets)
	}
	for _, tg := range st.Targets {
		if tg.Stats == nil || tg.Stats.Requests < 100 {
			t.Errorf("replica %s got %+v requests in 2 s of traffic", tg.URL, tg.Stats)
		}
	}

	// A crash: replica 2's process is killed. The engine restarts it; the
	// proxy takes it out and brings it back.
	victim := res.Targets[1]
	name := service + "-" + res.Release + "-2"
	pid := strings.TrimSpace(run(t, "inspect", "-f", "{{.State.Pid}}", name))
	if out, err := exec.Command("kill", "-9", pid).CombinedOutput(); err != nil {
		t.Fatalf("kill -9 %s (%s's process): %v %s", pid, name, err, out)
	}
	waitUntil(t, 30*time.Second, name+" restarted by the engine", func() bool {
		out, _ := try("inspect", "-f", "{{.RestartCount}} {{.State.Running}}", name)
		return strings.TrimSpace(out) != "" && !strings.HasPrefix(out, "0 ") && strings.Contains(out, "true")
	})
	ip, _ := try("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", name)
	if !strings.Contains(victim, "//"+strings.TrimSpace(ip)+":") {
		t.Fatalf("%s came back on %s, not at %s: the proxy cannot find it", name, ip, victim)
	}
	before := targetOf(t, admin, service, victim).Stats.Requests
	waitUntil(t, 30*time.Second, "the restarted replica back in the proxy", func() bool {
		tg := targetOf(t, admin, service, victim)
		return tg.Healthy && !tg.Down && tg.Stats.Requests > before+50
	})
	crashed := targetOf(t, admin, service, victim)
	t.Logf("after the crash, %s: %+v", victim, *crashed.Stats)

	// v2 replaces every replica at once.
	res2, err := dockerrelease.Deploy(ctx, c, opts(v2), logSteps("v2"))
	if err != nil {
		t.Fatalf("deploy v2: %v", err)
	}
	st = serviceOf(t, admin, service)
	if len(st.Targets) != 3 || st.Targets[0].URL != res2.Targets[0] {
		t.Errorf("after v2: %+v", st.Targets)
	}

	// v3's second replica never turns healthy: nothing switches.
	_, err = dockerrelease.Deploy(ctx, c, opts(v2, "SICK_REPLICA=2"), logSteps("v3"))
	if err == nil || !strings.Contains(err.Error(), "replica 2 of 3") || !strings.Contains(err.Error(), "keeps serving") {
		t.Fatalf("deploy of a release with a sick replica: %v", err)
	}
	if now := serviceOf(t, admin, service); now.Targets[0].URL != res2.Targets[0] || len(now.Targets) != 3 {
		t.Errorf("after the refused v3: %+v", now.Targets)
	}
	time.Sleep(500 * time.Millisecond)
	r := stopLoad()
	t.Logf("traffic through v1's crash, v2 and the refused v3: %s; bodies %v; statuses %v", r, r.Bodies, r.ByStatus)
	if r.Failures != 0 {
		t.Errorf("%d of %d requests failed", r.Failures, r.Requests)
	}
	if r.Bodies["v1"] == 0 || r.Bodies["v2"] == 0 || len(r.Bodies) != 2 {
		t.Errorf("versions served: %v; want v1 and v2", r.Bodies)
	}
	if res2.Served == 0 || res2.Failed != 0 {
		t.Errorf("v2's summary: the proxy served %d, %d failed", res2.Served, res2.Failed)
	}

	ps, _ := try("ps", "-a", "--filter", "label="+dockerrelease.LabelApp+"="+service, "--format", "{{.Names}} {{.State}}")
	running, stopped := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(ps), "\n") {
		switch {
		case strings.HasSuffix(line, " running") && strings.Contains(line, res2.Release):
			running++
		case strings.HasSuffix(line, " exited") && strings.Contains(line, res.Release):
			stopped++
		default:
			t.Errorf("container %q: want v2's three running and v1's three stopped, nothing of v3", line)
		}
	}
	if running != 3 || stopped != 3 {
		t.Errorf("release containers:\n%s", ps)
	}

	// status shows each replica's counters.
	code, out, errOut := shipshape(t, "status", service, "--proxy", sock)
	if code != 0 || !strings.Contains(out, "3 replicas, least-requests") || strings.Count(out, "healthy ") < 3 {
		t.Errorf("status: exit %d\n%s%s", code, out, errOut)
	}
	t.Logf("status:\n%s", out)
	code, out, _ = shipshape(t, "status", service, "--proxy", sock, "--format", "json")
	var js []struct {
		Targets []proxy.TargetState `json:"targets"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &js) != nil || len(js) != 1 || len(js[0].Targets) != 3 || js[0].Targets[0].Stats == nil {
		t.Errorf("status --format json: exit %d\n%s", code, out)
	}
}

func serviceOf(t *testing.T, admin *proxy.Client, service string) proxy.ServiceState {
	t.Helper()
	st, err := admin.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Services {
		if s.Name == service {
			return s
		}
	}
	t.Fatalf("the proxy has no service %s", service)
	return proxy.ServiceState{}
}

func targetOf(t *testing.T, admin *proxy.Client, service, url string) proxy.TargetState {
	t.Helper()
	for _, tg := range serviceOf(t, admin, service).Targets {
		if tg.URL == url {
			return tg
		}
	}
	t.Fatalf("%s serves no target %s", service, url)
	return proxy.TargetState{}
}

// waitUntil fails the test unless cond holds within d.
func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
