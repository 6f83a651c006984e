package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF071", Name: "chown-recursive-in-run", Severity: lint.Info, Production: lint.Warning,
			Summary: "A RUN changes ownership recursively (`chown -R`) of files copied in earlier.",
			Rationale: "chown rewrites every file into a new layer: the files are stored twice and the image grows by their full size " +
				"(seed 004's `chown -R appuser /app`).",
			Fix:         "Set ownership while copying: `COPY --chown=10001:10001 . /app`. Creating and chowning an empty directory in the same RUN is fine.",
			Differences: "No hadolint rule.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("chown") || !c.HasOption([]string{"--recursive"}, "R") || !ships(r.File(), c.Instruction) {
				return
			}
			targets := c.Positional("--reference", "--from")
			made := map[string]bool{}
			for _, o := range sameRun(c) {
				if o.Is("mkdir") {
					for _, p := range o.Positional("-m", "--mode") {
						made[p] = true
					}
					if sub := o.Sub(); sub != "" {
						made[sub] = true
					}
				}
			}
			for _, t := range targets {
				if !made[t] {
					r.AddCommand(c, "chown -R %s copies every file into a new layer; use COPY --chown", t)
					return
				}
			}
		},
	})
}
