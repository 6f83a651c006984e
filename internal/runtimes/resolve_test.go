package runtimes_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/runtimes"
)

// catalog is judged on the day the data was last read, so these tables
// stay true as time passes.
var catalog = runtimes.On(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))

type want struct {
	version string
	eol     bool
	why     string // a fragment of Why
}

func check(t *testing.T, in string, got runtimes.Resolution, err error, w want) {
	t.Helper()
	if err != nil {
		t.Fatalf("%q: %v", in, err)
	}
	if got.Version != w.version || got.EOL != w.eol {
		t.Errorf("%q → %s (eol %v), want %s (eol %v); why: %s", in, got.Version, got.EOL, w.version, w.eol, got.Why)
	}
	if w.why != "" && !strings.Contains(got.Why, w.why) {
		t.Errorf("%q: why = %q, want it to say %q", in, got.Why, w.why)
	}
}

// Inputs marked "seen" are values found in public repositories'
// pyproject.toml, setup.py, package.json and go.mod files.
func TestCatalog_Python(t *testing.T) {
	for _, tc := range []struct {
		in string
		want
	}{
		// Ranges that admit the default get it.
		{">=3.9", want{"3.13.15", false, "the default, satisfies >=3.9"}},
		{">=3.8", want{"3.13.15", false, ""}},       // seen, setup.py python_requires
		{">=3.11", want{"3.13.15", false, ""}},      // seen, PEP 723 script
		{">=3.8,<4.0", want{"3.13.15", false, ""}},  // seen
		{">=3.9,<4.0", want{"3.13.15", false, ""}},  // seen
		{">=3.9,<3.14", want{"3.13.15", false, ""}}, // seen
		{"^3.9", want{"3.13.15", false, ""}},        // seen, Poetry
		{"^3.11", want{"3.13.15", false, ""}},       // seen, Poetry
		{"~=3.8", want{"3.13.15", false, ""}},       // seen: >=3.8, ==3.*
		{"~= 3.11", want{"3.13.15", false, ""}},     // seen, space after the operator
		{">=3.7, <4", want{"3.13.15", false, ""}},   // seen
		{">= 3.10", want{"3.13.15", false, ""}},     // space after the operator
		{">=3.10,!=3.13.*", want{"3.15.0", false, "newest supported release satisfying"}},
		{"*", want{"3.13.15", false, ""}},
		{"'>=3.12'", want{"3.13.15", false, ""}}, // quoted as in setup.py
		// Ranges that exclude the default get the newest supported release in them.
		{">=3.10,<3.13", want{"3.12.13", false, "newest supported release satisfying >=3.10,<3.13"}},
		{">=3.9,<3.13", want{"3.12.13", false, ""}},  // seen
		{">=3.9,<3.12", want{"3.11.15", false, ""}},  // seen: 3.11's pin matches distroless python3-debian12
		{">=3.12,<3.13", want{"3.12.13", false, ""}}, // seen, PEP 723 script
		{"~=3.11", want{"3.13.15", false, ""}},       // seen: >=3.11, ==3.*
		{"~=3.12.0", want{"3.12.13", false, ""}},     // seen: >=3.12.0, ==3.12.*
		{"~=3.11.9", want{"3.11.15", false, ""}},     // seen
		{"==3.12.*", want{"3.12.13", false, ""}},     // seen
		{"==3.13.*", want{"3.13.15", false, ""}},     // seen
		{">=3.14", want{"3.15.0", false, ""}},
		{">=3.14,<3.15", want{"3.14.7", false, ""}},
		{">=3.15", want{"3.15.0", false, ""}},
		{"~3.12", want{"3.12.13", false, ""}}, // Poetry tilde
		{"^3.10 || ^3.11", want{"3.13.15", false, ""}},
		{"3.12", want{"3.12.13", false, ""}},                     // .python-version, Pipfile
		{"3.12\n", want{"3.12.13", false, ""}},                   // .python-version with its newline
		{"3.11", want{"3.11.15", false, ""}},                     // Pipfile python_version
		{"3.12.1", want{"3.12.1", false, "exactly as declared"}}, // .python-version, exact
		{"python-3.11.4", want{"3.11.4", false, ""}},             // runtime.txt
		{"==3.12", want{"3.12.0", false, "exactly as declared"}}, // seen; PEP 440: 3.12.0 only
		{">3.8", want{"3.13.15", false, ""}},
		{"<=3.12", want{"3.11.15", false, ""}}, // PEP 440: <=3.12.0, so no 3.12.x after 3.12.0 except... 3.12.0 itself
		// Only end-of-life releases fit: the newest of them, flagged.
		{"3.8", want{"3.8.20", true, "move to Python 3.13"}},
		{"==3.9.*", want{"3.9.25", true, "only end-of-life releases satisfy ==3.9.*"}},
		{">=3.7,<3.10", want{"3.9.25", true, ""}},
		{">=3.9,<3.10", want{"3.9.25", true, ""}}, // seen
		{"3.10", want{"3.10.20", true, "end of life on 2026-10-01"}},
		{"2.7", want{"2.7.18", true, ""}},
		{"^3.6", want{"3.13.15", false, ""}},
	} {
		got, err := catalog.Python(tc.in)
		check(t, tc.in, got, err, tc.want)
	}
}

