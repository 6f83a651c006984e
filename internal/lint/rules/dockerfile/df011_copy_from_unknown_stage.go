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
			ID: "DF011", Name: "copy-from-unknown-stage", Severity: lint.Warning,
			Hadolint:  []string{"DL3022"},
			Summary:   "COPY --from names neither an earlier stage nor an image.",
			Rationale: "A misspelt stage name is pulled as an image from Docker Hub: the build fails, or copies from a stranger's image.",
			Fix:       "Name an earlier stage (`FROM ... AS build`, then `COPY --from=build`) or a full image reference with a tag.",
			Differences: "Stage indexes (`--from=0`), references that look like images (with a tag, digest or registry path, " +
				"e.g. `--from=nginx:1.27.3`) and variables are accepted, as BuildKit accepts them; hadolint flags everything but an earlier alias.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "COPY" || in.Stage == nil {
				return
			}
			from, ok := in.Flag("from")
			if !ok || strings.ContainsAny(from, "$:/@") {
				return
			}
			if n, err := strconv.Atoi(from); err == nil {
				if n >= 0 && n < in.Stage.Index {
					return
				}
			} else if st := r.File().StageByName(from); st != nil && st.Index < in.Stage.Index {
				return
			} else if st == nil && strings.Contains(from, ".") {
				return
			}
			r.Add(in, "--from=%s names no earlier stage; Docker would pull it as an image", from)
		},
	})
}
