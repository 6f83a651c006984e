package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
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
	at   time.Time
	text string
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
		return resp, nil
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxProblemBytes))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	var problem struct {
		Type   string `json:"type"`
		Detail string `json:"detail"`
	}
	_ = json.Unmarshal(head, &problem)
	if problem.Type == "urn:ietf:params:acme:error:badNonce" {
		return resp, nil // the client asks again with a fresh nonce
	}
	text := resp.Status
	if problem.Type != "" {
		text = fmt.Sprintf("%s: %s: %s", resp.Status, problem.Type, problem.Detail)
	}
	t.failed(r, text)
	return resp, nil
}

func (t *acmeTransport) failed(r *http.Request, text string) {
	t.mu.Lock()
	t.last = &acmeFailure{at: time.Now(), text: r.Method + " " + r.URL.String() + ": " + text}
	t.mu.Unlock()
	t.log.Warn("acme request failed", "method", r.Method, "url", r.URL.String(), "error", text)
}

// lastFailure is the latest failed request, or nil.
func (t *acmeTransport) lastFailure() *acmeFailure {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}
