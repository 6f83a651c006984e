package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF054", Name: "rpm-cache-left", Severity: lint.Info, Production: lint.Warning,
			Hadolint:    []string{"DL3032", "DL3036", "DL3040"},
			Summary:     "yum, dnf or zypper install without cleaning the package cache in the same RUN.",
			Rationale:   "The metadata and package cache stay in the layer, often 100 MB or more.",
			Fix:         "End the RUN with `yum clean all` / `dnf clean all` / `zypper clean`, or mount /var/cache/dnf as a cache.",
			Differences: "One rule for hadolint's three; `rm -rf /var/cache/...` and cache mounts count as cleaning; build stages the final image does not build on are not judged.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !rpmInstall(c) || !ships(r.File(), c.Instruction) {
				return
			}
			if c.Instruction.HasCacheMount("/var/cache/yum", "/var/cache/dnf", "/var/cache/zypp") {
				return
			}
			cleaned := runHas(c, func(o *df.Command) bool {
				return rpmManager(o) != "" && (o.Sub() == "clean" || o.HasArg("clean")) ||
					removes(o, "/var/cache/yum") || removes(o, "/var/cache/dnf") || removes(o, "/var/cache/zypp")
			})
			if !cleaned {
				r.AddCommand(c, "%s install leaves its cache in the layer; end the RUN with %s clean all", c.Name, c.Name)
			}
		},
	})
}
