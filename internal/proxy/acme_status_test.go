package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Each routed host's certificate through its life: obtaining (after a
// failure: why, and when the proxy asks again), valid, renewal failing
// once a renewal came due and an ACME request failed (or it is overdue),
// expired; a route without a host gets none. Sorted by host, the routes
// without a host first.
func TestCertManager_Status(t *testing.T) {
	c, err := newCertManager(ACME{CacheDir: t.TempDir() + "/acme"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.setRoutes([]Route{{Host: "shop.test", Service: "shop"}, {Host: "API.shop.test", Prefix: "/v1", Service: "shop"},
		{Host: "api.shop.test", Service: "api"}, {Service: "fallback"}})
	states := func(now time.Time) string {
		var s []string
		for _, cert := range c.status(now).Certificates {
			s = append(s, cert.Host+"="+string(cert.State))
		}
		return strings.Join(s, " ")
	}
	now := time.Now()
	if got := states(now); got != "=none api.shop.test=obtaining shop.test=obtaining" {
		t.Errorf("before any certificate: %s", got)
	}
	failedAt := now.Add(-time.Second)
	c.obtained("api.shop.test", nil, errors.New("acme/autocert: unable to satisfy"), failedAt)
	api := c.status(now).Certificates[1]
	want := Certificate{Host: "api.shop.test", Services: []string{"api", "shop"}, State: CertObtaining,
		NextAttempt: failedAt.Add(firstRetry).UTC(), LastError: "acme/autocert: unable to satisfy", LastErrorAt: failedAt.UTC()}
	if !reflect.DeepEqual(api, want) {
		t.Errorf("after a failed issuance:\n%+v\nwant\n%+v", api, want)
	}

	// shop.test's certificate: due at nb+60s, overdue at nb+70s.
	nb := now.Add(-59 * time.Second).Truncate(time.Second)
	if err := c.cache.Put(context.Background(), "shop.test", cachedCert(t, "shop.test", nb, nb.Add(90*time.Second))); err != nil {
		t.Fatal(err)
	}
	shop := c.status(nb.Add(30 * time.Second)).Certificates[2]
	want = Certificate{Host: "shop.test", Services: []string{"shop"}, State: CertValid, Serial: "2a", Issuer: "shop.test",
		NotBefore: nb.UTC(), NotAfter: nb.Add(90 * time.Second).UTC(), RenewalDue: nb.Add(60 * time.Second).UTC()}
	if !reflect.DeepEqual(shop, want) {
		t.Errorf("served:\n%+v\nwant\n%+v", shop, want)
	}
	if got := states(nb.Add(65 * time.Second)); got != "=none api.shop.test=obtaining shop.test=valid" {
		t.Errorf("due, not yet renewed, nothing failed: %s", got)
	}
	if got := states(nb.Add(70 * time.Second)); got != "=none api.shop.test=obtaining shop.test=renewal failing" {
		t.Errorf("overdue: %s", got)
	}
	time.Sleep(time.Until(nb.Add(60 * time.Second)))
	c.acme.failedFor(httptest.NewRequest("POST", "https://ca.test/authz/2", nil), "api.shop.test", "authorization of api.shop.test invalid")
	if shop := c.status(nb.Add(65 * time.Second)).Certificates[2]; shop.State != CertValid || shop.LastError != "" {
		t.Errorf("another host's failed authorization counts against shop.test's renewal: %+v", shop)
	}
	c.acme.failed(httptest.NewRequest("POST", "https://ca.test/new-order", nil), "dial tcp: connection refused")
	shop = c.status(nb.Add(65 * time.Second)).Certificates[2]
	if shop.State != CertRenewalFailing || shop.LastError != "POST https://ca.test/new-order: dial tcp: connection refused" ||
		shop.LastErrorAt.Before(shop.RenewalDue) || shop.Serial != "2a" {
		t.Errorf("a request failed after the renewal came due: %+v; want renewal failing, naming it, the old certificate kept", shop)
	}
	if api := c.status(now).Certificates[1]; api.LastError != "acme/autocert: unable to satisfy" {
		t.Errorf("a renewal's failure shows on a host without a certificate: %+v", api)
	}
	if got := states(nb.Add(90 * time.Second)); got != "=none api.shop.test=obtaining shop.test=expired" {
		t.Errorf("ended: %s", got)
	}

	// Renewed: valid again, the failure before it no longer counts.
	nb2 := nb.Add(60 * time.Second)
	if err := c.cache.Put(context.Background(), "shop.test", cachedCert(t, "shop.test", nb2, nb2.Add(90*time.Second))); err != nil {
		t.Fatal(err)
	}
	if shop := c.status(nb2.Add(time.Second)).Certificates[2]; shop.State != CertValid || shop.LastError != "" || !shop.NotBefore.Equal(nb2) {
		t.Errorf("renewed: %+v; want valid, the new certificate, no error", shop)
	}

	c.setRoutes([]Route{{Host: "shop.test", Service: "shop"}})
	if got := states(nb2.Add(time.Second)); got != "shop.test=valid" {
		t.Errorf("after the other routes went: %s", got)
	}
}

// GET /v1/certificates answers the status, and an empty list without
// --acme; the client reads it back.
func TestAdmin_Certificates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		certs func(t *testing.T) *certManager
		want  string
	}{
		{"without --acme", func(*testing.T) *certManager { return nil }, `{"acme":false,"certificates":[]}`},
		{"with --acme, a host being obtained", func(t *testing.T) *certManager {
			c, err := newCertManager(ACME{CacheDir: t.TempDir() + "/acme"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			c.setRoutes([]Route{{Host: "shop.test", Service: "shop"}})
			return c
		}, `{"acme":true,"certificates":[{"host":"shop.test","services":["shop"],"state":"obtaining"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(&Admin{Proxy: New(Options{}), Token: "t", certs: tc.certs(t)})
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+"/v1/certificates", nil)
			req.Header.Set("Authorization", "Bearer t")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var compact bytes.Buffer
			must(t, json.Compact(&compact, body))
			if resp.StatusCode != 200 || compact.String() != tc.want {
				t.Errorf("%d %s; want 200 %s", resp.StatusCode, compact.String(), tc.want)
			}
			got, err := NewClient(strings.TrimPrefix(srv.URL, "http://"), WithToken("t")).Certificates(context.Background())
			must(t, err)
			var want Certificates
			must(t, json.Unmarshal([]byte(tc.want), &want))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the client reads %+v; want %+v", got, want)
			}
		})
	}
}

// A failed validation comes as a 200 whose document says the
// authorization is invalid: the transport names the challenge's problem,
// and leaves the document whole for the client; a valid one is no failure.
func TestACMETransport_NamesInvalidAuthorization(t *testing.T) {
	const invalid = `{"status":"invalid","identifier":{"type":"dns","value":"shop.test"},"challenges":[` +
		`{"type":"tls-alpn-01","status":"invalid","error":{"type":"urn:ietf:params:acme:error:connection","detail":"connection refused"}}]}`
	ca := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/authz/ok" {
			io.WriteString(w, `{"status":"valid","identifier":{"type":"dns","value":"shop.test"}}`)
			return
		}
		io.WriteString(w, invalid)
	}))
	defer ca.Close()
	tr := &acmeTransport{base: http.DefaultTransport, log: slog.New(slog.DiscardHandler)}
	client := &http.Client{Transport: tr}
	for _, path := range []string{"/authz/ok", "/authz/1"} {
		resp, err := client.Post(ca.URL+path, "application/jose+json", nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if path == "/authz/ok" && tr.lastFailure() != nil {
			t.Errorf("a valid authorization was taken for a failure: %+v", tr.lastFailure())
		}
		if path == "/authz/1" && string(body) != invalid {
			t.Errorf("the client got %q; want the document whole", body)
		}
	}
	want := "POST " + ca.URL + "/authz/1: authorization of shop.test invalid: tls-alpn-01: urn:ietf:params:acme:error:connection: connection refused"
	if f := tr.lastFailure(); f == nil || f.text != want || f.host != "shop.test" {
		t.Errorf("last failure %+v; want %s", f, want)
	}

	c := &certManager{acme: tr}
	start := tr.lastFailure().at
	err := c.withCAReason(errors.New(`acme/autocert: unable to satisfy "x" for domain "shop.test": no viable challenge type found`), start)
	if !strings.Contains(err.Error(), "no viable challenge type found (the CA's last answer: "+want+")") {
		t.Errorf("issuance error: %v; want the CA's reason added", err)
	}
	if err := c.withCAReason(errors.New("x"), start.Add(time.Second)); err.Error() != "x" {
		t.Errorf("a failure from before the attempt was added: %v", err)
	}
}

// Run hands the admin API its certificates: a proxy with --acme whose CA
// does not answer says, for the routed host, that it is obtaining one,
// why it has none, and when it asks again.
func TestRun_CertificatesInTheAdminAPI(t *testing.T) {
	dir := t.TempDir()
	closed := freeAddr(t)
	sock := filepath.Join(dir, "admin.sock")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Listen: freeAddr(t), Admin: "unix://" + sock, StatePath: filepath.Join(dir, "state.json"),
			ACME: &ACME{Directory: "https://" + closed + "/dir", CacheDir: filepath.Join(dir, "acme")}})
	}()
	defer func() { cancel(); <-done }()
	waitFor(t, func() bool { _, err := os.Stat(sock); return err == nil })
	admin := NewClient(sock)
	_, err := admin.SetService(context.Background(), "shop", SetServiceRequest{Routes: []ServiceRoute{{Host: "shop.test"}}})
	must(t, err)
	var got Certificate
	waitFor(t, func() bool {
		certs, err := admin.Certificates(context.Background())
		must(t, err)
		if !certs.ACME || len(certs.Certificates) != 1 {
			t.Fatalf("GET /v1/certificates: %+v; want shop.test's", certs)
		}
		got = certs.Certificates[0]
		return got.LastError != ""
	})
	if got.Host != "shop.test" || got.State != CertObtaining || strings.Count(got.LastError, "connection refused") != 1 ||
		!got.NextAttempt.Equal(got.LastErrorAt.Add(firstRetry)) {
		t.Errorf("GET /v1/certificates: %+v; want shop.test obtaining, the refused connection, asking again in a minute", got)
	}
}
