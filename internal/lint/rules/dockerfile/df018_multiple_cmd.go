package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF018", Name: "multiple-cmd", Severity: lint.Warning,
			Hadolint:  []string{"DL4003"},
			Summary:   "A stage has more than one CMD.",
			Rationale: "Only the last CMD takes effect; the earlier ones are dead code that misleads readers.",
			Fix:       "Keep one CMD per stage.",
		},
		File: func(r *lint.Report, f *df.File) {
			reportRepeats(r, f, "CMD")
		},
	})
}

// reportRepeats reports every instruction of a kind after the first in a stage.
func reportRepeats(r *lint.Report, f *df.File, keyword string) {
	for _, st := range f.Stages {
		all := st.All(keyword)
		for _, in := range all[min(1, len(all)):] {
			r.Add(in, "%s on line %d is overridden by this one; only the last %s takes effect", keyword, all[0].Line, keyword)
		}
	}
}
