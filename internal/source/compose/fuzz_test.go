package compose

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// FuzzLoad: any bytes give a project or a LoadError naming a line, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("name: x\nservices:\n  web:\n    image: nginx:1.27.3\n    ports: [\"80:80\"]\n    depends_on: [db]\n  db:\n    image: postgres:16.6\n"))
	f.Add([]byte("services:\n  a:\n    image: ${A:-latest}\n    volumes: [./x:/app]\n    environment: [A=1, B]\n"))
	f.Add([]byte("version: '3'\nservices:\n  a:\n    build: {context: ., dockerfile: D}\n    healthcheck: {test: [CMD, curl, x]}\n"))
	f.Add([]byte("x-base: &b\n  image: a:1\nservices:\n  a: *b\n  c:\n    <<: *b\n"))
	f.Add([]byte("services:\n A:\n"))
	f.Add([]byte("x-a: &a\n  K: v\nx-b: &b\n  <<: [*a, *a]\n  L: w\nservices:\n  s:\n    image: a:1\n    environment:\n      <<: [*b, *a]\n      K: own\n"))
	f.Add([]byte(testutil.BillionLaughs("services:\n  web:\n    image: nginx:1.27.3\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(context.Background(), Options{Files: []string{"compose.yaml"}, Contents: map[string][]byte{"compose.yaml": data}, WorkingDir: t.TempDir()})
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || le.Line < 1 {
				t.Fatalf("error without a line: %T %v", err, err)
			}
			return
		}
		for _, name := range p.ServiceNames() {
			p.Locate("services", name, "image")
			p.Items("services", name, "volumes")
			p.Items("services", name, "environment")
		}
	})
}

// TestItems_MergeKeys: a mapping's items include what its merge keys bring
// from anchors, each at the line the anchor writes it, the mapping's own
// keys winning over merged ones and an earlier merge over a later; a
// merge of merges of one anchor brings each key once. (A document whose
// aliases expand past the loader's bound is refused before: FuzzLoad's
// billion laughs.)
func TestItems_MergeKeys(t *testing.T) {
	for name, tc := range map[string]struct {
		doc  string
		want string
	}{
		"own and merged": {"x-a: &a\n  A: from-a\n  B: from-a\nx-b: &b\n  B: from-b\n  C: from-b\nservices:\n  s:\n    image: a:1\n    environment:\n      <<: [*a, *b]\n      A: own\n",
			"A=own@12 B=from-a@3 C=from-b@6"},
		"merged twice": {"x-a: &a\n  K: v\nx-b: &b\n  <<: [*a, *a]\n  L: w\nservices:\n  s:\n    image: a:1\n    environment:\n      <<: [*b, *a]\n",
			"K=v@2 L=w@5"},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := Load(context.Background(), Options{Files: []string{"compose.yaml"}, Contents: map[string][]byte{"compose.yaml": []byte(tc.doc)}, WorkingDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range p.Items("services", "s", "environment") {
				got = append(got, fmt.Sprintf("%s=%s@%d", it.Key, it.Node.Value, it.Pos.Line))
			}
			slices.Sort(got)
			if want := strings.Fields(tc.want); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("items = %v, want %v", got, want)
			}
		})
	}
}
