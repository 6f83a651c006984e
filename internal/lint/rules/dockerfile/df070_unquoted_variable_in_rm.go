package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF070", Name: "unquoted-variable-in-destructive-command", Severity: lint.Warning,
			Hadolint: []string{"SC2086", "SC2115"},
			Summary:  "A recursive rm, chown or chmod takes an unquoted variable that may be empty or hold spaces where that widens the path.",
			Rationale: "An empty or space-containing variable changes what is deleted: `rm -rf $DIR/` with DIR unset removes `/`, " +
				"`rm -rf /opt/$APP` removes all of /opt.",
			Fix: "Quote it and guard against empty: `rm -rf \"${DIR:?}/\"`.",
			Differences: "ShellCheck (through hadolint) flags every unquoted variable; we flag the places where it destroys things: " +
				"the variable is not set by an ENV or ARG to a single word at that point, and leaving it out would name a parent " +
				"directory (`$DIR/`, `/opt/$APP`). `rm -rf /usr/src/app-$VERSION` or a `$HOME` set by ENV are not reported.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			flag := "R"
			if c.Is("rm") {
				flag = "rR"
			}
			if !c.Is("rm", "chown", "chmod", "chgrp") || !c.HasOption([]string{"--recursive"}, flag) {
				return
			}
			for i, exps := range c.UnquotedExpansions() {
				for _, e := range exps {
					if e.Guarded || !widensWhenEmpty(e) {
						continue
					}
					if v, ok := c.Instruction.Lookup(e.Name); ok && v != "" && !strings.ContainsAny(v, " \t\n*?[") {
						continue
					}
					r.AddCommand(c, "%s -R on unquoted %q: if %s is empty this reaches %q; quote it: \"${%s:?}\"",
						c.Name, c.Args[i], e.Name, e.Before+e.After, e.Name)
					return
				}
			}
		},
	})
}

// widensWhenEmpty reports whether leaving the expansion out names a parent
// directory or another tree: `$DIR/` becomes `/`, `/opt/$APP` becomes
// `/opt/`, while `app-$VERSION` or a lone `$DIR` (which disappears) do not.
func widensWhenEmpty(e df.Expansion) bool {
	if e.Before != "" && !strings.HasSuffix(e.Before, "/") {
		return false
	}
	if e.Before == "" {
		return strings.HasPrefix(e.After, "/")
	}
	return e.After == "" || strings.HasPrefix(e.After, "/*") || e.After == "/"
}
