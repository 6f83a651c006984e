package browser

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"
)

// Front stands in for the TLS-terminating proxy in front of an app the
// browser cannot reach over HTTPS itself: a Kubernetes pod through a
// port-forward, which speaks plain HTTP. It serves HTTPS on 127.0.0.1 with
// a certificate made for the page's host and passes each request to
// upstream (http://ADDR) the way an ingress or shipshape proxy does:
// X-Forwarded-Proto https, X-Forwarded-Host and X-Forwarded-For set, the
// Host header kept. An app that does not trust them builds http:// asset
// URLs and the browser blocks them, as it would behind the real proxy.
//
// Options returns o pointed at the front: the page's URL on the front's
// port, its host resolved to 127.0.0.1 and the front's certificate
// trusted; nothing else is trusted more than usual.
type Front struct {
	srv  *http.Server
	cert *x509.Certificate
	addr string // 127.0.0.1:PORT
}

// StartFront starts a front for the page's host (from page, an https://
// URL) before upstream, an http:// base URL reachable from here.
func StartFront(page, upstream string) (*Front, error) {
	pu, err := url.Parse(page)
	if err != nil || pu.Scheme != "https" || pu.Hostname() == "" {
		return nil, fmt.Errorf("page %q: want https://HOST/PATH", page)
	}
	uu, err := url.Parse(upstream)
	if err != nil || uu.Scheme != "http" || uu.Host == "" {
		return nil, fmt.Errorf("upstream %q: want http://ADDR", upstream)
	}
	cert, key, err := frontCertificate(pu.Hostname())
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(uu)
			r.Out.Host = r.In.Host // the page's host, as the app's proxy passes it
			r.SetXForwarded()      // X-Forwarded-For, -Host, -Proto: https
		},
		ErrorLog: discardLog,
	}
	f := &Front{cert: cert, addr: l.Addr().String()}
	f.srv = &http.Server{
		Handler:           rp,
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{
			MinVersion:   tls.VersionTLS12,
			Certificates: []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}},
		},
		ErrorLog: discardLog,
	}
	go func() { _ = f.srv.ServeTLS(l, "", "") }()
	return f, nil
}

// Options is o with the page loaded through the front.
func (f *Front) Options(o Options) Options {
	u, _ := url.Parse(o.URL)
	_, port, _ := net.SplitHostPort(f.addr)
	u.Host = net.JoinHostPort(u.Hostname(), port)
	o.URL = u.String()
	resolve := map[string]string{}
	for h, a := range o.Resolve {
		resolve[h] = a
	}
	resolve[strings.ToLower(u.Hostname())] = "127.0.0.1"
	o.Resolve = resolve
	o.Trust = append(append([]*x509.Certificate(nil), o.Trust...), f.cert)
	return o
}

// Close stops the front and the requests it carries.
func (f *Front) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := f.srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return f.srv.Close()
}

// discardLog drops the front's own log lines (a handshake Chromium abandons, an
// upstream that resets): what the visitor saw is the report's to say.
var discardLog = log.New(io.Discard, "", 0)

// frontCertificate is a self-signed certificate for host, valid for an
// hour, made for one check and trusted by its public key only.
func frontCertificate(host string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host, Organization: []string{"shipshape smoke"}},
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return cert, key, nil
}
