package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF016", Name: "multiple-healthchecks", Severity: lint.Error,
			Hadolint:  []string{"DL3012"},
			Summary:   "A stage has more than one HEALTHCHECK.",
			Rationale: "Only the last HEALTHCHECK takes effect; the others mislead whoever reads the file.",
			Fix:       "Keep one HEALTHCHECK per stage.",
		},
		File: func(r *lint.Report, f *df.File) {
			for _, st := range f.Stages {
				hcs := st.All("HEALTHCHECK")
				for _, hc := range hcs[min(1, len(hcs)):] {
					r.Add(hc, "another HEALTHCHECK on line %d is overridden by this one", hcs[0].Line)
				}
			}
		},
	})
}