func TestCatalog_PythonLessOrEqualIsPEP440(t *testing.T) {
	// <=3.12 admits 3.12.0 and nothing after it in 3.12: the pin 3.12.13
	// does not fit, 3.11's does; the default 3.13 does not either.
	got, err := catalog.Python("<=3.12")
	if err != nil || got.Version != "3.11.15" {
		t.Fatalf("<=3.12 → %s, %v", got.Version, err)
	}
}

func TestCatalog_PythonErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		{">=4.0", runtimes.ErrNoRelease},
		{"3.12.99", runtimes.ErrNoRelease}, // no such release
		{">=3.16", runtimes.ErrNoRelease},  // not out yet
		{"", runtimes.ErrSyntax},
		{"3.12-dev", runtimes.ErrSyntax},
		{">>3.8", runtimes.ErrSyntax},
		{"~=3", runtimes.ErrSyntax},
		{"3.13t", runtimes.ErrSyntax},
		{"pypy3.10", runtimes.ErrUnpinnable},
		{"system", runtimes.ErrUnpinnable},
	} {
		if _, err := catalog.Python(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%q: err = %v, want %v", tc.in, err, tc.want)
		}
	}
}

func TestCatalog_Node(t *testing.T) {
	for _, tc := range []struct {
		in string
		want
	}{
		{">=12.0.0", want{"24.22.3", false, "Node 24, the default, satisfies >=12.0.0"}},
		{">=18", want{"24.22.3", false, ""}},                                                  // seen
		{">= 18", want{"24.22.3", false, ""}},                                                 // seen, space after the operator
		{">=16.0.0", want{"24.22.3", false, ""}},                                              // seen
		{">=20.0.0", want{"24.22.3", false, ""}},                                              // seen
		{">=22", want{"24.22.3", false, ""}},                                                  // seen
		{">=0.10.0", want{"24.22.3", false, ""}},                                              // seen
		{">= 0.6", want{"24.22.3", false, ""}},                                                // seen
		{"^18 || ^20", want{"20.20.2", true, "only end-of-life releases satisfy ^18 || ^20"}}, // seen
		{"^14", want{"14.21.3", true, "move to Node 24"}},
		{"18.x", want{"18.20.8", true, ""}},
		{"24.x", want{"24.22.3", false, ""}}, // seen
		{"20.x", want{"20.20.2", true, "end of life on 2026-04-30"}},
		{"22.x", want{"22.23.5", false, "newest supported release satisfying 22.x"}},
		{">=20 <23", want{"22.23.5", false, ""}},
		{">=20 <24", want{"22.23.5", false, ""}},
		{"^22.19.0 || ^24.0.0 || ^26.0.0", want{"24.22.3", false, ""}},   // seen
		{"^14.15.0 || ^16.10.0 || >=18.0.0", want{"24.22.3", false, ""}}, // seen
		{"^12.17.0 || ^14.13 || >=16.0.0", want{"24.22.3", false, ""}},   // seen
		{"^20.9.0 || >=22.0.0", want{"24.22.3", false, ""}},              // seen
		{"^14.18.0 || >=16.0.0", want{"24.22.3", false, ""}},             // seen
		{"^18.0.0", want{"18.20.8", true, ""}},                           // seen
		{"~20.11", want{"20.11.0", true, ""}},                            // the catalog knows 20.11.0 exists, being ~20.11's floor
		{"^26", want{"26.12.1", false, ""}},
		{">=25", want{"26.12.1", false, ""}},
		{"16 - 20", want{"20.20.2", true, ""}},
		{"20 - 22.x", want{"22.23.5", false, ""}},
		{"*", want{"24.22.3", false, ""}},
		{"x", want{"24.22.3", false, ""}},
		{"v22.11.0", want{"22.11.0", false, "exactly as declared"}}, // .nvmrc
		{"22.11.0", want{"22.11.0", false, ""}},
		{"=22.11.0", want{"22.11.0", false, ""}},
		{"22", want{"22.23.5", false, ""}},    // .nvmrc
		{"v24\n", want{"24.22.3", false, ""}}, // .nvmrc with its newline
		{"lts/*", want{"26.12.1", false, "the newest LTS line, Node 26"}},
		{"lts/-1", want{"24.22.3", false, ""}},
		{"lts/iron", want{"20.20.2", true, "move to Node 24"}},
		{"lts/Jod", want{"22.23.5", false, ""}},
		{"node", want{"26.12.1", false, ""}},
		{"^25", want{"25.9.0", true, ""}},
		{">18 <20", want{"19.8.1", true, ""}},
		{"<=20", want{"20.20.2", true, ""}},
		{"~>20.1", want{"20.1.0", true, ""}}, // 20.1.x: only 20.1.0 is a release the constraint names
	} {
		got, err := catalog.Node(tc.in)
		check(t, tc.in, got, err, tc.want)
	}
}

