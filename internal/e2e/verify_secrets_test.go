package e2e

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/cli"
	"github.com/shipshape/shipshape/internal/verify"
)

// secretsImage builds, from the Python stand-in, an image that passes
// every other check (non-root, HEALTHCHECK, /healthz 200, exits on
// SIGTERM), with the Dockerfile lines given before its USER line.
func secretsImage(t *testing.T, files map[string]string, lines ...string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dockerfile := "FROM python:3.11-slim-bookworm\nRUN mkdir /srv/www && echo ok > /srv/www/healthz\n" +
		strings.Join(lines, "\n") + "\nWORKDIR /srv/www\nUSER 65534\nEXPOSE 8080\n" +
		`HEALTHCHECK --interval=2s --retries=5 CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"]` + "\n" +
		// http.server as PID 1 would ignore SIGTERM: exit on it.
		`ENTRYPOINT ["python3", "-c", "import functools, http.server, signal, sys; signal.signal(signal.SIGTERM, lambda *_: sys.exit(0)); ` +
		`http.server.ThreadingHTTPServer(('', 8080), functools.partial(http.server.SimpleHTTPRequestHandler, directory='/srv/www')).serve_forever()"]` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("shipshape-e2e/secrets:%d", time.Now().UnixNano())
	run(t, "build", "-q", "-t", tag, dir)
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })
	return tag
}

