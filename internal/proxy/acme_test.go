package proxy

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/acme/autocert"
)

func TestCertCache_AtomicPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "acme")
	c, err := newCertCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	c.stored = func(key string, old, data []byte) { stored = append(stored, key+":"+string(old)+">"+string(data)) }
	ctx := context.Background()
	if _, err := c.Get(ctx, "shop.test"); !errors.Is(err, autocert.ErrCacheMiss) {
		t.Fatalf("Get of a missing key: %v; want ErrCacheMiss", err)
	}
	for _, v := range []string{"one", "two"} {
		if err := c.Put(ctx, "shop.test", []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	if data, err := c.Get(ctx, "shop.test"); err != nil || string(data) != "two" {
		t.Errorf("Get: %q, %v", data, err)
	}
	if want := []string{"shop.test:>one", "shop.test:one>two"}; strings.Join(stored, " ") != strings.Join(want, " ") {
		t.Errorf("stored %q; want %q", stored, want)
	}
	st, _ := os.Stat(dir)
	file, _ := os.Stat(filepath.Join(dir, "shop.test"))
	if st.Mode().Perm() != 0o700 || file.Mode().Perm() != 0o600 {
		t.Errorf("modes: dir %04o, file %04o; want 0700 and 0600", st.Mode().Perm(), file.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left in the cache: %v", entries)
	}
	if err := c.Delete(ctx, "shop.test"); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, "shop.test"); err != nil {
		t.Errorf("Delete of a missing key: %v", err)
	}
	for _, key := range []string{"", "../state.json", "a/b", ".shop.test.123", "..", "a\\b"} {
		if err := c.Put(ctx, key, []byte("x")); err == nil {
			t.Errorf("Put(%q) was accepted", key)
		}
	}
	big := filepath.Join(dir, "big.test")
	if err := os.WriteFile(big, make([]byte, maxCacheEntry+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, "big.test"); err == nil || !strings.Contains(err.Error(), "remove it") {
		t.Errorf("an oversized entry: %v; want refused, naming what to do", err)
	}
}

func TestCertCache_RefusesAnOpenDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := newCertCache(dir)
	if !errors.Is(err, ErrCacheDirOpen) || !strings.Contains(err.Error(), "chmod 700 "+dir) {
		t.Errorf("newCertCache(0755 dir): %v; want ErrCacheDirOpen naming the fix", err)
	}
}

func TestRenewalTimes(t *testing.T) {
	nb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		life, due, overdue time.Duration // due and overdue after nb
	}{
		{90 * time.Second, 60 * time.Second, 70 * time.Second},
		{90 * 24 * time.Hour, 60 * 24 * time.Hour, 60*24*time.Hour + 2*time.Hour}, // Let's Encrypt
		{6 * 24 * time.Hour, 4 * 24 * time.Hour, 4*24*time.Hour + 2*time.Hour},    // its short-lived profile
	} {
		due, overdue := renewalTimes(nb, nb.Add(c.life))
		if due.Sub(nb) != c.due || overdue.Sub(nb) != c.overdue {
			t.Errorf("life %s: due %s, overdue %s; want %s, %s", c.life, due.Sub(nb), overdue.Sub(nb), c.due, c.overdue)
		}
	}
}

