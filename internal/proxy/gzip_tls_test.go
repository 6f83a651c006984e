package proxy

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestGzip(t *testing.T) {
	page := strings.Repeat("<p>shipshape</p>\n", 200)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("ETag", `"v1"`)
			io.WriteString(w, page)
		case "/small":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "11")
			io.WriteString(w, `{"ok":true}`)
		case "/png":
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, page)
		case "/encoded":
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Encoding", "br")
			io.WriteString(w, page)
		case "/events":
			w.Header().Set("Content-Type", "text/event-stream")
			for i := 0; i < 3; i++ {
				io.WriteString(w, "data: "+strings.Repeat("x", 2000)+"\n\n")
				http.NewResponseController(w).Flush()
				time.Sleep(100 * time.Millisecond)
			}
		}
	}))
	defer app.Close()
	_, srv := proxyTo(t, app.URL, Options{Gzip: true})

	fetch := func(path, accept string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		// A bare transport: it would otherwise ask for gzip and undo it silently.
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatalf("%s: not gzip: %v", path, err)
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return resp, string(b)
	}
	for _, tc := range []struct {
		path, accept, encoding string
	}{
		{"/page", "gzip, deflate, br", "gzip"},
		{"/page", "br;q=1.0, gzip;q=0.5", "gzip"},
		{"/page", "", ""},
		{"/page", "gzip;q=0", ""},
		{"/small", "gzip", ""},     // under 1 KiB
		{"/png", "gzip", ""},       // already compressed formats
		{"/encoded", "gzip", "br"}, // the backend's own encoding passes through
	} {
		resp, body := fetch(tc.path, tc.accept)
		if got := resp.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("%s with Accept-Encoding %q: Content-Encoding %q, want %q", tc.path, tc.accept, got, tc.encoding)
		}
		if tc.path == "/page" && body != page {
			t.Errorf("%s (%q): the body changed: %d bytes, want %d", tc.path, tc.accept, len(body), len(page))
		}
		if tc.encoding == "gzip" && (resp.Header.Get("Vary") != "Accept-Encoding" || resp.Header.Get("ETag") != `W/"v1"` || resp.ContentLength >= int64(len(page))) {
			t.Errorf("%s compressed: Vary %q, ETag %q, Content-Length %d; want Accept-Encoding, a weak ETag, the compressed size",
				tc.path, resp.Header.Get("Vary"), resp.Header.Get("ETag"), resp.ContentLength)
		}
	}
	// Server-sent events still arrive one at a time with gzip on.
	req, _ := http.NewRequest("GET", srv.URL+"/events", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	must(t, err)
	defer resp.Body.Close()
	start := time.Now()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "data: x") || time.Since(start) > 150*time.Millisecond || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("first event: %q after %v, encoding %q (%v); want it uncompressed before the next one is written",
			line[:min(len(line), 10)], time.Since(start), resp.Header.Get("Content-Encoding"), err)
	}
}

// TestRunServesTLS: with a certificate the proxy speaks only TLS, and the
// app learns the client came over https (the seed-002 http:// links bug
// starts where an app believes it is served over http).
func TestRunServesTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	b := newBackend(t, "v1", true)
	addr := freeAddr(t)
	sock := filepath.Join(dir, "admin.sock")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Listen: addr, Admin: "unix://" + sock, StatePath: filepath.Join(dir, "state.json"), TLSCert: certFile, TLSKey: keyFile})
	}()
	defer func() { cancel(); <-done }()
	waitFor(t, func() bool { _, err := os.Stat(sock); return err == nil })
	serveVia(t, sock, "app", b.URL)

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get("https://" + addr + "/")
	must(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(string(body), "v1 ") || !strings.Contains(string(body), "proto=https") {
		t.Errorf("over TLS: %q; want v1 told proto=https", body)
	}
	if resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Errorf("connection state %+v: want TLS 1.2 or later", resp.TLS)
	}
	// Plain HTTP on the TLS port gets no page.
	if resp, err := http.Get("http://" + addr + "/"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.HasPrefix(string(b), "v1 ") {
			t.Errorf("plain HTTP on the TLS port was proxied: %q", b)
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key to dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "shipshape test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	must(t, err)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	must(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	must(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	cert, err := x509.ParseCertificate(der)
	must(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// The proxy's own health route answers on loopback only; from elsewhere
// the path is routed like any other.
func TestHealthPathOnLoopbackOnly(t *testing.T) {
	p := New(Options{})
	for _, tc := range []struct {
		remote string
		want   int
	}{{"127.0.0.1:5000", 200}, {"[::1]:5000", 200}, {"203.0.113.9:5000", 404}} {
		r := httptest.NewRequest("GET", HealthPath, nil)
		r.RemoteAddr = tc.remote
		w := httptest.NewRecorder()
		p.ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s from %s: %d, want %d", HealthPath, tc.remote, w.Code, tc.want)
		}
	}
}
