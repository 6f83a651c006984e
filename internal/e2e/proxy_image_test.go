package e2e

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/proxy"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// TestProxyImage: shipshape proxy ships as an image built from the
// Dockerfile shipshape init writes for this repository (the committed one
// must be what init writes today), whose binary is shipshape-proxy, the
// proxy alone. The image is built once for its subtests, each of which
// runs it read-only, non-root, with every capability dropped.
func TestProxyImage(t *testing.T) {
	tag := buildProxyImage(t)
	t.Run("Binary", func(t *testing.T) { testProxyImageBinary(t, tag) })
	t.Run("Deploy", func(t *testing.T) { testProxyImageDeploy(t, tag) })
	t.Run("ACME", func(t *testing.T) { testProxyImageACME(t, tag) })
	t.Run("Upgrade", func(t *testing.T) { testProxyImageUpgrade(t, tag) })
}

// proxyEntrypoint is the main package of the proxy's image, which make
// proxy-image gives init (the repository has two).
const proxyEntrypoint = "./cmd/shipshape-proxy"

// buildProxyImage checks the committed Dockerfile is what init writes and
// builds the proxy's image from it.
func buildProxyImage(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	s, err := detect.Detect(root, detect.WithEntrypoint(proxyEntrypoint))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := generate.Resolve(s, generate.Options{Name: "shipshape", HealthPath: proxy.HealthPath, Port: 8080, Entrypoint: proxyEntrypoint})
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate.Project(plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path != "Dockerfile" && f.Path != ".dockerignore" {
			continue
		}
		committed, err := os.ReadFile(filepath.Join(root, f.Path))
		if err != nil || string(committed) != f.Content {
			t.Fatalf("%s is not what init writes for this repository (%v); regenerate it: make proxy-image", f.Path, err)
		}
	}

	tag := "shipshape-e2e/proxy:test"
	start := time.Now()
	run(t, "build", "-q", "--build-arg", "GIT_SHA=e2e", "-t", tag, root)
	t.Logf("built %s in %v", tag, time.Since(start).Round(time.Second))
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })
	if user := run(t, "inspect", "-f", "{{.Config.User}}", tag); user != "10001:10001" {
		t.Errorf("the proxy image runs as %q, want 10001:10001", user)
	}
	return tag
}

