package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF054", Name: "rpm-cache-left", Severity: lint.Info, Production: lint.Warning,
			Hadolint:  []string{"DL3032", "DL3036", "DL3040"},
			Summary:   "yum, dnf or zypper install without cleaning the package cache in the same RUN.",
			Rationale: "The metadata and package cache stay in the layer, often 100 MB or more.",
			Fix:       "End the RUN with `yum clean all` / `dnf clean all` / `zypper clean`, or mount /var/cache/dnf as a cache.",
			Differences: "One rule for hadolint's three. As in hadolint, the clean must come after the install in the same RUN and be " +
				"the same manager's (`microdnf clean all` does not clean after `dnf install`), `zypper cc` counts, and upgrades and " +
				"reinstalls are judged like installs. Unlike hadolint, `rm -rf` counts only on a package cache directory, a cache or tmpfs " +
				"mount on any manager's cache directory (/var/cache/yum, /var/cache/dnf, /var/cache/libdnf5, /var/cache/zypp) counts for all, " +
				"and build stages the final image does not build on are not judged.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !rpmFetches(c) || !ships(r.File(), c.Instruction) {
				return
			}
			if c.Instruction.HasCacheMount(rpmCaches...) {
				return
			}
			cleaned := runHasAfter(c, func(o *df.Command) bool {
				if o.Is(c.Name) && (o.HasArg("clean") || o.Is("zypper") && o.HasArg("cc")) {
					return true
				}
				for _, dir := range rpmCaches {
					if removes(o, dir) {
						return true
					}
				}
				return false
			})
			if !cleaned {
				r.AddCommand(c, "%s %s leaves its cache in the layer; end the RUN with %s", c.Name, c.Sub(), rpmClean(c.Name))
			}
		},
	})
}

// rpmCaches are where yum, dnf (4 and 5), microdnf and zypper keep packages
// and metadata.
var rpmCaches = []string{"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/zypp"}

func rpmClean(manager string) string {
	if manager == "zypper" {
		return "zypper clean --all"
	}
	return manager + " clean all"
}
