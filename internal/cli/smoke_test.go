package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/release/browser"
	"github.com/shipshape/shipshape/internal/release/docker"
)

// Without a browser: a smoke or deploy that asks for one is a usage error
// (exit 2) saying how to install it, found before anything connects; the
// browser's own flags are checked first, naming file and line.
func TestSmoke_UsageErrors(t *testing.T) {
	nowhere := t.TempDir()
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(nowhere, "no-such.sock"))
	t.Setenv(browser.EnvChromium, filepath.Join(nowhere, "chromium"))
	notPEM := filepath.Join(nowhere, "cert.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deploy := []string{"deploy", "--service", "shop", "shop:1"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"smoke"}, "missing URL"},
		{[]string{"smoke", "http://shop.example.com/"}, "https://HOST/PATH"},
		{[]string{"smoke", "--browser", "https://shop.example.com/"}, "apt-get install chromium"},
		{[]string{"smoke", "--resolve", "shop.example.com", "https://shop.example.com/"}, "HOST:ADDR"},
		{[]string{"smoke", "--resolve", "shop.example.com:somewhere", "https://shop.example.com/"}, "an IP address"},
		{[]string{"smoke", "--trust-cert", notPEM, "https://shop.example.com/"}, notPEM + ":1: no PEM certificate"},
		{[]string{"smoke", "--trust-cert", filepath.Join(nowhere, "none.pem"), "https://shop.example.com/"}, "none.pem"},
		{[]string{"smoke", "--resolve", "shop.example.com:127.0.0.1", "https://shop.example.com/"}, "are for the browser"},
		{[]string{"smoke", "--screenshot", filepath.Join(nowhere, "no", "x.png"), "https://shop.example.com/"}, "no directory"},
		{[]string{"smoke", "--format", "xml", "https://shop.example.com/"}, "text or json"},
		{append(deploy, "--smoke-browser", "https://shop.example.com/"), "--smoke-browser: no Chromium found"},
		{append(deploy, "--smoke-browser", "shop.example.com"), "--smoke-browser \"shop.example.com\""},
		{append(deploy, "--smoke-trust-cert", notPEM), "go with --smoke-browser"},
		{append(deploy, "--smoke-browser", "https://shop.example.com/", "--smoke-trust-cert", notPEM), "--smoke-trust-cert: " + notPEM + ":1"},
		{[]string{"deploy", "--compose", "compose.yaml", "--smoke-browser", "https://shop.example.com/"}, "--smoke-browser: no Chromium found"},
		{[]string{"deploy", "--target", "kubernetes", "--service", "shop", "--source", nowhere, "--smoke-browser", "https://shop.example.com/"}, "--smoke-browser: no Chromium found"},
		{[]string{"deploy", "--target", "kubernetes", "--service", "shop", "--source", nowhere, "--port-forward", "8080",
			"--smoke-browser", "https://shop.example.com/", "--smoke-resolve", "shop.example.com:127.0.0.1"}, "through the port-forward"},
	} {
		code, stdout, stderr := run(t, "", "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, stdout, stderr, c.want)
		}
		if strings.Contains(stderr, "no container engine") || strings.Contains(stderr, "does not answer") {
			t.Errorf("%v: connected before reading the flags: %q", c.args, stderr)
		}
	}
}

// Where no browser is installed, smoke runs the plain HTTP checks and
// says so; they fail on an http:// stylesheet in the HTML (seed 002).
func TestSmoke_NoBrowserFallsBackToHTTP(t *testing.T) {
	t.Setenv(browser.EnvChromium, filepath.Join(t.TempDir(), "chromium"))
	stylesheet := "https"
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><link rel="stylesheet" href="%s://%s/site.css"></html>`, stylesheet, r.Host)
	}))
	defer srv.Close()
	// release.Smoke's client trusts the system's CAs, not httptest's.
	trusting := http.DefaultTransport
	http.DefaultTransport = srv.Client().Transport
	defer func() { http.DefaultTransport = trusting }()

	code, stdout, stderr := run(t, "", "", "smoke", srv.URL+"/")
	if code != 0 || !strings.Contains(stderr, "no Chromium found") || !strings.Contains(stderr, "HTTP checks only") || !strings.Contains(stdout, "HTTP checks only") {
		t.Errorf("a good page without a browser: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	stylesheet = "http"
	code, _, stderr = run(t, "", "", "smoke", srv.URL+"/")
	if code != 1 || !strings.Contains(stderr, "over http://") {
		t.Errorf("an http:// stylesheet without a browser: exit %d, stderr %q", code, stderr)
	}
	code, stdout, _ = run(t, "", "", "smoke", "--browser=false", "--format", "json", srv.URL+"/")
	if code != 1 || !strings.Contains(stdout, `"passed": false`) {
		t.Errorf("--browser=false --format json: exit %d, %q", code, stdout)
	}
}

// A whole project's browser check loads each service's own page: the
// flag's URL with the host and prefix of the service's route, sent to the
// same proxy, a screenshot each.
func TestBrowserFlags_ServicePage(t *testing.T) {
	b := browserFlags{url: "https://shop.test:8443/", resolve: []string{"shop.test:127.0.0.1"}, screenshot: filepath.Join(t.TempDir(), "page.png")}
	if err := b.validate("smoke-", "--smoke-browser"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(b.screenshot)
	for _, c := range []struct {
		service          string
		routes           []docker.Route
		url, resolve, ss string
	}{
		{"web", nil, "https://shop.test:8443/", "", "page-web.png"},
		{"api", []docker.Route{{Host: "api.test"}}, "https://api.test:8443/", "api.test", "page-api.png"},
		{"admin", []docker.Route{{Host: "shop.test", Prefix: "/admin"}}, "https://shop.test:8443/admin/", "", "page-admin.png"},
	} {
		o := b.servicePage(c.service, c.routes)
		if o.URL != c.url || o.Screenshot != filepath.Join(dir, c.ss) || o.Resolve["shop.test"] != "127.0.0.1" {
			t.Errorf("%s: %s, screenshot %s, resolve %v; want %s, %s", c.service, o.URL, o.Screenshot, o.Resolve, c.url, c.ss)
		}
		if c.resolve != "" && o.Resolve[c.resolve] != "127.0.0.1" {
			t.Errorf("%s: %s is not sent to the proxy: %v", c.service, c.resolve, o.Resolve)
		}
	}
	if len(b.options().Resolve) != 1 {
		t.Errorf("the flag's own options changed: %v", b.options().Resolve)
	}
}
