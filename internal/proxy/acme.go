package proxy

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// ACME is automatic TLS: the proxy obtains certificates for the hosts its
// routes name from an ACME CA, answering its HTTP-01 challenges on the
// plain HTTP listener and its TLS-ALPN-01 challenges on the HTTPS one,
// and renews them before they expire. Using it accepts the CA's terms of
// service.
type ACME struct {
	// Directory is the CA's ACME directory URL (empty: Let's Encrypt).
	Directory string
	// CacheDir keeps the account key and the certificates (0700, each
	// file 0600): a restarted proxy serves them without asking the CA.
	CacheDir string
	// Email is the contact the account is registered with.
	Email string
	// CACert is a PEM file of the roots that the ACME server's own HTTPS
	// is checked against, for a private CA (pebble, step-ca); empty: the
	// system's roots.
	CACert string
}

// certManager is autocert's Manager for the hosts routed to the proxy,
// with what autocert leaves out: certificates obtained as soon as a host
// is routed (not on its first visitor's handshake), and a log of what
// happened, above all of a renewal that did not (autocert keeps serving
// the old certificate and retries silently).
type certManager struct {
	m     *autocert.Manager
	cache *certCache
	log   *slog.Logger
	acme  *acmeTransport

	mu    sync.Mutex
	hosts map[string]bool // routed hosts: the host policy
	// services: whose routes name each host; anyHost: the services with
	// a route for any host (they get no certificate).
	services map[string][]string
	anyHost  []string
	// serving: hosts the proxy has a certificate for; retry: when to try
	// again for one it failed to get, and the wait after that.
	serving map[string]bool
	retry   map[string]retryAt
	// leaves: each host's certificate served; failures: its last failed
	// issuance (what the status reports).
	leaves   map[string]*x509.Certificate
	failures map[string]acmeFailure

	work  chan struct{} // routes changed: get what is missing
	watch chan struct{} // a certificate stored, or routes changed
}

type retryAt struct {
	at   time.Time
	wait time.Duration
}

// How long after a failed issuance the proxy asks again: the CA counts
// failed validations (Let's Encrypt: 5 an hour per host), and autocert
// itself tries at most once a minute per host, on a handshake.
const (
	firstRetry = time.Minute
	lastRetry  = time.Hour
)

