package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF031", Name: "copy-whole-stage-root", Severity: lint.Warning,
			Hadolint:    []string{"DL3067"},
			Summary:     "COPY --from copies the whole filesystem of another stage.",
			Rationale:   "Copying `/` brings the build stage's toolchain, caches and secrets into the image, undoing the multi-stage build.",
			Fix:         "Copy only the artifacts you need: `COPY --from=build /out/app /app`.",
			Differences: "As in hadolint, only `COPY --from=... / /` is flagged; copying a filesystem into a subdirectory (a rootfs) is deliberate.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "COPY" {
				return
			}
			if _, ok := in.Flag("from"); !ok {
				return
			}
			if strings.Trim(in.Destination(), `"'`) != "/" {
				return
			}
			for _, src := range in.SourcePaths() {
				if strings.Trim(src, `"'`) == "/" {
					r.Add(in, "COPY --from copies the whole filesystem of another stage over this one")
					return
				}
			}
		},
	})
}
