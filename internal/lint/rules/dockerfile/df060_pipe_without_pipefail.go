package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF060", Name: "pipe-without-pipefail", Severity: lint.Warning,
			Hadolint:    []string{"DL4006"},
			Summary:     "A RUN pipes commands without `set -o pipefail`.",
			Rationale:   "A pipe's status is that of its last command: `curl ... | tar x` succeeds when the download fails, and the build goes on with nothing.",
			Fix:         "Set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start the script with `set -o pipefail;` where the shell supports it.",
			Differences: "`set -o pipefail` (also `set -euxo pipefail`) inside the RUN counts, as does a SHELL with pipefail; heredoc scripts are judged like any other.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if c.Instruction.Keyword != "RUN" || c.PipeTo == nil || c.Pipefail {
				return
			}
			r.WithFix(pipefailFix(c.Instruction.Stage)).AddCommand(c, "the output of %s is piped into %s without pipefail, so a failing %s goes unnoticed", c.Name, c.PipeTo.Name, c.Name)
		},
	})
}
