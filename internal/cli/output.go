package cli

import (
	"encoding/json"
	"io"
)

// writeJSON is every verb's --format json: indented, one value, a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// validateTextOrJSON checks a --format flag of the verbs that print text
// for people or JSON for scripts.
func validateTextOrJSON(format string) error {
	if format != "text" && format != "json" {
		return usageErrorf("--format %q: text or json", format)
	}
	return nil
}
