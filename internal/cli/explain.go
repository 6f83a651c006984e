package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/lint"
)

type explainCommand struct {
	cmd *cobra.Command
}

func newExplainCommand() *explainCommand {
	c := &explainCommand{}
	c.cmd = &cobra.Command{
		Use:   "explain RULE",
		Short: "Explain a rule: why it matters, how to fix it, a bad and a good example",
		Example: `  shipshape explain DF012
  shipshape explain last-user-root
  shipshape explain DL3008    # the rules that take over a hadolint code`,
		Args:              argsBetween(1, 1),
		ValidArgsFunction: ruleCompletion,
		RunE: func(cmd *cobra.Command, args []string) error {
			rules := explainTargets(args[0])
			if len(rules) == 0 {
				return usageErrorf("no rule %q (run `shipshape rules` for the list)", args[0])
			}
			for i, r := range rules {
				if i > 0 {
					fmt.Fprintln(cmd.OutOrStdout())
				}
				if err := writeExplanation(cmd, r.Info()); err != nil {
					return err
				}
			}
			return nil
		},
	}
	return c
}

func explainTargets(ref string) []lint.Rule {
	if r, ok := lint.Lookup(ref); ok {
		return []lint.Rule{r}
	}
	return lint.ByHadolint(ref)
}

func writeExplanation(cmd *cobra.Command, m *lint.Meta) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", m.ID, m.Name)
	fmt.Fprintf(&b, "severity: %s (recommended), %s (production)\n", orOff(m.SeverityFor(lint.ProfileRecommended)), orOff(m.SeverityFor(lint.ProfileProduction)))
	if len(m.Hadolint) > 0 {
		fmt.Fprintf(&b, "hadolint: %s\n", strings.Join(m.Hadolint, ", "))
	}
	fmt.Fprintf(&b, "\n%s\n\nWhy it matters:\n  %s\n\nHow to fix:\n  %s\n", m.Summary, m.Rationale, m.Fix)
	if m.Differences != "" {
		fmt.Fprintf(&b, "\nDiffers from peers:\n  %s\n", m.Differences)
	}
	if m.Bad != "" {
		fmt.Fprintf(&b, "\nBad:\n%s", indent(m.Bad))
	}
	if m.Good != "" {
		fmt.Fprintf(&b, "\nGood:\n%s", indent(m.Good))
	}
	fmt.Fprintf(&b, "\nSilence it for one instruction with `# shipshape:ignore %s <reason>` on the line above.\n", m.ID)
	_, err := fmt.Fprint(cmd.OutOrStdout(), b.String())
	return err
}

func orOff(s lint.Severity) string {
	if s == lint.SeverityNone {
		return "off"
	}
	return s.String()
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n") + "\n"
}
