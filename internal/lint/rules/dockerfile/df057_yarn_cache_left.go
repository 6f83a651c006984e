package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF057", Name: "yarn-cache-left", Severity: lint.Info, Production: lint.Warning,
			Hadolint:  []string{"DL3060"},
			Summary:   "yarn install without `yarn cache clean` in the same RUN.",
			Rationale: "Yarn's cache holds a second copy of every package, often hundreds of MB, in a layer that ships.",
			Fix:       "End the RUN with `yarn cache clean`, or use a cache mount on the yarn cache directory.",
			Differences: "As in hadolint, the clean must come after the install. Unlike hadolint, silent with a cache mount on yarn's cache " +
				"and in build stages the final image does not build on, ONBUILD RUNs included (hadolint judges every ONBUILD).",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("yarn") || !ships(r.File(), c.Instruction) {
				return
			}
			if !c.HasArg("install") {
				return
			}
			if c.Instruction.HasCacheMount("/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/root/.yarn") {
				return
			}
			if runHasAfter(c, func(o *df.Command) bool { return o.Is("yarn") && o.Sub() == "cache" && o.HasArg("clean") }) {
				return
			}
			r.AddCommand(c, "yarn install leaves its cache in the image; add `&& yarn cache clean`")
		},
	})
}
