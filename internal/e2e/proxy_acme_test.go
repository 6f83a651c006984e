package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
)

// acmeHost is the host routed to the proxy under test; pebble's DNS
// server (pebble-challtestsrv) answers 127.0.0.1 for it.
const acmeHost = "shop.test"

// acmeValidity is how long pebble's certificates live in these tests:
// the proxy renews a third of that before the end (at 60 s), and calls a
// renewal that has not happened 10 s later overdue.
const acmeValidity = 90

// Parallel tests. The package's tests run one at a time, since most of them
// share the engine's containers, ports and names, and some count what is
// left running. Three run in parallel, after all the others (go test
// starts parallel tests only then, -parallel at a time: 2 here): the two
// ACME tests, which spend most of their time waiting for a certificate's
// renewal to come due and use no engine, and TestInitVerify_RealRepositories,
// which waits on downloads and health checks and counts nothing the ACME
// tests start. Run alone, the three took 190 s side by side against 340
// one after another; in a whole run the package took 1,756 s against
// 1,778-1,862 before (2026-12-06), since the real repositories' builds
// run slower beside the ACME tests' proxies. The engine's ports and
// pebble's, all chosen free, do not meet.

// TestProxyACME_Lifecycle: shipshape proxy --acme against Let's Encrypt's
// pebble (built from the Go module proxy by scripts/pebble.sh), with
// pebble's validation sent to the proxy's ports.
//
//  1. Issuance: a route for shop.test makes the proxy obtain a
//     certificate at once (TLS-ALPN-01, pebble's first choice of
//     autocert's), which verifies against pebble's root and serves the app
//     over HTTPS; plain HTTP redirects (301, 308 for a POST), answers the
//     proxy's health path and 404s an unrouted host; the cache is 0700
//     with 0600 files and no temporary file left.
//  2. Renewal: a third of the lifetime before the end, a new certificate
//     replaces it, served and logged as renewed.
//  3. Restart: pebble stopped, a new proxy process with the same cache
//     serves the stored certificate at once and makes no ACME request
//     (each would fail, and be logged).
//  4. A failed renewal: that process, its renewal due and pebble still
//     down, keeps serving the old certificate and logs the failed request
//     and the overdue renewal.
func TestProxyACME_Lifecycle(t *testing.T) {
	t.Parallel() // see "Parallel tests" above
	env := newACMEEnv(t)
	httpPort, tlsPort := freePort(t), freePort(t)
	ca := env.startPebble(t, httpPort, tlsPort)
	roots := ca.roots(t)
	app := acmeApp(t)
	dir := t.TempDir()
	args := env.proxyArgs(dir, ca, httpPort, tlsPort)

	// 1. Issuance.
	first := env.startProxy(t, dir, "first.log", args)
	routeToApp(t, filepath.Join(dir, "admin.sock"), app.URL)
	first.waitLog(t, `"msg":"acme certificate obtained"`, time.Minute)
	if !first.logged(`"type":"tls-alpn-01"`) {
		t.Errorf("no TLS-ALPN-01 challenge answered:\n%s", first.log())
	}
	issued := servedCert(t, tlsPort, roots)
	t.Logf("issued: serial %x, %s to %s, by %s", issued.SerialNumber, issued.NotBefore.Format(time.TimeOnly), issued.NotAfter.Format(time.TimeOnly), issued.Issuer.CommonName)
	if err := issued.VerifyHostname(acmeHost); err != nil {
		t.Errorf("served certificate: %v", err)
	}
	if body := getThroughTLS(t, tlsPort, roots, "/"); body != "hello from the app" {
		t.Errorf("https://%s/: %q; want the app's page", acmeHost, body)
	}
	checkRedirects(t, httpPort, tlsPort, true)
	checkCacheModes(t, filepath.Join(dir, "acme"))
	sock := filepath.Join(dir, "admin.sock")
	checkCertificate(t, sock, issued, proxy.CertValid)
	if out := statusOutput(t, sock); !strings.Contains(out, fmt.Sprintf("certificate %s: valid, from %s, %s to %s, renewal due %s\n", acmeHost,
		issued.Issuer.CommonName, rfc3339(issued.NotBefore), rfc3339(issued.NotAfter), rfc3339(issued.NotAfter.Add(-issued.NotAfter.Sub(issued.NotBefore)/3)))) {
		t.Errorf("status does not show the certificate:\n%s", out)
	}

	// 2. Renewal, a third of the lifetime before the end.
	deadline := issued.NotAfter.Add(-5 * time.Second)
	var renewed *x509.Certificate
	for time.Now().Before(deadline) {
		if c := servedCert(t, tlsPort, roots); c.SerialNumber.Cmp(issued.SerialNumber) != 0 {
			renewed = c
			break
		}
		time.Sleep(time.Second)
	}
	if renewed == nil {
		t.Fatalf("the certificate was not renewed by %s (it ends %s):\n%s", deadline.Format(time.TimeOnly), issued.NotAfter.Format(time.TimeOnly), first.log())
	}
	t.Logf("renewed: serial %x, %s to %s, %s after issuance", renewed.SerialNumber, renewed.NotBefore.Format(time.TimeOnly), renewed.NotAfter.Format(time.TimeOnly), renewed.NotBefore.Sub(issued.NotBefore))
	first.waitLog(t, fmt.Sprintf(`"replaces":"%x"`, issued.SerialNumber), 5*time.Second)
	if first.logged(`renewal overdue`) {
		t.Errorf("a renewal that succeeded was logged as overdue:\n%s", first.log())
	}

	// 3. Restart with the CA gone: the stored certificate, without asking.
	ca.stop(t)
	first.stop(t)
	second := env.startProxy(t, dir, "second.log", args)
	if c := servedCert(t, tlsPort, roots); c.SerialNumber.Cmp(renewed.SerialNumber) != 0 {
		t.Fatalf("after the restart: serial %x; want the stored %x", c.SerialNumber, renewed.SerialNumber)
	}
	second.waitLog(t, fmt.Sprintf(`"msg":"acme certificate serving","host":"%s","serial":"%x"`, acmeHost, renewed.SerialNumber), 10*time.Second)
	checkCertificate(t, sock, renewed, proxy.CertValid)
	if body := getThroughTLS(t, tlsPort, roots, "/"); body != "hello from the app" {
		t.Errorf("after the restart: %q; want the app's page", body)
	}
	if second.logged(`acme request failed`) || second.logged(`acme certificate obtained`) || second.logged(`acme certificate renewed`) {
		t.Errorf("the restarted proxy asked the CA (which is down):\n%s", second.log())
	}

	// 4. Its renewal comes due with the CA still down.
	second.waitLog(t, `"msg":"acme certificate renewal overdue`, time.Until(renewed.NotAfter))
	if !second.logged(`"msg":"acme request failed"`) || !second.logged(`connection refused`) {
		t.Errorf("the failed renewal's request is not logged:\n%s", second.log())
	}
	if time.Now().After(renewed.NotAfter) {
		t.Fatalf("too late to check the old certificate is served: it ended %s", renewed.NotAfter.Format(time.TimeOnly))
	}
	if c := servedCert(t, tlsPort, roots); c.SerialNumber.Cmp(renewed.SerialNumber) != 0 {
		t.Errorf("after the failed renewal: serial %x; want the old one, %x, kept", c.SerialNumber, renewed.SerialNumber)
	}
	if body := getThroughTLS(t, tlsPort, roots, "/"); body != "hello from the app" {
		t.Errorf("after the failed renewal: %q; want the app's page", body)
	}
	failing := checkCertificate(t, sock, renewed, proxy.CertRenewalFailing)
	if !strings.Contains(failing.LastError, "connection refused") || failing.LastErrorAt.Before(failing.RenewalDue) || !time.Now().Before(failing.NotAfter) {
		t.Errorf("after the failed renewal: %+v; want the refused connection, after the renewal came due, the old certificate still valid", failing)
	}
	if out := statusOutput(t, sock); !strings.Contains(out, "certificate "+acmeHost+": renewal failing, from ") || !strings.Contains(out, "; last error at ") {
		t.Errorf("status does not show the failing renewal:\n%s", out)
	}
	t.Logf("the restarted proxy's log:\n%s", second.log())
}