func TestCatalog_NodeErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		{">=27", runtimes.ErrNoRelease},
		{"22.99.0", runtimes.ErrNoRelease},
		{"lts/nope", runtimes.ErrNoRelease},
		{"lts/-20", runtimes.ErrNoRelease},
		{"system", runtimes.ErrUnpinnable},
		{"iojs", runtimes.ErrUnpinnable},
		{"", runtimes.ErrSyntax},
		{">=", runtimes.ErrSyntax},
		{"^a.b", runtimes.ErrSyntax},
		{"1.2.3.4", runtimes.ErrSyntax},
	} {
		if _, err := catalog.Node(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%q: err = %v, want %v", tc.in, err, tc.want)
		}
	}
}

func TestCatalog_Go(t *testing.T) {
	for _, tc := range []struct {
		goLine, toolchain string
		want
	}{
		{"1.22", "", want{"1.27.4", false, "at least Go 1.22"}},
		{"1.26", "", want{"1.27.4", false, "the newest release"}},
		{"1.22.3", "", want{"1.27.4", false, ""}},
		{"1.22.0", "go1.22.2", want{"1.27.4", false, ""}},  // seen
		{"1.23", "go1.23.5", want{"1.27.4", false, ""}},    // seen
		{"1.24.0", "go1.24.13", want{"1.27.4", false, ""}}, // seen
		{"1.26.0", "go1.27.1", want{"1.27.4", false, ""}},  // seen
		{"1.21rc2", "", want{"1.27.4", false, ""}},
		{"1.27.4", "", want{"1.27.4", false, ""}},
		{"1.18", "local", want{"1.27.4", false, ""}},
		{"", "", want{"1.27.4", false, "nothing declared"}},
	} {
		got, err := catalog.Go(tc.goLine, tc.toolchain)
		check(t, tc.goLine+" "+tc.toolchain, got, err, tc.want)
	}
	for _, tc := range []struct {
		goLine, toolchain string
		want              error
	}{
		{"1.28", "", runtimes.ErrNoRelease},
		{"1.27.5", "", runtimes.ErrNoRelease},
		{"1.22", "go1.28.0", runtimes.ErrNoRelease},
		{"1", "", runtimes.ErrSyntax},
		{"one", "", runtimes.ErrSyntax},
		{"1.22", "gcc", runtimes.ErrSyntax},
	} {
		if _, err := catalog.Go(tc.goLine, tc.toolchain); !errors.Is(err, tc.want) {
			t.Errorf("go %q toolchain %q: err = %v, want %v", tc.goLine, tc.toolchain, err, tc.want)
		}
	}
}