func TestCertManager_HostPolicyIsTheRoutes(t *testing.T) {
	var log bytes.Buffer
	c, err := newCertManager(ACME{CacheDir: t.TempDir() + "/acme"}, slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	c.setRoutes([]Route{{Host: "shop.test", Service: "shop"}, {Host: "api.shop.test", Prefix: "/v1", Service: "api"}, {Service: "fallback"}})
	for host, want := range map[string]bool{
		"shop.test": true, "SHOP.test.": true, "shop.test:5002": true, "api.shop.test": true,
		"other.test": false, "": false, "127.0.0.1": false,
	} {
		if err := c.allowed(context.Background(), host); (err == nil) != want {
			t.Errorf("allowed(%q) = %v; want allowed %v", host, err, want)
		} else if err != nil && !errors.Is(err, ErrHostNotRouted) {
			t.Errorf("allowed(%q) = %v; want ErrHostNotRouted", host, err)
		}
	}
	if !strings.Contains(log.String(), "route without a host gets no certificate") || !strings.Contains(log.String(), "services=fallback") {
		t.Errorf("the any-host route is not named in the log:\n%s", log.String())
	}
	c.setRoutes([]Route{{Host: "api.shop.test", Service: "api"}})
	if err := c.allowed(context.Background(), "shop.test"); err == nil {
		t.Error("a host no longer routed is still allowed")
	}
}

func TestCertManager_RetryBacksOff(t *testing.T) {
	c, err := newCertManager(ACME{CacheDir: t.TempDir() + "/acme"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.setRoutes([]Route{{Host: "shop.test", Service: "shop"}})
	now := time.Now()
	failed := errors.New("validation failed")
	var waits []time.Duration
	for i := 0; i < 8; i++ {
		waits = append(waits, c.obtained("shop.test", nil, failed, now))
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v; want %v", waits, want)
		}
	}
	if m := c.missing(now.Add(59 * time.Minute)); len(m) != 0 {
		t.Errorf("missing before the retry time: %v", m)
	}
	if m := c.missing(now.Add(time.Hour)); len(m) != 1 {
		t.Errorf("missing at the retry time: %v; want shop.test", m)
	}
	if w := c.obtained("shop.test", nil, nil, now); w != 0 || len(c.missing(now.Add(2*time.Hour))) != 0 {
		t.Errorf("after success: wait %s, missing %v; want neither", w, c.missing(now))
	}
}

// A certificate past its renewal is logged as overdue with the last
// failed ACME request, and as expired once it has ended; one not yet due
// is not, and the watcher looks again when it would be overdue.
func TestCertManager_LogsOverdueRenewal(t *testing.T) {
	var log bytes.Buffer
	c, err := newCertManager(ACME{CacheDir: t.TempDir() + "/acme"}, slog.New(slog.NewJSONHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	c.setRoutes([]Route{{Host: "shop.test", Service: "shop"}})
	nb := time.Now().Add(-time.Minute).Truncate(time.Second)
	if err := c.cache.Put(context.Background(), "shop.test", cachedCert(t, "shop.test", nb, nb.Add(90*time.Second))); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), `"msg":"acme certificate obtained"`) {
		t.Errorf("a stored certificate is not logged:\n%s", log.String())
	}
	// Due at nb+60s, overdue at nb+70s.
	log.Reset()
	if next := c.checkRenewals(context.Background(), nb.Add(65*time.Second)); next != 5*time.Second || log.Len() != 0 {
		t.Errorf("before overdue: next %s, log %q; want 5s and nothing", next, log.String())
	}
	log.Reset()
	c.acme.failed(httptest.NewRequest("POST", "https://ca.test/new-order", nil), "dial tcp: connection refused")
	if next := c.checkRenewals(context.Background(), nb.Add(71*time.Second)); next != 3*time.Second {
		t.Errorf("overdue: next %s; want a tenth of the 30 s window", next)
	}
	for _, want := range []string{`"level":"WARN","msg":"acme request failed"`, `renewal overdue`, `"last_acme_error":"POST https://ca.test/new-order: dial tcp: connection refused"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, log.String())
		}
	}
	log.Reset()
	c.checkRenewals(context.Background(), nb.Add(91*time.Second))
	if !strings.Contains(log.String(), `"level":"ERROR","msg":"acme certificate expired`) {
		t.Errorf("an expired certificate is not logged as an error:\n%s", log.String())
	}
}

func cachedCert(t *testing.T, host string, nb, na time.Time) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: nb, NotAfter: na,
	}, &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: host}}, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	// As autocert stores it: the key, then the chain.
	return append(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
}

// An ACME error response is logged with its problem and still reaches
// the client whole; a bad nonce (the client retries) is not logged.
func TestACMETransport_LogsFailures(t *testing.T) {
	ca := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusBadRequest)
		if r.URL.Path == "/nonce" {
			io.WriteString(w, `{"type":"urn:ietf:params:acme:error:badNonce","detail":"stale"}`)
			return
		}
		io.WriteString(w, `{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"policy forbids shop.test"}`)
	}))
	defer ca.Close()
	var log bytes.Buffer
	tr := &acmeTransport{base: http.DefaultTransport, log: slog.New(slog.NewTextHandler(&log, nil))}
	client := &http.Client{Transport: tr}

	resp, err := client.Post(ca.URL+"/nonce", "application/jose+json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if log.Len() != 0 || tr.lastFailure() != nil {
		t.Errorf("a bad nonce was logged: %s", log.String())
	}
	resp, err = client.Post(ca.URL+"/new-order", "application/jose+json", nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "policy forbids shop.test") {
		t.Errorf("the client got %q; want the whole problem", body)
	}
	if !strings.Contains(log.String(), "rejectedIdentifier: policy forbids shop.test") || tr.lastFailure() == nil {
		t.Errorf("the problem is not logged: %s", log.String())
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	if _, err := client.Get("http://" + closed + "/dir"); err == nil {
		t.Fatal("a closed port answered")
	}
	if f := tr.lastFailure(); f == nil || !strings.Contains(f.text, "GET http://"+closed+"/dir: ") {
		t.Errorf("last failure %+v; want the refused GET", f)
	}
}

