package runtimes

import (
	"time"
)

// Runtime is a language runtime the catalog knows.
type Runtime string

const (
	Python Runtime = "python"
	Node   Runtime = "node"
	Go     Runtime = "go"
	Rust   Runtime = "rust"
)

// Name is the runtime as people write it: Python, Node, Go, Rust.
func (rt Runtime) Name() string {
	switch rt {
	case Python:
		return "Python"
	case Node:
		return "Node"
	case Go:
		return "Go"
	case Rust:
		return "Rust"
	}
	return string(rt)
}

// Release is one release line: Python 3.13, Node 24, Go 1.27, Rust 1.95.
type Release struct {
	Runtime Runtime
	Line    string
	// Newest is the newest release of the line the catalog knows, the one
	// the generator pins; a declared exact version up to it exists.
	Newest   string
	Released time.Time
	// EOL is the day the line stops getting fixes; zero when none is set
	// (Rust; the two newest Go releases).
	EOL time.Time
	// LTSFrom is the day a Node line became long-term support; zero for
	// lines that never do.
	LTSFrom  time.Time
	Codename string
}

// Catalog answers questions about the releases as they stand on one day.
type Catalog struct {
	today time.Time
}

// Today is the catalog judged now.
func Today() Catalog { return On(time.Now()) }

// On is the catalog judged on the given day.
func On(day time.Time) Catalog { return Catalog{today: day} }

// EOL reports whether the line is past its end of life.
func (c Catalog) EOL(r Release) bool { return !r.EOL.IsZero() && !c.today.Before(r.EOL) }

// LTS reports whether a Node line is in long-term support.
func (c Catalog) LTS(r Release) bool {
	return !r.LTSFrom.IsZero() && !c.today.Before(r.LTSFrom) && !c.EOL(r)
}

// released reports whether the line's first release is out.
func (c Catalog) released(r Release) bool { return !c.today.Before(r.Released) }

// Releases lists a runtime's lines that are out, newest first.
func (c Catalog) Releases(rt Runtime) []Release {
	var out []Release
	for _, r := range lines[rt] {
		if c.released(r) {
			out = append(out, r)
		}
	}
	return out
}

// Supported lists a runtime's lines that are out and not past their end
// of life, newest first.
func (c Catalog) Supported(rt Runtime) []Release {
	var out []Release
	for _, r := range c.Releases(rt) {
		if !c.EOL(r) {
			out = append(out, r)
		}
	}
	return out
}

// Line finds the line a version belongs to: "3.8", "3.8.10" and "3.8.*"
// are Python 3.8; "14" and "14.17.0" are Node 14. A version that names
// less than a line (Python "3") finds nothing.
func (c Catalog) Line(rt Runtime, v string) (Release, bool) {
	pv, ok := parseVersion(trimWildcard(v))
	if !ok {
		return Release{}, false
	}
	for _, r := range c.Releases(rt) {
		l := mustLine(r.Line)
		if pv.n >= l.n && pv.hasPrefix(l) {
			return r, true
		}
	}
	return Release{}, false
}

func lineOf(rt Runtime, line string) (Release, bool) {
	for _, r := range lines[rt] {
		if r.Line == line {
			return r, true
		}
	}
	return Release{}, false
}

func trimWildcard(s string) string {
	for _, w := range []string{".*", ".x", ".X"} {
		for len(s) > len(w) && s[len(s)-len(w):] == w {
			s = s[:len(s)-len(w)]
		}
	}
	return s
}
