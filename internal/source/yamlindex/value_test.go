package yamlindex

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/testutil"
	"gopkg.in/yaml.v3"
)

// sameAsDecode fails when Value and yaml.v3's own Decode disagree on a
// document both accept.
func sameAsDecode(t *testing.T, src string) {
	t.Helper()
	var doc yaml.Node
	if yaml.Unmarshal([]byte(src), &doc) != nil || len(doc.Content) == 0 {
		return
	}
	if _, err := Overgrown(&doc); err != nil {
		return
	}
	var want any
	if doc.Content[0].Decode(&want) != nil {
		return
	}
	wantJSON, err := json.Marshal(want)
	if err != nil {
		return // non-string keys: yaml.v3's value cannot be JSON at all
	}
	got, err := Value(&doc)
	if err != nil {
		t.Fatalf("Value failed where yaml.v3 decodes: %v\n%s", err, src)
	}
	gotJSON, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("Value gave what JSON cannot write: %v", err)
	}
	if string(gotJSON) != string(wantJSON) {
		t.Fatalf("Value = %s\nyaml.v3 = %s\nfor:\n%s", gotJSON, wantJSON, src)
	}
}

var valueSeeds = []string{
	"a: 1\nb: two\nc: 3.5\nd: true\ne: null\nf: ~\ng: 0x1F\nh: 2001-12-14t21:59:43.10-05:00\ni: '1'\n",
	"list: [1, 'a', {b: c}]\nnested: {x: {y: [z]}}\nempty: {}\nnone: []\n",
	"base: &b {image: nginx, replicas: 2}\nweb:\n  <<: *b\n  replicas: 3\n",
	"a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n",
	"c:\n  z: 3\n  <<: {z: 4, w: 5}\n",
	"anchor: &s hello\nalias: *s\n",
	"block: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
	"!!str 1: x\n",
	"? complex\n: value\n",
	"k: !!binary aGVsbG8=\n",
}

func TestValue_MatchesYAMLDecode(t *testing.T) {
	for _, src := range valueSeeds {
		sameAsDecode(t, src)
	}
}

func TestValue_DuplicateKeyNamesBothLines(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("a: 1\nb: 2\na: 3\n"), &doc); err != nil {
		t.Fatal(err)
	}
	_, err := Value(&doc)
	if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("err = %v, want the key's two lines", err)
	}
}

// A mapping of many keys is decoded in linear time; yaml.v3's Decode took
// half a minute on 40,000. Ten times the keys must take about ten times as
// long (measured against each other in this run, the fastest of three):
// a quadratic decode would take a hundred times.
func TestValue_ManyKeys(t *testing.T) {
	mapping := func(keys int) *yaml.Node {
		var b strings.Builder
		for i := range keys {
			fmt.Fprintf(&b, "key%d: v\n", i)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(b.String()), &doc); err != nil {
			t.Fatal(err)
		}
		return &doc
	}
	fastest := func(doc *yaml.Node, keys int) time.Duration {
		best := time.Duration(math.MaxInt64)
		for range 5 {
			start := time.Now()
			v, err := Value(doc)
			if err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
			if n := len(v.(map[string]any)); n != keys {
				t.Fatalf("%d keys, want %d", n, keys)
			}
		}
		return best
	}
	small, large := fastest(mapping(20_000), 20_000), fastest(mapping(200_000), 200_000)
	ratio := float64(large) / float64(small)
	t.Logf("20,000 keys %s, 200,000 keys %s: %.1fx", small, large, ratio)
	// Linear is 10x, 15-25x with the larger map's garbage collection, and
	// a loaded machine has taken it to 49x (2026-12-02, a CI run beside
	// other builds); a quadratic walk is 100x. 75 tells them apart.
	if ratio > 75 {
		t.Errorf("ten times the keys took %.0f times as long: not linear", ratio)
	}
}

func FuzzValue(f *testing.F) {
	for _, s := range valueSeeds {
		f.Add(s)
	}
	f.Add(testutil.BillionLaughs(""))
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 {
			return
		}
		sameAsDecode(t, src)
	})
}
