package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF037", Name: "required-label-missing", Severity: lint.Info,
			Hadolint:    []string{"DL3049"},
			Summary:     "The final image lacks a label that `required-labels` (or hadolint's `label-schema`) asks for.",
			Rationale:   "Labels such as `org.opencontainers.image.source` and `.revision` tie an image back to its code; registries and scanners read them.",
			Fix:         "Add the label to the final stage, filled from build args: `LABEL org.opencontainers.image.revision=$GIT_SHA`.",
			Differences: "Silent until labels are configured. Judged on the final stage (with the stages it builds on) only: labels of build stages never ship.",
		},
		File: func(r *lint.Report, f *df.File) {
			required := r.Config().RequiredLabels
			final := f.FinalStage()
			if len(required) == 0 || final == nil {
				return
			}
			have, _ := finalLabels(f)
			for _, key := range required {
				if _, ok := have[key]; !ok {
					r.Add(final.From, "the final image has no %q label", key)
				}
			}
		},
	})
}
