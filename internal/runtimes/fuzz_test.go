package runtimes

import (
	"strings"
	"testing"
	"time"
)

var fuzzCatalog = On(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))

// checkResolution holds for every resolution: an exact release of a line
// the catalog knows, no newer than the newest it knows, flagged end of
// life exactly when its line is.
func checkResolution(t *testing.T, in string, res Resolution) {
	t.Helper()
	v, ok := parseVersion(res.Version)
	if !ok || v.n != 3 {
		t.Fatalf("%q → %q: not an exact version", in, res.Version)
	}
	line := mustLine(res.Release.Line)
	if !v.hasPrefix(line) || v.compare(mustVersion(res.Release.Newest)) > 0 {
		t.Fatalf("%q → %s: not a release of %s %s up to %s", in, res.Version, res.Runtime, res.Release.Line, res.Release.Newest)
	}
	if res.EOL != fuzzCatalog.EOL(res.Release) {
		t.Fatalf("%q → %s: EOL flag %v, line's %v", in, res.Version, res.EOL, fuzzCatalog.EOL(res.Release))
	}
	if res.Why == "" {
		t.Fatalf("%q → %s with no reason", in, res.Version)
	}
}

func FuzzPython(f *testing.F) {
	for _, s := range []string{">=3.9", "~=3.11", ">=3.10,<3.13", "==3.12.*", "3.12\n", "^3.10 || ^3.11", "~3.12", "python-3.11.4",
		"!=3.13.*", "===3.12.1", ">= 3.8, < 4", "*", "3.8", "pypy3.10", "<=3.12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		res, err := fuzzCatalog.Python(spec)
		if err != nil {
			return
		}
		checkResolution(t, spec, res)
		con, err := parsePython(spec)
		if err != nil {
			t.Fatalf("%q resolved but does not parse: %v", spec, err)
		}
		if !con.allows(mustVersion(res.Version)) {
			t.Fatalf("%q → %s, which it does not allow", spec, res.Version)
		}
	})
}

func FuzzNode(f *testing.F) {
	for _, s := range []string{">=12.0.0", "^18 || ^20", "18.x", ">=20 <23", "lts/*", "v22.11.0", "16 - 20", "~>20.1", "lts/-1",
		"lts/iron", "node", "*", "^14.15.0 || ^16.10.0 || >=18.0.0", ">= 0.6", "<=20", ">1 <2.x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		res, err := fuzzCatalog.Node(spec)
		if err != nil {
			return
		}
		checkResolution(t, spec, res)
		if _, _, alias, _ := fuzzCatalog.nodeAlias(cleanDeclared(spec)); alias {
			return
		}
		con, err := parseNode(cleanDeclared(spec))
		if err != nil {
			t.Fatalf("%q resolved but does not parse: %v", spec, err)
		}
		if !con.allows(mustVersion(res.Version)) {
			t.Fatalf("%q → %s, which it does not allow", spec, res.Version)
		}
	})
}

func FuzzGo(f *testing.F) {
	for _, s := range [][2]string{{"1.22", ""}, {"1.22.0", "go1.22.2"}, {"1.21rc2", ""}, {"1.28", ""}, {"", "go1.27.4"}, {"1.18", "local"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, goLine, toolchain string) {
		res, err := fuzzCatalog.Go(goLine, toolchain)
		if err != nil {
			return
		}
		checkResolution(t, goLine+" "+toolchain, res)
	})
}

func FuzzRust(f *testing.F) {
	for _, s := range []string{"1.82", "1.82.0", "stable", "nightly-2024-05-01", "1.99", "stable-x86_64-unknown-linux-gnu", "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		if res, err := fuzzCatalog.RustVersion(spec); err == nil {
			checkResolution(t, "rust-version "+spec, res)
			if mustVersion(res.Version).compare(full(mustLineOrVersion(spec))) < 0 {
				t.Fatalf("rust-version %q → older %s", spec, res.Version)
			}
		}
		if res, err := fuzzCatalog.RustToolchain(spec); err == nil {
			checkResolution(t, "channel "+spec, res)
		}
	})
}

func mustLineOrVersion(s string) version {
	v, _ := parseVersion(cleanDeclared(s))
	return v
}

// FuzzNodeAllows: an exact version either is or is not in a range, and
// is always in the range that names it exactly.
func FuzzNodeAllows(f *testing.F) {
	f.Add(">=20.x", "16.16.0")
	f.Add("^18 || ^20", "v20.11.1")
	f.Add("lts/*", "20.1.0")
	f.Fuzz(func(t *testing.T, spec, v string) {
		allows, ok := NodeAllows(spec, v)
		if !ok && allows {
			t.Fatalf("NodeAllows(%q, %q) allows without parsing", spec, v)
		}
		if _, ok := NodeAllows(">=0", v); ok {
			if self, ok := NodeAllows(strings.TrimPrefix(v, "v"), v); !ok || !self {
				t.Fatalf("%q is not in its own range (%v, %v)", v, self, ok)
			}
		}
	})
}
