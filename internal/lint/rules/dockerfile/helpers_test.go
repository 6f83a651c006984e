package dockerfile

import "testing"

func TestMentionsVar(t *testing.T) {
	cases := []struct {
		text, name string
		want       bool
	}{
		{"echo $VERSION", "VERSION", true},
		{"echo ${VERSION:-1}", "VERSION", true},
		{"echo $VERSIONS", "VERSION", false},
		{"echo VERSION", "VERSION", false},
		{"echo $A $VERSION", "VERSION", true},
		{"anything", "", false}, // found by FuzzCheck: an empty name used to loop forever
	}
	for _, c := range cases {
		if got := mentionsVar(c.text, c.name); got != c.want {
			t.Errorf("mentionsVar(%q, %q) = %v", c.text, c.name, got)
		}
	}
}