// testProxyImageBinary: the image runs shipshape-proxy, with or without
// the word proxy first (install's containers have it), and its binary is
// the small one.
func testProxyImageBinary(t *testing.T, tag string) {
	for _, args := range [][]string{{"--help"}, {"proxy", "--help"}} {
		out, err := try(append([]string{"run", "--rm", "--read-only", "--cap-drop", "ALL", tag}, args...)...)
		if err != nil || !strings.Contains(out, "Usage:\n  shipshape-proxy [flags]") || !strings.Contains(out, "--acme-directory") {
			t.Errorf("docker run %s %v: %v\n%s\nwant shipshape-proxy's help", tag, args, err, out)
		}
	}
	size, err := strconv.ParseInt(run(t, "image", "inspect", "-f", "{{.Size}}", tag), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the proxy's image: %.1f MB", float64(size)/1e6)
	if size > 40e6 {
		t.Errorf("the proxy's image is %.1f MB; its binary alone should keep it well under 40 MB (shipshape's own is over 100)", float64(size)/1e6)
	}
}

// testProxyImageUpgrade: proxy install and proxy upgrade give the image's
// shipshape-proxy the command line they give any proxy image (`proxy
// --listen ...`), and an upgrade hands the listening sockets over between
// it and shipshape itself (what earlier proxy images ran), both ways,
// under keep-alive load, failing no request.
func testProxyImageUpgrade(t *testing.T, tag string) {
	earlier := proxyRelease(t, repoRoot(t), "e2e-image-earlier")
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "b1 ok\n")
	}))
	t.Cleanup(backend.Close)
	dir := filepath.Join(t.TempDir(), "shipshape")
	sock := filepath.Join(dir, "proxy.sock")
	name := fmt.Sprintf("shipshape-e2e-proxy-image-upgrade-%d", time.Now().UnixNano()%100000)
	port := freePort(t)
	url := "http://127.0.0.1:" + port + "/"
	removeInstalledProxy(t, name)
	code, out, errOut := shipshape(t, "proxy", "install", "--name", name, "--image", earlier, "--listen", "127.0.0.1:"+port,
		"--admin", "unix://"+sock, "--state", filepath.Join(dir, "proxy.json"))
	if code != 0 {
		t.Fatalf("proxy install: exit %d\n%s%s", code, out, errOut)
	}
	routeWeb(t, sock, backend.URL, url)
	admin := proxy.NewClient(sock)
	ctx := context.Background()
	for _, image := range []string{tag, earlier} {
		before, err := admin.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stop := keepAliveLoad(t, url, 16)
		time.Sleep(500 * time.Millisecond)
		code, out, errOut := shipshape(t, "proxy", "upgrade", "--name", name, "--image", image)
		time.Sleep(500 * time.Millisecond)
		r := stop()
		t.Logf("proxy upgrade to %s under load: %s\n%s", image, r, strings.TrimSpace(out))
		if code != 0 {
			t.Fatalf("proxy upgrade to %s: exit %d\n%s%s", image, code, out, errOut)
		}
		if r.Failures != 0 || r.Requests < 100 {
			t.Errorf("upgrading to %s, %d of %d requests failed (%v); want none of at least 100", image, r.Failures, r.Requests, r.ByStatus)
		}
		after, err := admin.Version(ctx)
		if err != nil || after.PID == before.PID && after.Version == before.Version {
			t.Errorf("after the upgrade to %s the admin socket answers %+v, %v; want another proxy than %+v", image, after, err, before)
		}
		want := run(t, "image", "inspect", "-f", "{{.Id}}", image)
		if got := run(t, "inspect", "-f", "{{.Image}} {{index .Config.Cmd 0}} {{.State.Running}}", name); got != want+" proxy true" {
			t.Errorf("after the upgrade to %s, %s is %q; want %s proxy true", image, name, got, want)
		}
		if body := get(t, url); body != "b1 ok\n" {
			t.Errorf("after the upgrade to %s: %q", image, body)
		}
	}
}

// testProxyImageDeploy: the image turns healthy through its own
// HEALTHCHECK, serves a deploy under traffic without losing a request,
// and stops cleanly on SIGTERM.
func testProxyImageDeploy(t *testing.T, tag string) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil { // the proxy's user writes its socket and state here
		t.Fatal(err)
	}
	image := versionedImages(t, filepath.Join(dir, "app"))
	p1, p2 := image("p1", "true"), image("p2", "true")
	suffix := fmt.Sprint(time.Now().UnixNano() % 100000)
	network, name := "shipshape-e2e-net-"+suffix, "shipshape-e2e-proxy-"+suffix
	run(t, "network", "create", network)
	t.Cleanup(func() { _, _ = try("network", "rm", network) })
	port := freePort(t)
	run(t, "run", "-d", "--name", name, "--network", network, "-p", "127.0.0.1:"+port+":8080",
		"--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "-v", dir+":/run/shipshape",
		tag, "proxy", "--listen", "0.0.0.0:8080", "--admin", "unix:///run/shipshape/proxy.sock", "--state", "/run/shipshape/state.json")
	t.Cleanup(func() {
		if t.Failed() {
			logs, _ := try("logs", "--tail", "30", name)
			t.Logf("proxy logs:\n%s", logs)
		}
		_, _ = try("rm", "-f", name)
	})
	deadline := time.Now().Add(60 * time.Second)
	for run(t, "inspect", "-f", "{{.State.Health.Status}}", name) != "healthy" {
		if time.Now().After(deadline) {
			t.Fatalf("the proxy container is not healthy after 60 s")
		}
		time.Sleep(500 * time.Millisecond)
	}

	service := "e2e-proxyimage-" + suffix
	removeReleases(t, service)
	c, err := engine.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	opts := func(img string) dockerrelease.Options {
		return dockerrelease.Options{Service: service, Image: img, Proxy: filepath.Join(dir, "proxy.sock"), Network: network,
			LockDir: dir, Timeout: 20 * time.Second, Drain: 2 * time.Second, Window: 2 * time.Second}
	}
	if _, err := dockerrelease.Deploy(context.Background(), c, opts(p1), nil); err != nil {
		t.Fatalf("deploy p1 behind the proxy container: %v", err)
	}
	url := "http://127.0.0.1:" + port + "/"
	if body := get(t, url); body != "p1 ok\n" {
		t.Fatalf("through the proxy container: %q", body)
	}
	stop := load(t, url)
	if _, err := dockerrelease.Deploy(context.Background(), c, opts(p2), nil); err != nil {
		t.Fatalf("deploy p2 behind the proxy container: %v", err)
	}
	r := stop()
	t.Logf("traffic through the proxy container during the deploy: %s; bodies %v", r, r.Bodies)
	if r.Failures != 0 || r.Bodies["p1"] == 0 || r.Bodies["p2"] == 0 {
		t.Errorf("%d of %d requests failed, bodies %v; want none failed, p1 then p2", r.Failures, r.Requests, r.Bodies)
	}

	start := time.Now()
	run(t, "stop", "-t", "10", name)
	if code := run(t, "inspect", "-f", "{{.State.ExitCode}}", name); code != "0" || time.Since(start) > 8*time.Second {
		t.Errorf("the proxy container stopped with code %s after %v; want 0, well before the 10 s grace", code, time.Since(start).Round(time.Millisecond))
	}
	logs, _ := exec.Command(docker, "logs", name).CombinedOutput() // the proxy logs on stderr
	if !strings.Contains(string(logs), `"msg":"proxy listening"`) {
		t.Errorf("the proxy container logged no JSON start line:\n%s", logs)
	}
}

