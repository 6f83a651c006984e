package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF051", Name: "apk-cache-left", Severity: lint.Info, Production: lint.Warning,
			Hadolint:  []string{"DL3019"},
			Summary:   "apk add keeps its index and cache in the image.",
			Rationale: "Without --no-cache, apk leaves /var/cache/apk in the layer.",
			Fix:       "Use `apk add --no-cache`, or a cache mount on /var/cache/apk.",
			Differences: "Silent with a cache mount, with `rm -rf /var/cache/apk/*` in the same RUN, for `apk add --no-network` (it installs " +
				"from what is already there and downloads nothing), and in build stages the final image does not build on.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !isApkAdd(c) || c.HasOption([]string{"--no-cache", "--no-network"}, "") || !ships(r.File(), c.Instruction) {
				return
			}
			if c.Instruction.HasCacheMount("/var/cache/apk", "/etc/apk/cache") || runHas(c, func(o *df.Command) bool { return removes(o, "/var/cache/apk") }) {
				return
			}
			r.AddCommand(c, "apk add without --no-cache leaves /var/cache/apk in the image")
		},
	})
}
