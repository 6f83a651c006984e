package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

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
