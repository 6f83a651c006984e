package all

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
)

// TestCheck_ContextFromCompose: DF076 judges the context compose builds
// from (the repository root, which has a .dockerignore), not the
// Dockerfile's own directory (which has none).
func TestCheck_ContextFromCompose(t *testing.T) {
	for _, withCompose := range []bool{true, false} {
		root := t.TempDir()
		files := map[string]string{
			".dockerignore":           ".git\n.env\n",
			"services/api/Dockerfile": "FROM python:3.12.7-slim\nWORKDIR /app\nCOPY . .\nUSER 10001\nCMD [\"python\", \"services/api/main.py\"]\n",
		}
		if withCompose {
			files["compose.yaml"] = "name: shop\nservices:\n  api:\n    build:\n      context: .\n      dockerfile: services/api/Dockerfile\n"
		}
		for name, text := range files {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		inputs, err := lint.Discover([]string{root})
		if err != nil {
			t.Fatal(err)
		}
		fired := false
		for _, f := range lint.Check(inputs, lint.DefaultConfig(), lint.List()).Findings {
			fired = fired || f.Rule == "DF076"
		}
		if fired == withCompose {
			t.Errorf("with compose %v: DF076 fired %v", withCompose, fired)
		}
	}
}
