package hostnet

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Without a remote engine the address is given back as it is; with one,
// a request to the forwarded address reaches the target through the
// engine's dialer, and stop closes the listener.
func TestForward(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok "+r.URL.Path) }))
	t.Cleanup(srv.Close)
	const target = "http://172.31.0.9:8080" // where the container is, on the engine's host

	local, stop, err := Forward(context.Background(), target)
	if err != nil || local != target {
		t.Fatalf("local engine: %q, %v", local, err)
	}
	stop()

	var dialled []string
	ctx := WithDial(context.Background(), func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialled = append(dialled, addr)
		return (&net.Dialer{}).DialContext(ctx, network, strings.TrimPrefix(srv.URL, "http://"))
	})
	local, stop, err = Forward(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(local, "http://127.0.0.1:") {
		t.Fatalf("forwarded to %q", local)
	}
	resp, err := http.Get(local + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok /healthz" || len(dialled) != 1 || dialled[0] != "172.31.0.9:8080" {
		t.Errorf("got %q through %v", body, dialled)
	}
	stop()
	if _, err := http.Get(local + "/"); err == nil {
		t.Error("the forward still answers after stop")
	}
}
