package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF042", Name: "apt-install-recommends", Severity: lint.Info, Production: lint.Warning,
			Hadolint:    []string{"DL3015"},
			Summary:     "apt-get install without --no-install-recommends.",
			Rationale:   "Recommended packages often double the size of what is installed and add packages nobody asked for.",
			Fix:         "Add `--no-install-recommends`.",
			Differences: "`-o APT::Install-Recommends=false` is accepted too.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !isAptInstall(c) || c.HasOption([]string{"--no-install-recommends"}, "") {
				return
			}
			for _, a := range c.Args {
				if strings.Contains(a, "APT::Install-Recommends=false") || strings.Contains(a, "APT::Install-Recommends=0") {
					return
				}
			}
			r.AddCommand(c, "apt-get install without --no-install-recommends")
		},
	})
}
