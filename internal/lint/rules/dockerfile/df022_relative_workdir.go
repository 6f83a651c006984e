package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF022", Name: "relative-workdir", Severity: lint.Error,
			Hadolint:    []string{"DL3000"},
			Summary:     "WORKDIR is a relative path.",
			Rationale:   "A relative WORKDIR depends on the WORKDIR of the base image, which can change under you.",
			Fix:         "Use an absolute path: `WORKDIR /app`.",
			Differences: "Paths starting with a variable (`$HOME/app`) are resolved first and accepted when the value is unknown; Windows drive paths are absolute.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "WORKDIR" || len(in.Args) == 0 {
				return
			}
			dir, known := in.Expand(in.Args[0])
			dir = strings.Trim(dir, `"'`)
			if !known || strings.HasPrefix(dir, "/") || strings.HasPrefix(dir, "$") || isWindowsPath(dir) {
				return
			}
			r.Add(in, "WORKDIR %q is relative; use an absolute path", dir)
		},
	})
}

func isWindowsPath(p string) bool {
	return len(p) >= 2 && p[1] == ':' || strings.HasPrefix(p, `\`)
}
