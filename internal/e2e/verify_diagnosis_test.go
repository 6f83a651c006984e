package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/cli"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/verify"
)

// wrongPortImage serves files on 5000 with no /healthz, while it EXPOSEs
// 8080 and its HEALTHCHECK requests 8080/healthz: what an image looks like
// when the port and the route were guessed.
func wrongPortImage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	dockerfile := "FROM python:3.11-slim-bookworm\nRUN mkdir /srv/www && echo ok > /srv/www/index.html\nWORKDIR /srv/www\nUSER 65534\nEXPOSE 8080\n" +
		`HEALTHCHECK --retries=2 CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"]` + "\n" +
		`ENTRYPOINT ["python3", "-m", "http.server", "5000"]` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("shipshape-e2e/wrong-port:%d", time.Now().UnixNano())
	run(t, "build", "-q", "-t", tag, dir)
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })
	return tag
}

func verifyDiagnosis(t *testing.T, args ...string) (int, *verify.Diagnosis, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Execute(context.Background(), append([]string{"verify", "--format", "json", "--grace", "2s"}, args...), strings.NewReader(""), &out, &errOut)
	var rep struct {
		Diagnosis *verify.Diagnosis `json:"diagnosis"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Diagnosis == nil {
		t.Fatalf("verify %v: exit %d (%v), no diagnosis in\n%s\n%s", args, code, err, out.String(), errOut.String())
	}
	return code, rep.Diagnosis, out.String()
}

// TestVerifyDiagnosis_WrongPortAndRoute: verify's JSON report says what
// the container really listens on and what its routes answer, and the one
// fix: --port 5000 --health-path /.
func TestVerifyDiagnosis_WrongPortAndRoute(t *testing.T) {
	tag := wrongPortImage(t)
	sidecarsLeft := noneLeft(t, "sidecars left behind", "ps", "-aq", "--filter", "label=dev.shipshape.diagnose")
	code, d, out := verifyDiagnosis(t, tag)
	if code != 1 || d.Failure != verify.Unhealthy {
		t.Fatalf("exit %d, failure %q\n%s", code, d.Failure, out)
	}
	if len(d.Listening) != 1 || d.Listening[0].Port != 5000 || d.Listening[0].UID != 65534 {
		t.Errorf("listening = %+v, want 5000 by uid 65534", d.Listening)
	}
	answers := map[string]int{}
	for _, r := range d.Routes {
		answers[fmt.Sprintf("%d %s", r.Port, r.Path)] = r.Status
	}
	if answers["5000 /healthz"] != 404 || answers["5000 /"] != 200 {
		t.Errorf("routes = %+v", d.Routes)
	}
	if d.Fix == nil || d.Fix.Flags() != "--port 5000 --health-path /" {
		t.Errorf("fix = %+v\n%s", d.Fix, out)
	}
	if !strings.Contains(d.Probe, "Connection refused") {
		t.Errorf("last probe = %q", d.Probe)
	}
	sidecarsLeft()
}

// TestVerifyDiagnosis_NoSidecarImage: without the sidecar's image the
// ports still come from the host's /proc (the engine is local) and the
// diagnosis says, in its report, what could not be probed and what to do;
// verify still exits 1 (the image failed), not 2.
func TestVerifyDiagnosis_NoSidecarImage(t *testing.T) {
	tag := wrongPortImage(t)
	code, d, out := verifyDiagnosis(t, "--diagnose-image", "shipshape-e2e/no-such-image:0", tag)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if d.Fix == nil || d.Fix.Port != 5000 {
		t.Errorf("fix = %+v, want --port 5000 from the host's /proc", d.Fix)
	}
	want := "no image shipshape-e2e/no-such-image:0 on the engine to look inside the container with (its own image has no shell): pull it, or pass --diagnose-image with an image that has bash"
	if d.RoutesError != want || !strings.Contains(strings.Join(d.Advice, "\n"), "Its routes on 5000 could not be probed: "+want) {
		t.Errorf("routes_error = %q, advice = %q", d.RoutesError, d.Advice)
	}
}

// TestVerifyDiagnosis_PageBroken: an image whose health route answers but
// whose page does not (mpolden/echoip's image without its html/
// templates: /health 200, / 404) fails verify when the page is asked
// for, and the diagnosis names the page, its answer and the log's tail. Without
// --page the same image passes: the health route alone proves nothing
// about the page.
func TestVerifyDiagnosis_PageBroken(t *testing.T) {
	dir := t.TempDir()
	dockerfile := "FROM python:3.11-slim-bookworm\nRUN mkdir /srv/www && echo ok > /srv/www/healthz\nWORKDIR /srv/www\nUSER 65534\nEXPOSE 8080\n" +
		`HEALTHCHECK --interval=1s --retries=5 CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"]` + "\n" +
		// It stops on SIGTERM, so that the run without --page passes;
		// /boom answers 500, /login redirects.
		`ENTRYPOINT ["python3", "-c", "import http.server, signal, sys\nclass H(http.server.SimpleHTTPRequestHandler):\n    def do_GET(self):\n        if self.path == '/boom':\n            return self.send_error(500)\n        if self.path == '/login':\n            self.send_response(302)\n            self.send_header('Location', 'https://sso.example.com/')\n            return self.end_headers()\n        return super().do_GET()\nsignal.signal(signal.SIGTERM, lambda *_: sys.exit(0))\nhttp.server.test(HandlerClass=H, port=8080)"]` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("shipshape-e2e/page-broken:%d", time.Now().UnixNano())
	run(t, "build", "-q", "-t", tag, dir)
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })

	code, d, out := verifyDiagnosis(t, tag, "--health-path", "/healthz", "--page", "/index.html")
	if code != 1 || d.Failure != verify.PageBroken || d.Page != "/index.html" || d.PageAnswer != "404 Not Found" {
		t.Fatalf("exit %d, failure %q, page %q answered %q\n%s", code, d.Failure, d.Page, d.PageAnswer, out)
	}
	if !strings.Contains(strings.Join(d.Advice, " "), "The container runs and GET /healthz answers, but GET /index.html, a page its code serves, answered 404 Not Found") {
		t.Errorf("advice = %q", d.Advice)
	}
	// The log tail is there (the 404's own line may not be written yet).
	if len(d.Logs) == 0 {
		t.Errorf("no log tail in the diagnosis")
	}
	var rep struct {
		Checks []verify.Check `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	checks := map[string]bool{}
	for _, c := range rep.Checks {
		checks[c.Name] = c.Passed
	}
	if !checks["health-path"] || checks["page"] {
		t.Errorf("checks = %+v, want health-path passed and page failed", rep.Checks)
	}

	var plain, errOut bytes.Buffer
	if code := cli.Execute(context.Background(), []string{"verify", "--grace", "2s", "--health-path", "/healthz", tag}, strings.NewReader(""), &plain, &errOut); code != 0 {
		t.Errorf("without --page: exit %d\n%s%s", code, plain.String(), errOut.String())
	}

	// A redirect (to a login elsewhere) is the page's answer: not
	// followed, it passes.
	plain.Reset()
	errOut.Reset()
	if code := cli.Execute(context.Background(), []string{"verify", "--grace", "2s", "--health-path", "/healthz", "--page", "/login", tag}, strings.NewReader(""), &plain, &errOut); code != 0 ||
		!strings.Contains(plain.String(), "ok   page            GET /login on port 8080: 302 Found") {
		t.Errorf("--page /login: exit %d\n%s%s", code, plain.String(), errOut.String())
	}

	// Where init's run gave the services a page needs placeholders, a
	// server error there proves nothing (a warning); a page the image
	// lacks fails all the same.
	ctx := context.Background()
	c, err := engine.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	unproven := "the run gave CURRENCY_SERVICE_ADDR placeholder values, which the page may need"
	for page, pass := range map[string]bool{"/boom": true, "/index.html": false} {
		rep, err := verify.Image(ctx, c, tag, verify.Options{HealthPath: "/healthz", Pages: []string{page}, PagesUnproven: unproven, Timeout: time.Minute, Grace: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		var check verify.Check
		for _, ch := range rep.Checks {
			if ch.Name == "page" {
				check = ch
			}
		}
		if rep.Passed() != pass || check.Warning != pass || pass && !strings.Contains(check.Detail, "500 Internal Server Error, which proves nothing: "+unproven) {
			t.Errorf("%s with placeholders: passed %v, page check %+v; want passed %v", page, rep.Passed(), check, pass)
		}
	}
}
