package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF010", Name: "reserved-stage-name", Severity: lint.Error,
			Hadolint:  []string{"DL3063"},
			Summary:   "A stage is named `scratch` or `context`, which mean something else to the builder.",
			Rationale: "`FROM scratch` and named build contexts refer to these words; a stage with the name makes references ambiguous.",
			Fix:       "Rename the stage, e.g. `AS base`.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "FROM" || in.Stage == nil {
				return
			}
			switch strings.ToLower(in.Stage.Name) {
			case "scratch", "context":
				r.Add(in, "stage name %q is reserved", in.Stage.Name)
			}
		},
	})
}
