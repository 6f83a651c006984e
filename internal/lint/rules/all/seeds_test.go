package all

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
)

// TestSeeds replays the field reports in testdata/seeds: each before/
// reconstructs what a team first wrote, and every defect its report names
// (listed in expect as `RULE file:line`) must be reported there; after/ is
// the fixed version and must pass the production profile with nothing to say.
func TestSeeds(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "testdata", "seeds")
	seeds, err := os.ReadDir(root)
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no seeds under %s: %v", root, err)
	}
	for _, s := range seeds {
		dir := filepath.Join(root, s.Name())
		t.Run(s.Name(), func(t *testing.T) {
			cfg := lint.DefaultConfig()
			cfg.Profile = lint.ProfileProduction
			before := filepath.Join(dir, "before")
			got := map[string]bool{}
			for _, f := range checkTree(t, before, cfg).Findings {
				rel, _ := filepath.Rel(before, f.File)
				got[f.Rule+" "+filepath.ToSlash(rel)+":"+itoa(f.Line)] = true
			}
			expected := readExpect(t, filepath.Join(dir, "expect"))
			if len(expected) == 0 {
				t.Fatal("expect lists no defects")
			}
			for _, want := range expected {
				if !got[want] {
					t.Errorf("the seed's defect %s is not reported", want)
				}
			}
			after := checkTree(t, filepath.Join(dir, "after"), cfg)
			for _, f := range after.Findings {
				t.Errorf("the fixed version still reports %s %s:%d: %s", f.Rule, f.File, f.Line, f.Message)
			}
		})
	}
}

func checkTree(t *testing.T, dir string, cfg *lint.Config) *lint.Result {
	t.Helper()
	inputs, err := lint.Discover([]string{dir})
	if err != nil || len(inputs) == 0 {
		t.Fatalf("nothing to check in %s: %v", dir, err)
	}
	res := lint.Check(inputs, cfg, lint.List())
	for _, e := range res.Errors {
		t.Errorf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return res
}

func readExpect(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, strings.Join(strings.Fields(line), " "))
		}
	}
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
