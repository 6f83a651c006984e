package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF052", Name: "gem-unpinned", Severity: lint.Warning,
			Hadolint:  []string{"DL3028"},
			Summary:   "gem install without a version.",
			Rationale: "An unpinned gem installs whatever is newest at build time.",
			Fix:       "Pin it: `gem install bundler -v 2.5.23` or `gem install bundler:2.5.23`; better, use the Gemfile.lock with `bundle install`.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("gem") || c.Sub() != "install" || c.HasOption([]string{"--version"}, "v") {
				return
			}
			var unpinned []string
			for _, p := range c.Positional("-i", "--install-dir", "-n", "--bindir", "--source", "-s", "--platform") {
				if !strings.Contains(p, ":") && !isPathLike(p) && !strings.HasSuffix(p, ".gem") {
					unpinned = append(unpinned, p)
				}
			}
			if len(unpinned) > 0 {
				r.AddCommand(c, "gem install of unpinned gems: %s", strings.Join(unpinned, " "))
			}
		},
	})
}
