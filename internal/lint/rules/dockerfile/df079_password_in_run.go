package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF079", Name: "password-in-run", Severity: lint.Error,
			Summary:     "A RUN sets a user's password (chpasswd, passwd --stdin, useradd -p, usermod -p).",
			Rationale:   "The password is in the image history for anyone with the image, and a password login has no place in a container.",
			Fix:         "Create users without passwords (`useradd --no-create-home --shell /usr/sbin/nologin`); authenticate at the app or proxy.",
			Differences: "No hadolint rule; matches checkov CKV2_DOCKER_17.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			switch {
			case c.Is("chpasswd"),
				c.Is("passwd") && c.HasArg("--stdin"),
				c.Is("useradd", "usermod", "adduser") && c.HasOption([]string{"--password"}, "p"):
				r.WithFix(passwordlessUserFix(c.Instruction.Stage)).AddCommand(c, "%s puts a password into the image history", c.Name)
			}
		},
	})
}
