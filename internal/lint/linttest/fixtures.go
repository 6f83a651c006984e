package linttest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
)

// RunFixtures runs each rule of an area alone over its fixtures in
// testdata/<ID>/: a fire* file or directory must give findings exactly where
// its "# want:" line says, a nofire* one none. The want line is the first
// line of the fixture (of one file in a fixture directory) and lists line
// numbers of that file, or file:line for another file of the directory.
// Every rule of every area must also survive every fixture.
func RunFixtures(t *testing.T, area lint.Area) {
	all := lint.List()
	for _, r := range all {
		id := r.Info().ID
		if r.Info().Area != area {
			continue
		}
		entries, err := os.ReadDir(filepath.Join("testdata", id))
		if err != nil {
			continue // the meta-test reports missing fixtures
		}
		for _, e := range entries {
			t.Run(id+"/"+e.Name(), func(t *testing.T) {
				path := filepath.Join("testdata", id, e.Name())
				want := wantOf(t, path, e.IsDir())
				nofire := strings.HasPrefix(e.Name(), "nofire")
				if nofire && len(want) > 0 {
					t.Fatal("a nofire fixture must not have a # want line")
				}
				if !nofire && len(want) == 0 {
					t.Fatal("a fire fixture needs a first line like: # want: 3 7 (or file:line)")
				}
				cfg := lint.DefaultConfig()
				if e.IsDir() {
					if c, err := lint.LoadConfig(filepath.Join(path, ".shipshape.yaml")); err == nil {
						cfg = c
					} else if !os.IsNotExist(unwrapAll(err)) {
						t.Fatal(err)
					}
				}
				cfg.Profile = lint.ProfileProduction
				if _, set := cfg.Rules[id]; !set {
					cfg.Rules[id] = r.Info().SeverityFor(lint.ProfileProduction)
				}
				inputs, err := lint.Discover([]string{path})
				if err != nil || len(inputs) == 0 {
					t.Fatalf("fixture has nothing to check: %v", err)
				}
				res := lint.Check(inputs, cfg, []lint.Rule{r})
				for _, fe := range res.Errors {
					t.Fatalf("fixture does not load: %s:%d: %s", fe.File, fe.Line, fe.Message)
				}
				var got []string
				for _, fd := range res.Findings {
					got = append(got, filepath.Base(fd.File)+":"+strconv.Itoa(fd.Line))
					if fd.Rule != id || fd.Message == "" || fd.Column < 1 {
						t.Errorf("malformed finding %+v", fd)
					}
				}
				sort.Strings(got)
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Fatalf("%s fired at %v, want %v", id, got, want)
				}
				if other := lint.Check(inputs, cfg, all); len(other.Errors) > 0 {
					t.Fatalf("another rule failed on the fixture: %+v", other.Errors)
				}
			})
		}
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		next := u.Unwrap()
		if next == nil {
			return err
		}
		err = next
	}
}

var wantPattern = regexp.MustCompile(`^# want:((?:\s+(?:[\w.-]+:)?\d+)+)\s*$`)

// wantOf returns the expected findings as sorted "file:line" strings.
func wantOf(t *testing.T, path string, isDir bool) []string {
	t.Helper()
	files := []string{path}
	if isDir {
		files = nil
		_ = filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return nil
		})
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		first, _, _ := strings.Cut(string(data), "\n")
		if !strings.HasPrefix(first, "# want") {
			continue
		}
		m := wantPattern.FindStringSubmatch(first)
		if m == nil {
			t.Fatalf("malformed want line %q in %s", first, f)
		}
		var out []string
		for _, tok := range strings.Fields(m[1]) {
			if !strings.Contains(tok, ":") {
				tok = filepath.Base(f) + ":" + tok
			}
			out = append(out, tok)
		}
		sort.Strings(out)
		return out
	}
	return nil
}

var hadolintCode = regexp.MustCompile(`^(DL[34][0-9]{3}|SC[0-9]{4})$`)

// CheckMeta is the meta-test: every rule of the area has its documentation
// and fixtures that fire and stay silent, and every fixture belongs to a rule.
func CheckMeta(t *testing.T, area lint.Area, atLeast int) {
	registered := map[string]bool{}
	for _, r := range lint.List() {
		m := r.Info()
		if m.Area != area {
			continue
		}
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
	if len(registered) < atLeast {
		t.Errorf("%d %s rules registered, want at least %d", len(registered), area, atLeast)
	}
	dirs, _ := os.ReadDir("testdata")
	for _, d := range dirs {
		if !registered[d.Name()] {
			t.Errorf("testdata/%s belongs to no registered rule", d.Name())
		}
	}
}
