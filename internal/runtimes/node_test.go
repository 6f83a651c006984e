package runtimes

import "testing"

func TestNodeAllows(t *testing.T) {
	for _, tc := range []struct {
		spec, v    string
		allows, ok bool
	}{
		{">=20.x", "16.16.0", false, true}, // nightscout's .nvmrc against its engines
		{">=20.x", "v22.1.0", true, true},
		{"^18 || ^20", "20.11.1", true, true},
		{">=20", "20", false, false}, // a line, not a version
		{"lts/*", "20.1.0", false, false},
	} {
		if allows, ok := NodeAllows(tc.spec, tc.v); allows != tc.allows || ok != tc.ok {
			t.Errorf("NodeAllows(%q, %q) = %v, %v; want %v, %v", tc.spec, tc.v, allows, ok, tc.allows, tc.ok)
		}
	}
}
