package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF040", Name: "apt-unpinned", Severity: lint.Warning,
			Hadolint:    []string{"DL3008"},
			Summary:     "apt-get install without package versions.",
			Rationale:   "Unpinned packages change whenever the mirror does, so a rebuild is not the image you tested.",
			Fix:         "Pin versions (`curl=7.88.1-10+deb12u8`), or turn the rule off and pin the base image by digest instead.",
			Differences: "As in hadolint: a package with `=version`, a `/release` or a local .deb is pinned; `apt install` is left to DF044.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !isAptInstall(c) {
				return
			}
			var unpinned []string
			for _, p := range aptPackages(c) {
				if !strings.Contains(p, "=") && !strings.Contains(p, "/") && !strings.HasSuffix(p, ".deb") {
					unpinned = append(unpinned, p)
				}
			}
			if len(unpinned) > 0 {
				r.AddCommand(c, "apt-get install of unpinned packages: %s", strings.Join(unpinned, " "))
			}
		},
	})
}
