package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF058", Name: "wget-no-progress", Severity: lint.Info,
			Hadolint:  []string{"DL3047"},
			Summary:   "wget without --progress or -q floods the build log.",
			Rationale: "wget's progress bar writes thousands of lines into CI logs for a large download.",
			Fix:       "Add `--progress=dot:giga`, `-nv` or `-q`.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("wget") || c.Instruction.Keyword == "HEALTHCHECK" {
				return
			}
			if c.HasOption([]string{"--progress", "--quiet", "--no-verbose", "--output-file", "--append-output"}, "q") || c.HasArg("-nv", "-o", "-a") {
				return
			}
			r.AddCommand(c, "wget without --progress=dot:giga, -nv or -q floods the build log")
		},
	})
}
