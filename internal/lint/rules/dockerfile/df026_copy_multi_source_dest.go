package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF026", Name: "copy-multi-source-dest", Severity: lint.Error,
			Hadolint:  []string{"DL3021"},
			Summary:   "COPY or ADD with several sources has a destination that does not end with `/`.",
			Rationale: "Docker refuses to copy several sources into a destination that is not a directory.",
			Fix:       "End the destination with a slash: `COPY a.txt b.txt /app/`.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if (in.Keyword != "COPY" && in.Keyword != "ADD") || len(in.Heredocs) > 0 {
				return
			}
			if srcs := in.SourcePaths(); len(srcs) > 1 {
				dest, _ := in.Expand(in.Destination())
				if !strings.HasSuffix(dest, "/") && !strings.HasSuffix(dest, `\`) {
					r.Add(in, "%d sources are copied to %q, which must end with / to be a directory", len(srcs), dest)
				}
			}
		},
	})
}
