package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF034", Name: "onbuild-forbidden-instruction", Severity: lint.Error,
			Hadolint:  []string{"DL3043"},
			Summary:   "ONBUILD wraps FROM, MAINTAINER or another ONBUILD.",
			Rationale: "Docker refuses these triggers when a child image is built.",
			Fix:       "Remove the ONBUILD or wrap an instruction that is allowed.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "ONBUILD" || in.Sub == nil {
				return
			}
			switch in.Sub.Keyword {
			case "FROM", "MAINTAINER", "ONBUILD":
				r.Add(in, "ONBUILD %s is not allowed", in.Sub.Keyword)
			}
		},
	})
}
