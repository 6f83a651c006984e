package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF059", Name: "curl-and-wget", Severity: lint.Info,
			Hadolint:    []string{"DL4001"},
			Summary:     "Both curl and wget are used in the same stage.",
			Rationale:   "Installing two download tools where one does both doubles what has to be installed and patched.",
			Fix:         "Pick one of them for all downloads.",
			Differences: "Judged per stage, in RUN only: a build stage with curl and a final stage whose HEALTHCHECK uses busybox wget is fine. Warning in hadolint.",
		},
		File: func(r *lint.Report, f *df.File) {
			for _, st := range f.Stages {
				var first *df.Command
				for _, in := range st.All("RUN") {
					if in.Script == nil {
						continue
					}
					for _, c := range in.Script.Commands {
						if !c.Is("curl", "wget") {
							continue
						}
						if first == nil {
							first = c
						} else if c.Name != first.Name {
							r.AddCommand(c, "this stage uses both %s (line %d) and %s; use one", first.Name, first.Line, c.Name)
							return
						}
					}
				}
			}
		},
	})
}
