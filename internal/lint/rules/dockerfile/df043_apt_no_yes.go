package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF043", Name: "apt-no-yes", Severity: lint.Warning,
			Hadolint:    []string{"DL3014"},
			Summary:     "apt-get install without -y.",
			Rationale:   "Without -y apt asks for confirmation, which a build cannot give: the build aborts.",
			Fix:         "Add `-y` (or `--yes`).",
			Differences: "As in hadolint, quiet level 2 counts as yes, as apt-get reads it (`-qq`, `-q -q`, `-q=2`, `--quiet --quiet`); one `-q` does not.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !isAptInstall(c) {
				return
			}
			if c.HasOption([]string{"--yes", "--assume-yes"}, "y") || c.HasArg("-q=2", "--quiet=2") ||
				c.OptionCount("--quiet", 'q') >= 2 {
				return
			}
			r.AddCommand(c, "apt-get install without -y will wait for a confirmation the build cannot give")
		},
	})
}
