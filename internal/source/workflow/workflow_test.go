package workflow

import (
	"errors"
	"testing"
)

func TestParse_KeepsPositionsAndActionlintProblems(t *testing.T) {
	src := `name: ci
on: [push]
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      # pinned below
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.head_commit.message }}"
`
	w, err := Parse(".github/workflows/ci.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	job := w.Jobs()[0]
	if Uses(job.Steps[0]) != "actions/checkout@v4" || job.Steps[0].Pos.Line != 8 {
		t.Fatalf("step 0 = %q at %v", Uses(job.Steps[0]), job.Steps[0].Pos)
	}
	if c := w.CommentsAt(8); len(c) == 0 || c[0] != "pinned below" {
		t.Fatalf("comments %q", c)
	}
	if len(w.Problems) == 0 {
		t.Fatal("actionlint should report the untrusted head_commit.message in run:")
	}
}

func TestParse_YAMLErrorHasLine(t *testing.T) {
	_, err := Parse("ci.yml", []byte("on: [push\njobs:\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line < 1 {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := Parse(".github/workflows/x.yml", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, j := range w.Jobs() {
			for _, s := range j.Steps {
				Uses(s)
				Run(s)
			}
		}
	})
}