func TestCatalog_Rust(t *testing.T) {
	for _, tc := range []struct {
		in string
		want
	}{
		{"1.82", want{"1.95.0", false, "the default stable"}},
		{"1.95", want{"1.95.0", false, ""}},
		{"1.70.0", want{"1.95.0", false, ""}},
		{"1.97", want{"1.99.0", false, ""}},
	} {
		got, err := catalog.RustVersion(tc.in)
		check(t, "rust-version "+tc.in, got, err, tc.want)
	}
	for _, tc := range []struct {
		in string
		want
	}{
		{"stable", want{"1.95.0", false, "the default stable"}},
		{"1.82", want{"1.82.0", false, ""}},
		{"1.84", want{"1.84.1", false, ""}},
		{"1.84.0", want{"1.84.0", false, ""}},
		{"1.77.2", want{"1.77.2", false, ""}},
		{"stable-x86_64-unknown-linux-gnu", want{"1.95.0", false, ""}},
	} {
		got, err := catalog.RustToolchain(tc.in)
		check(t, "channel "+tc.in, got, err, tc.want)
	}
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"nightly", runtimes.ErrUnpinnable},
		{"nightly-2024-05-01", runtimes.ErrUnpinnable},
		{"beta", runtimes.ErrUnpinnable},
		{"1.120", runtimes.ErrNoRelease},
		{"1.84.7", runtimes.ErrNoRelease},
		{"1", runtimes.ErrSyntax},
	} {
		if _, err := catalog.RustToolchain(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("channel %q: err = %v, want %v", tc.in, err, tc.want)
		}
	}
	if _, err := catalog.RustVersion("1.120"); !errors.Is(err, runtimes.ErrNoRelease) {
		t.Errorf("rust-version 1.120: err = %v", err)
	}
}

func TestCatalog_Defaults(t *testing.T) {
	for rt, want := range map[runtimes.Runtime]string{runtimes.Python: "3.13.15", runtimes.Node: "24.22.3", runtimes.Go: "1.27.4", runtimes.Rust: "1.95.0"} {
		got := catalog.Default(rt)
		if got.Version != want || got.EOL || !strings.HasPrefix(got.Why, "nothing declared") {
			t.Errorf("default %s = %+v, want %s", rt, got, want)
		}
	}
}

func TestCatalog_Declared(t *testing.T) {
	for _, tc := range []struct {
		rt          runtimes.Runtime
		file, value string
		want        string
	}{
		{runtimes.Python, "pyproject.toml", ">=3.10,<3.13", "3.12.13"},
		{runtimes.Python, ".python-version", "3.12\n", "3.12.13"},
		{runtimes.Python, "Pipfile", "", "3.13.15"},
		{runtimes.Node, "package.json", ">=12.0.0", "24.22.3"},
		{runtimes.Node, ".nvmrc", "lts/*", "26.12.1"},
		{runtimes.Go, "go.mod", "1.22", "1.27.4"},
		{runtimes.Go, "go.mod", "toolchain go1.23.4", "1.27.4"},
		{runtimes.Go, "go.mod", "go1.23.4", "1.27.4"},
		{runtimes.Go, "go.mod", "go 1.26", "1.27.4"},
		{runtimes.Rust, "Cargo.toml", "1.82", "1.95.0"},
		{runtimes.Rust, "rust-toolchain.toml", "1.82", "1.82.0"},
		{runtimes.Rust, "rust-toolchain", "stable", "1.95.0"},
	} {
		got, err := catalog.Declared(tc.rt, tc.file, tc.value)
		if err != nil || got.Version != tc.want {
			t.Errorf("%s %s %q → %s, %v; want %s", tc.rt, tc.file, tc.value, got.Version, err, tc.want)
		}
	}
}

