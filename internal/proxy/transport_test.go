package proxy

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// backendCountingConns serves handler and counts the connections opened to it.
func backendCountingConns(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// proxyTo is a proxy with opts whose one service, app, serves backend.
func proxyTo(t *testing.T, backend string, opts Options) (*Proxy, *httptest.Server) {
	t.Helper()
	p, srv := newProxy(t, opts)
	must(t, p.SetService("app", fast, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	must(t, p.Switch(ctx, "app", backend, time.Second))
	return p, srv
}

// Requests without a body reuse one pooled connection, and one whose
// backend closed it while idle is sent again on a new one: no error.
func TestTransportReusesAndRetriesStaleConnections(t *testing.T) {
	var mu sync.Mutex
	peers := map[string]bool{}
	b, _ := backendCountingConns(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			mu.Lock()
			peers[r.RemoteAddr] = true
			mu.Unlock()
		}
		io.WriteString(w, "ok "+r.Method)
	})
	p, srv := proxyTo(t, b.URL, Options{ResponseHeaderTimeout: time.Second})
	client := &http.Client{}
	for i := 0; i < 50; i++ {
		code, body := get(t, srv.URL+"/")
		if code != 200 || body != "ok GET" {
			t.Fatalf("request %d: %d %q", i, code, body)
		}
	}
	mu.Lock()
	// A connection goes back to the pool just after its response reached
	// the client, so the next request may find it still busy: a couple of
	// connections, never one per request.
	if len(peers) > 3 {
		t.Errorf("50 sequential requests came over %d backend connections, want them reused", len(peers))
	}
	mu.Unlock()
	// They took the direct path (its pool keeps only direct-path
	// connections): the standard Transport would reuse connections as well.
	if idleConns(activeTarget(p, "app").pool) == 0 {
		t.Errorf("the requests without a body did not take the direct path")
	}
	// The backend drops every idle connection, as one with a short
	// keep-alive timeout does between requests.
	b.CloseClientConnections()
	time.Sleep(50 * time.Millisecond)
	for i := 0; i < 5; i++ {
		resp, err := client.Get(srv.URL + "/")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("after the backend closed its idle connections: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	// A body still goes through (the standard transport).
	resp, err := client.Post(srv.URL+"/", "text/plain", strings.NewReader("payload"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok POST" {
		t.Errorf("POST through the proxy: %q", body)
	}
}

// A client that hangs up half-way through a long response must not leave
// the rest of that response on a pooled connection for the next request.
func TestTransportDropsConnectionsOfAbandonedResponses(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	b, _ := backendCountingConns(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			io.WriteString(w, big)
			return
		}
		if r.URL.Path == "/hints" {
			w.Header().Set("Link", "</site.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
		}
		io.WriteString(w, "small")
	})
	_, srv := proxyTo(t, b.URL, Options{ResponseHeaderTimeout: time.Second})
	for i := 0; i < 5; i++ {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		must(t, err)
		fmt.Fprintf(c, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
		br := bufio.NewReader(c)
		if _, err := br.Peek(1000); err != nil {
			t.Fatal(err)
		}
		c.Close() // mid-body
	}
	for i := 0; i < 20; i++ {
		if code, body := get(t, srv.URL+"/small"); code != 200 || body != "small" {
			t.Fatalf("after abandoned responses: %d %q", code, body[:min(len(body), 40)])
		}
	}
	// 103 Early Hints before the answer: the answer is what the client gets.
	if code, body := get(t, srv.URL+"/hints"); code != 200 || body != "small" {
		t.Errorf("after 103 Early Hints: %d %q", code, body)
	}
}

// A client that asks for a large response and stops reading is dropped
// after the write timeout (a slow-read attack holds nothing), while a
// stream that keeps moving outlives it.
func TestWriteTimeoutDropsClientsThatStopReading(t *testing.T) {
	big := strings.Repeat("x", 16<<20)
	b, _ := backendCountingConns(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/events" {
			w.Header().Set("Content-Type", "text/event-stream")
			for i := 0; i < 8; i++ {
				fmt.Fprintf(w, "data: %d\n\n", i)
				http.NewResponseController(w).Flush()
				time.Sleep(100 * time.Millisecond)
			}
			return
		}
		io.WriteString(w, big)
	})
	p, srv := proxyTo(t, b.URL, Options{WriteTimeout: 300 * time.Millisecond})

	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	must(t, err)
	defer c.Close()
	fmt.Fprintf(c, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(100 * time.Millisecond)
	if v1inflight(p) != 1 {
		t.Fatalf("the request is not in flight: %d", v1inflight(p))
	}
	waitFor(t, func() bool { return v1inflight(p) == 0 }) // 5 s at most, the timeout is 300 ms

	// 800 ms of events, each within the timeout: all arrive.
	resp, err := http.Get(srv.URL + "/events")
	must(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || strings.Count(string(body), "data: ") != 8 {
		t.Errorf("a stream longer than the write timeout: %d events, %v", strings.Count(string(body), "data: "), err)
	}
}

// A client that gives up while the backend is still thinking, or while a
// stream is quiet, frees the backend connection within a sweep: the
// backend sees its request cancelled.
func TestClientGoneCancelsTheBackendRequest(t *testing.T) {
	cancelled := make(chan string, 2)
	b, _ := backendCountingConns(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			return
		}
		if r.URL.Path == "/quiet-stream" {
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "data: hello\n\n")
			http.NewResponseController(w).Flush()
		}
		select {
		case <-r.Context().Done():
			cancelled <- r.URL.Path
		case <-time.After(10 * time.Second):
		}
	})
	p, srv := proxyTo(t, b.URL, Options{ResponseHeaderTimeout: 30 * time.Second})
	for _, path := range []string{"/thinking", "/quiet-stream"} {
		rctx, rcancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		req, _ := http.NewRequestWithContext(rctx, "GET", srv.URL+path, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		rcancel()
		select {
		case got := <-cancelled:
			if got != path {
				t.Errorf("cancelled %s, want %s", got, path)
			}
		case <-time.After(3 * time.Second):
			t.Errorf("%s: the backend request was not cancelled 3 s after the client left", path)
		}
	}
	waitFor(t, func() bool { return v1inflight(p) == 0 })
}
