package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF039", Name: "label-not-in-schema", Severity: lint.Info,
			Hadolint:  []string{"DL3050"},
			Summary:   "With `strict-labels: true`, a label is set that `label-schema` does not list.",
			Rationale: "Teams that govern labels want every key known, so that typos (`org.opencontainers.image.sorce`) are caught.",
			Fix:       "Fix the key's spelling or add it to `label-schema`.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			cfg := r.Config()
			if in.Keyword != "LABEL" || !cfg.StrictLabels || len(cfg.LabelSchema) == 0 {
				return
			}
			for _, p := range in.Pairs {
				if _, ok := cfg.LabelSchema[p.Key]; !ok {
					r.Add(in, "label %q is not in label-schema", p.Key)
				}
			}
		},
	})
}