func TestHTTPSRedirect(t *testing.T) {
	p := New(Options{})
	defer p.Close()
	if err := p.SetService("shop", Health{}, []Route{{Host: "shop.test"}, {Host: "::1"}}); err != nil {
		t.Fatal(err)
	}
	challenge := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "token") })
	for _, c := range []struct {
		name, method, host, path, remote, port string
		status                                 int
		want                                   string // Location, or the body
	}{
		{"GET", "GET", "shop.test", "/cart?item=7", "203.0.113.9:5000", "8443", 301, "https://shop.test:8443/cart?item=7"},
		{"HEAD", "HEAD", "shop.test:80", "/", "203.0.113.9:5000", "443", 301, "https://shop.test/"},
		{"POST keeps its method", "POST", "shop.test", "/checkout", "203.0.113.9:5000", "443", 308, "https://shop.test/checkout"},
		{"IPv6", "GET", "[::1]:80", "/", "203.0.113.9:5000", "443", 301, "https://[::1]/"},
		{"IPv6 with a port", "GET", "[::1]:80", "/", "203.0.113.9:5000", "8443", 301, "https://[::1]:8443/"},
		{"challenge", "GET", "shop.test", "/.well-known/acme-challenge/abc", "203.0.113.9:5000", "443", 200, "token"},
		{"health from loopback", "GET", "127.0.0.1", HealthPath, "127.0.0.1:5000", "443", 200, "ok\n"},
		{"health from outside is the app's path", "GET", "shop.test", HealthPath, "203.0.113.9:5000", "443", 301, "https://shop.test" + HealthPath},
		{"unrouted host", "GET", "elsewhere.test", "/", "203.0.113.9:5000", "443", 404, "no route for this host and path\n"}, // http.Error adds the newline
	} {
		t.Run(c.name, func(t *testing.T) {
			h := &httpsRedirect{proxy: p, challenges: challenge, port: c.port}
			r := httptest.NewRequest(c.method, "http://"+c.host+c.path, nil)
			r.Host, r.RemoteAddr = c.host, c.remote
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			got := w.Header().Get("Location")
			if got == "" {
				got = w.Body.String()
			}
			if w.Code != c.status || got != c.want {
				t.Errorf("%d %q; want %d %q", w.Code, got, c.status, c.want)
			}
		})
	}
}

// TestRun_HTTPListenRedirects: beside a certificate file, the plain HTTP
// listener sends a routed host to HTTPS on the TLS listener's port.
func TestRun_HTTPListenRedirects(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := selfSigned(t, dir)
	b := newBackend(t, "v1", true)
	addr, plain := freeAddr(t), freeAddr(t)
	sock := filepath.Join(dir, "admin.sock")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Listen: addr, HTTPListen: plain, Admin: "unix://" + sock, StatePath: filepath.Join(dir, "state.json"), TLSCert: certFile, TLSKey: keyFile})
	}()
	defer func() { cancel(); <-done }()
	waitFor(t, func() bool { _, err := os.Stat(sock); return err == nil })
	serveVia(t, sock, "app", b.URL)

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get("http://" + plain + "/cart?item=7")
	must(t, err)
	resp.Body.Close()
	_, port, _ := net.SplitHostPort(addr)
	if want := "https://127.0.0.1:" + port + "/cart?item=7"; resp.StatusCode != 301 || resp.Header.Get("Location") != want {
		t.Errorf("plain GET: %d %q; want 301 %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
}

func TestRun_RefusesTLSConflicts(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{ACME: &ACME{CacheDir: dir}, TLSCert: "c.pem", TLSKey: "k.pem"}, "exclude each other"},
		{Config{HTTPListen: "127.0.0.1:0"}, "needs --acme or --tls-cert"},
	} {
		c.cfg.Listen, c.cfg.Admin, c.cfg.StatePath = "127.0.0.1:0", "unix://"+filepath.Join(dir, "admin.sock"), filepath.Join(dir, "state.json")
		if err := Run(context.Background(), c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Run(%+v): %v; want %q", c.cfg, err, c.want)
		}
	}
}
