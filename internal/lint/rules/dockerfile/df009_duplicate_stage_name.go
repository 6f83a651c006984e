package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF009", Name: "duplicate-stage-name", Severity: lint.Error,
			Hadolint:  []string{"DL3024"},
			Summary:   "Two stages have the same name.",
			Rationale: "BuildKit rejects the Dockerfile; older builders silently use the later stage for `COPY --from`.",
			Fix:       "Give every stage a unique `AS` name.",
		},
		File: func(r *lint.Report, f *df.File) {
			seen := map[string]*df.Stage{}
			for _, st := range f.Stages {
				if st.Name == "" {
					continue
				}
				key := strings.ToLower(st.Name)
				if prev, dup := seen[key]; dup {
					r.Add(st.From, "stage name %q is already used on line %d", st.Name, prev.From.Line)
					continue
				}
				seen[key] = st
			}
		},
	})
}
