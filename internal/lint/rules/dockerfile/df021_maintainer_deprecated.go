package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF021", Name: "maintainer-deprecated", Severity: lint.Warning,
			Hadolint:    []string{"DL4000"},
			Summary:     "MAINTAINER is deprecated.",
			Rationale:   "MAINTAINER was replaced by labels; tools read `org.opencontainers.image.authors`.",
			Fix:         "Use `LABEL org.opencontainers.image.authors=\"team@example.com\"`.",
			Differences: "Reported as a warning, not an error: the instruction still builds.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword == "MAINTAINER" {
				r.Add(in, "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors")
			}
		},
	})
}