func newCertManager(cfg ACME, log *slog.Logger) (*certManager, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cache, err := newCertCache(cfg.CacheDir)
	if err != nil {
		return nil, err
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.CACert != "" {
		pem, err := os.ReadFile(cfg.CACert)
		if err != nil {
			return nil, fmt.Errorf("reading the ACME server's CA: %w", err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no PEM certificate in it; give the CA that signed the ACME server's own certificate", cfg.CACert)
		}
		base.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	directory := cfg.Directory
	if directory == "" {
		directory = acme.LetsEncryptURL
	}
	c := &certManager{
		cache: cache, log: log,
		acme:     &acmeTransport{base: base, log: log},
		hosts:    map[string]bool{},
		serving:  map[string]bool{},
		retry:    map[string]retryAt{},
		leaves:   map[string]*x509.Certificate{},
		failures: map[string]acmeFailure{},
		work:     make(chan struct{}, 1),
		watch:    make(chan struct{}, 1),
	}
	cache.stored = c.stored
	c.m = &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      cache,
		HostPolicy: c.allowed,
		Email:      cfg.Email,
		Client: &acme.Client{
			DirectoryURL: directory,
			UserAgent:    "shipshape-proxy",
			HTTPClient:   &http.Client{Transport: c.acme, Timeout: time.Minute},
		},
	}
	log.Info("acme", "directory", directory, "cache", cfg.CacheDir)
	return c, nil
}

// setRoutes makes the hosts the routes name the ones the proxy gets
// certificates for. A route for any host gets none: no CA issues a
// certificate for "any host".
func (c *certManager) setRoutes(routes []Route) {
	services, anyHost := routeServices(routes)
	hosts := map[string]bool{}
	for h := range services {
		hosts[h] = true
	}
	c.mu.Lock()
	same := len(hosts) == len(c.hosts)
	for h := range hosts {
		same = same && c.hosts[h]
	}
	c.hosts, c.services, c.anyHost = hosts, services, anyHost
	gone := func(h string) bool { return !hosts[h] }
	maps.DeleteFunc(c.serving, func(h string, _ bool) bool { return gone(h) })
	maps.DeleteFunc(c.retry, func(h string, _ retryAt) bool { return gone(h) })
	maps.DeleteFunc(c.leaves, func(h string, _ *x509.Certificate) bool { return gone(h) })
	maps.DeleteFunc(c.failures, func(h string, _ acmeFailure) bool { return gone(h) })
	c.mu.Unlock()
	if same {
		return
	}
	if len(anyHost) > 0 {
		c.log.Warn("acme: a route without a host gets no certificate; name the host in the route", "services", strings.Join(anyHost, ","))
	}
	c.log.Info("acme hosts", "hosts", strings.Join(sortedKeys(hosts), ","))
	kick(c.work)
	kick(c.watch)
}

func kick(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// normalHost is a host as routes hold it: lower case, without a port or
// a trailing dot.
func normalHost(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// ErrHostNotRouted is a certificate refused for a host no route names.
var ErrHostNotRouted = errors.New("not a host routed to this proxy")

// allowed is the host policy: certificates only for routed hosts, so a
// client cannot make the proxy ask the CA for any name it sends.
func (c *certManager) allowed(_ context.Context, host string) error {
	host = normalHost(host)
	c.mu.Lock()
	ok := c.hosts[host]
	c.mu.Unlock()
	if !ok {
		return fmt.Errorf("acme: %q: %w", host, ErrHostNotRouted)
	}
	return nil
}

// tlsConfig serves the certificates and answers TLS-ALPN-01 challenges.
func (c *certManager) tlsConfig() *tls.Config {
	cfg := c.m.TLSConfig()
	cfg.MinVersion = tls.VersionTLS12
	cfg.GetCertificate = func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		if len(hello.SupportedProtos) == 1 && hello.SupportedProtos[0] == acme.ALPNProto {
			c.log.Info("acme challenge", "type", "tls-alpn-01", "host", hello.ServerName, "remote", remoteOf(hello.Conn))
		}
		return c.m.GetCertificate(hello)
	}
	return cfg
}

func remoteOf(conn net.Conn) string {
	if conn == nil {
		return ""
	}
	return conn.RemoteAddr().String()
}

// challenges answers HTTP-01 challenges (requests under
// /.well-known/acme-challenge/).
func (c *certManager) challenges() http.Handler {
	h := c.m.HTTPHandler(nil)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.log.Info("acme challenge", "type", "http-01", "host", r.Host, "remote", r.RemoteAddr)
		h.ServeHTTP(w, r)
	})
}

// run gets certificates for routed hosts that have none and watches
// renewals, until ctx is done.
func (c *certManager) run(ctx context.Context) {
	go c.watchRenewals(ctx)
	c.obtain(ctx)
}

// obtain gets a certificate for each routed host without one, one host
// at a time: from the cache when it holds a valid one, else from the CA.
// autocert renews each from then on.
func (c *certManager) obtain(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.work:
		case <-timer.C:
		}
		next := lastRetry
		for _, host := range c.missing(time.Now()) {
			if ctx.Err() != nil {
				return
			}
			start := time.Now()
			leaf, err := c.get(host)
			err = c.withCAReason(err, start)
			if wait := c.obtained(host, leaf, err, time.Now()); wait > 0 {
				c.log.Warn("acme: no certificate for host; asking again later", "host", host, "error", err.Error(), "retry_in", wait.String())
				next = min(next, wait)
				continue
			}
			c.log.Info("acme certificate serving", "host", host, "serial", serialOf(leaf), "not_after", leaf.NotAfter.UTC().Format(time.RFC3339))
		}
		timer.Reset(c.nextRetry(time.Now(), next))
	}
}