// TestProxyACME_HTTP01: a CA that cannot reach the HTTPS port (pebble's
// TLS-ALPN-01 validation sent to a closed port) validates over HTTP: the
// proxy answers the HTTP-01 challenge on --http-listen and gets its
// certificate after the TLS-ALPN-01 attempt fails.
func TestProxyACME_HTTP01(t *testing.T) {
	t.Parallel() // see "Parallel tests" above
	env := newACMEEnv(t)
	httpPort, tlsPort, closed := freePort(t), freePort(t), freePort(t)
	ca := env.startPebble(t, httpPort, closed)
	roots := ca.roots(t)
	app := acmeApp(t)
	dir := t.TempDir()
	p := env.startProxy(t, dir, "proxy.log", env.proxyArgs(dir, ca, httpPort, tlsPort))
	routeToApp(t, filepath.Join(dir, "admin.sock"), app.URL)
	p.waitLog(t, `"msg":"acme certificate obtained"`, 2*time.Minute)
	if !p.logged(`"type":"http-01"`) {
		t.Errorf("no HTTP-01 challenge answered:\n%s", p.log())
	}
	c := servedCert(t, tlsPort, roots)
	if err := c.VerifyHostname(acmeHost); err != nil {
		t.Error(err)
	}
	if body := getThroughTLS(t, tlsPort, roots, "/"); body != "hello from the app" {
		t.Errorf("https://%s/: %q; want the app's page", acmeHost, body)
	}
	t.Logf("the proxy's log:\n%s", p.log())
}

