package compose

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO016", Name: "project-name-not-pinned", Severity: lint.Warning,
			Summary: "The compose project has no top-level `name:`.",
			Rationale: "Compose then names the project after the directory it runs in: a CI runner's workspace, a second clone or a renamed " +
				"folder creates a second set of containers and volumes next to production's (seed 002).",
			Fix: "Pin it: `name: shop` at the top of compose.yaml.",
			Differences: "A project whose base file is a development or test file (`compose.dev.yaml`, `docker-compose.test.yml`) is a " +
				"throwaway stack, not production's, and is not flagged; nor is one whose .env sets COMPOSE_PROJECT_NAME. An .env.example " +
				"(.env.sample, .env.dist) does not count: compose never reads it, and a copy that leaves the line out runs under the directory's name.",
		},
		Project: func(r *lint.Report, p *compose.Project) {
			if !p.NamePinned && p.NameInEnvFile == "" && len(p.Files) > 0 && !p.Files[0].Development() {
				pos := p.LocateFirst() // the top of the base file
				for i := len(p.Files) - 1; i >= 0; i-- {
					// The last file that is not a development override: it
					// is the one production runs with.
					if at, ok := p.Files[i].Locate("services"); ok && !p.Files[i].Development() {
						pos = at
						break
					}
				}
				r.AddPos(pos, "the project has no name:, so compose names it after the directory (%q here)", p.Name)
			}
		},
	})
}
