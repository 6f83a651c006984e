package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF030", Name: "copy-relative-without-workdir", Severity: lint.Warning,
			Hadolint:    []string{"DL3045"},
			Summary:     "COPY to a relative path before any WORKDIR in the stage.",
			Rationale:   "The files land relative to the base image's WORKDIR, usually `/`, which is rarely what was meant and changes with the base image.",
			Fix:         "Set `WORKDIR /app` before the COPY, or copy to an absolute path.",
			Differences: "A WORKDIR in a stage this one builds on counts, as in hadolint.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "COPY" || in.Stage == nil || in.Trigger || len(in.Args) < 2 {
				return
			}
			dest, known := in.Expand(in.Destination())
			if !known || strings.HasPrefix(dest, "/") || isWindowsPath(dest) || strings.HasPrefix(dest, "$") {
				return
			}
			for _, st := range in.Stage.Chain() {
				for _, w := range st.All("WORKDIR") {
					if st != in.Stage || w.Line < in.Line {
						return
					}
				}
			}
			r.Add(in, "COPY to %q before any WORKDIR; the files land relative to the base image's working directory", dest)
		},
	})
}
