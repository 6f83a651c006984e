package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/lint"
)

type rulesOptions struct {
	format string
}

// Validate checks the flags.
func (o *rulesOptions) Validate() error {
	switch o.format {
	case "table", "markdown", "json":
		return nil
	}
	return usageErrorf("--format %q is not table, markdown or json", o.format)
}

type rulesCommand struct {
	cmd  *cobra.Command
	opts rulesOptions
}

// ruleJSON is one entry of `shipshape rules --format json`, a public contract.
type ruleJSON struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Severity   string   `json:"severity"`
	Production string   `json:"production_severity"`
	Area       string   `json:"area"`
	Profiles   []string `json:"profiles"`
	Hadolint   []string `json:"hadolint"`
	Summary    string   `json:"summary"`
}

func newRulesCommand() *rulesCommand {
	c := &rulesCommand{}
	c.cmd = &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its ID, severity and hadolint equivalent",
		Example: `  shipshape rules
  shipshape rules --format json | jq '.[] | select(.hadolint | index("DL3008"))'
  shipshape rules --format markdown > docs/rules.md`,
		Args: argsBetween(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := c.opts.Validate(); err != nil {
				return err
			}
			return c.run(cmd)
		},
	}
	c.cmd.Flags().StringVarP(&c.opts.format, "format", "f", "table", "output format: table, markdown or json")
	_ = c.cmd.Flags().MarkShorthandDeprecated("format", "use --format (-f is --file in every shipshape verb)")
	_ = c.cmd.RegisterFlagCompletionFunc("format", fixedCompletion("table", "markdown", "json"))
	return c
}

func (c *rulesCommand) run(cmd *cobra.Command) error {
	rules := lint.List()
	out := cmd.OutOrStdout()
	switch c.opts.format {
	case "markdown":
		return lint.WriteMarkdown(out, rules)
	case "json":
		list := make([]ruleJSON, 0, len(rules))
		for _, r := range rules {
			m := r.Info()
			hadolint := m.Hadolint
			if hadolint == nil {
				hadolint = []string{}
			}
			list = append(list, ruleJSON{
				ID: m.ID, Name: m.Name, Severity: m.SeverityFor(lint.ProfileRecommended).String(),
				Production: m.SeverityFor(lint.ProfileProduction).String(), Area: string(m.Area),
				Profiles: m.Profiles(), Hadolint: hadolint, Summary: m.Summary,
			})
		}
		return writeJSON(out, list)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tPRODUCTION\tHADOLINT\tSUMMARY")
	for _, r := range rules {
		m := r.Info()
		rec := m.SeverityFor(lint.ProfileRecommended).String()
		if rec == "none" {
			rec = "off"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Name, rec, m.SeverityFor(lint.ProfileProduction),
			strings.Join(m.Hadolint, ","), m.Summary)
	}
	return tw.Flush()
}
