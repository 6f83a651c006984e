package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/generate"
)

func TestParseVerifyImages_Rejects(t *testing.T) {
	for _, flags := range [][]string{
		{"mysql"},
		{"=mariadb:10.11.14"},
		{"mysql="},
		{"my sql=mariadb:10.11.14"},
		{"mysql=mariadb:10.11.14", "mysql=mariadb:11"},
	} {
		_, err := parseVerifyImages(flags)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitUsage {
			t.Errorf("%q: err = %v, want a usage error", flags, err)
		}
	}
}

func TestVerifyImages_StandIn(t *testing.T) {
	v, err := parseVerifyImages([]string{"mysql=mariadb:10.11.14", "rabbitmq:4.1.0-management=rabbitmq:3.10.8", "redis=redis:7.0.15-bookworm"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ image, want string }{
		{"mysql:8.4.3", "mariadb:10.11.14"},
		{"mysql", "mariadb:10.11.14"},
		{"rabbitmq:4.1.0-management", "rabbitmq:3.10.8"},
		{"rabbitmq:4.1.0", ""}, // the flag names a full reference
		{"postgres:15.18-bookworm", ""},
		{"registry.example:5000/mysql:8", ""}, // another repository
	}
	for _, c := range cases {
		got, ok := v.standIn(c.image)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("standIn(%q) = %q, %v; want %q", c.image, got, ok, c.want)
		}
	}
	if left := v.unused(); len(left) != 1 || left[0] != "redis=redis:7.0.15-bookworm" {
		t.Errorf("unused = %q, want only redis", left)
	}
}

func TestRepository(t *testing.T) {
	for ref, want := range map[string]string{
		"mysql:8.4.3":                         "mysql",
		"mysql":                               "mysql",
		"registry:5000/team/db:1":             "registry:5000/team/db",
		"registry:5000/team/db":               "registry:5000/team/db",
		"mariadb@sha256:0123456789abcdef":     "mariadb",
		"ghcr.io/a/b:1.2@sha256:0123456789ab": "ghcr.io/a/b",
	} {
		if got := repository(ref); got != want {
			t.Errorf("repository(%q) = %q, want %q", ref, got, want)
		}
	}
}

// The run's dependencies change; what init wrote does not: the generator
// still names mysql for compose.yaml, and the output says what stood in.
func TestVerifyImages_SubstituteDependencies(t *testing.T) {
	v, err := parseVerifyImages([]string{"mysql=mariadb:10.11.14"})
	if err != nil {
		t.Fatal(err)
	}
	deps := []generate.Dependency{{Alias: "db", Image: "mysql:8.4.3"}, {Alias: "redis", Image: "redis:7.0.15-bookworm"}}
	var out bytes.Buffer
	said := v.substituteDependencies(&out, deps)
	if deps[0].Image != "mariadb:10.11.14" || deps[1].Image != "redis:7.0.15-bookworm" {
		t.Errorf("deps = %+v", deps)
	}
	if len(said) != 1 || said[0] != "mariadb:10.11.14 standing in for mysql:8.4.3" {
		t.Errorf("said = %q", said)
	}
	if !strings.Contains(out.String(), "db (mysql:8.4.3) runs from mariadb:10.11.14 for this run only; the files init writes keep mysql:8.4.3") {
		t.Errorf("output:\n%s", out.String())
	}
	out.Reset()
	v.sayUnused(&out)
	if out.Len() != 0 {
		t.Errorf("a used substitution reported unused: %s", out.String())
	}
}

func TestInitVerifyImage_NeedsVerify(t *testing.T) {
	code, _, errOut := run(t, "", "", "init", "--verify-image", "mysql=mariadb:10.11.14", t.TempDir())
	if code != exitUsage || !strings.Contains(errOut, "pass --verify with it") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = run(t, "", "", "init", "--verify", "--verify-image", "mysql", t.TempDir())
	if code != exitUsage || !strings.Contains(errOut, "use NAME=IMAGE") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
