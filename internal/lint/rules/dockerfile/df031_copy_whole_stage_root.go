package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF031", Name: "copy-whole-stage-root", Severity: lint.Warning,
			Hadolint:  []string{"DL3067"},
			Summary:   "COPY --from copies the whole filesystem of another stage.",
			Rationale: "Copying `/` brings the build stage's toolchain, caches and secrets into the image, undoing the multi-stage build.",
			Fix:       "Copy only the artifacts you need: `COPY --from=build /out/app /app`.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "COPY" {
				return
			}
			if _, ok := in.Flag("from"); !ok {
				return
			}
			for _, src := range in.SourcePaths() {
				if src == "/" || src == "/." || src == "/*" {
					r.Add(in, "COPY --from copies the whole filesystem %q", src)
				}
			}
		},
	})
}
