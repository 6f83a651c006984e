package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF041", Name: "apt-lists-left", Severity: lint.Info, Production: lint.Warning,
			Hadolint:  []string{"DL3009"},
			Summary:   "apt-get update leaves /var/lib/apt/lists in the image.",
			Rationale: "The package lists add 20-40 MB to the layer and go stale; deleting them in a later RUN does not shrink the image.",
			Fix:       "End the same RUN with `rm -rf /var/lib/apt/lists/*`, or mount the lists as a cache (`RUN --mount=type=cache,target=/var/lib/apt/lists`).",
			Differences: "Like hadolint: judged in the final stage and the stages it builds on, silent with a cache mount on the lists. " +
				"Any `rm` of /var/lib/apt/lists and `apt-get dist-clean` (apt 2.7+) count as cleaning (hadolint wants exactly `rm -rf /var/lib/apt/lists/*`), " +
				"and a tmpfs mount counts as a cache. " +
				"Unlike hadolint, a cache mount on /var/lib/apt (which holds the lists) is enough without one on /var/cache/apt, and an " +
				"ONBUILD RUN in a stage the final image does not build on is not judged (hadolint judges every ONBUILD).",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !(c.Is("apt-get", "apt", "aptitude") && c.Sub() == "update") || !ships(r.File(), c.Instruction) {
				return
			}
			in := c.Instruction
			if in.HasCacheMount("/var/lib/apt/lists") || in.HasCacheMount("/var/lib/apt") && in.HasCacheMount("/var/cache/apt") {
				return
			}
			if runHas(c, func(o *df.Command) bool {
				return removes(o, "/var/lib/apt/lists") || o.Is("apt-get", "apt") && o.Sub() == "dist-clean"
			}) {
				return
			}
			r.AddCommand(c, "apt lists are left in the layer; end this RUN with rm -rf /var/lib/apt/lists/*")
		},
	})
}
