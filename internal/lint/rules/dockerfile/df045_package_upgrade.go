package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF045", Name: "package-upgrade", Severity: lint.Info, Production: lint.Warning,
			Hadolint: []string{"DL3035"},
			Summary:  "The RUN upgrades every system package (apt-get upgrade, apk upgrade, yum update, zypper dist-upgrade).",
			Rationale: "A blanket upgrade makes the image depend on the day it was built and hides that the base image is stale; " +
				"it also bloats the layer with a copy of every changed file.",
			Fix: "Use a newer base image tag instead; install specific package versions if a fix cannot wait.",
			Differences: "hadolint only flags zypper dist-upgrade (DL3035; it dropped apt-get upgrade). We flag every package manager's blanket upgrade, " +
				"as info by default and a warning under production.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			sub := c.Sub()
			var upgrade bool
			switch {
			case c.Is("apt-get", "apt"):
				upgrade = sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade"
			case c.Is("apk"):
				upgrade = sub == "upgrade"
			case c.Is("yum", "dnf", "microdnf"):
				upgrade = (sub == "update" || sub == "upgrade") && len(c.Positional()) == 0
			case c.Is("zypper"):
				upgrade = sub == "dist-upgrade" || sub == "dup" || ((sub == "update" || sub == "up") && len(c.Positional()) == 0)
			}
			if upgrade {
				r.AddCommand(c, "%s %s upgrades every package; use a newer base image instead", c.Name, sub)
			}
		},
	})
}
