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
			Summary:   "apt-get install leaves /var/lib/apt/lists in the image.",
			Rationale: "The package lists add 20-40 MB to the layer and go stale; deleting them in a later RUN does not shrink the image.",
			Fix:       "End the same RUN with `rm -rf /var/lib/apt/lists/*`, or mount the lists as a cache (`RUN --mount=type=cache,target=/var/lib/apt/lists`).",
			Differences: "Silent when /var/lib/apt is a cache or tmpfs mount, and in build stages that the final image does not build on " +
				"(their layers never ship); hadolint flags both.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !isAptInstall(c) || !ships(r.File(), c.Instruction) || c.Instruction.HasCacheMount("/var/lib/apt/lists") {
				return
			}
			if !runHas(c, func(o *df.Command) bool { return o.Is("apt-get", "apt") && o.Sub() == "update" }) {
				return // no lists were fetched in this layer
			}
			if runHas(c, func(o *df.Command) bool { return removes(o, "/var/lib/apt/lists") }) {
				return
			}
			r.AddCommand(c, "apt lists are left in the layer; end this RUN with rm -rf /var/lib/apt/lists/*")
		},
	})
}