func TestCatalog_EOLAndLines(t *testing.T) {
	for _, tc := range []struct {
		rt      runtimes.Runtime
		version string
		line    string
		eol     bool
	}{
		{runtimes.Python, "3.8", "3.8", true},
		{runtimes.Python, "3.8.10", "3.8", true},
		{runtimes.Python, "3.9", "3.9", true},
		{runtimes.Python, "3.10", "3.10", true},
		{runtimes.Python, "3.11", "3.11", false},
		{runtimes.Python, "3.13.5", "3.13", false},
		{runtimes.Node, "14", "14", true},
		{runtimes.Node, "18.20.4", "18", true},
		{runtimes.Node, "20", "20", true},
		{runtimes.Node, "21", "21", true},
		{runtimes.Node, "22", "22", false},
		{runtimes.Node, "24", "24", false},
		{runtimes.Node, "25", "25", true},
		{runtimes.Go, "1.19", "1.19", true},
		{runtimes.Go, "1.25.5", "1.25", true},
		{runtimes.Go, "1.26", "1.26", false},
		{runtimes.Go, "1.27", "1.27", false},
		{runtimes.Rust, "1.70", "1.70", false},
	} {
		r, ok := catalog.Line(tc.rt, tc.version)
		if !ok || r.Line != tc.line || catalog.EOL(r) != tc.eol {
			t.Errorf("%s %s → line %q (found %v), eol %v; want %s, eol %v", tc.rt, tc.version, r.Line, ok, catalog.EOL(r), tc.line, tc.eol)
		}
	}
	for _, v := range []string{"3", "4.0", "", "x"} {
		if r, ok := catalog.Line(runtimes.Python, v); ok {
			t.Errorf("Python %q → line %s; want none", v, r.Line)
		}
	}
	// Go 1.25 is past its end of life since Go 1.27 came out.
	r, _ := catalog.Line(runtimes.Go, "1.25")
	if r.EOL.Format(time.DateOnly) != "2026-08-18" {
		t.Errorf("Go 1.25 EOL = %s, want 2026-08-18 (Go 1.27's release)", r.EOL.Format(time.DateOnly))
	}
	// Before Node 26's LTS start, lts/* was 24.
	before := runtimes.On(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	if got, _ := before.Node("lts/*"); got.Version != "24.22.3" {
		t.Errorf("lts/* on 2026-10-01 → %s, want 24.22.3", got.Version)
	}
}

func TestCatalog_Supported(t *testing.T) {
	var lines []string
	for _, r := range catalog.Supported(runtimes.Node) {
		lines = append(lines, r.Line)
	}
	if strings.Join(lines, " ") != "26 24 22" {
		t.Errorf("supported Node lines = %v, want 26 24 22", lines)
	}
	lines = nil
	for _, r := range catalog.Supported(runtimes.Go) {
		lines = append(lines, r.Line)
	}
	if strings.Join(lines, " ") != "1.27 1.26" {
		t.Errorf("supported Go lines = %v, want 1.27 1.26", lines)
	}
}

// TestCatalog_RealWorldCorpus resolves what the repositories of
// testdata/init-corpus declare (at the commits their SOURCE files pin).
func TestCatalog_RealWorldCorpus(t *testing.T) {
	for _, tc := range []struct {
		repo, file, value string
		want
	}{
		{"ardanlabs/service", "go.mod", "1.26.0", want{"1.27.4", false, ""}},
		{"GoogleCloudPlatform/microservices-demo", "go.mod", "1.25.0", want{"1.27.4", false, ""}}, // with toolchain go1.26.5, below
		{"mmorejon/microservices-docker-go-mongodb", "go.mod", "1.19", want{"1.27.4", false, ""}},
		{"xesina/golang-echo-realworld-example-app", "go.mod", "1.12", want{"1.27.4", false, ""}},
		{"hagopj13/node-express-boilerplate", "package.json", ">=12.0.0", want{"24.22.3", false, ""}},
		{"microsoft/TypeScript-Node-Starter", "package.json", ">=14.0.0", want{"24.22.3", false, ""}},
		{"notiz-dev/nestjs-prisma-starter", ".node-version", "18.16.1", want{"18.16.1", true, "move to Node 24"}},
		{"shadcn-ui/taxonomy", ".nvmrc", "v16.18.0", want{"16.18.0", true, ""}},
		{"heroku/python-getting-started", ".python-version", "# The Python version to use for the project.\n3.14\n", want{"3.14.7", false, ""}},
		{"fastapi/full-stack-fastapi-template", "pyproject.toml", ">=3.10,<4.0", want{"3.13.15", false, ""}},
		{"lnbits/lnbits", "pyproject.toml", ">=3.10,<3.13", want{"3.12.13", false, ""}},
		{"nsidnev/fastapi-realworld-example-app", "pyproject.toml", "^3.9", want{"3.13.15", false, ""}},
	} {
		rt := map[string]runtimes.Runtime{"go.mod": runtimes.Go, "package.json": runtimes.Node, ".node-version": runtimes.Node,
			".nvmrc": runtimes.Node, ".python-version": runtimes.Python, "pyproject.toml": runtimes.Python}[tc.file]
		got, err := catalog.Declared(rt, tc.file, tc.value)
		check(t, tc.repo+" "+tc.file, got, err, tc.want)
	}
	got, err := catalog.Go("1.25.0", "go1.26.5") // GoogleCloudPlatform/microservices-demo's frontend
	check(t, "go 1.25.0 toolchain go1.26.5", got, err, want{"1.27.4", false, "go 1.25.0, toolchain go1.26.5"})
}
