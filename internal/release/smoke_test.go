package release

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSmoke(t *testing.T) {
	page := `<html><link rel="stylesheet" href="https://shop.example.com/site.css"></html>`
	var status = http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			w.WriteHeader(status)
		default:
			if r.Header.Get("X-Forwarded-Proto") != "https" || r.Host != "shop.example.com" {
				t.Errorf("smoke asked as %s://%s", r.Header.Get("X-Forwarded-Proto"), r.Host)
			}
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(page))
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	if err := Smoke(ctx, srv.URL, "/healthz", "shop.example.com"); err != nil {
		t.Fatalf("a good release: %v", err)
	}
	page = `<html><script src="http://shop.example.com/app.js"></script></html>`
	if err := Smoke(ctx, srv.URL, "/healthz", "shop.example.com"); err == nil || !strings.Contains(err.Error(), "http://") {
		t.Errorf("http:// script behind https: %v", err)
	}
	page = `<html><a href="http://elsewhere.example.com/">a link, not an asset</a></html>`
	if err := Smoke(ctx, srv.URL, "/healthz", "shop.example.com"); err != nil {
		t.Errorf("an http:// link is not an asset: %v", err)
	}
	status = http.StatusServiceUnavailable
	if err := Smoke(ctx, srv.URL, "/healthz", "shop.example.com"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("a failing health route: %v", err)
	}
}