// acmeEnv is the binaries and the DNS server the ACME tests share.
type acmeEnv struct {
	shipshape string
	pebbleBin string
	apiCA     string // CA of pebble's own API certificate
	apiCert   string
	apiKey    string
	dns       string // pebble-challtestsrv: every name is 127.0.0.1
}

func newACMEEnv(t *testing.T) *acmeEnv {
	t.Helper()
	env := newPebbleEnv(t)
	env.shipshape = filepath.Join(t.TempDir(), "shipshape")
	build := exec.Command("go", "build", "-o", env.shipshape, "./cmd/shipshape")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return env
}

// newPebbleEnv builds pebble (scripts/pebble.sh) and starts its DNS
// server; the proxy is not built (the proxy's image brings its own).
func newPebbleEnv(t *testing.T) *acmeEnv {
	t.Helper()
	out, err := exec.Command(filepath.Join(repoRoot(t), "scripts", "pebble.sh"), "build").CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/pebble.sh build: %v\n%s", err, out)
	}
	paths := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			paths[k] = v
		}
	}
	env := &acmeEnv{pebbleBin: paths["BIN"], apiCA: paths["CA"], apiCert: paths["CERT"], apiKey: paths["KEY"]}
	if env.pebbleBin == "" || env.apiCA == "" {
		t.Fatalf("scripts/pebble.sh build printed no BIN= or CA=:\n%s", out)
	}
	env.dns = "127.0.0.1:" + freePort(t)
	dnsLog := filepath.Join(t.TempDir(), "challtestsrv.log")
	startProcess(t, dnsLog, nil, filepath.Join(env.pebbleBin, "pebble-challtestsrv"),
		"-dnsserver", env.dns, "-management", "127.0.0.1:"+freePort(t), "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
		"-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", "")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", env.dns, time.Second); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			data, _ := os.ReadFile(dnsLog)
			t.Fatalf("pebble-challtestsrv does not answer on %s:\n%s", env.dns, data)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return env
}

// pebbleCA is one pebble process: its root CA is new every start.
type pebbleCA struct {
	directory string
	mgmt      string
	apiCA     string
	// ip is where the host in directory and mgmt is, when that is a
	// name (empty: an address).
	ip   string
	proc *process
}

// pebbleSetup is where a pebble listens and what it validates against.
type pebbleSetup struct {
	host string // the host its API and management listen on, as its certificate names it
	ip   string // the address host is at, when host is a name
	// cert and key are its API's certificate, ca that certificate's CA.
	cert, key, ca string
	// It validates HTTP-01 on 127.0.0.1:httpPort and TLS-ALPN-01 on
	// 127.0.0.1:tlsPort.
	httpPort, tlsPort string
	validity          int // of the certificates it issues, in seconds
}

// startPebble starts pebble on 127.0.0.1 validating HTTP-01 on
// 127.0.0.1:httpPort and TLS-ALPN-01 on 127.0.0.1:tlsPort, its
// certificates valid acmeValidity seconds.
func (env *acmeEnv) startPebble(t *testing.T, httpPort, tlsPort string) *pebbleCA {
	t.Helper()
	return env.runPebble(t, pebbleSetup{host: "127.0.0.1", cert: env.apiCert, key: env.apiKey, ca: env.apiCA,
		httpPort: httpPort, tlsPort: tlsPort, validity: acmeValidity})
}

