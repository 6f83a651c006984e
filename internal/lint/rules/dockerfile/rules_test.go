package dockerfile

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

// TestFixtures runs each rule alone over its fixtures: fire* files must give
// findings exactly on the lines their "# want:" line names, nofire* none.
func TestFixtures(t *testing.T) {
	all := lint.List()
	for _, r := range all {
		id := r.Info().ID
		entries, err := os.ReadDir(filepath.Join("testdata", id))
		if err != nil {
			continue // the meta-test reports missing fixtures
		}
		for _, e := range entries {
			t.Run(id+"/"+e.Name(), func(t *testing.T) {
				path, cfg := fixture(t, filepath.Join("testdata", id, e.Name()), e.IsDir())
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				want := wantLines(t, string(data))
				if strings.HasPrefix(e.Name(), "nofire") && len(want) > 0 {
					t.Fatal("a nofire fixture must not have a # want line")
				}
				if strings.HasPrefix(e.Name(), "fire") && len(want) == 0 {
					t.Fatal("a fire fixture needs a first line like: # want: 3 7")
				}
				f, err := df.Parse(data, df.Options{Path: path, ContextDir: filepath.Dir(path), BuildArgs: cfg.BuildArgs})
				if err != nil {
					t.Fatalf("fixture does not parse: %v", err)
				}
				cfg.Profile = lint.ProfileProduction
				if _, set := cfg.Rules[id]; !set {
					cfg.Rules[id] = r.Info().SeverityFor(lint.ProfileProduction)
				}
				var got []int
				for _, fd := range lint.NewRunner(cfg, []lint.Rule{r}).CheckDockerfile(f) {
					got = append(got, fd.Line)
					if fd.Rule != id || fd.Message == "" || fd.Column < 1 {
						t.Errorf("malformed finding %+v", fd)
					}
				}
				sort.Ints(got)
				if !equalInts(got, want) {
					t.Fatalf("%s fired on lines %v, want %v", id, got, want)
				}
				// Every other rule must survive the fixture too.
				lint.NewRunner(cfg, all).CheckDockerfile(f)
			})
		}
	}
}

func fixture(t *testing.T, path string, isDir bool) (string, *lint.Config) {
	t.Helper()
	cfg := lint.DefaultConfig()
	if !isDir {
		return path, cfg
	}
	if _, err := os.Stat(filepath.Join(path, ".shipshape.yaml")); err == nil {
		c, err := lint.LoadConfig(filepath.Join(path, ".shipshape.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		cfg = c
	}
	if _, err := os.Stat(filepath.Join(path, "Containerfile")); err == nil {
		return filepath.Join(path, "Containerfile"), cfg
	}
	return filepath.Join(path, "Dockerfile"), cfg
}

var wantPattern = regexp.MustCompile(`^# want:((?:\s+\d+)+)\s*$`)

func wantLines(t *testing.T, src string) []int {
	first, _, _ := strings.Cut(src, "\n")
	m := wantPattern.FindStringSubmatch(first)
	if m == nil {
		if strings.HasPrefix(first, "# want") {
			t.Fatalf("malformed want line %q", first)
		}
		return nil
	}
	var out []int
	for _, f := range strings.Fields(m[1]) {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var hadolintCode = regexp.MustCompile(`^(DL[34][0-9]{3}|SC[0-9]{4})$`)

// TestRules_HaveDocsAndFixtures is the meta-test: no rule without its
// documentation or without fixtures that fire and stay silent.
func TestRules_HaveDocsAndFixtures(t *testing.T) {
	registered := map[string]bool{}
	count := 0
	for _, r := range lint.List() {
		m := r.Info()
		if m.Area != lint.AreaDockerfile {
			continue
		}
		count++
		registered[m.ID] = true
		t.Run(m.ID, func(t *testing.T) {
			if m.Summary == "" || m.Rationale == "" || m.Fix == "" {
				t.Error("summary, rationale and fix are required")
			}
			if m.Severity == lint.SeverityNone && !m.ProductionOnly {
				t.Error("a rule on in the recommended profile needs a severity")
			}
			if m.ProductionOnly && m.Production == lint.SeverityNone && m.Severity == lint.SeverityNone {
				t.Error("a production rule needs a severity")
			}
			for _, code := range m.Hadolint {
				if !hadolintCode.MatchString(code) {
					t.Errorf("hadolint code %q is not DLxxxx or SCxxxx", code)
				}
			}
			if m.Bad == "" || m.Good == "" {
				t.Error("needs a fire and a nofire fixture under testdata/" + m.ID)
			}
		})
	}
	if count < 50 {
		t.Errorf("%d Dockerfile rules registered, want at least 50", count)
	}
	dirs, _ := os.ReadDir("testdata")
	for _, d := range dirs {
		if !registered[d.Name()] {
			t.Errorf("testdata/%s belongs to no registered rule", d.Name())
		}
	}
}
