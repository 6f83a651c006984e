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
	for run, findings := range checkRuns(t, root, "XF003", 40) {
		if len(findings) != 1 || !strings.Contains(findings[0].Message, "behind Traefik") {
			t.Fatalf("run %d: findings %+v, want one naming Traefik", run, findings)
		}
	}
}

// checkRuns checks the tree at root with one rule, runs times over, and
// returns each run's findings: for rules whose answer must not depend on
// the order of a map.
func checkRuns(t *testing.T, root, id string, runs int) [][]lint.Finding {
	t.Helper()
	rule, ok := lint.Lookup(id)
	if !ok {
		t.Fatalf("no rule %s", id)
	}
	inputs, err := lint.Discover([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]lint.Finding, runs)
	for i := range out {
		out[i] = lint.Check(inputs, lint.DefaultConfig(), []lint.Rule{rule}).Findings
	}
	return out
}
