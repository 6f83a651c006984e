package crossfile

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF014", Name: "build-target-missing", Severity: lint.Error,
			Summary: "A compose service builds a target stage its Dockerfile does not have.",
			Rationale: "`docker compose build` stops with \"target stage ... could not be found\": the Dockerfile was rewritten or " +
				"its stages renamed, and the compose file still names the old one (a newcomer trial on docker/awesome-compose's " +
				"flask-redis, whose compose.yaml builds `target: builder`, after its Dockerfile was replaced).",
			Fix:         "Name a stage the Dockerfile has in build.target (or drop target to build the last stage), or name the stage so.",
			Differences: "Docker checks it only when it builds. Stage names compare as BuildKit compares them, without case.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if s.Build == nil || s.Build.Target == "" {
				return
			}
			f, ok := buildDockerfile(r.Model(), p, s)
			if !ok || len(f.Stages) == 0 || f.StageByName(s.Build.Target) != nil {
				return
			}
			var names []string
			for _, st := range f.Stages {
				if st.Name != "" {
					names = append(names, st.Name)
				}
			}
			has := "no named stage"
			if len(names) > 0 {
				has = "stages " + strings.Join(names, ", ")
			}
			r.AddPos(p.LocateFirst([]string{"services", name, "build", "target"}, []string{"services", name, "build"}, []string{"services", name}),
				"%s builds target %q, but %s has %s", name, s.Build.Target, f.Path, has)
		},
	})
}
