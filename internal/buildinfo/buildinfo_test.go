package buildinfo

import "testing"

func TestVersion_LinkedWins(t *testing.T) {
	if got := Version("v1.2.3"); got != "v1.2.3" {
		t.Errorf("Version(v1.2.3) = %q", got)
	}
}

// A test binary has build info but no module version or VCS stamp.
func TestVersion_UnlinkedIsDevel(t *testing.T) {
	if got := Version(""); got != "devel" {
		t.Errorf("Version() in a test binary = %q; want devel", got)
	}
}
