package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/testutil"
)

// seedApp is seed 002's app in Go: its page links the stylesheet by an
// absolute URL built from the request, as Starlette's url_for does. Without
// PROXY_HEADERS=true it ignores the proxy's X-Forwarded-Proto (uvicorn
// without --proxy-headers) and writes http:// behind TLS: the browser
// blocks the stylesheet and the page renders unstyled. PAGE=js-mixed adds a
// script that loads a theme over http://, which no HTML regex sees.
const seedApp = `package main

import (
	"net/http"
	"os"
	"time"
)

const css = "body { background: #1d4ed8; color: #fff; font: 24px sans-serif } h1 { font-size: 64px }"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-healthcheck" {
		r, err := http.Get("http://127.0.0.1:8080/healthz")
		if err != nil || r.StatusCode != 200 {
			os.Exit(1)
		}
		return
	}
	trust := os.Getenv("PROXY_HEADERS") == "true"
	urlFor := func(r *http.Request, path string) string {
		scheme := "http"
		if trust && r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		return scheme + "://" + r.Host + path
	}
	page := func(w http.ResponseWriter, head, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!doctype html><html><head><title>Quartermaster</title>" + head + "</head><body><h1>Quartermaster</h1><p id=total>" + os.Getenv("VERSION") + "</p>" + body + "</body></html>"))
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	http.HandleFunc("/static/site.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Write([]byte(css))
	})
	http.HandleFunc("/static/slow.css", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Minute):
		}
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		link := func(path string) string { return "<link rel=\"stylesheet\" href=\"" + urlFor(r, path) + "\">" }
		switch r.URL.Path {
		case "/":
			script := ""
			if os.Getenv("PAGE") == "js-mixed" {
				script = "<script>var l = document.createElement('link'); l.rel = 'stylesheet'; l.href = 'http://' + location.host + '/static/site.css'; document.head.appendChild(l)</script>"
			}
			page(w, link("/static/site.css"), script)
		case "/missing-css":
			page(w, link("/static/missing.css"), "")
		case "/js-error":
			page(w, link("/static/site.css"), "<script>document.getElementById('total').textContent = cart.total</script>")
		case "/slow":
			page(w, link("/static/slow.css"), "")
		default:
			http.NotFound(w, r)
		}
	})
	http.ListenAndServe(":8080", nil)
}
`

const seedAppDockerfile = `FROM gcr.io/distroless/static-debian12:nonroot
COPY app /app
EXPOSE 8080
HEALTHCHECK --interval=1s --timeout=2s --retries=3 CMD ["/app", "-healthcheck"]
ENTRYPOINT ["/app"]
`

// seedAppImage builds seedApp on this machine into an image, removed when
// the test ends.
func seedAppImage(t *testing.T) string {
	return goAppImage(t, "seed002", seedApp, seedAppDockerfile)
}