// runPebble starts pebble as set up, with no random waits, no rejected
// nonces and no reused authorizations (every issuance and renewal is
// validated).
func (env *acmeEnv) runPebble(t *testing.T, s pebbleSetup) *pebbleCA {
	t.Helper()
	dir := t.TempDir()
	at := s.host
	if s.ip != "" {
		at = s.ip
	}
	port, mgmtPort := freePort(t), freePort(t)
	ca := &pebbleCA{directory: "https://" + net.JoinHostPort(s.host, port) + "/dir", mgmt: net.JoinHostPort(s.host, mgmtPort), apiCA: s.ca, ip: s.ip}
	config := fmt.Sprintf(`{"pebble": {"listenAddress": %q, "managementListenAddress": %q, "certificate": %q, "privateKey": %q,
  "httpPort": %s, "tlsPort": %s, "keyAlgorithm": "ecdsa",
  "profiles": {"default": {"description": "shipshape's tests", "validityPeriod": %d}}}}`,
		net.JoinHostPort(at, port), net.JoinHostPort(at, mgmtPort), s.cert, s.key, s.httpPort, s.tlsPort, s.validity)
	cfgPath := filepath.Join(dir, "pebble.json")
	if err := os.WriteFile(cfgPath, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	ca.proc = startProcess(t, filepath.Join(dir, "pebble.log"),
		[]string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0", "PEBBLE_AUTHZREUSE=0"},
		filepath.Join(env.pebbleBin, "pebble"), "-config", cfgPath, "-dnsserver", env.dns)
	client := ca.client(t)
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := client.Get(ca.directory)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return ca
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("pebble does not answer on %s (%v):\n%s", ca.directory, err, ca.proc.log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (ca *pebbleCA) client(t *testing.T) *http.Client {
	t.Helper()
	data, err := os.ReadFile(ca.apiCA)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(data)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	if ca.ip != "" {
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, _ := net.SplitHostPort(addr)
			return (&net.Dialer{}).DialContext(ctx, network, net.JoinHostPort(ca.ip, port))
		}
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: tr}
}

// orders is how many orders pebble was sent: each is a certificate
// asked for.
func (ca *pebbleCA) orders() int { return strings.Count(ca.proc.log(), "Added order") }

// roots is pebble's root CA, what a browser would trust.
func (ca *pebbleCA) roots(t *testing.T) *x509.CertPool {
	t.Helper()
	resp, err := ca.client(t).Get("https://" + ca.mgmt + "/roots/0")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("pebble's root: %s %v", resp.Status, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatalf("pebble's root is not PEM: %q", data)
	}
	return pool
}

func (ca *pebbleCA) stop(t *testing.T) { ca.proc.stop(t) }

func (env *acmeEnv) proxyArgs(dir string, ca *pebbleCA, httpPort, tlsPort string) []string {
	return []string{"proxy", "--listen", "127.0.0.1:" + tlsPort, "--http-listen", "127.0.0.1:" + httpPort,
		"--acme", "--acme-directory", ca.directory, "--acme-ca-cert", ca.apiCA,
		"--state", filepath.Join(dir, "state.json"), "--admin", "unix://" + filepath.Join(dir, "admin.sock"), "--access-log=false"}
}

// startProxy runs the shipshape binary's proxy, its log in dir/logName,
// and waits for its admin socket.
func (env *acmeEnv) startProxy(t *testing.T, dir, logName string, args []string) *process {
	t.Helper()
	sock := filepath.Join(dir, "admin.sock")
	_ = os.Remove(sock)
	p := startProcess(t, filepath.Join(dir, logName), nil, env.shipshape, args...)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(sock); err == nil {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("the proxy made no admin socket in 10 s:\n%s", p.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// process is a program the test started, its output in a file.
type process struct {
	cmd     *exec.Cmd
	logPath string
	done    chan struct{}
}

func startProcess(t *testing.T, logPath string, env []string, bin string, args ...string) *process {
	t.Helper()
	out, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		t.Fatalf("%s: %v", bin, err)
	}
	p := &process{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		out.Close()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// stop sends SIGTERM and waits (SIGKILL after 10 s).
func (p *process) stop(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Errorf("%s did not stop on SIGTERM in 10 s", p.cmd.Path)
	}
}

func (p *process) log() string {
	data, _ := os.ReadFile(p.logPath)
	return string(data)
}

func (p *process) logged(s string) bool { return strings.Contains(p.log(), s) }

func (p *process) waitLog(t *testing.T, s string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !p.logged(s) {
		if time.Now().After(deadline) {
			t.Fatalf("not logged in %s: %s\n%s", within, s, p.log())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func acmeApp(t *testing.T) *httptest.Server {
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from the app")
	}))
	t.Cleanup(app.Close)
	return app
}

// routeToApp routes acmeHost to the app: the route is what makes the
// proxy ask for a certificate.
func routeToApp(t *testing.T, sock, appURL string) {
	t.Helper()
	ctx := context.Background()
	admin := proxy.NewClient(sock)
	if _, err := admin.SetService(ctx, "shop", proxy.SetServiceRequest{
		Health: proxy.Health{Path: "/healthz", Interval: 200 * time.Millisecond},
		Routes: []proxy.ServiceRoute{{Host: acmeHost}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Switch(ctx, "shop", proxy.SwitchRequest{Target: appURL, Timeout: proxy.Duration(10 * time.Second)}); err != nil {
		t.Fatal(err)
	}
}

// servedCert is the certificate a client asking for acmeHost gets,
// verified against roots.
func servedCert(t *testing.T, port string, roots *x509.CertPool) *x509.Certificate {
	t.Helper()
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", "127.0.0.1:"+port,
		&tls.Config{ServerName: acmeHost, RootCAs: roots})
	if err != nil {
		t.Fatalf("TLS to %s on 127.0.0.1:%s: %v", acmeHost, port, err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0]
}

func getThroughTLS(t *testing.T, port string, roots *x509.CertPool, path string) string {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, "127.0.0.1:"+port)
		},
	}}
	resp, err := client.Get("https://" + acmeHost + ":" + port + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

// checkCertificate: GET /v1/certificates lists acmeHost alone, for the
// service shop, in state, with want's serial, issuer and validity and its
// renewal due a third of its life before its end.
func checkCertificate(t *testing.T, sock string, want *x509.Certificate, state proxy.CertState) proxy.Certificate {
	t.Helper()
	certs, err := proxy.NewClient(sock).Certificates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !certs.ACME || len(certs.Certificates) != 1 {
		t.Fatalf("GET /v1/certificates: %+v; want %s's alone", certs, acmeHost)
	}
	got := certs.Certificates[0]
	life := want.NotAfter.Sub(want.NotBefore)
	if got.Host != acmeHost || strings.Join(got.Services, ",") != "shop" || got.State != state || got.Serial != fmt.Sprintf("%x", want.SerialNumber) ||
		got.Issuer != want.Issuer.CommonName || !got.NotBefore.Equal(want.NotBefore) || !got.NotAfter.Equal(want.NotAfter) ||
		!got.RenewalDue.Equal(want.NotAfter.Add(-life/3)) {
		t.Errorf("GET /v1/certificates: %+v; want %s for shop %s, serial %x by %s, %s to %s, renewal due %s", got, acmeHost, state,
			want.SerialNumber, want.Issuer.CommonName, want.NotBefore, want.NotAfter, want.NotAfter.Add(-life/3))
	}
	if state == proxy.CertValid && got.LastError != "" {
		t.Errorf("a valid certificate with an error: %+v", got)
	}
	return got
}

// statusOutput is `shipshape status --proxy sock`.
func statusOutput(t *testing.T, sock string) string {
	t.Helper()
	code, out, errOut := shipshape(t, "status", "--proxy", sock)
	if code != 0 {
		t.Fatalf("status: exit %d\n%s%s", code, out, errOut)
	}
	return out
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// checkRedirects: plain HTTP for a routed host goes to the same URL over
// HTTPS (301; 308 for a POST, which keeps its method); the proxy's health
// path answers from loopback, so not through a port mapping (local: the
// test is the proxy's loopback); an unrouted host gets 404, not a redirect.
func checkRedirects(t *testing.T, httpPort, tlsPort string, local bool) {
	t.Helper()
	health := http.StatusOK
	if !local {
		health = http.StatusNotFound
	}
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, "127.0.0.1:"+httpPort)
		}},
	}
	for _, c := range []struct {
		method, host, path string
		status             int
		location           string
	}{
		{"GET", acmeHost, "/cart?item=7", http.StatusMovedPermanently, "https://" + acmeHost + ":" + tlsPort + "/cart?item=7"},
		{"POST", acmeHost, "/checkout", http.StatusPermanentRedirect, "https://" + acmeHost + ":" + tlsPort + "/checkout"},
		{"GET", "127.0.0.1", proxy.HealthPath, health, ""},
		{"GET", "elsewhere.test", "/", http.StatusNotFound, ""},
	} {
		req, _ := http.NewRequest(c.method, "http://"+c.host+":"+httpPort+c.path, strings.NewReader("x=1"))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status || resp.Header.Get("Location") != c.location {
			t.Errorf("%s http://%s%s: %d %q; want %d %q", c.method, c.host, c.path, resp.StatusCode, resp.Header.Get("Location"), c.status, c.location)
		}
	}
}

// checkCacheModes: the account key and the certificate (with its private
// key) are 0600 in a 0700 directory, and no temporary file is left.
func checkCacheModes(t *testing.T, dir string) {
	t.Helper()
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("%s: mode %04o; want 0700", dir, st.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, e.Name())
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %04o; want 0600", e.Name(), info.Mode().Perm())
		}
	}
	if got := strings.Join(names, " "); got != "acme_account+key "+acmeHost {
		t.Errorf("cache holds %q; want the account key and %s's certificate only", got, acmeHost)
	}
}
