package release_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The release core is neutral, and the two targets beneath it never reach
// each other (nor each other's world: the Docker target no client-go, the
// Kubernetes target no proxy, moby or compose-go).
func TestDependencies_TargetsApart(t *testing.T) {
	const mod = "github.com/shipshape/shipshape/"
	cases := []struct {
		pkg       string
		forbidden []string
	}{
		{"internal/release", []string{mod + "internal/release/docker", mod + "internal/release/kube", mod + "internal/proxy", "github.com/moby/moby/", "k8s.io/"}},
		{"internal/release/docker", []string{mod + "internal/release/kube", "k8s.io/"}},
		{"internal/release/kube", []string{mod + "internal/release/docker", mod + "internal/proxy", "github.com/moby/moby/", "github.com/compose-spec/"}},
	}
	for _, c := range cases {
		out, err := exec.Command("go", "list", "-deps", mod+c.pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", c.pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range c.forbidden {
				if dep == strings.TrimSuffix(f, "/") || strings.HasPrefix(dep, f) {
					t.Errorf("%s depends on %s", c.pkg, dep)
				}
			}
		}
	}
}