// testCA writes a test CA's certificate for host, signed by the CA, to
// dir: chain.pem (the certificate, then the CA's, as a proxy sends them)
// and key.pem.
func testCA(t *testing.T, dir, host string) (chain, key string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTemplate := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "shipshape e2e test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTemplate := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTemplate, caTemplate, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(leafKey)
	if err != nil {
		t.Fatal(err)
	}
	var pems bytes.Buffer
	pem.Encode(&pems, &pem.Block{Type: "CERTIFICATE", Bytes: leafDER})
	pem.Encode(&pems, &pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	chain, key = filepath.Join(dir, "chain.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(chain, pems.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return chain, key
}

// startTLSProxy runs shipshape proxy in the test serving HTTPS only with
// the certificate, as startProxy does plain HTTP.
func startTLSProxy(t *testing.T, dir, cert, key string) (addr, sock string) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	addr = "127.0.0.1:" + freePort(t)
	sock = filepath.Join(dir, "admin.sock")
	done := make(chan error, 1)
	go func() {
		done <- proxy.Run(ctx, proxy.Config{Listen: addr, Admin: "unix://" + sock, StatePath: filepath.Join(dir, "state.json"), TLSCert: cert, TLSKey: key})
	}()
	t.Cleanup(func() { stop(); <-done })
	waitFor(t, func() bool { _, err := os.Stat(sock); return err == nil })
	return addr, sock
}

// browserHost is the name the tests' pages are asked for. It is not a
// loopback name, which Chromium never counts as mixed content: --resolve
// sends the browser to the proxy on 127.0.0.1 for it.
const browserHost = "shop.test"

// TestSmoke_BrowserThroughTLSProxy: seed 002's app runs in a container
// behind shipshape proxy serving HTTPS with a test CA's certificate.
// shipshape smoke loads its page in headless Chromium: the app that
// ignores X-Forwarded-Proto fails, its stylesheet blocked as mixed content
// and named; the same app trusting the proxy's headers passes; a 404
// stylesheet and an uncaught exception fail, named; each run saves a
// screenshot. SIGINT and SIGTERM stop a smoke mid-page at once, the
// browser with it.
func TestSmoke_BrowserThroughTLSProxy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	image := seedAppImage(t)
	chain, key := testCA(t, dir, browserHost)
	addr, sock := startTLSProxy(t, dir, chain, key)
	port := addr[strings.LastIndex(addr, ":")+1:]
	origin := "https://" + browserHost + ":" + port
	admin := proxy.NewClient(sock)
	service := fmt.Sprintf("e2e-smoke-%d", time.Now().UnixNano()%100000)
	if _, err := admin.SetService(ctx, service, proxy.SetServiceRequest{
		Health: proxy.Health{Path: "/healthz", Interval: 500 * time.Millisecond, Timeout: 2 * time.Second, Healthy: 1, Unhealthy: 3},
		Routes: []proxy.ServiceRoute{{Host: browserHost}},
	}); err != nil {
		t.Fatal(err)
	}
	// serve starts the app with env and has the proxy send the service to it.
	serve := func(env ...string) {
		t.Helper()
		args := []string{"run", "-d", "--network", "bridge"}
		for _, e := range env {
			args = append(args, "-e", e)
		}
		id := run(t, append(args, image)...)
		t.Cleanup(func() { _, _ = try("rm", "-f", id) })
		ip := run(t, "inspect", "-f", "{{.NetworkSettings.IPAddress}}", id)
		if _, err := admin.Switch(ctx, service, proxy.SwitchRequest{Target: "http://" + ip + ":8080", Timeout: proxy.Duration(20 * time.Second), Drain: proxy.Duration(time.Second)}); err != nil {
			t.Fatalf("switch to %s: %v", ip, err)
		}
	}
	smoke := func(page, screenshot string, extra ...string) (int, string, string) {
		args := append([]string{"smoke", origin + page, "--resolve", browserHost + ":127.0.0.1", "--trust-cert", chain,
			"--screenshot", filepath.Join(dir, screenshot), "--timeout", "30s"}, extra...)
		return shipshape(t, args...)
	}

	serve("VERSION=seed002")
	code, out, errOut := smoke("/", "seed002.png")
	t.Logf("seed 002's app:\n%s%s", out, errOut)
	if code != 1 || !strings.Contains(out, "mixed-content stylesheet http://"+browserHost+":"+port+"/static/site.css: blocked") {
		t.Errorf("seed 002's unstyled page: exit %d; want 1 naming the stylesheet blocked as mixed content\n%s%s", code, out, errOut)
	}

	serve("VERSION=fixed", "PROXY_HEADERS=true")
	code, out, errOut = smoke("/", "fixed.png")
	t.Logf("the fixed app:\n%s%s", out, errOut)
	if code != 0 || !strings.Contains(out, "rendered without a problem") || !strings.Contains(out, "screenshot: "+filepath.Join(dir, "fixed.png")) {
		t.Errorf("the fixed page: exit %d; want 0\n%s%s", code, out, errOut)
	}
	broken, _ := os.ReadFile(filepath.Join(dir, "seed002.png"))
	fixed, _ := os.ReadFile(filepath.Join(dir, "fixed.png"))
	if !bytes.HasPrefix(broken, []byte("\x89PNG")) || !bytes.HasPrefix(fixed, []byte("\x89PNG")) || bytes.Equal(broken, fixed) {
		t.Errorf("screenshots: %d and %d bytes; want two PNGs, unstyled and styled, that differ", len(broken), len(fixed))
	}

	code, out, errOut = smoke("/missing-css", "missing.png", "--format", "json")
	if code != 1 || !strings.Contains(out, `"kind": "failed-resource"`) || !strings.Contains(out, origin+"/static/missing.css") || !strings.Contains(out, "HTTP 404") {
		t.Errorf("a 404 stylesheet: exit %d; want 1 naming it\n%s%s", code, out, errOut)
	}
	code, out, errOut = smoke("/js-error", "js-error.png")
	if code != 1 || !strings.Contains(out, "exception "+origin+"/js-error:") || !strings.Contains(out, "cart is not defined") {
		t.Errorf("an uncaught exception: exit %d; want 1 naming it\n%s%s", code, out, errOut)
	}

	bin := filepath.Join(dir, "shipshape")
	build := exec.Command("go", "build", "-o", bin, "./cmd/shipshape")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for sig, name := range map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"} {
		t.Run(name, func(t *testing.T) {
			// The browser's profile is made under TMPDIR; its processes
			// carry that path on their command lines.
			tmp := t.TempDir()
			cmd := exec.Command(bin, "smoke", origin+"/slow", "--resolve", browserHost+":127.0.0.1", "--trust-cert", chain, "--timeout", "60s")
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(30 * time.Second)
			for len(testutil.ProcessesWith(tmp)) == 0 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			time.Sleep(2 * time.Second) // the page is loading, its stylesheet never comes
			sent := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("smoke still running 15 s after %v; stderr %q", sig, stderr.String())
			}
			took := time.Since(sent)
			if code := cmd.ProcessState.ExitCode(); code != 128+int(sig) || !strings.Contains(stderr.String(), "interrupted by "+name) {
				t.Errorf("after %v: exit %d, stderr %q; want %d and the signal named", sig, code, stderr.String(), 128+int(sig))
			}
			var left []string
			for i := 0; i < 30; i++ {
				if left = testutil.ProcessesWith(tmp); len(left) == 0 {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if len(left) > 0 {
				t.Errorf("browser processes left after %v: %v", sig, left)
			}
			t.Logf("%s: smoke ended %v after the signal", name, took.Round(time.Millisecond))
		})
	}
}

