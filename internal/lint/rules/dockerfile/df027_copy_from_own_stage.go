package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF027", Name: "copy-from-own-stage", Severity: lint.Error,
			Hadolint:  []string{"DL3023"},
			Summary:   "COPY --from names the stage it is in.",
			Rationale: "A stage cannot copy from itself; the build fails or pulls an image of the same name.",
			Fix:       "Copy from an earlier stage, or use a plain `RUN cp` inside the stage.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "COPY" || in.Stage == nil {
				return
			}
			from, ok := in.Flag("from")
			if ok && (strings.EqualFold(from, in.Stage.Name) && in.Stage.Name != "" || from == in.Stage.Ref()) {
				r.Add(in, "COPY --from=%s refers to its own stage", from)
			}
		},
	})
}
