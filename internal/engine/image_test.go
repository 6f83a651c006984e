package engine

import "testing"

func TestHealthPathOf(t *testing.T) {
	cases := []struct {
		labels map[string]string
		test   []string
		want   string
	}{
		{map[string]string{HealthPathLabel: "/health"}, []string{"CMD", "/app/healthcheck"}, "/health"},
		{nil, []string{"CMD", "python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ping', timeout=2)"}, "/ping"},
		{nil, []string{"CMD-SHELL", "curl -fsS http://localhost:3000/api/health || exit 1"}, "/api/health"},
		{map[string]string{HealthPathLabel: "not a path"}, []string{"CMD", "/healthcheck"}, "/healthz"},
		{nil, nil, "/healthz"},
	}
	for _, c := range cases {
		if got := HealthPathOf(c.labels, c.test); got != c.want {
			t.Errorf("HealthPathOf(%v, %q) = %q, want %q", c.labels, c.test, got, c.want)
		}
	}
}
