package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF050", Name: "apk-unpinned", Severity: lint.Warning,
			Hadolint:  []string{"DL3018"},
			Summary:   "apk add without package versions.",
			Rationale: "Unpinned packages change with the Alpine mirror, so a rebuild is not the image you tested.",
			Fix:       "Pin versions (`curl=8.11.0-r2`) or the `~` minor line (`curl~8.11`).",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !isApkAdd(c) {
				return
			}
			var unpinned []string
			for _, p := range apkPackages(c) {
				if !strings.ContainsAny(p, "=~<>") && !strings.HasSuffix(p, ".apk") && !strings.HasPrefix(p, "$") {
					unpinned = append(unpinned, p)
				}
			}
			if len(unpinned) > 0 {
				r.AddCommand(c, "apk add of unpinned packages: %s", strings.Join(unpinned, " "))
			}
		},
	})
}
