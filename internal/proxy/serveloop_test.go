package proxy

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// loopBackend is echoBackend with answers of more shapes: /status/N
// answers N, /big a body of 100 KB with its length, /stream one of unknown
// length in pieces, /small one too short for a length of its own.
func loopBackend(t *testing.T) *httptest.Server {
	t.Helper()
	echo := echoBackend(t)
	big := strings.Repeat("0123456789abcdef", 100<<10/16)
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/status/"):
			var code int
			fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/status/"), &code)
			w.Header().Set("ETag", `"v1"`)
			w.WriteHeader(code)
			return
		case r.URL.Path == "/big":
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Length", fmt.Sprint(len(big)))
			io.WriteString(w, big)
			return
		case r.URL.Path == "/stream":
			w.Header().Set("Content-Type", "text/plain")
			for i := range 5 {
				fmt.Fprintf(w, "%d %s\n", i, big[:3000])
				http.NewResponseController(w).Flush()
			}
			return
		case r.URL.Path == "/json":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"a": %q}`, big[:4000])
			return
		}
		echo.Config.Handler.ServeHTTP(w, r) // what echoBackend answers
	}))
	t.Cleanup(b.Close)
	return b
}

// loopProxy is a proxy whose service app takes every host, "maint.example"
// a service in maintenance and "dead.example" one whose target refuses.
func loopProxy(t *testing.T, backend string, opts Options) *Proxy {
	t.Helper()
	p, _ := proxyTo(t, backend, opts)
	must(t, p.SetService("maint", fast, []Route{{Host: "maint.example"}}))
	must(t, p.restore("maint", []string{backend}))
	must(t, p.Maintenance("maint", true))
	must(t, p.SetService("dead", fast, []Route{{Host: "dead.example"}}))
	must(t, p.restore("dead", []string{"http://" + freeAddr(t)}))
	return p
}

// serveBoth serves h through net/http's server, as the proxy served
// plain HTTP before, and through the serve loop; it returns both addresses.
func serveBoth(t *testing.T, h http.Handler) (ref, loop string, l *serveLoop) {
	t.Helper()
	newServer := func() *http.Server {
		return &http.Server{Handler: h, ReadHeaderTimeout: time.Second, ReadTimeout: readTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	}
	refLn, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	refSrv := newServer()
	go refSrv.Serve(refLn)
	loopLn, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	l = newServeLoop(newServer())
	done := make(chan error, 1)
	go func() { done <- l.serve(loopLn) }()
	t.Cleanup(func() {
		refSrv.Close()
		l.close()
		l.srv.Close()
		if err := <-done; err != http.ErrServerClosed {
			t.Errorf("serve loop ended with %v, want http.ErrServerClosed", err)
		}
	})
	return refLn.Addr().String(), loopLn.Addr().String(), l
}

var dateField = regexp.MustCompile(`(?m)^Date: [^\r]*\r$`)

// exchange sends raw on a new connection to addr and returns every byte
// of the answers to methods (one per request sent, in order; fewer when
// the connection closes), Date set aside, and whether the server closed
// the connection after them.
func exchange(t *testing.T, addr, raw string, methods []string) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	must(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	br := bufio.NewReader(io.TeeReader(conn, &got))
	var out strings.Builder
	for i, m := range methods {
		resp, err := http.ReadResponse(br, &http.Request{Method: m})
		if err != nil {
			fmt.Fprintf(&out, "answer %d: %v\n", i, err)
			break
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Fprintf(&out, "answer %d: body error %v, trailers %v\n", i, err, resp.Trailer)
	}
	conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	_, err = br.ReadByte()
	closed := err == io.EOF
	return fmt.Sprintf("%s%s\nclosed: %v", unchunk(got.Bytes(), methods), out.String(), closed)
}

// unchunk returns raw answers with Date set aside and each chunked body
// decoded: where a stream is cut into chunks depends on when its pieces
// reach the proxy, not on the server that writes them.
func unchunk(raw []byte, methods []string) string {
	var out strings.Builder
	for _, m := range methods {
		end := bytes.Index(raw, []byte("\r\n\r\n"))
		if end < 0 {
			break
		}
		head := raw[:end+4]
		out.WriteString(dateField.ReplaceAllString(string(head), "Date: -\r"))
		r := bytes.NewReader(raw)
		br := bufio.NewReader(r)
		resp, err := http.ReadResponse(br, &http.Request{Method: m})
		if err != nil {
			break
		}
		body, err := io.ReadAll(resp.Body)
		used := len(raw) - r.Len() - br.Buffered()
		if len(resp.TransferEncoding) > 0 {
			fmt.Fprintf(&out, "[chunked: %v, trailers %v]%s", err, resp.Trailer, body)
		} else {
			out.Write(raw[end+4 : used])
		}
		raw = raw[used:]
	}
	out.Write(raw)
	return out.String()
}

// loopCases are raw requests of many shapes (each string one write, with
// the methods of the answers expected).
type loopCase struct {
	raw     string
	methods []string
	handed  bool // to net/http
}

var loopCases = []loopCase{
	{"GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: shop.example.com\r\nConnection: keep-alive, X-Secret\r\nX-Secret: s\r\n" +
		"Keep-Alive: 300\r\nProxy-Connection: keep-alive\r\nTe: trailers, deflate\r\nX-Forwarded-For: 6.6.6.6\r\n" +
		"X-Forwarded-Host: evil\r\nForwarded: for=6.6.6.6\r\nAccept: */*\r\nCookie: a=1\r\nCookie: b=2\r\nUser-Agent: ua\r\n\r\n", []string{"GET"}, false},
	{"HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n", []string{"HEAD"}, false},
	{"HEAD /big HTTP/1.1\r\nHost: x\r\n\r\n", []string{"HEAD"}, false},
	{"DELETE /item/7 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", []string{"DELETE"}, false},
	{"OPTIONS /o HTTP/1.1\r\nHost: x\r\n\r\n", []string{"OPTIONS"}, false},
	{"GET /q?a=1;b=2&c=%zz HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, false},
	{"GET /%7euser/a%2Fb?x HTTP/1.1\r\nHost: X.Example.COM:8080\r\n\r\n", []string{"GET"}, false},
	{"GET /lower HTTP/1.1\r\nhost: x\r\nx-lower: 1\r\nPragma: no-cache\r\n\r\n", []string{"GET"}, false},
	{"GET /old HTTP/1.0\r\n\r\n", []string{"GET"}, false},
	{"GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /old2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", []string{"GET", "GET"}, false},
	{"GET /big HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", []string{"GET"}, false},
	{"GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", []string{"GET"}, false},
	{"GET /status/204 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", []string{"GET"}, false},
	{"GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET", "HEAD", "GET"}, false},
	{"GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET", "GET"}, false},
	{"GET /a HTTP/1.1\r\nHost: x\r\nConnection: Close, x-a\r\n\r\n", []string{"GET"}, false},
	{"GET /status/204 HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, false},
	{"GET /status/304 HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, false},
	{"GET /status/499 HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, false},
	{"GET /status/500 HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, false},
	{"GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /big HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET", "GET"}, false},
	{"GET /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /stream HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET", "GET"}, false},
	{"GET /json HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n", []string{"GET"}, false},
	{"GET /trailer HTTP/1.1\r\nHost: x\r\nTe: trailers\r\n\r\n", []string{"GET"}, false},
	{"GET /_shipshape/health HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, false},
	{"HEAD /_shipshape/health HTTP/1.1\r\nHost: x\r\n\r\n", []string{"HEAD"}, false},
	{"GET / HTTP/1.1\r\nHost: maint.example\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET", "GET"}, false},
	{"GET / HTTP/1.1\r\nHost: dead.example\r\n\r\n", []string{"GET"}, false},
	// Handed to net/http: malformed, a body, an upgrade, LF line ends, too
	// long; after a request the loop served on the same connection too.
	{"NOT A REQUEST\r\n\r\n", []string{"GET"}, true},
	{"GET / HTTP/1.1\r\n\r\n", []string{"GET"}, true},
	{"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", []string{"GET"}, true},
	{"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", []string{"GET"}, true},
	{"GET /lf HTTP/1.1\nHost: x\n\n", []string{"GET"}, true},
	{"GET /x HTTP/1.1\r\nHost: x\r\nX-Long: " + strings.Repeat("a", 5000) + "\r\n\r\n", []string{"GET"}, true},
	{"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", []string{"POST"}, true},
	{"GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /after HTTP/1.1\r\nHost: x\r\n\r\n",
		[]string{"GET", "POST", "GET"}, true},
	{"PUT /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", []string{"PUT"}, true},
	{"GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", []string{"GET"}, true},
	{"GET /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n", []string{"GET"}, true},
	{"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", []string{"GET"}, true},
	{"GET http://x/abs HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, true},
	{"GET /bad%zz HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, true},
	{"GET / HTTP/1.1\r\nHost: x y\r\n\r\n", []string{"GET"}, true},
	{"GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", []string{"GET"}, true},
	{"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n", []string{"GET"}, true},
	// Never finished: the client gives up (the loop hands the part it got
	// to net/http, to answer as it does).
	{"GET / HTTP/1.1\r\nHost: x\r\n", nil, true},
}

func init() {
	for q := range rawHeads {
		loopCases = append(loopCases, loopCase{"GET /raw?" + q + " HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, false})
	}
}

// The serve loop answers every request as net/http's server did: the same
// bytes (but the Date) for requests it serves itself and for those it
// hands over, alone, pipelined, and one after the other on a connection;
// the same closing of the connection; and the same request at the backend
// (the echo backend answers with it).
func TestServeLoop_SameAsNetHTTP(t *testing.T) {
	b := loopBackend(t)
	for _, opts := range []Options{{}, {Gzip: true}} {
		t.Run(fmt.Sprintf("gzip=%v", opts.Gzip), func(t *testing.T) {
			p := loopProxy(t, b.URL, opts)
			ref, loop, l := serveBoth(t, p)
			for _, c := range loopCases {
				want := exchange(t, ref, c.raw, c.methods)
				before := l.handedOff.Load()
				got := exchange(t, loop, c.raw, c.methods)
				if got != want {
					t.Errorf("%q\nthrough the serve loop:\n%s\n\nthrough net/http:\n%s", c.raw, got, want)
				}
				if handed := l.handedOff.Load() != before; handed != c.handed && c.methods != nil {
					t.Errorf("%q: handed to net/http %v, want %v", c.raw, handed, c.handed)
				}
			}
		})
	}
}

// A client that hangs up in the middle of an answer costs nothing: the
// request is counted done (a deploy's drain does not wait for it) and the
// next client is served.
func TestServeLoop_ClientLeavesMidAnswer(t *testing.T) {
	b := loopBackend(t)
	p := loopProxy(t, b.URL, Options{})
	_, loop, _ := serveBoth(t, p)
	for range 5 {
		conn, err := net.Dial("tcp", loop)
		must(t, err)
		io.WriteString(conn, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
		buf := make([]byte, 100)
		io.ReadFull(conn, buf)
		conn.Close()
	}
	waitFor(t, func() bool { return v1inflightOf(p, "app") == 0 })
	if code, body := get(t, "http://"+loop+"/"); code != http.StatusOK || !strings.HasPrefix(body, "GET / HTTP/1.1") {
		t.Errorf("after clients that left: %d %q", code, body)
	}
	// A cut answer from the backend is cut at the client too.
	for range 3 {
		resp, err := http.Get("http://" + loop + "/cut")
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if err == nil {
			t.Error("a body broken off by the backend read whole")
		}
	}
}

// A client that hangs up while its request waits for the backend ends the
// request, as with net/http's server: the backend's request is cancelled,
// nothing stays in flight, and the client is counted as gone (499).
func TestServeLoop_ClientLeavesWhileBackendWaits(t *testing.T) {
	cancelled := make(chan struct{}, 1)
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hang" {
			select {
			case <-r.Context().Done():
				cancelled <- struct{}{}
			case <-time.After(10 * time.Second):
			}
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(b.Close)
	p, _ := proxyTo(t, b.URL, Options{})
	_, loop, _ := serveBoth(t, p)
	conn, err := net.Dial("tcp", loop)
	must(t, err)
	io.WriteString(conn, "GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
	waitFor(t, func() bool { return v1inflightOf(p, "app") == 1 })
	conn.Close()
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the backend's request went on after its client left")
	}
	waitFor(t, func() bool { return v1inflightOf(p, "app") == 0 })
	var metrics strings.Builder
	p.WriteMetrics(&metrics)
	if !strings.Contains(metrics.String(), `shipshape_proxy_requests_total{service="app",code="4xx"} 1`) {
		t.Errorf("a client gone is not counted as 499:\n%s", metrics.String())
	}
}

func v1inflightOf(p *Proxy, service string) int64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	var n int64
	for _, t := range p.services[service].active.targets {
		n += t.inflight.Load()
	}
	return n
}

// Shutdown closes idle connections at once, lets a request in flight
// finish (its answer says Connection: close) and then returns; the
// listener takes no new connection meanwhile.
func TestServeLoop_ShutdownFinishesRequestsInFlight(t *testing.T) {
	release := make(chan struct{})
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
		io.WriteString(w, "done")
	}))
	t.Cleanup(b.Close)
	p, _ := proxyTo(t, b.URL, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	l := newServeLoop(&http.Server{Handler: p, ReadHeaderTimeout: time.Second, IdleTimeout: idleTimeout})
	served := make(chan error, 1)
	go func() { served <- l.serve(ln) }()
	addr := ln.Addr().String()

	idle, err := net.Dial("tcp", addr)
	must(t, err)
	defer idle.Close()
	io.WriteString(idle, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	ir := bufio.NewReader(idle)
	if resp, err := http.ReadResponse(ir, nil); err != nil {
		t.Fatal(err)
	} else {
		io.Copy(io.Discard, resp.Body)
	}
	busy, err := net.Dial("tcp", addr)
	must(t, err)
	defer busy.Close()
	io.WriteString(busy, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	waitFor(t, func() bool { return v1inflightOf(p, "app") == 1 })

	shut := make(chan error, 1)
	go func() { shut <- l.shutdown(context.Background()) }()
	idle.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := ir.ReadByte(); err != io.EOF {
		t.Errorf("idle connection at shutdown: %v, want it closed", err)
	}
	if err := <-served; err != http.ErrServerClosed {
		t.Errorf("serve: %v", err)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("a connection was accepted after shutdown began")
	}
	select {
	case err := <-shut:
		t.Fatalf("shutdown returned (%v) with a request in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	busy.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(busy), nil)
	if err != nil {
		t.Fatalf("request in flight at shutdown: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "done" || !resp.Close {
		t.Errorf("request in flight at shutdown: %q, close=%v; want its answer and Connection: close", body, resp.Close)
	}
	if err := <-shut; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	l.srv.Close()
}

// A head that arrives in pieces must be whole within the header timeout
// (slowloris); a connection that sends nothing is closed after it too.
func TestServeLoop_HeaderTimeout(t *testing.T) {
	b := loopBackend(t)
	p := loopProxy(t, b.URL, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	l := newServeLoop(&http.Server{Handler: p, ReadHeaderTimeout: 300 * time.Millisecond, IdleTimeout: time.Second})
	go l.serve(ln)
	t.Cleanup(func() { l.close(); l.srv.Close() })
	for _, first := range []string{"", "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n"} {
		conn, err := net.Dial("tcp", ln.Addr().String())
		must(t, err)
		defer conn.Close()
		io.WriteString(conn, first)
		start := time.Now()
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			// Trickle a header a byte at a time, as a slowloris does.
			defer wg.Done()
			for range 20 {
				if _, err := io.WriteString(conn, "X"); err != nil {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		io.ReadAll(conn)
		took := time.Since(start)
		wg.Wait()
		if took > 900*time.Millisecond {
			t.Errorf("after %q and a trickle, closed after %v; want about the 300 ms header timeout", first, took)
		}
	}
}

// The parser reads only heads that http.ReadRequest reads alike, and that
// net/http's server serves (it answers 400 to more than ReadRequest
// refuses): for any head it takes, the same method, URL, protocol, host,
// header fields, Close and length, and the same bytes consumed.
func FuzzParseRequestHead(f *testing.F) {
	for _, c := range loopCases {
		f.Add(c.raw)
	}
	f.Add("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	f.Add("DELETE /a?b=c HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
	f.Fuzz(func(t *testing.T, raw string) {
		req := &http.Request{Header: http.Header{}}
		n, v := parseRequestHead([]byte(raw), req)
		if v != headOK {
			return
		}
		br := bufio.NewReader(strings.NewReader(raw))
		want, err := http.ReadRequest(br)
		if err != nil {
			t.Fatalf("parsed %q; ReadRequest: %v", raw, err)
		}
		// ReadRequest drops the Host fields the server checks: read them.
		tp := textproto.NewReader(bufio.NewReader(strings.NewReader(raw)))
		tp.ReadLine()
		fields, _ := tp.ReadMIMEHeader()
		if hosts := fields["Host"]; len(hosts) > 1 || want.ProtoMinor == 1 && len(hosts) != 1 {
			t.Fatalf("parsed %q, which net/http's server refuses for its Host fields %q", raw, hosts)
		}
		rest, _ := io.ReadAll(br)
		if len(raw)-n != len(rest) {
			t.Fatalf("%q: parsed %d bytes; ReadRequest %d", raw, n, len(raw)-len(rest))
		}
		g := fmt.Sprintf("%s %q %s %s %d.%d host=%q close=%v len=%d body=%v %v", req.Method, req.RequestURI, req.URL, req.Proto,
			req.ProtoMajor, req.ProtoMinor, req.Host, req.Close, req.ContentLength, req.Body == http.NoBody, req.Header)
		w := fmt.Sprintf("%s %q %s %s %d.%d host=%q close=%v len=%d body=%v %v", want.Method, want.RequestURI, want.URL, want.Proto,
			want.ProtoMajor, want.ProtoMinor, want.Host, want.Close, want.ContentLength, want.Body == http.NoBody, want.Header)
		if g != w {
			t.Fatalf("%q:\nparsed      %s\nReadRequest %s", raw, g, w)
		}
		// The URL's fields too, which its String may write alike.
		if g, w := fmt.Sprintf("%#v", *req.URL), fmt.Sprintf("%#v", *want.URL); g != w {
			t.Fatalf("%q:\nparsed URL      %s\nReadRequest URL %s", raw, g, w)
		}
	})
}

// A request that comes while the one before it is answered (a pipelining
// client) is answered at once. After an answer the loop waits without
// reading first: the bytes that came before must have armed that wait.
func TestServeLoop_RequestWhileAnswering(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	_, addr, _ := serveBoth(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(entered)
			<-release
		}
		io.WriteString(w, r.URL.Path)
	}))
	conn, err := net.Dial("tcp", addr)
	must(t, err)
	defer conn.Close()
	// Well within the idle timeout: a wake-up missed would wait for that.
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	<-entered
	io.WriteString(conn, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(50 * time.Millisecond) // at the server before the first answer goes out
	close(release)
	br := bufio.NewReader(conn)
	for _, want := range []string{"/slow", "/fast"} {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("answer to %s: %v", want, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if string(body) != want {
			t.Fatalf("answer %q, want %q", body, want)
		}
	}
}

// close ends a connection whose request is in flight at once, as
// http.Server's Close does: the request's context ends and the client
// sees the connection close, with no answer.
func TestServeLoop_CloseEndsRequestsInFlight(t *testing.T) {
	entered := make(chan struct{})
	_, addr, l := serveBoth(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	}))
	conn, err := net.Dial("tcp", addr)
	must(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	<-entered
	closed := make(chan struct{})
	go func() { l.close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		t.Fatal("close waited for the request in flight")
	}
	if n, err := conn.Read(make([]byte, 512)); n != 0 || err == nil {
		t.Fatalf("read %d bytes, %v; want the connection closed without an answer", n, err)
	}
}
