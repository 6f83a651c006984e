package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF053", Name: "rpm-no-yes", Severity: lint.Warning,
			Hadolint:    []string{"DL3030", "DL3034", "DL3038"},
			Summary:     "yum, dnf or zypper install without non-interactive flags.",
			Rationale:   "Without -y (zypper: -n) the package manager asks for confirmation, which a build cannot give.",
			Fix:         "Use `yum install -y`, `dnf install -y` or `zypper --non-interactive install`.",
			Differences: "One rule for hadolint's three per-manager rules; microdnf and tdnf are covered too.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !rpmInstall(c) {
				return
			}
			if c.Is("zypper") {
				if c.HasOption([]string{"--non-interactive", "--no-confirm"}, "ny") {
					return
				}
			} else if c.HasOption([]string{"--assumeyes"}, "y") {
				return
			}
			r.AddCommand(c, "%s install will wait for a confirmation the build cannot give", c.Name)
		},
	})
}
