package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF070", Name: "unquoted-variable-in-destructive-command", Severity: lint.Warning,
			Hadolint:  []string{"SC2086", "SC2115"},
			Summary:   "A recursive rm, chown or chmod takes an unquoted variable.",
			Rationale: "An empty or space-containing variable changes what is deleted: `rm -rf $DIR/` with DIR unset removes `/`.",
			Fix:       "Quote it and guard against empty: `rm -rf \"${DIR:?}/\"`.",
			Differences: "ShellCheck (through hadolint) flags every unquoted variable; we flag the places where it destroys things, " +
				"where the false-alarm cost is worth it.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			recursive := c.Is("rm") && c.HasOption([]string{"--recursive"}, "rR") ||
				c.Is("chown", "chmod", "chgrp") && c.HasOption([]string{"--recursive"}, "R")
			if !recursive {
				return
			}
			for i, unquoted := range c.UnquotedVars() {
				if unquoted {
					r.AddCommand(c, "%s -r on unquoted %q; quote it: \"${VAR:?}\"", c.Name, c.Args[i])
					return
				}
			}
		},
	})
}
