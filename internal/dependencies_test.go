// Package internal_test holds the test that keeps dependencies pointing one
// way (docs/architecture.md): each row names packages and what they must
// never import, directly or through anything they import.
package internal_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/shipshape/shipshape/internal/"

var dependencyRules = []struct {
	name string
	// from is a package pattern, relative to internal/.
	from string
	// never are import paths relative to internal/ (release), or whole
	// ones outside the module (k8s.io); a path forbids the packages below
	// it too.
	never []string
}{
	{
		name:  "lint judges files: it neither releases, proxies, verifies nor talks to an engine",
		from:  "./lint/...",
		never: []string{"deploy", "kubedeploy", "release", "verify", "proxy", "engine", "cli"},
	},
	{
		name:  "the release core is neutral: no target, no proxy, no engine or cluster client",
		from:  "./release",
		never: []string{"release/docker", "release/kube", "proxy", "github.com/moby/moby", "k8s.io"},
	},
	{
		name:  "the Docker host target does not reach Kubernetes",
		from:  "./release/docker",
		never: []string{"release/kube", "k8s.io"},
	},
	{
		name:  "the Kubernetes target does not reach the Docker host's",
		from:  "./release/kube",
		never: []string{"release/docker", "proxy", "github.com/moby/moby", "github.com/compose-spec"},
	},
}

// TestDependencies_PointOneWay fails when a package of a row's from imports
// one of its never, and names the chain of imports that leads there.
func TestDependencies_PointOneWay(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, rule := range dependencyRules {
		t.Run(rule.name, func(t *testing.T) {
			imports := importGraph(t, rule.from)
			for _, root := range roots(t, rule.from) {
				for _, chain := range forbiddenChains(imports, root, rule.never) {
					t.Errorf("%s", strings.Join(chain, " → "))
				}
			}
		})
	}
}

// importGraph lists, for every package the pattern's packages depend on,
// the packages it imports (standard library left out).
func importGraph(t *testing.T, pattern string) map[string][]string {
	out, err := exec.Command("go", "list", "-deps", "-json=ImportPath,Imports,Standard", pattern).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("go list %s: %v\n%s", pattern, err, exit.Stderr)
		}
		t.Fatalf("go list %s: %v", pattern, err)
	}
	graph := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
			Standard   bool
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if !p.Standard {
			graph[p.ImportPath] = p.Imports
		}
	}
	return graph
}

// roots are the packages the pattern names.
func roots(t *testing.T, pattern string) []string {
	out, err := exec.Command("go", "list", pattern).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	return strings.Fields(string(out))
}

// forbiddenChains returns, for each forbidden package reachable from root,
// the shortest chain of imports that reaches it.
func forbiddenChains(graph map[string][]string, root string, never []string) [][]string {
	forbidden := func(p string) bool {
		for _, n := range never {
			if first, _, _ := strings.Cut(n, "/"); !strings.Contains(first, ".") {
				n = module + n
			}
			if p == n || strings.HasPrefix(p, n+"/") {
				return true
			}
		}
		return false
	}
	from := map[string]string{root: ""}
	queue := []string{root}
	var chains [][]string
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if forbidden(p) {
			var chain []string
			for at := p; at != ""; at = from[at] {
				chain = append([]string{strings.TrimPrefix(at, module)}, chain...)
			}
			chains = append(chains, chain)
			continue // what it imports in turn is its own business
		}
		for _, next := range graph[p] {
			if _, seen := from[next]; !seen {
				from[next] = p
				queue = append(queue, next)
			}
		}
	}
	return chains
}
