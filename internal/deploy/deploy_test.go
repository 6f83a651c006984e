package deploy

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

// A second deploy of the same service fails at once and says who holds
// the lock; another service deploys alongside.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lock(dir, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock(dir, "shop"); err == nil || !strings.Contains(err.Error(), "another deploy of shop is running (pid ") {
		t.Errorf("second lock: %v", err)
	}
	other, err := lock(dir, "blog")
	if err != nil {
		t.Errorf("another service: %v", err)
	} else {
		other()
	}
	unlock()
	again, err := lock(dir, "shop")
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
}

func TestDeploy_BadService(t *testing.T) {
	for _, name := range []string{"", "a b", "a/b"} {
		if _, err := Deploy(context.Background(), nil, Options{Service: name, LockDir: t.TempDir()}, nil); err == nil {
			t.Errorf("service %q accepted", name)
		}
	}
}
