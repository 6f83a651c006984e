package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF006", Name: "redundant-target-platform", Severity: lint.Info,
			Hadolint:  []string{"DL3065"},
			Summary:   "FROM --platform=$TARGETPLATFORM says what is already the default.",
			Rationale: "Every stage is built for the target platform unless told otherwise; the flag only adds noise.",
			Fix:       "Remove `--platform=$TARGETPLATFORM`.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "FROM" {
				return
			}
			if p, ok := in.Flag("platform"); ok && (p == "$TARGETPLATFORM" || p == "${TARGETPLATFORM}") {
				r.Add(in, "--platform=%s is the default and can go", p)
			}
		},
	})
}
