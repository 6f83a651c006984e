package all

import (
	"path/filepath"
	"strings"
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

// TestCheck_LabelFromPassedBuildArg: DF036 does not report a label filled
// from an ARG without a default when the project's own build passes that
// arg, as ardanlabs/service's makefile does for BUILD_DATE and BUILD_TAG
// (a compose build section, a workflow's build-push-action or run step, or
// a Makefile); alone, the Dockerfile's label is reported naming the arg.
func TestCheck_LabelFromPassedBuildArg(t *testing.T) {
	dockerfile := "FROM alpine:3.21\nARG BUILD_DATE\nARG BUILD_TAG\nUSER 10001\nHEALTHCHECK CMD true\nCMD [\"./app\"]\n" +
		"LABEL org.opencontainers.image.created=\"${BUILD_DATE}\" \\\n      org.opencontainers.image.revision=$BUILD_TAG\n"
	for _, tc := range []struct {
		name  string
		build map[string]string
		want  []string
	}{
		{"nothing builds it", nil, []string{`label "org.opencontainers.image.created" is empty unless the build passes --build-arg BUILD_DATE:`,
			`label "org.opencontainers.image.revision" is empty unless the build passes --build-arg BUILD_TAG:`}},
		{"a Makefile passes both", map[string]string{"makefile": "sales:\n\tdocker build \\\n\t\t-f zarf/docker/dockerfile.sales \\\n" +
			"\t\t--build-arg BUILD_TAG=$(VERSION) \\\n\t\t--build-arg BUILD_DATE=$(date -u +\"%Y-%m-%dT%H:%M:%SZ\") \\\n\t\t.\n"}, nil},
		{"a Makefile passes one", map[string]string{"makefile": "sales:\n\tdocker build -f zarf/docker/dockerfile.sales --build-arg BUILD_TAG=$(VERSION) .\n"},
			[]string{`label "org.opencontainers.image.created" is empty unless the build passes --build-arg BUILD_DATE:`}},
		{"compose args", map[string]string{"compose.yaml": "services:\n  sales:\n    build:\n      context: .\n      dockerfile: zarf/docker/dockerfile.sales\n" +
			"      args:\n        BUILD_DATE: now\n        BUILD_TAG: v1\n"}, nil},
		{"a workflow's build-args", map[string]string{".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n" +
			"      - uses: docker/build-push-action@v6\n        with:\n          file: zarf/docker/dockerfile.sales\n" +
			"          build-args: |\n            BUILD_DATE=${{ github.event.head_commit.timestamp }}\n            BUILD_TAG=${{ github.sha }}\n"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"zarf/docker/dockerfile.sales": dockerfile}
			for name, content := range tc.build {
				files[name] = content
			}
			inputs, err := lint.Discover([]string{testutil.WriteTree(t, files)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range lint.Check(inputs, lint.DefaultConfig(), lint.List()).Findings {
				if f.Rule == "DF036" {
					got = append(got, f.Message)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("DF036: %q, want %d findings", got, len(tc.want))
			}
			for i, want := range tc.want {
				if !strings.HasPrefix(got[i], want) {
					t.Errorf("DF036: %q, want it to start %q", got[i], want)
				}
			}
		})
	}
}
