package proxy

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// acmeTransport carries the ACME client's requests and logs those that
// failed: autocert returns a failed issuance to the handshake that asked
// and drops a failed renewal, so without this the log would not say why
// a certificate was not renewed.
type acmeTransport struct {
	base http.RoundTripper
	log  *slog.Logger

	mu   sync.Mutex
	last *acmeFailure
}

type acmeFailure struct {
	at     time.Time
	text   string // the request and why it failed
	reason string // why, alone
	host   string // the host it was for, when the CA's answer names it
}

var _ http.RoundTripper = (*acmeTransport)(nil)

// maxProblemBytes bounds what is read of an error response to name the
// problem; the client reads the rest.
const maxProblemBytes = 8 << 10

func (t *acmeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		t.failed(r, err.Error())
		return nil, err
	}
	if resp.StatusCode < 400 {
		if strings.Contains(resp.Header.Get("Content-Type"), "json") {
			if host, text := invalidAuthorization(peek(resp)); text != "" {
				t.failedFor(r, host, text)
			}
		}
		return resp, nil
	}
	head := peek(resp)
	var problem acmeProblem
	_ = json.Unmarshal(head, &problem)
	if problem.Type == "urn:ietf:params:acme:error:badNonce" {
		return resp, nil // the client asks again with a fresh nonce
	}
	text := resp.Status
	if problem.Type != "" {
		text = resp.Status + ": " + problem.String()
	}
	t.failed(r, text)
	return resp, nil
}

// peek reads the head of resp's body (up to maxProblemBytes) and leaves
// the body whole for the client.
func peek(resp *http.Response) []byte {
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxProblemBytes))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return head
}

// acmeProblem is an ACME error document (RFC 8555 section 6.7).
type acmeProblem struct {
	Type   string `json:"type"`
	Detail string `json:"detail"`
}

func (p *acmeProblem) String() string { return p.Type + ": " + p.Detail }

// invalidAuthorization names why an authorization or order the CA
// answers is invalid, and the host an authorization is for; text is ""
// for one that is not: a failed validation comes as a 200 whose document
// says so, and autocert, after trying each challenge type, only says none
// was left.
func invalidAuthorization(doc []byte) (host, text string) {
	var v struct {
		Status     string                 `json:"status"`
		Identifier struct{ Value string } `json:"identifier"`
		Error      *acmeProblem           `json:"error"`
		Challenges []struct {
			Type  string       `json:"type"`
			Error *acmeProblem `json:"error"`
		} `json:"challenges"`
	}
	if json.Unmarshal(doc, &v) != nil || v.Status != "invalid" {
		return "", ""
	}
	host = normalHost(v.Identifier.Value)
	what := "order invalid"
	if host != "" {
		what = "authorization of " + host + " invalid"
	}
	for _, c := range v.Challenges {
		if c.Error != nil {
			return host, what + ": " + c.Type + ": " + c.Error.String()
		}
	}
	if v.Error != nil {
		return host, what + ": " + v.Error.String()
	}
	return host, what
}

func (t *acmeTransport) failed(r *http.Request, text string) { t.failedFor(r, "", text) }

// failedFor records a failure of a request for host ("": the request does
// not say which).
func (t *acmeTransport) failedFor(r *http.Request, host, text string) {
	t.mu.Lock()
	t.last = &acmeFailure{at: time.Now(), text: r.Method + " " + r.URL.String() + ": " + text, reason: text, host: host}
	t.mu.Unlock()
	t.log.Warn("acme request failed", "method", r.Method, "url", r.URL.String(), "error", text)
}

// lastFailure is the latest failed request, or nil.
func (t *acmeTransport) lastFailure() *acmeFailure {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}
