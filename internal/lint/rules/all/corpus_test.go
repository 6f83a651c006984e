//go:build corpus

package all

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/format"
)

// TestCorpus runs check on real trees nobody in this project wrote
// (testdata/check-corpus/<entry>/tree, extracted by scripts/corpus.sh from
// the commit SOURCE pins) and holds it to the findings a person judged by
// reading each one, in <entry>/judged/<family>.tsv:
//
//	RULE  file:line  verdict  why
//
// verdict is right, wrong (the rule should not fire there) or wrong-line
// (the defect is real, the line is not). A finding judged right must still
// be reported; one judged wrong or wrong-line counts against precision
// while it is reported. Precision is right / (right + wrong) over the judged
// findings check still reports, per family and overall, and must be 95% or
// more overall.
//
// Every tree is checked twice, and the two reports must be the same bytes
// (podinfo's chart names Pods with randAlphaNum, which once changed them).
//
// The judged set is a sample. SHIPSHAPE_CORPUS_SAMPLE=KU:30 prints 30
// findings of the KU family nobody has judged yet, picked by a hash of
// their key (the same sample every run, not the first ones), in the form
// above with the verdict left as "?", ready to be read and judged.
func TestCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "testdata", "check-corpus")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	family, want := sampleRequest(t)
	type tally struct{ right, wrong, gone, unjudged int }
	tallies := map[string]*tally{}
	of := func(rule string) *tally {
		fam := strings.TrimRight(rule, "0123456789")
		if tallies[fam] == nil {
			tallies[fam] = &tally{}
		}
		return tallies[fam]
	}
	var sample []string
	for _, e := range entries {
		tree := filepath.Join(root, e.Name(), "tree")
		if _, err := os.Stat(tree); err != nil {
			if e.IsDir() {
				t.Errorf("%s has no tree: run scripts/corpus.sh first", e.Name())
			}
			continue
		}
		judged := readJudged(t, filepath.Join(root, e.Name(), "judged"))
		inputs, err := lint.Discover([]string{tree})
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		res := lint.Check(inputs, lint.DefaultConfig(), lint.List())
		if first, again := jsonReport(t, res), jsonReport(t, lint.Check(inputs, lint.DefaultConfig(), lint.List())); again != first {
			t.Errorf("%s: two runs of check differ (the same input must give the same bytes):\n%s", e.Name(), firstDifference(first, again))
		}
		got := map[string]lint.Finding{}
		for _, f := range res.Findings {
			rel, _ := filepath.Rel(tree, f.File)
			got[f.Rule+" "+filepath.ToSlash(rel)+":"+strconv.Itoa(f.Line)] = f
		}
		for key, j := range judged {
			_, reported := got[key]
			switch {
			case j.verdict == "right" && reported:
				of(j.rule).right++
			case j.verdict == "right":
				of(j.rule).gone++
				t.Errorf("%s: %s was judged right (%s) and is no longer reported", e.Name(), key, j.why)
			case reported:
				of(j.rule).wrong++
				t.Logf("%s: %s is still reported, judged %s: %s", e.Name(), key, j.verdict, j.why)
			}
		}
		keys := make([]string, 0, len(got))
		for key := range got {
			if _, ok := judged[key]; !ok {
				keys = append(keys, key)
				of(got[key].Rule).unjudged++
			}
		}
		sort.Strings(keys)
		for _, key := range keys {
			f := got[key]
			if family != "" && strings.TrimRight(f.Rule, "0123456789") == family {
				sample = append(sample, fmt.Sprintf("%s\t%s\t?\t%s", e.Name(), strings.Replace(key, " ", "\t", 1), f.Message))
			}
		}
	}
	fams := make([]string, 0, len(tallies))
	for fam := range tallies {
		fams = append(fams, fam)
	}
	sort.Strings(fams)
	var right, wrong int
	for _, fam := range fams {
		c := tallies[fam]
		right += c.right
		wrong += c.wrong
		t.Logf("corpus: %-2s judged and reported: %3d right, %2d wrong (precision %s); %d judged right but gone; %d not judged",
			fam, c.right, c.wrong, percent(c.right, c.right+c.wrong), c.gone, c.unjudged)
	}
	t.Logf("corpus: all judged and reported: %d right, %d wrong (precision %s)", right, wrong, percent(right, right+wrong))
	if right+wrong == 0 || float64(right) < 0.95*float64(right+wrong) {
		t.Errorf("precision on the judged findings is %s, under 95%%", percent(right, right+wrong))
	}
	if family != "" {
		sort.Slice(sample, func(i, j int) bool { return hash(sample[i]) < hash(sample[j]) })
		if len(sample) > want {
			sample = sample[:want]
		}
		sort.Strings(sample)
		fmt.Printf("# %d unjudged %s findings (entry, rule, file:line, verdict, message)\n", len(sample), family)
		for _, s := range sample {
			fmt.Println(s)
		}
	}
}

type judgement struct{ rule, verdict, why string }

// readJudged reads every <family>.tsv under dir, keyed "RULE file:line".
func readJudged(t *testing.T, dir string) map[string]judgement {
	t.Helper()
	out := map[string]judgement{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tsv"))
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.SplitN(line, "\t", 4)
			if len(fields) < 3 {
				t.Errorf("%s:%d: want RULE<tab>file:line<tab>verdict<tab>why", path, n)
				continue
			}
			j := judgement{rule: fields[0], verdict: fields[2]}
			if len(fields) == 4 {
				j.why = fields[3]
			}
			switch j.verdict {
			case "right", "wrong", "wrong-line":
			default:
				t.Errorf("%s:%d: verdict %q is not right, wrong or wrong-line", path, n, j.verdict)
				continue
			}
			key := fields[0] + " " + fields[1]
			if _, dup := out[key]; dup {
				t.Errorf("%s:%d: %s is judged twice", path, n, key)
			}
			out[key] = j
		}
		f.Close()
	}
	return out
}

// sampleRequest reads SHIPSHAPE_CORPUS_SAMPLE, FAMILY:N.
func sampleRequest(t *testing.T) (string, int) {
	v := os.Getenv("SHIPSHAPE_CORPUS_SAMPLE")
	if v == "" {
		return "", 0
	}
	fam, n, _ := strings.Cut(v, ":")
	count, err := strconv.Atoi(n)
	if err != nil || count <= 0 {
		t.Fatalf("SHIPSHAPE_CORPUS_SAMPLE=%q: want FAMILY:N, like KU:30", v)
	}
	return fam, count
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func percent(n, of int) string {
	if of == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

func jsonReport(t *testing.T, res *lint.Result) string {
	t.Helper()
	var b strings.Builder
	if err := format.Write(&b, "json", res, format.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
