package proxy

import (
	"io"
	"net"
	"net/http"
	"strings"
)

// acmeChallengePrefix is where an ACME CA asks for HTTP-01 challenges.
const acmeChallengePrefix = "/.well-known/acme-challenge/"

// httpsRedirect is the plain HTTP listener of a proxy that serves HTTPS:
// it answers the CA's HTTP-01 challenges (with ACME) and the proxy's own
// health path from loopback, and sends every other request for a routed
// host to the same URL over HTTPS; one for no route gets 404, as over
// HTTPS, so the Host header cannot pick where a client is sent.
type httpsRedirect struct {
	proxy      *Proxy
	challenges http.Handler // nil: no ACME
	// port is the HTTPS port clients reach ("443" is left out of URLs).
	port string
}

var _ http.Handler = (*httpsRedirect)(nil)

func (h *httpsRedirect) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case h.challenges != nil && strings.HasPrefix(r.URL.Path, acmeChallengePrefix):
		h.challenges.ServeHTTP(w, r)
		return
	case r.URL.Path == HealthPath && loopback(r.RemoteAddr):
		io.WriteString(w, "ok\n")
		return
	case h.proxy.route(r) == nil:
		http.Error(w, "no route for this host and path", http.StatusNotFound)
		return
	}
	host := r.Host
	if host == "" {
		http.Error(w, "a Host header is needed to redirect to HTTPS", http.StatusBadRequest)
		return
	}
	if hp, _, err := net.SplitHostPort(host); err == nil {
		host = hp
	}
	if h.port != "443" {
		host = net.JoinHostPort(host, h.port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	// 301 for what browsers and crawlers ask; 308 keeps the method and
	// body of the rest (a 301 would turn a POST into a GET).
	code := http.StatusPermanentRedirect
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		code = http.StatusMovedPermanently
	}
	w.Header().Set("Connection", "close")
	http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), code)
}
