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
	if left, _ := try("ps", "-aq", "--filter", "label=dev.shipshape.diagnose"); left != "" {
		t.Errorf("sidecars left behind: %s", left)
	}
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
