package all

import (
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestCheck_ContextFromCompose: DF076 judges the context compose builds
// from (the repository root, which has a .dockerignore), not the
// Dockerfile's own directory (which has none).
func TestCheck_ContextFromCompose(t *testing.T) {
	for _, withCompose := range []bool{true, false} {
		files := map[string]string{
			".dockerignore":           ".git\n.env\n",
			"services/api/Dockerfile": "FROM python:3.12.7-slim\nWORKDIR /app\nCOPY . .\nUSER 10001\nCMD [\"python\", \"services/api/main.py\"]\n",
		}
		if withCompose {
			files["compose.yaml"] = "name: shop\nservices:\n  api:\n    build:\n      context: .\n      dockerfile: services/api/Dockerfile\n"
		}
		root := testutil.WriteTree(t, files)
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
