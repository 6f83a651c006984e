package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF019", Name: "multiple-entrypoint", Severity: lint.Error,
			Hadolint:  []string{"DL4004"},
			Summary:   "A stage has more than one ENTRYPOINT.",
			Rationale: "Only the last ENTRYPOINT takes effect, so the container may start something other than what the reader expects.",
			Fix:       "Keep one ENTRYPOINT per stage.",
		},
		File: func(r *lint.Report, f *df.File) {
			reportRepeats(r, f, "ENTRYPOINT")
		},
	})
}