// testProxyImageACME: the image with --acme obtains a certificate from
// pebble, keeps it in the mounted directory (0600, owned by the image's
// user 10001, in a 0700 directory) and serves it; after `docker restart`
// it serves the stored one and pebble gets no new order. The container
// reaches pebble, and the app, on the default bridge's gateway (pebble's
// API certificate names pebble.test, which --add-host puts there); pebble
// validates on the ports the container publishes on 127.0.0.1. The image's
// HEALTHCHECK passes with --acme: --http-listen answers its probe.
func testProxyImageACME(t *testing.T, tag string) {
	env := newPebbleEnv(t)
	gw := bridgeGateway(t)
	const pebbleHost = "pebble.test"
	apiChain, apiKey := testCA(t, t.TempDir(), pebbleHost)
	httpPort, tlsPort := freePort(t), freePort(t)
	ca := env.runPebble(t, pebbleSetup{host: pebbleHost, ip: gw, cert: apiChain, key: apiKey, ca: apiChain,
		httpPort: httpPort, tlsPort: tlsPort, validity: 3600})
	roots := ca.roots(t)

	l, err := net.Listen("tcp", net.JoinHostPort(gw, "0"))
	if err != nil {
		t.Fatal(err)
	}
	app := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from the app")
	}), ReadHeaderTimeout: 10 * time.Second}
	go app.Serve(l)
	t.Cleanup(func() { app.Close() })

	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil { // the proxy's user writes its socket, state and certificates here
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(apiChain)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pebble-ca.pem"), caPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("shipshape-e2e-proxy-acme-%d", time.Now().UnixNano()%100000)
	run(t, "run", "-d", "--name", name, "-p", "127.0.0.1:"+httpPort+":8080", "-p", "127.0.0.1:"+tlsPort+":8443",
		"--add-host", pebbleHost+":"+gw, "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "-v", dir+":/run/shipshape",
		tag, "proxy", "--listen", "0.0.0.0:8443", "--http-listen", "0.0.0.0:8080", "--https-port", tlsPort,
		"--acme", "--acme-directory", ca.directory, "--acme-ca-cert", "/run/shipshape/pebble-ca.pem",
		"--admin", "unix:///run/shipshape/proxy.sock", "--state", "/run/shipshape/state.json")
	t.Cleanup(func() {
		if t.Failed() {
			logs, _ := exec.Command(docker, "logs", "--tail", "40", name).CombinedOutput()
			t.Logf("proxy logs:\n%s\npebble's log:\n%s", logs, ca.proc.log())
		}
		_, _ = try("rm", "-f", name)
	})
	sock := filepath.Join(dir, "proxy.sock")
	start := time.Now()
	waitSocket(t, sock, 30*time.Second)
	routeToApp(t, sock, "http://"+l.Addr().String())
	issued := waitCertificate(t, sock, time.Minute)
	t.Logf("issued in the container in %v: serial %s by %s, until %s", time.Since(start).Round(time.Millisecond), issued.Serial, issued.Issuer, issued.NotAfter)
	checkServed(t, tlsPort, roots, issued)
	checkRedirects(t, httpPort, tlsPort, false)
	cache := filepath.Join(dir, "acme")
	checkCacheModes(t, cache)
	checkOwner(t, cache, 10001)
	if n := ca.orders(); n != 1 {
		t.Errorf("pebble got %d orders; want the one", n)
	}

	start = time.Now()
	run(t, "restart", "-t", "10", name)
	again := waitCertificate(t, sock, 30*time.Second)
	t.Logf("serving again %v after docker restart began: serial %s", time.Since(start).Round(time.Millisecond), again.Serial)
	if again.Serial != issued.Serial {
		t.Errorf("after the restart: serial %s; want the stored %s", again.Serial, issued.Serial)
	}
	checkServed(t, tlsPort, roots, issued)
	if n := ca.orders(); n != 1 {
		t.Errorf("after the restart pebble got %d orders; want the first one only:\n%s", n, ca.proc.log())
	}
	deadline := time.Now().Add(30 * time.Second)
	for run(t, "inspect", "-f", "{{.State.Health.Status}}", name) != "healthy" {
		if time.Now().After(deadline) {
			t.Fatalf("the proxy container with --acme is not healthy 30 s after its restart")
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// waitSocket waits for the proxy's admin socket.
func waitSocket(t *testing.T, sock string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if _, err := proxy.NewClient(sock).State(context.Background()); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the proxy's admin socket %s does not answer after %s", sock, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitCertificate waits until GET /v1/certificates says acmeHost's
// certificate is valid, and returns it.
func waitCertificate(t *testing.T, sock string, within time.Duration) proxy.Certificate {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		certs, err := proxy.NewClient(sock).Certificates(context.Background())
		if err == nil && len(certs.Certificates) == 1 && certs.Certificates[0].Host == acmeHost && certs.Certificates[0].State == proxy.CertValid {
			return certs.Certificates[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no valid certificate for %s after %s: %+v, %v", acmeHost, within, certs, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkServed: a client asking for acmeHost gets want, verified against
// roots, and the app's page behind it.
func checkServed(t *testing.T, tlsPort string, roots *x509.CertPool, want proxy.Certificate) {
	t.Helper()
	served := servedCert(t, tlsPort, roots)
	if got := fmt.Sprintf("%x", served.SerialNumber); got != want.Serial {
		t.Errorf("served serial %s; want %s, the one GET /v1/certificates names", got, want.Serial)
	}
	if body := getThroughTLS(t, tlsPort, roots, "/"); body != "hello from the app" {
		t.Errorf("https://%s/: %q; want the app's page", acmeHost, body)
	}
}

// checkOwner: dir and every file in it belong to uid.
func checkOwner(t *testing.T, dir string, uid uint32) {
	t.Helper()
	paths := []string{dir}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		paths = append(paths, filepath.Join(dir, e.Name()))
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if owner := st.Sys().(*syscall.Stat_t).Uid; owner != uid {
			t.Errorf("%s: owned by uid %d; want %d, the image's user", p, owner, uid)
		}
	}
}

// bridgeGateway is the default bridge's gateway, the host's address as its
// containers see it: what its IPAM configuration names, or, where that
// names none (an engine whose daemon.json sets no gateway: seen here), the
// IPv4 address of the bridge's own interface (docker0).
func bridgeGateway(t *testing.T) string {
	t.Helper()
	if gw := run(t, "network", "inspect", "bridge", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}"); gw != "" {
		return gw
	}
	name := run(t, "network", "inspect", "bridge", "-f", `{{index .Options "com.docker.network.bridge.name"}}`)
	iface, err := net.InterfaceByName(name)
	if err != nil {
		t.Fatalf("the default bridge names no gateway, and its interface %q: %v", name, err)
	}
	addrs, _ := iface.Addrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	t.Fatalf("the default bridge names no gateway, and its interface %s has no IPv4 address", name)
	return ""
}
