package release

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/shipshape/shipshape/internal/hostnet"
)

// insecureAsset finds stylesheets, scripts and images loaded over http://
// in a page served as https: the browser blocks them (seed 002, where the
// app did not trust the proxy's X-Forwarded-Proto).
var insecureAsset = regexp.MustCompile(`(?i)<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)\s*=\s*["']http://[^"']+`)

// Smoke checks a release directly: its health route answers 2xx, and its
// page answers below 500 and, asked as https through a proxy, loads no
// asset over http://.
func Smoke(ctx context.Context, target, healthPath, host string) error {
	client := &http.Client{Transport: hostnet.Transport(ctx), Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string, string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(target, "/")+path, nil)
		if err != nil {
			return 0, "", "", err
		}
		if host != "" {
			req.Host = host
			req.Header.Set("X-Forwarded-Host", host)
		}
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		req.Header.Set("User-Agent", "shipshape-smoke")
		resp, err := client.Do(req)
		if err != nil {
			return 0, "", "", err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2<<20))
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(body), nil
	}
	code, _, _, err := get(healthPath)
	if err != nil {
		return fmt.Errorf("GET %s: %v", healthPath, err)
	}
	if code < 200 || code > 299 {
		return fmt.Errorf("GET %s: %d", healthPath, code)
	}
	code, ctype, body, err := get("/")
	if err != nil {
		return fmt.Errorf("GET /: %v", err)
	}
	if code >= 500 {
		return fmt.Errorf("GET /: %d", code)
	}
	if strings.Contains(ctype, "html") {
		if m := insecureAsset.FindString(body); m != "" {
			return fmt.Errorf("GET / as https loads an asset over http:// (%s…): browsers block it; the app must trust X-Forwarded-Proto", trim(m, 80))
		}
	}
	return nil
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
