package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF082", Name: "shell-syntax-error", Severity: lint.Error,
			Hadolint:    []string{"SC1009", "SC1073"},
			Summary:     "A RUN, CMD, ENTRYPOINT or HEALTHCHECK script is not valid shell.",
			Rationale:   "The build or the container start fails with a shell error, after minutes of earlier build steps.",
			Fix:         "Fix the quoting or the continuation lines at the position given.",
			Differences: "Reported by parsing with mvdan.cc/sh (bash dialect), so bashisms in a /bin/sh RUN are not syntax errors here.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Script == nil || in.Script.Err == nil {
				return
			}
			e := in.Script.Err
			r.AddAt(in, e.Line, e.Column, "shell syntax error: %s", e.Message)
		},
	})
}
