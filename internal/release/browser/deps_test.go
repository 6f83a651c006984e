package browser_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The browser check is one page in one browser: it knows neither release
// target, nor their engines and clusters, so both can use it.
func TestDependencies_NoTarget(t *testing.T) {
	const mod = "github.com/shipshape/shipshape/"
	out, err := exec.Command("go", "list", "-deps", mod+"internal/release/browser").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range []string{mod + "internal/release/docker", mod + "internal/release/kube", mod + "internal/proxy", "github.com/moby/moby/", "k8s.io/"} {
			if dep == strings.TrimSuffix(f, "/") || strings.HasPrefix(dep, f) {
				t.Errorf("internal/release/browser depends on %s", dep)
			}
		}
	}
}
