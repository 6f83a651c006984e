package crossfile

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// XF008 names the tags CI pushes in sorted order: they are kept in a map,
// whose order changes from run to run, and the message must not.
func TestXF008_TagsListedInOneOrderEveryRun(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		".github/workflows/ci.yml": "on: push\njobs:\n  image:\n    runs-on: ubuntu-24.04\n    steps:\n" +
			"      - uses: docker/build-push-action@471d1dc4e07e5cdedd4c2171150001c434f0b7a4\n        with:\n          push: true\n" +
			"          tags: |\n            ghcr.io/acme/web:${{ github.sha }}\n            ghcr.io/acme/web:v2\n            ghcr.io/acme/web:edge\n" +
			"            ghcr.io/acme/web:stable\n            ghcr.io/acme/web:nightly\n            ghcr.io/acme/web:beta\n",
		"compose.yaml": "name: shop\nservices:\n  web:\n    image: ghcr.io/acme/web:main\n",
	})
	const want = "web deploys ghcr.io/acme/web:main, a tag CI never pushes (it pushes <git sha>, beta, edge, nightly, stable, v2)"
	for run, findings := range checkRuns(t, root, "XF008", 20) {
		if len(findings) != 1 || findings[0].Message != want {
			t.Fatalf("run %d: findings %+v, want one saying %q", run, findings, want)
		}
	}
}

func TestTagList_Sorted(t *testing.T) {
	tags := map[string]bool{}
	for _, tag := range []string{"v2", "<git sha>", "edge", "stable", "main", "beta", "1.0", "nightly"} {
		tags[tag] = true
	}
	const want = "1.0, <git sha>, beta, edge, main, nightly, stable, v2"
	for run := 0; run < 20; run++ {
		if got := tagList(tags); got != want {
			t.Fatalf("run %d: %q, want %q", run, got, want)
		}
	}
}
