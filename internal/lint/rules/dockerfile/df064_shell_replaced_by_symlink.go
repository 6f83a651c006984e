package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF064", Name: "shell-replaced-by-symlink", Severity: lint.Warning,
			Hadolint:    []string{"DL4005"},
			Summary:     "A RUN replaces /bin/sh with a symlink.",
			Rationale:   "Relinking /bin/sh changes the shell for every script in the image, including the distribution's own maintainer scripts.",
			Fix:         "Use `SHELL [\"/bin/bash\", \"-c\"]` to change the shell for RUN.",
			Differences: "Only a link whose target is /bin/sh is flagged; hadolint also flags links that merely point at /bin/sh.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("ln") {
				return
			}
			pos := c.Positional()
			args := append([]string{c.Sub()}, pos...)
			if len(args) >= 2 && args[len(args)-1] == "/bin/sh" {
				r.AddCommand(c, "use SHELL to change the shell instead of relinking /bin/sh")
			}
		},
	})
}
