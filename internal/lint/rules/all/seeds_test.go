package all

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/format"
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

// TestSeeds_Deterministic: the same input gives the same bytes. check runs
// twice over every seed, in parallel workers, and the two JSON reports must
// be identical (XF008 once listed tags in map order).
func TestSeeds_Deterministic(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "testdata", "seeds")
	cfg := lint.DefaultConfig()
	cfg.Profile = lint.ProfileProduction
	report := func() string {
		inputs, err := lint.Discover([]string{root})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := format.Write(&b, "json", lint.Check(inputs, cfg, lint.List()), format.Options{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	first := report()
	for range 3 {
		if again := report(); again != first {
			t.Fatalf("two runs of check on the seeds differ:\n%s", firstDifference(first, again))
		}
	}
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}