// privateKey is a new private key in PEM, made for the test: the
// repository holds none.
func privateKey(t *testing.T) string {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func secretsOf(t *testing.T, out string) []verify.Secret {
	t.Helper()
	var rep struct {
		Secrets []verify.Secret `json:"secrets"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return rep.Secrets
}

// TestVerifySecrets_KeyDeletedByALaterLayer: `COPY id_rsa /app/` then `RUN
// rm /app/id_rsa` ships the key in the COPY's layer under a whiteout;
// verify fails on it alone, naming the layer and the instruction, and
// never prints the key. --allow-secret and the image's label allow it.
func TestVerifySecrets_KeyDeletedByALaterLayer(t *testing.T) {
	key := privateKey(t)
	keyBody := strings.Split(key, "\n")[1]
	files := map[string]string{"id_rsa": key}
	lines := []string{"COPY id_rsa /app/", "RUN rm /app/id_rsa"}
	tag := secretsImage(t, files, lines...)

	code, checks, out := verifyImage(t, "--grace", "5s", tag)
	if code != 1 {
		t.Fatalf("verify exit %d, want 1:\n%s", code, out)
	}
	for name, c := range checks {
		if name != "secrets" && !c.Passed && !c.Warning {
			t.Errorf("check %s failed too: %+v", name, c)
		}
	}
	c := checks["secrets"]
	for _, want := range []string{"/app/id_rsa", "`COPY id_rsa /app/`", "sha256:", "but still shipped in layer"} {
		if c.Passed || !strings.Contains(c.Detail, want) {
			t.Errorf("secrets check lacks %q: %+v", want, c)
		}
	}
	secrets := secretsOf(t, out)
	if len(secrets) != 1 {
		t.Fatalf("secrets = %+v", secrets)
	}
	s := secrets[0]
	if s.Path != "/app/id_rsa" || s.Rule != "ssh-private-key-file" || s.CreatedBy != "COPY id_rsa /app/" ||
		!strings.HasPrefix(s.Digest, "sha256:") || len(s.Digest) != len("sha256:")+12 || s.DeletedBy != s.Layer+1 || s.Replaced {
		t.Errorf("secret = %+v", s)
	}
	if strings.Contains(out, keyBody[:16]) {
		t.Error("the report prints the key")
	}
	t.Logf("%s", c.Detail)

	// The text report lists the secret under its own heading.
	var text, errOut bytes.Buffer
	code = cli.Execute(context.Background(), []string{"verify", "--grace", "5s", tag}, strings.NewReader(""), &text, &errOut)
	if code != 1 || !strings.Contains(text.String(), "FAIL secrets") || !strings.Contains(text.String(), "\nSecrets in the layers") ||
		strings.Contains(text.String(), keyBody[:16]) {
		t.Errorf("text report, exit %d:\n%s%s", code, text.String(), errOut.String())
	}

	t.Run("allowed by flag", func(t *testing.T) {
		code, checks, out := verifyImage(t, "--grace", "5s", "--allow-secret", "/app/id_rsa", tag)
		if c := checks["secrets"]; code != 0 || !c.Passed || !strings.Contains(c.Detail, "1 allowed: /app/id_rsa") {
			t.Errorf("exit %d, secrets %+v\n%s", code, c, out)
		}
		if s := secretsOf(t, out); len(s) != 1 || s[0].AllowedBy != "--allow-secret /app/id_rsa" {
			t.Errorf("secrets = %+v", s)
		}
	})
	t.Run("allowed by label", func(t *testing.T) {
		labelled := secretsImage(t, files, append(lines, "LABEL "+verify.AllowSecretLabel+"=/app")...)
		code, checks, out := verifyImage(t, "--grace", "5s", labelled)
		if c := checks["secrets"]; code != 0 || !c.Passed {
			t.Errorf("exit %d, secrets %+v\n%s", code, c, out)
		}
		if s := secretsOf(t, out); len(s) != 1 || s[0].AllowedBy != "label dev.shipshape.allow-secret /app" {
			t.Errorf("secrets = %+v", s)
		}
	})
}

// TestVerifySecrets_CleanImagePasses: the same image without the key, on
// a base with thousands of files (Python's, Debian's), has no secret.
func TestVerifySecrets_CleanImagePasses(t *testing.T) {
	tag := secretsImage(t, map[string]string{"app.py": "print('hello')\n"}, "COPY app.py /app/")
	code, checks, out := verifyImage(t, "--grace", "5s", tag)
	if c := checks["secrets"]; code != 0 || !c.Passed || !strings.HasPrefix(c.Detail, "none in ") {
		t.Fatalf("exit %d, secrets %+v\n%s", code, c, out)
	}
	if s := secretsOf(t, out); len(s) != 0 {
		t.Errorf("secrets = %+v", s)
	}
}

// A deploy scans what it releases as verify does: the image that hides a
// key under a whiteout is refused before anything starts, and released
// once --allow-secret allows the key.
func TestDeploySecrets_RefusedUntilAllowed(t *testing.T) {
	key := privateKey(t)
	tag := secretsImage(t, map[string]string{"id_rsa": key}, "COPY id_rsa /app/", "RUN rm /app/id_rsa")
	dir := t.TempDir()
	_, sock := startProxy(t, dir)
	service := fmt.Sprintf("e2e-secrets-%d", time.Now().UnixNano()%100000)
	removeReleases(t, service)
	args := []string{"deploy", "--service", service, "--proxy", sock, "--window", "0", tag}

	code, _, errOut := shipshape(t, args...)
	if code != 1 || !strings.Contains(errOut, "ships 1 secret(s)") || !strings.Contains(errOut, "/app/id_rsa") || strings.Contains(errOut, strings.Split(key, "\n")[1]) {
		t.Fatalf("deploy of an image with a key: exit %d, want 1 naming /app/id_rsa (and never the key)\n%s", code, errOut)
	}
	if ids, _ := try("ps", "-aq", "--filter", "label=dev.shipshape.app="+service); strings.TrimSpace(ids) != "" {
		t.Errorf("the refused deploy left containers: %s", ids)
	}
	if code, out, errOut := shipshape(t, append(args[:len(args)-1], "--allow-secret", "/app/id_rsa", tag)...); code != 0 {
		t.Fatalf("deploy with --allow-secret: exit %d\n%s%s", code, out, errOut)
	}
}
