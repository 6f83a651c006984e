package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF005", Name: "from-platform-fixed", Severity: lint.Warning,
			Hadolint:  []string{"DL3029"},
			Summary:   "FROM --platform fixes one platform.",
			Rationale: "A hard-coded `--platform=linux/amd64` builds an emulated image on arm64 hosts and breaks multi-platform builds.",
			Fix:       "Drop the flag, or use `--platform=$BUILDPLATFORM` for build stages that cross-compile.",
			Differences: "`--platform=$BUILDPLATFORM` and `$TARGETPLATFORM` (any variable) are accepted: they are the documented " +
				"cross-compilation pattern that hadolint users suppress by hand.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "FROM" {
				return
			}
			if p, ok := in.Flag("platform"); ok && !strings.Contains(p, "$") {
				r.Add(in, "FROM pins --platform=%s; builds on other platforms will be emulated", p)
			}
		},
	})
}
