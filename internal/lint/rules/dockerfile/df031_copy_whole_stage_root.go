package dockerfile

import (
	"strconv"
	"strings"

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
			Differences: "As in hadolint, only `COPY --from=... / /` is flagged; copying a filesystem into a subdirectory (a rootfs) is deliberate. " +
				"Only a stage of the same Dockerfile is judged: an image named in --from (awesome-compose's `gloursdocker/docker`, " +
				"a FROM scratch bundle of CLI binaries) is published to be copied whole.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "COPY" {
				return
			}
			from, ok := in.Flag("from")
			if !ok || !isStageRef(r.File(), from) {
				return // an image published to be copied whole (a bundle of binaries FROM scratch) is deliberate
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

// isStageRef reports whether a --from value names a stage of the file, by
// alias or by index.
func isStageRef(f *df.File, from string) bool {
	if f.StageByName(from) != nil {
		return true
	}
	n, err := strconv.Atoi(from)
	return err == nil && n >= 0 && n < len(f.Stages)
}