// TestDeploy_SmokeBrowser: deploy --smoke-browser loads the page through
// shipshape proxy over HTTPS right after the switch. A release whose page
// passes stays; one whose script loads a stylesheet over http:// (which
// the HTTP smoke cannot see: it is not in the HTML) is switched back, the
// error naming the blocked stylesheet and the screenshot. Seed 002's app
// itself never gets that far: its http:// link is in the HTML, and the
// HTTP smoke refuses it before any traffic moves.
func TestDeploy_SmokeBrowser(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	image := seedAppImage(t)
	chain, key := testCA(t, dir, browserHost)
	addr, sock := startTLSProxy(t, dir, chain, key)
	port := addr[strings.LastIndex(addr, ":")+1:]
	page := "https://" + browserHost + ":" + port + "/"
	service := fmt.Sprintf("e2e-browser-%d", time.Now().UnixNano()%100000)
	removeReleases(t, service)
	// deploy writes its screenshot to the temporary directory: this test's.
	t.Setenv("TMPDIR", dir)
	deploy := func(env ...string) (int, string) {
		args := []string{"deploy", "--service", service, "--proxy", sock, "--host", browserHost, "--health-path", "/healthz",
			"--window", "2s", "--drain", "2s", "--timeout", "30s",
			"--smoke-browser", page, "--smoke-resolve", browserHost + ":127.0.0.1", "--smoke-trust-cert", chain}
		for _, e := range env {
			args = append(args, "--env", e)
		}
		code, out, errOut := shipshape(t, append(args, image)...)
		return code, out + errOut
	}
	active := func() string {
		st, err := proxy.NewClient(sock).State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st.Services {
			if s.Name == service {
				return s.Active
			}
		}
		return ""
	}

	code, out := deploy("VERSION=v1", "PROXY_HEADERS=true")
	t.Logf("v1:\n%s", out)
	// A container starting elsewhere on the host may change its network
	// mid-load, and the check loads the page again: "rendered without a
	// problem (loaded 1 more time(s): ...); screenshot".
	if code != 0 || !strings.Contains(out, "browser") || !strings.Contains(out, page+" in Chrome/") || !regexp.MustCompile(`rendered without a problem(?: \(loaded \d+ more time\(s\)[^)]*\))?; screenshot `).MatchString(out) {
		t.Fatalf("deploy of a page that renders: exit %d\n%s", code, out)
	}
	v1 := active()

	code, out = deploy("VERSION=v2", "PROXY_HEADERS=true", "PAGE=js-mixed")
	t.Logf("v2:\n%s", out)
	for _, want := range []string{"failed its browser check through the proxy", "mixed-content stylesheet http://" + browserHost + ":" + port + "/static/site.css: blocked",
		"screenshot ", "switched back automatically"} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("deploy of a page whose script loads a stylesheet over http://: exit %d, no %q\n%s", code, want, out)
		}
	}
	if now := active(); now != v1 {
		t.Errorf("after v2 failed its browser check the proxy sends %s to %q; want v1's %q", service, now, v1)
	}

	code, out = deploy("VERSION=seed002")
	t.Logf("seed 002:\n%s", out)
	if code != 1 || !strings.Contains(out, "before any traffic moved") || !strings.Contains(out, "http://") || strings.Contains(out, "browser check") {
		t.Errorf("deploy of seed 002's app: exit %d; want the HTTP smoke to refuse it before the switch\n%s", code, out)
	}
	if now := active(); now != v1 {
		t.Errorf("after seed 002's app was refused the proxy sends %s to %q; want v1's %q", service, now, v1)
	}
}
