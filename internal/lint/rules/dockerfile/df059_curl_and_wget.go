package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF059", Name: "curl-and-wget", Severity: lint.Info,
			Hadolint:  []string{"DL4001"},
			Summary:   "Both curl and wget are used in the same stage.",
			Rationale: "Installing two download tools where one does both doubles what has to be installed and patched.",
			Fix:       "Pick one of them for all downloads.",
			Differences: "As in hadolint, judged per stage in RUN only, and reported on every RUN that uses either tool once both have been seen. " +
				"Info rather than warning: it costs size, not correctness.",
		},
		File: func(r *lint.Report, f *df.File) {
			for _, st := range f.Stages {
				seen := map[string]bool{}
				for _, in := range st.All("RUN") {
					if in.Script == nil {
						continue
					}
					uses := false
					for _, c := range in.Script.Commands {
						if c.Is("curl", "wget") {
							seen[c.Name] = true
							uses = true
						}
					}
					if uses && seen["curl"] && seen["wget"] {
						r.Add(in, "this stage uses both curl and wget; use one")
					}
				}
			}
		},
	})
}
