package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF046", Name: "package-index-update-alone", Severity: lint.Warning,
			Summary: "A RUN updates the package index (apt-get update, apk update) without installing anything in the same RUN.",
			Rationale: "The update layer is cached: later RUNs install from an index that may be months old, until a 404 breaks the build. " +
				"Update and install belong in one RUN.",
			Fix:         "Join them: `RUN apt-get update && apt-get install -y --no-install-recommends ... && rm -rf /var/lib/apt/lists/*`.",
			Differences: "No hadolint rule; matches trivy DS-0017.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !(c.Is("apt-get", "apt", "apk") && c.Sub() == "update") {
				return
			}
			installs := runHas(c, func(o *df.Command) bool {
				s := o.Sub()
				return o.Is("apt-get", "apt", "apk") && s != "update" && s != "" || o.Is("pip", "pip3", "npm")
			})
			if !installs {
				r.AddCommand(c, "%s update in a RUN of its own leaves a cached, stale index for later installs", c.Name)
			}
		},
	})
}
