package browser

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFront_PortForwardedApp: an app served over plain HTTP (as a pod is
// through a port-forward) is loaded over HTTPS through the front, which
// passes the forwarded headers as a TLS-terminating proxy does: seed 002's
// app, deaf to X-Forwarded-Proto, links its stylesheet over http:// and
// fails as blocked mixed content; the app that trusts the header passes.
func TestFront_PortForwardedApp(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Host+" "+r.Header.Get("X-Forwarded-Proto"))
		mu.Unlock()
		scheme := "http"
		if r.URL.Query().Get("trust") == "1" && r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		if r.URL.Path == "/static/site.css" {
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprint(w, "h1 { color: #b00 }")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><link rel="stylesheet" href="%s://%s/static/site.css"></head><body><h1>Quartermaster</h1></body></html>`, scheme, r.Host)
	}))
	t.Cleanup(app.Close)

	for _, tc := range []struct {
		query   string
		problem string
	}{
		{"?trust=1", ""},
		{"", "mixed-content stylesheet http://shop.test:"},
	} {
		t.Run("page"+tc.query, func(t *testing.T) {
			page := "https://shop.test/" + tc.query
			f, err := StartFront(page, app.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			o := f.Options(Options{URL: page, Timeout: 20 * time.Second, Screenshot: filepath.Join(t.TempDir(), "page.png")})
			if !strings.HasPrefix(o.URL, "https://shop.test:") || o.Resolve["shop.test"] != "127.0.0.1" || len(o.Trust) != 1 {
				t.Fatalf("options through the front: %+v", o)
			}
			rep, err := Check(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, p := range rep.Problems {
				got += p.String() + "\n"
			}
			switch {
			case tc.problem == "" && rep.Failed():
				t.Errorf("problems:\n%s", got)
			case tc.problem != "" && !strings.HasPrefix(got, tc.problem):
				t.Errorf("problems:\n%s\nwant %q first", got, tc.problem)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 || !strings.HasPrefix(seen[0], "shop.test:") || !strings.HasSuffix(seen[0], " https") {
		t.Errorf("the app saw %q; want the page's host and X-Forwarded-Proto https", seen)
	}
}
