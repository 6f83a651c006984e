package yamlindex

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
	"gopkg.in/yaml.v3"
)

func TestOvergrown_BillionLaughs(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(testutil.BillionLaughs("")), &doc); err != nil {
		t.Fatal(err)
	}
	at, err := Overgrown(&doc)
	if err == nil {
		t.Fatal("the document is not reported")
	}
	if at == nil || at.Line < 2 || at.Kind != yaml.AliasNode {
		t.Fatalf("reported at %+v, want an alias line", at)
	}
}

// Anchors used the way people use them (defaults merged into many
// services) are well within the bound.
func TestOvergrown_RealUseOfAnchors(t *testing.T) {
	var b strings.Builder
	b.WriteString("x-defaults: &defaults\n  restart: always\n  logging: {driver: json-file, options: {max-size: 10m, max-file: '3'}}\n")
	b.WriteString("  environment: &env\n")
	for i := range 40 {
		fmt.Fprintf(&b, "    VAR_%d: value\n", i)
	}
	b.WriteString("services:\n")
	for i := range 200 {
		fmt.Fprintf(&b, "  s%d:\n    <<: *defaults\n    image: app:%d\n    labels: *env\n", i, i)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if at, err := Overgrown(&doc); err != nil {
		t.Fatalf("reported at line %d: %v", at.Line, err)
	}
}

func TestOvergrownFile_SecondDocument(t *testing.T) {
	line, err := OvergrownFile([]byte("kind: A\n---\n" + testutil.BillionLaughs("")))
	if err == nil || line < 3 {
		t.Fatalf("line %d, err %v: want the second document's alias", line, err)
	}
}

// A large string repeated by many aliases is two nodes an alias but
// gigabytes once decoded: it is bounded by its bytes, not its nodes.
func TestOvergrown_LargeScalarRepeated(t *testing.T) {
	var b strings.Builder
	b.WriteString("blob: &a \"" + strings.Repeat("x", 1<<20) + "\"\ncopies: [")
	for i := range 3000 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("*a")
	}
	b.WriteString("]\n")
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if at, err := Overgrown(&doc); err == nil || at == nil || at.Line != 2 {
		t.Fatalf("at %v, err %v: want the copies line", at, err)
	}
}
