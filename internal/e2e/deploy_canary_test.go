package e2e

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/release"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// TestDeploy_Canary: under steady traffic (clients without cookies, so
// each request is given a side: the canary's share is a share of
// requests), deploy --canary 10% decides by itself from the proxy's
// counters. A good v2 is promoted after its trial, and meanwhile clients
// that keep their cookie stay on one version; a v3 failing one request in
// five is aborted, every failed request being one the canary answered;
// a v4 answering 300 ms late is aborted on its p99 with no request
// failed. v2 serves throughout after its promotion.
func TestDeploy_Canary(t *testing.T) {
	ctx := context.Background()
	b := newDeployBench(t, "e2e-canary")
	dir, image, service, addr, sock, c := b.dir, b.image, b.service, b.addr, b.sock, b.c
	v1, v2, v3, v4 := image("v1", "true"), image("v2", "true"), image("v3", "true"), image("v4", "true")
	admin := proxy.NewClient(sock)
	opts := func(img string, env ...string) dockerrelease.Options {
		return dockerrelease.Options{Service: service, Image: img, Proxy: sock, LockDir: dir, Env: env,
			Timeout: 30 * time.Second, Drain: 5 * time.Second, Window: 2 * time.Second, Canary: 10, CanaryFor: 6 * time.Second}
	}
	logSteps := func(name string) func(release.Step) {
		return func(s release.Step) { t.Logf("%s %s %v: %s", name, s.Name, s.Took.Round(time.Millisecond), s.Detail) }
	}
	// The first release has nothing to compare with: a plain switch.
	res, err := dockerrelease.Deploy(ctx, c, opts(v1), logSteps("v1"))
	if err != nil || res.Canary != nil {
		t.Fatalf("deploy v1: %v (canary %+v)", err, res)
	}

	// A good release, promoted; sticky clients stay on their side.
	stopLoad := load(t, "http://"+addr+"/")
	sticky := stickyClients(t, admin, service, "http://"+addr+"/", 60)
	res, err = dockerrelease.Deploy(ctx, c, opts(v2), logSteps("v2"))
	if err != nil {
		t.Fatalf("deploy v2: %v", err)
	}
	r := stopLoad()
	seen := sticky()
	t.Logf("v2's canary: %s; bodies %v; statuses %v", r, r.Bodies, r.ByStatus)
	if res.Canary == nil || !res.Canary.Promoted || res.Canary.Canary.Requests == 0 {
		t.Fatalf("v2 was not promoted after a canary: %+v", res.Canary)
	}
	if r.Failures != 0 {
		t.Errorf("%d requests failed around v2's canary", r.Failures)
	}
	onCanary := 0
	for i, versions := range seen {
		if len(versions) != 1 {
			t.Errorf("sticky client %d saw %v during the trial; want one version", i, versions)
		}
		if versions["v2"] > 0 {
			onCanary++
		}
	}
	t.Logf("sticky clients during the trial: %d of %d on the canary", onCanary, len(seen))
	// Each is given its side in turn with the load's requests, so about
	// one in ten: none of 60 has a chance of 0.2%.
	if onCanary == 0 || onCanary == len(seen) {
		t.Errorf("%d of %d sticky clients on the canary; want some, not all", onCanary, len(seen))
	}
	if body := get(t, "http://"+addr+"/"); body != "v2 ok\n" {
		t.Errorf("after v2's promotion: %q", body)
	}

	// A release failing 20% of its requests: aborted; only its share failed.
	stopLoad = load(t, "http://"+addr+"/")
	start := time.Now()
	_, err = dockerrelease.Deploy(ctx, c, opts(v3, "FAIL_EVERY=5"), logSteps("v3"))
	took := time.Since(start)
	time.Sleep(300 * time.Millisecond)
	r = stopLoad()
	t.Logf("v3's canary: %s; bodies %v; statuses %v", r, r.Bodies, r.ByStatus)
	var ce *dockerrelease.CanaryError
	if !errors.As(err, &ce) || ce.Result.Promoted || !strings.Contains(err.Error(), "error rate") {
		t.Fatalf("deploy of a v3 failing 20%%: %v", err)
	}
	t.Logf("v3: %v", err)
	if canary := ce.Result.Canary; r.Failures != r.ByStatus["500"] || uint64(r.Failures) != canary.Errors || ce.Result.Stable.Errors != 0 {
		t.Errorf("%d requests failed (%v); the canary answered %d of them 5xx, the stable release %d: a failure outside the canary's share",
			r.Failures, r.ByStatus, canary.Errors, ce.Result.Stable.Errors)
	}
	if share := float64(ce.Result.Canary.Requests) / float64(ce.Result.Canary.Requests+ce.Result.Stable.Requests); share > 0.15 {
		t.Errorf("the canary got %.1f%% of the requests; want 10%%", share*100)
	}
	if took > 20*time.Second {
		t.Errorf("v3 was aborted after %v; its trial was 6 s", took)
	}

	// A release answering 300 ms late: aborted on p99, nothing failed.
	stopLoad = load(t, "http://"+addr+"/")
	_, err = dockerrelease.Deploy(ctx, c, opts(v4, "DELAY=300ms"), logSteps("v4"))
	r = stopLoad()
	t.Logf("v4's canary: %s; bodies %v; statuses %v", r, r.Bodies, r.ByStatus)
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "p99") {
		t.Fatalf("deploy of a v4 answering 300 ms late: %v", err)
	}
	t.Logf("v4: %v", err)
	if r.Failures != 0 {
		t.Errorf("%d requests failed during v4's canary", r.Failures)
	}
	if body := get(t, "http://"+addr+"/"); body != "v2 ok\n" {
		t.Errorf("after the aborted canaries: %q", body)
	}
	ps, _ := try("ps", "-a", "--filter", "label="+dockerrelease.LabelApp+"="+service, "--filter", "status=running", "--format", "{{.Names}}")
	if names := strings.Fields(ps); len(names) != 1 || !strings.Contains(names[0], res.Release) {
		t.Errorf("running release containers: %v; want v2's alone (the aborted canaries removed)", names)
	}
}

// stickyClients starts n clients that keep their cookies; once the proxy
// shows a canary of service, each sends requests until the trial has run
// a while (2 s, before its end). The returned function waits for them
// and gives the versions each saw.
func stickyClients(t *testing.T, admin *proxy.Client, service, url string, n int) func() []map[string]int {
	t.Helper()
	seen := make([]map[string]int, n)
	var wg sync.WaitGroup
	begun := make(chan struct{})
	go func() {
		for end := time.Now().Add(time.Minute); time.Now().Before(end); {
			st, err := admin.State(context.Background())
			if err == nil {
				for _, s := range st.Services {
					if s.Name == service && s.Canary != nil {
						close(begun)
						return
					}
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	for i := range n {
		seen[i] = map[string]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-begun:
			case <-time.After(time.Minute):
				return
			}
			jar, _ := cookiejar.New(nil)
			client := &http.Client{Jar: jar, Timeout: 5 * time.Second}
			for end := time.Now().Add(2 * time.Second); time.Now().Before(end); {
				resp, err := client.Get(url)
				if err != nil {
					seen[i]["error"]++
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				version, _, _ := strings.Cut(string(body), " ")
				seen[i][version]++
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	return func() []map[string]int {
		wg.Wait()
		return seen
	}
}
