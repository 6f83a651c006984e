package all

import (
	"path/filepath"
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

// TestCheck_AroundStaysInsideTheNamedPath: the manifests around a group
// answer its references only from inside the path check was given; a
// Deployment in a directory the user did not name must not make a
// mistyped Service selector look served (KU015).
func TestCheck_AroundStaysInsideTheNamedPath(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		"app/all.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n" +
			"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: website}\nspec:\n  selector: {matchLabels: {app: website}}\n" +
			"  template:\n    metadata: {labels: {app: website}}\n    spec:\n      containers: [{name: a, image: \"nginx:1.27.3\"}]\n",
		"unrelated/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other}\nspec:\n  selector: {matchLabels: {app: web}}\n" +
			"  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: a, image: \"nginx:1.27.3\"}]\n",
	})
	dangling := func(path string) bool {
		inputs, err := lint.Discover([]string{path})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range lint.Check(inputs, lint.DefaultConfig(), lint.List()).Findings {
			if f.Rule == "KU015" {
				return true
			}
		}
		return false
	}
	if !dangling(filepath.Join(root, "app")) || !dangling(filepath.Join(root, "app", "all.yaml")) {
		t.Error("checking app/ alone: KU015 is not reported; the unrelated directory beside it answered for the selector")
	}
	if dangling(root) {
		t.Error("checking the whole tree: KU015 is reported, though unrelated/ runs pods with app: web")
	}
}
