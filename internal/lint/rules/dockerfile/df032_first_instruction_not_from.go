package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF032", Name: "first-instruction-not-from", Severity: lint.Error,
			Hadolint:  []string{"DL3061"},
			Summary:   "An instruction other than ARG comes before the first FROM.",
			Rationale: "Docker refuses to build: only ARG (and parser directives and comments) may precede FROM.",
			Fix:       "Move the instruction after FROM.",
		},
		File: func(r *lint.Report, f *df.File) {
			for _, in := range f.Instructions {
				if in.Keyword == "FROM" {
					return
				}
				if in.Keyword != "ARG" {
					r.Add(in, "%s before the first FROM; only ARG may come first", in.Keyword)
					return
				}
			}
		},
	})
}