// missing lists the routed hosts without a certificate whose retry time
// has come, sorted.
func (c *certManager) missing(now time.Time) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for h := range c.hosts {
		if !c.serving[h] && !now.Before(c.retry[h].at) {
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

// obtained records the outcome for host, its certificate or why there is
// none; after a failure it returns how long to wait before asking again
// (doubling up to lastRetry).
func (c *certManager) obtained(host string, leaf *x509.Certificate, err error, now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.hosts[host] {
		return 0 // no longer routed: nothing to retry
	}
	if err == nil {
		c.serving[host] = true
		c.leaves[host] = leaf
		delete(c.retry, host)
		return 0
	}
	c.failures[host] = acmeFailure{at: now, text: err.Error()}
	wait := firstRetry
	if r, ok := c.retry[host]; ok {
		wait = min(r.wait*2, lastRetry)
	}
	c.retry[host] = retryAt{at: now.Add(wait), wait: wait}
	return wait
}

// withCAReason adds to a failed issuance the CA's own answer, when a
// request failed since start and autocert's error does not say it: after
// a failed validation autocert only says no challenge type was left.
func (c *certManager) withCAReason(err error, start time.Time) error {
	if err == nil {
		return nil
	}
	f := c.acme.lastFailure()
	if f == nil || f.at.Before(start) || strings.Contains(err.Error(), f.reason) {
		return err
	}
	return fmt.Errorf("%w (the CA's last answer: %s)", err, f.text)
}

// nextRetry is how long until the earliest pending retry (at most def).
func (c *certManager) nextRetry(now time.Time, def time.Duration) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := def
	for _, r := range c.retry {
		next = min(next, max(r.at.Sub(now), time.Second))
	}
	return next
}

// get has autocert produce host's certificate, as a handshake of a
// client that takes ECDSA would (every current one does).
func (c *certManager) get(host string) (*x509.Certificate, error) {
	cert, err := c.m.GetCertificate(&tls.ClientHelloInfo{
		ServerName:   host,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
	})
	if err != nil {
		return nil, err
	}
	if cert.Leaf != nil {
		return cert.Leaf, nil
	}
	return x509.ParseCertificate(cert.Certificate[0])
}

// stored logs a certificate written to the cache: obtained, or renewed
// when it replaced one.
func (c *certManager) stored(key string, old, data []byte) {
	if !isCertKey(key) {
		return
	}
	leaf := leafOf(data)
	if leaf == nil {
		return
	}
	if !strings.HasSuffix(key, "+rsa") {
		c.serve(key, leaf)
	}
	attrs := []any{"host", strings.TrimSuffix(key, "+rsa"), "serial", serialOf(leaf),
		"not_before", leaf.NotBefore.UTC().Format(time.RFC3339), "not_after", leaf.NotAfter.UTC().Format(time.RFC3339), "issuer", leaf.Issuer.CommonName}
	if prev := leafOf(old); prev != nil {
		c.log.Info("acme certificate renewed", append(attrs, "replaces", serialOf(prev))...)
	} else {
		c.log.Info("acme certificate obtained", attrs...)
	}
	kick(c.watch)
}

// isCertKey: autocert keeps a host's certificate under the host's name
// (+rsa for clients without ECDSA); the other keys are the account key
// (acme_account+key) and challenge tokens (+token, +http-01).
func isCertKey(key string) bool {
	return !strings.Contains(key, "+") || strings.HasSuffix(key, "+rsa")
}

// leafOf returns the first certificate of a cache entry (autocert writes
// the key, then the chain, leaf first), or nil.
func leafOf(data []byte) *x509.Certificate {
	for len(data) > 0 {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil
		}
		if b.Type == "CERTIFICATE" {
			leaf, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil
			}
			return leaf
		}
	}
	return nil
}

func serialOf(leaf *x509.Certificate) string { return fmt.Sprintf("%x", leaf.SerialNumber) }

// renewalTimes says when autocert renews a certificate valid from nb to
// na (due: a third of its life before it ends, at most 30 days; then up
// to a tenth of that, at most an hour, of jitter) and from when a renewal
// that has not happened is overdue.
func renewalTimes(nb, na time.Time) (due, overdue time.Time) {
	threshold := min(na.Sub(nb)/3, 30*24*time.Hour)
	due = na.Add(-threshold)
	return due, due.Add(min(threshold/3, 2*time.Hour))
}

// watchRenewals logs, for each routed host, a certificate whose renewal
// is overdue (autocert keeps serving it and retries every 30 to 60
// minutes, silently) or that has expired, again every tenth of the
// renewal window (at least a second, at most an hour) while it lasts.
func (c *certManager) watchRenewals(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.watch:
		case <-timer.C:
		}
		timer.Reset(c.checkRenewals(ctx, time.Now()))
	}
}

// checkRenewals logs what is overdue or expired at now and returns when
// to look again.
func (c *certManager) checkRenewals(ctx context.Context, now time.Time) time.Duration {
	c.mu.Lock()
	hosts := sortedKeys(c.hosts)
	c.mu.Unlock()
	next := time.Hour
	for _, host := range hosts {
		data, err := c.cache.Get(ctx, host)
		if err != nil {
			continue // none yet: obtain says why
		}
		leaf := leafOf(data)
		if leaf == nil {
			continue
		}
		due, overdue := renewalTimes(leaf.NotBefore, leaf.NotAfter)
		again := min(max(leaf.NotAfter.Sub(due)/10, time.Second), time.Hour)
		attrs := []any{"host", host, "serial", serialOf(leaf), "renewal_due", due.UTC().Format(time.RFC3339),
			"not_after", leaf.NotAfter.UTC().Format(time.RFC3339)}
		if f := c.acme.lastFailure(); f != nil && f.at.After(due) {
			attrs = append(attrs, "last_acme_error", f.text)
		}
		switch {
		case !now.Before(leaf.NotAfter):
			c.log.Error("acme certificate expired and not renewed: clients refuse it; check that the CA is reachable and the host resolves to this proxy", attrs...)
		case !now.Before(overdue):
			c.log.Warn("acme certificate renewal overdue: serving the old certificate until it expires; autocert retries every 30 to 60 minutes", attrs...)
		default:
			again = overdue.Sub(now)
		}
		next = min(next, again)
	}
	return max(next, time.Second)
}
