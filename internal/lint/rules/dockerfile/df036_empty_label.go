package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF036", Name: "empty-label", Severity: lint.Warning,
			Hadolint:  []string{"DL3051"},
			Summary:   "A label has an empty value.",
			Rationale: "An empty label usually means a build arg was not passed; tools that read it get nothing.",
			Fix:       "Give the label a value, or pass the build arg that fills it.",
			Differences: "Every empty label is reported, not only those label-schema names (hadolint's DL3051): an empty value says nothing " +
				"whatever the key. A label whose value is an ARG without a default is reported too, since it is empty unless --build-arg is given.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "LABEL" {
				return
			}
			for _, p := range in.Pairs {
				if p.Value == "" {
					r.Add(in, "label %q is empty", p.Key)
				}
			}
		},
	})
}
