package testutil

import (
	"strings"
	"testing"
)

// Contains reports, as errors of t, each of wants that text (what names
// it: "Dockerfile", ".env.example") lacks, and text once.
func Contains(t testing.TB, what, text string, wants ...string) {
	t.Helper()
	var missing []string
	for _, w := range wants {
		if !strings.Contains(text, w) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s lacks %q:\n%s", what, missing, text)
	}
}
