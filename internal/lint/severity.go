package lint

import (
	"fmt"
	"strings"
)

// Severity orders findings; a higher value is more serious.
type Severity int

const (
	SeverityNone Severity = iota
	Info
	Warning
	Error
)

var severityNames = [...]string{"none", "info", "warning", "error"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name; hadolint's "style" counts as info and
// "ignore"/"off" as none.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info", "style":
		return Info, nil
	case "none", "off", "ignore":
		return SeverityNone, nil
	}
	return SeverityNone, fmt.Errorf("unknown severity %q (use error, warning, info or none)", s)
}

// MarshalText writes the severity name, so JSON shows "error", not 3.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
