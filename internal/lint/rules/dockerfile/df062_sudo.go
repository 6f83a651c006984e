package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF062", Name: "sudo", Severity: lint.Error,
			Hadolint:  []string{"DL3004"},
			Summary:   "A RUN uses sudo.",
			Rationale: "sudo has unpredictable TTY and signal behaviour and must be installed and configured in the image; builds run as root already unless USER says otherwise.",
			Fix:       "Switch users with `USER root` ... `USER 10001:10001` around the privileged steps, or use gosu/su-exec at run time.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if c.Is("sudo") || c.Wrapped("sudo") {
				r.AddCommand(c, "do not use sudo; switch with USER instead")
			}
		},
	})
}
