package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF044", Name: "apt-not-apt-get", Severity: lint.Warning,
			Hadolint:  []string{"DL3027"},
			Summary:   "`apt` is used in a script.",
			Rationale: "`apt` is meant for people: its output and options are not stable, and it warns so itself when piped.",
			Fix:       "Use `apt-get` (or `apt-cache`).",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if c.Is("apt") {
				r.AddCommand(c, "use apt-get instead of apt in scripts")
			}
		},
	})
}
