package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF061", Name: "cd-instead-of-workdir", Severity: lint.Warning,
			Hadolint:  []string{"DL3003"},
			Summary:   "A RUN uses cd to change directory.",
			Rationale: "The directory change is lost at the end of the RUN; WORKDIR states it once for every later instruction and reads better.",
			Fix:       "Use `WORKDIR /path` before the RUN, or `make -C /path` style flags.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if c.Is("cd") && c.Instruction.Keyword == "RUN" {
				r.AddCommand(c, "use WORKDIR to switch directories instead of cd")
			}
		},
	})
}
