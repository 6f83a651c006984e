package lint

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the rule reference (docs/rules.md) from the registry.
func WriteMarkdown(w io.Writer, rules []Rule) error {
	var b strings.Builder
	b.WriteString("# shipshape rules\n\n")
	b.WriteString("Generated from the rule registry by `make docs` (`shipshape rules --format markdown`); do not edit by hand.\n\n")
	b.WriteString("Severities are for the `recommended` profile, then the `production` profile where it differs. ")
	b.WriteString("\"off\" means the rule only runs under `production`.\n\n")
	b.WriteString("| ID | Name | Severity | hadolint | Summary |\n|---|---|---|---|---|\n")
	for _, r := range rules {
		m := r.Info()
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s |\n", m.ID, strings.ToLower(m.ID), m.Name, severityText(m),
			strings.Join(m.Hadolint, ", "), escapeTable(m.Summary))
	}
	for _, r := range rules {
		m := r.Info()
		fmt.Fprintf(&b, "\n## %s\n\n**%s** · %s · profiles: %s", m.ID, m.Name, severityText(m), strings.Join(m.Profiles(), ", "))
		if len(m.Hadolint) > 0 {
			fmt.Fprintf(&b, " · hadolint: %s", strings.Join(m.Hadolint, ", "))
		}
		fmt.Fprintf(&b, "\n\n%s\n\n**Why:** %s\n\n**Fix:** %s\n", m.Summary, m.Rationale, m.Fix)
		if m.Differences != "" {
			fmt.Fprintf(&b, "\n**Differs from peers:** %s\n", m.Differences)
		}
		if m.Bad != "" {
			fmt.Fprintf(&b, "\nBad:\n\n```%s\n%s```\n", m.Language(), m.Bad)
		}
		if m.Good != "" {
			fmt.Fprintf(&b, "\nGood:\n\n```%s\n%s```\n", m.Language(), m.Good)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// severityText is "warning", or "warning → error" when production raises it.
func severityText(m *Meta) string {
	rec := m.SeverityFor(ProfileRecommended).String()
	if rec == "none" {
		rec = "off"
	}
	prod := m.SeverityFor(ProfileProduction).String()
	if prod == rec {
		return rec
	}
	return rec + " → " + prod
}

func escapeTable(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
