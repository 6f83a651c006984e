package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF063", Name: "pointless-command", Severity: lint.Info,
			Hadolint:  []string{"DL3001"},
			Summary:   "A RUN calls an interactive or system command that makes no sense during a build (ssh, vim, service, shutdown, ps, top, kill, mount, free, ifconfig).",
			Rationale: "A build has no services, terminal or network interfaces to manage; these commands do nothing useful or hang the build.",
			Fix:       "Remove the command; start services from CMD or the orchestrator.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if c.Instruction.Keyword == "RUN" && c.Is("ssh", "vim", "shutdown", "service", "ps", "free", "top", "kill", "mount", "ifconfig", "nano") {
				if c.Is("kill") && startsBackgroundJob(c) {
					return // stops what the RUN started in the background to warm up (browsh, a database for a migration)
				}
				r.AddCommand(c, "%s has no use in an image build", c.Name)
			}
		},
	})
}

// startsBackgroundJob reports whether the command's RUN starts a process in
// the background (`cmd &`, then `$!`).
func startsBackgroundJob(c *df.Command) bool {
	text := strings.ReplaceAll(c.Instruction.Raw, "&&", "")
	for _, h := range c.Instruction.Heredocs {
		text += strings.ReplaceAll(h.Content, "&&", "")
	}
	return strings.Contains(text, "$!") || strings.Contains(text, "& ") || strings.HasSuffix(strings.TrimSpace(text), "&")
}
