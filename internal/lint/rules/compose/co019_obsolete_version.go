package compose

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO019", Name: "obsolete-version", Severity: lint.Info,
			Summary:   "The file sets the obsolete top-level `version:`.",
			Rationale: "Compose v2 ignores it and warns on every command; it suggests features are gated by it when they are not.",
			Fix:       "Delete the `version:` line.",
		},
		Project: func(r *lint.Report, p *compose.Project) {
			for _, f := range p.Files {
				if pos, ok := f.Locate("version"); ok {
					r.AddPos(pos, "version: is obsolete and ignored by Compose v2")
				}
			}
		},
	})
}
