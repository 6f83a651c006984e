package lint

import (
	"path/filepath"
	"testing"

	"github.com/shipshape/shipshape/internal/source"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDiscover_ContextFromBuildFiles: a Dockerfile that compose, a CI
// workflow or a Makefile builds from another directory is checked against
// that directory, not its own.
func TestDiscover_ContextFromBuildFiles(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		"compose.yaml": "x-build: &shared\n  context: .\n  dockerfile: shared/Dockerfile\nservices:\n  api:\n    build:\n      context: .\n      dockerfile: services/api/Dockerfile\n" +
			"  web:\n    build: ./web\n" +
			"  worker:\n    build: *shared\n",
		"shared/Dockerfile":       "FROM debian:12.8-slim\n",
		"services/api/Dockerfile": "FROM debian:12.8-slim\n",
		"web/Dockerfile":          "FROM debian:12.8-slim\n",
		".github/workflows/release.yml": "on: push\njobs:\n  image:\n    runs-on: ubuntu-24.04\n    steps:\n" +
			"      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: docker/release/Dockerfile\n" +
			"      - run: |\n          docker buildx build --platform linux/amd64 \\\n            -f tools/Dockerfile.ci -t ci:${{ github.sha }} tools/..\n",
		"docker/release/Dockerfile": "FROM debian:12.8-slim\n",
		"tools/Dockerfile.ci":       "FROM debian:12.8-slim\n",
		"worker/Makefile":           "image:\n\tdocker build --pull -t $(IMAGE) -f Dockerfile.worker ..\n",
		"worker/Dockerfile.worker":  "FROM debian:12.8-slim\n",
		"dual/Dockerfile":           "FROM debian:12.8-slim\n",
		"dual/Makefile":             "a:\n\tdocker build -f Dockerfile ..\nb:\n\tdocker build -f Dockerfile ../..\n",
		"var/Makefile":              "a:\n\tdocker build -f Dockerfile $(CONTEXT)\n",
		"var/Dockerfile":            "FROM debian:12.8-slim\n",
		"logged/Makefile": "image:\n\tdocker build -f web/Dockerfile . 2>&1 | tee build.log\n" +
			"quiet:\n\tdocker build -f web/Dockerfile . > build.log\n",
		"logged/web/Dockerfile": "FROM debian:12.8-slim\n",
	})
	inputs, err := Discover([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, in := range inputs {
		if in.Kind == source.Dockerfile {
			rel, _ := filepath.Rel(root, in.Path)
			ctx := ""
			if in.ContextDir != "" {
				ctx, _ = filepath.Rel(root, in.ContextDir)
			}
			got[filepath.ToSlash(rel)] = filepath.ToSlash(ctx)
		}
	}
	want := map[string]string{
		"services/api/Dockerfile":   ".",      // compose context . with dockerfile
		"web/Dockerfile":            "",       // build: ./web is its own directory
		"shared/Dockerfile":         ".",      // build: *shared, an alias of an x- section
		"docker/release/Dockerfile": ".",      // build-push-action context and file
		"tools/Dockerfile.ci":       ".",      // docker buildx build -f in a run step
		"worker/Dockerfile.worker":  ".",      // Makefile: docker build -f from worker/ with context ..
		"dual/Dockerfile":           "",       // two contexts: neither is trusted
		"var/Dockerfile":            "",       // a context made of a make variable
		"logged/web/Dockerfile":     "logged", // 2>&1 | tee build.log and > build.log are no context
	}
	for name, ctx := range want {
		if g, ok := got[name]; !ok || g != ctx {
			t.Errorf("%s: context %q (found %v), want %q", name, g, ok, ctx)
		}
	}
	if _, ok := got["worker/Makefile"]; ok {
		t.Errorf("a Makefile was taken for a Dockerfile")
	}
}
