package proxy

import (
	"context"
	"crypto/x509"
	"net/http"
	"slices"
	"sort"
	"time"
)

// CertState is where a routed host's certificate stands.
type CertState string

const (
	// CertObtaining: no certificate yet; the proxy is asking the CA, or
	// waits to ask again after a failure (NextAttempt).
	CertObtaining CertState = "obtaining"
	// CertValid: served, and its renewal has not failed.
	CertValid CertState = "valid"
	// CertRenewalFailing: served and still valid, but its renewal came due
	// and failed (or is overdue): autocert keeps serving it and retries.
	CertRenewalFailing CertState = "renewal failing"
	// CertExpired: the certificate served has ended; clients refuse it.
	CertExpired CertState = "expired"
	// CertNone: no certificate, and none is asked for: a route without a
	// host (no CA issues one for any host).
	CertNone CertState = "none"
)

// Certificates is the answer to GET /v1/certificates.
type Certificates struct {
	// ACME is true when the proxy runs with --acme; without it the proxy
	// obtains no certificate and the list is empty.
	ACME         bool          `json:"acme"`
	Certificates []Certificate `json:"certificates"`
}

// Certificate is one routed host's certificate, as the proxy serves it
// to clients that take ECDSA (every current one).
type Certificate struct {
	Host     string    `json:"host"`     // "": the routes without a host
	Services []string  `json:"services"` // whose routes name the host
	State    CertState `json:"state"`
	Serial   string    `json:"serial,omitempty"`
	Issuer   string    `json:"issuer,omitempty"` // the issuing CA's common name
	// NotBefore and NotAfter bound the certificate's validity.
	NotBefore time.Time `json:"not_before,omitzero"`
	NotAfter  time.Time `json:"not_after,omitzero"`
	// RenewalDue is from when the proxy renews it (a third of its life
	// before the end, at most 30 days); autocert waits up to a tenth of
	// that window more, at most an hour, so not all renew at once.
	RenewalDue time.Time `json:"renewal_due,omitzero"`
	// NextAttempt is when the proxy asks the CA again for a host it
	// failed to get a first certificate for.
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	// LastError is the latest failure for the host: of its issuance, or
	// an ACME request that failed after its renewal came due while it was
	// not renewed; LastErrorAt is when.
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
}

// Certificates returns the certificate of each host routed to the proxy.
func (c *Client) Certificates(ctx context.Context) (Certificates, error) {
	var out Certificates
	err := c.do(ctx, http.MethodGet, "/v1/certificates", nil, &out)
	return out, err
}

// status is each routed host's certificate at now, sorted by host (the
// routes without a host first); a nil manager (no --acme) has none.
func (c *certManager) status(now time.Time) Certificates {
	if c == nil {
		return Certificates{Certificates: []Certificate{}}
	}
	last := c.acme.lastFailure()
	c.mu.Lock()
	defer c.mu.Unlock()
	out := Certificates{ACME: true, Certificates: []Certificate{}}
	if len(c.anyHost) > 0 {
		out.Certificates = append(out.Certificates, Certificate{Services: slices.Clone(c.anyHost), State: CertNone,
			LastError: "a route without a host gets no certificate; name the host in the route"})
	}
	for _, host := range sortedKeys(c.hosts) {
		cert := Certificate{Host: host, Services: slices.Clone(c.services[host]), State: CertObtaining}
		if f, ok := c.failures[host]; ok {
			cert.LastError, cert.LastErrorAt = f.text, f.at.UTC()
		}
		leaf := c.leaves[host]
		if leaf == nil {
			if r, ok := c.retry[host]; ok {
				cert.NextAttempt = r.at.UTC()
			}
			out.Certificates = append(out.Certificates, cert)
			continue
		}
		due, overdue := renewalTimes(leaf.NotBefore, leaf.NotAfter)
		cert.Serial, cert.Issuer = serialOf(leaf), leaf.Issuer.CommonName
		cert.NotBefore, cert.NotAfter, cert.RenewalDue = leaf.NotBefore.UTC(), leaf.NotAfter.UTC(), due.UTC()
		// A failure after the renewal came due is this host's unless the
		// CA's answer names another; one that names none (a refused
		// connection) shows on each host due at the time.
		failed := last != nil && !last.at.Before(due) && (last.host == "" || last.host == host)
		if failed && last.at.After(cert.LastErrorAt) {
			cert.LastError, cert.LastErrorAt = last.text, last.at.UTC()
		}
		switch {
		case !now.Before(leaf.NotAfter):
			cert.State = CertExpired
		case !now.Before(due) && (failed || !now.Before(overdue)):
			cert.State = CertRenewalFailing
		default:
			cert.State = CertValid
		}
		out.Certificates = append(out.Certificates, cert)
	}
	return out
}

// serve records the certificate served for host (obtained, loaded from
// the cache or renewed).
func (c *certManager) serve(host string, leaf *x509.Certificate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hosts[host] {
		c.leaves[host] = leaf
	}
}

// routeServices maps each routed host to the services whose routes name
// it, and lists the services with a route for any host; each sorted.
func routeServices(routes []Route) (byHost map[string][]string, anyHost []string) {
	byHost = map[string][]string{}
	for _, r := range routes {
		if r.Host == "" {
			anyHost = appendSorted(anyHost, r.Service)
			continue
		}
		h := normalHost(r.Host)
		byHost[h] = appendSorted(byHost[h], r.Service)
	}
	return byHost, anyHost
}

// appendSorted adds s to the sorted list once.
func appendSorted(list []string, s string) []string {
	i := sort.SearchStrings(list, s)
	if i < len(list) && list[i] == s {
		return list
	}
	return slices.Insert(list, i, s)
}
