package crossfile

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/testutil"
)

// A service labelled for Traefik and for Caddy is reported the same way on
// every run: label maps have no order.
func TestXF003_ProxyNamedAlikeEveryRun(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		"Dockerfile": "FROM python:3.12.7-slim\nWORKDIR /app\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\"]\n",
		"compose.yaml": "name: quartermaster\nservices:\n  app:\n    build: .\n    labels:\n" +
			"      caddy: qm.example.com\n      caddy.reverse_proxy: \"{{upstreams 8000}}\"\n" +
			"      traefik.enable: \"true\"\n      traefik.http.routers.qm.rule: Host(`qm.example.com`)\n",
	})
	var rules []lint.Rule
	for _, r := range lint.List() {
		if r.Info().ID == "XF003" {
			rules = append(rules, r)
		}
	}
	inputs, err := lint.Discover([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	for run := 0; run < 40; run++ {
		res := lint.Check(inputs, lint.DefaultConfig(), rules)
		if len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Message, "behind Traefik") {
			t.Fatalf("run %d: findings %+v, want one naming Traefik", run, res.Findings)
		}
	}
}
