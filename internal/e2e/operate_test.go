package e2e

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/cli"
	"github.com/shipshape/shipshape/internal/proxy"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// TestOperatingVerbs: logs shows the active release's output and, with
// --previous, the one before it, prefixed; maintenance on answers 503 with
// Retry-After and off serves again; pause holds a request until resume.
// All through the command line, on the real engine and proxy.
func TestOperatingVerbs(t *testing.T) {
	ctx := context.Background()
	b := newDeployBench(t, "e2e-operate")
	dir, image, service, addr, sock, c := b.dir, b.image, b.service, b.addr, b.sock, b.c
	v1, v2 := image("v1", "true"), image("v2", "true")
	var v1release string
	for _, img := range []string{v1, v2} {
		res, err := dockerrelease.Deploy(ctx, c, dockerrelease.Options{Service: service, Image: img, Proxy: sock, LockDir: dir, Timeout: 20 * time.Second, Drain: time.Second}, nil)
		if err != nil {
			t.Fatalf("deploy %s: %v", img, err)
		}
		if v1release == "" {
			v1release = res.Release
		}
	}

	code, out, errOut := shipshape(t, "logs", service)
	if code != 0 || strings.TrimSpace(out) != "v2 listening on :8080" {
		t.Errorf("logs: exit %d, %q %s", code, out, errOut)
	}
	code, out, errOut = shipshape(t, "logs", service, "--previous", "--tail", "5")
	if want := "[" + v1release + " previous] v1 listening on :8080\nv2 listening on :8080\n"; code != 0 || out != want {
		t.Errorf("logs --previous: exit %d, %q, want %q %s", code, out, want, errOut)
	}
	if code, _, errOut := shipshape(t, "logs", "no-such-service"); code == 0 || !strings.Contains(errOut, "no releases on this host") {
		t.Errorf("logs of an unknown service: exit %d %s", code, errOut)
	}

	if code, out, errOut := shipshape(t, "maintenance", "on", service, "--proxy", sock); code != 0 || !strings.Contains(out, "in maintenance") {
		t.Fatalf("maintenance on: exit %d %s%s", code, out, errOut)
	}
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("in maintenance: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if code, out, errOut := shipshape(t, "maintenance", "off", service, "--proxy", sock); code != 0 || !strings.Contains(out, "serving") {
		t.Fatalf("maintenance off: exit %d %s%s", code, out, errOut)
	}
	if body := get(t, "http://"+addr+"/"); body != "v2 ok\n" {
		t.Errorf("after maintenance off: %q", body)
	}
	if code, _, errOut := shipshape(t, "maintenance", "maybe", service); code != 2 || !strings.Contains(errOut, "on or off") {
		t.Errorf("maintenance maybe: exit %d %s", code, errOut)
	}

	if code, out, errOut := shipshape(t, "pause", service, "--proxy", sock); code != 0 || !strings.Contains(out, "paused") {
		t.Fatalf("pause: exit %d %s%s", code, out, errOut)
	}
	answered := make(chan int, 1)
	go func() {
		c := http.Client{Timeout: 20 * time.Second}
		r, err := c.Get("http://" + addr + "/")
		if err != nil {
			answered <- -1
			return
		}
		r.Body.Close()
		answered <- r.StatusCode
	}()
	select {
	case s := <-answered:
		t.Fatalf("a request to a paused service was answered: %d", s)
	case <-time.After(500 * time.Millisecond):
	}
	if code, out, errOut := shipshape(t, "resume", service, "--proxy", sock); code != 0 || !strings.Contains(out, "serving") {
		t.Fatalf("resume: exit %d %s%s", code, out, errOut)
	}
	select {
	case s := <-answered:
		if s != 200 {
			t.Errorf("the held request got %d after resume", s)
		}
	case <-time.After(10 * time.Second):
		t.Error("the held request was not answered after resume")
	}
}

// TestLogs_Replicas: logs of a release of three replicas shows every
// replica's output, each line prefixed with its container, in replica
// order; --previous shows the release before it first, with its own
// prefix; --follow streams all three at once: requests the proxy spreads
// over them turn up, each under the replica that served it.
func TestLogs_Replicas(t *testing.T) {
	ctx := context.Background()
	b := newDeployBench(t, "e2e-logs")
	image := nodeAppImage(t) // logs each request it serves
	var releases []*dockerrelease.Result
	for _, v := range []struct {
		version  string
		replicas int
	}{{"v1", 1}, {"v2", 3}} {
		res, err := dockerrelease.Deploy(ctx, b.c, dockerrelease.Options{Service: b.service, Image: image, Proxy: b.sock,
			Env: []string{"HEALTHY=true", "VERSION=" + v.version}, HealthPath: "/healthz", Replicas: v.replicas, Balance: proxy.RoundRobin,
			Timeout: 20 * time.Second, Drain: time.Second}, nil)
		if err != nil {
			t.Fatalf("deploy %s: %v", v.version, err)
		}
		releases = append(releases, res)
	}
	v1, v2 := releases[0].Release, releases[1].Release
	names := []string{b.service + "-" + v2, b.service + "-" + v2 + "-2", b.service + "-" + v2 + "-3"}

	code, out, errOut := shipshape(t, "logs", b.service)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	ok := code == 0 && len(lines) >= 3
	for i, name := range names {
		// Each replica's first line, in replica order: its start.
		first := -1
		for j, l := range lines {
			if strings.HasPrefix(l, "["+name+"] ") {
				first = j
				break
			}
		}
		ok = ok && first >= 0 && strings.Contains(lines[first], "listening on :8080") && (i == 0 || first > 0)
	}
	if !ok || strings.Count(out, "listening on :8080") != 3 {
		t.Errorf("logs of 3 replicas: exit %d\n%s%s\nwant each replica's lines under [%s], [...-2], [...-3]", code, out, errOut, names[0])
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "["+names[0]+"] ") && !strings.HasPrefix(l, "["+names[1]+"] ") && !strings.HasPrefix(l, "["+names[2]+"] ") {
			t.Errorf("a line of no replica: %q", l)
		}
	}
	code, out, errOut = shipshape(t, "logs", b.service, "--previous", "--tail", "1")
	want := "[" + v1 + " previous] "
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], want) ||
		!strings.HasPrefix(lines[1], "["+names[0]+"] ") || !strings.HasPrefix(lines[3], "["+names[2]+"] ") {
		t.Errorf("logs --previous --tail 1: exit %d\n%s%s\nwant a line under %q, then one per replica", code, out, errOut, want)
	}

	// --follow: all three stream at once.
	fctx, stop := context.WithCancel(ctx)
	var fout, ferr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Execute(fctx, []string{"logs", b.service, "--follow", "--since", "1s"}, strings.NewReader(""), &fout, &ferr)
	}()
	time.Sleep(time.Second)
	for i := 0; i < 9; i++ {
		if body := get(t, "http://"+b.addr+"/followed"); !strings.HasPrefix(body, "v2 ok") {
			t.Fatalf("GET /followed: %q", body)
		}
	}
	time.Sleep(time.Second)
	stop()
	select {
	case code := <-done:
		if code != 0 && code != 130 {
			t.Errorf("logs --follow ended with %d: %s", code, ferr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("logs --follow did not end 10 s after its context")
	}
	for _, name := range names {
		if !regexp.MustCompile(regexp.QuoteMeta("["+name+"] ") + `\S+ \S+ GET /followed from`).MatchString(fout.String()) {
			t.Errorf("logs --follow shows no request served by %s:\n%s", name, fout.String())
		}
	}
	t.Logf("logs --follow of 3 replicas, 9 requests:\n%s", fout.String())
}
