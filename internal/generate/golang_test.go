package generate_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/cli"
	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestGo_PassesProductionCheck: what the generator writes for each layout
// of Go service passes `shipshape check --profile production` with zero
// findings.
func TestGo_PassesProductionCheck(t *testing.T) {
	layouts := map[string]map[string]string{
		"root main, go.sum": {
			"go.mod": "module x\n\ngo 1.26\n", "go.sum": "",
			"main.go": "package main\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
		},
		"cmd/api, no go.sum, other version": {
			"go.mod":          "module x\n\ngo 1.22.3\n",
			"cmd/api/main.go": "package main\n\nfunc main() {}\n",
		},
		"no declared version": {
			"go.mod":  "module x\n",
			"main.go": "package main\n\nfunc main() {}\n",
		},
	}
	for name, files := range layouts {
		t.Run(name, func(t *testing.T) {
			dir := testutil.WriteTree(t, files)
			s, err := detect.Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			out, err := generate.Go(s, 8080, "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range out {
				if err := os.WriteFile(filepath.Join(dir, f.Path), []byte(f.Content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var stdout, stderr bytes.Buffer
			code := cli.Execute(context.Background(), []string{"check", "--no-config", "--profile", "production", "--fail-on", "info", dir},
				strings.NewReader(""), &stdout, &stderr)
			if code != 0 {
				t.Fatalf("check exit %d\n%s%s\n--- Dockerfile\n%s", code, stdout.String(), stderr.String(), out[0].Content)
			}
			if !strings.Contains(stdout.String(), "0 findings in 1 file checked") {
				t.Fatalf("check did not read the Dockerfile: %q", stdout.String())
			}
			if want := "-o /out/app ./cmd/api"; files["cmd/api/main.go"] != "" && !strings.Contains(out[0].Content, want) {
				t.Errorf("Dockerfile does not build the cmd/api package:\n%s", out[0].Content)
			}
		})
	}
}

func TestGo_RefusesOtherStacks(t *testing.T) {
	if _, err := generate.Go(&detect.Stack{Language: "python"}, 8000, "/"); err == nil {
		t.Fatal("no error for a python stack")
	}
}
