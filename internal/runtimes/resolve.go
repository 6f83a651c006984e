package runtimes

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

var (
	// ErrSyntax: the constraint is not one the runtime's tools accept.
	ErrSyntax = errors.New("unreadable version constraint")
	// ErrNoRelease: no release the catalog knows satisfies the constraint.
	ErrNoRelease = errors.New("no known release satisfies it")
	// ErrUnpinnable: the constraint names a moving channel no image is
	// published for (Rust nightly or beta, nvm's system).
	ErrUnpinnable = errors.New("names no release an image can pin")
)

// Resolution is an exact release chosen for what a project declares.
type Resolution struct {
	Runtime Runtime
	// Version is the exact release to pin: 3.13.15, 24.22.3.
	Version string
	// Release is its line.
	Release Release
	// EOL is set when only end-of-life lines satisfy the constraint: the
	// project gets the newest release of one, and init says so.
	EOL bool
	// Declared is the constraint as written; "" when nothing was.
	Declared string
	// Why says how Version was chosen, for init's evidence.
	Why string
}

// Default is the resolution for a project that declares nothing.
func (c Catalog) Default(rt Runtime) Resolution {
	r := c.defaultLine(rt)
	return Resolution{Runtime: rt, Version: r.Newest, Release: r, EOL: c.EOL(r),
		Why: fmt.Sprintf("nothing declared: %s %s, the default (%s)", rt.Name(), r.Line, c.Support(r))}
}

func (c Catalog) defaultLine(rt Runtime) Release {
	r, _ := lineOf(rt, defaults[rt])
	return r
}

// Declared resolves a version a file declares, reading it the way that
// file's tools do: pyproject.toml, setup.py, setup.cfg, Pipfile,
// .python-version and runtime.txt as Python specifiers; package.json,
// .nvmrc and .node-version as npm ranges and nvm aliases; go.mod's go line
// as a minimum (a toolchain line as "go1.23.4" or "toolchain go1.23.4");
// Cargo.toml's rust-version as a minimum; rust-toolchain(.toml) as a
// channel. An empty value is the default.
func (c Catalog) Declared(rt Runtime, file, value string) (Resolution, error) {
	if strings.TrimSpace(value) == "" {
		return c.Default(rt), nil
	}
	switch rt {
	case Python:
		return c.Python(value)
	case Node:
		return c.Node(value)
	case Go:
		v := strings.TrimSpace(value)
		if t, ok := strings.CutPrefix(v, "toolchain "); ok {
			return c.Go("", t)
		}
		if strings.HasPrefix(v, "go1") { // a toolchain name
			return c.Go("", v)
		}
		return c.Go(strings.TrimSpace(strings.TrimPrefix(v, "go ")), "")
	case Rust:
		if strings.HasPrefix(path.Base(file), "rust-toolchain") {
			return c.RustToolchain(value)
		}
		return c.RustVersion(value)
	}
	return Resolution{}, fmt.Errorf("%s: unknown runtime %q", file, rt)
}

// resolve picks the release for a constraint: the default line when the
// constraint admits it (it is the release shipshape recommends and its
// images are the ones proven), else the newest supported release that
// satisfies it, else the newest end-of-life one, flagged.
func (c Catalog) resolve(rt Runtime, declared string, con constraint) (Resolution, error) {
	res := Resolution{Runtime: rt, Declared: declared}
	def := c.defaultLine(rt)
	if v, ok := c.pick(def, con); ok {
		res.Version, res.Release = v, def
		res.Why = fmt.Sprintf("%s %s, the default, satisfies %s (%s)", rt.Name(), def.Line, declared, c.Support(def))
		if con.single() {
			res.Why = fmt.Sprintf("%s exactly as declared (%s)", v, c.Support(def))
		}
		return res, nil
	}
	for _, eol := range []bool{false, true} {
		for _, r := range c.Releases(rt) {
			if c.EOL(r) != eol {
				continue
			}
			v, ok := c.pick(r, con)
			if !ok {
				continue
			}
			res.Version, res.Release, res.EOL = v, r, eol
			switch {
			case con.single():
				res.Why = fmt.Sprintf("%s exactly as declared (%s)", v, c.Support(r))
			case eol:
				res.Why = fmt.Sprintf("only end-of-life releases satisfy %s: %s %s", declared, rt.Name(), v)
				if v == r.Newest {
					res.Why += fmt.Sprintf(", %s %s's last release", rt.Name(), r.Line)
				}
			default:
				res.Why = fmt.Sprintf("newest supported release satisfying %s (%s)", declared, c.Support(r))
			}
			if eol {
				res.Why += "; " + c.moveOn(r)
			}
			return res, nil
		}
	}
	newest := c.Releases(rt)[0]
	return Resolution{}, fmt.Errorf("%s %q: %w (the newest %s the catalog knows is %s)", rt.Name(), declared, ErrNoRelease, rt.Name(), newest.Newest)
}

// pick returns the release of line r that the constraint admits,
// preferring its newest release, then the newest release the constraint
// names.
func (c Catalog) pick(r Release, con constraint) (string, bool) {
	line := mustLine(r.Line)
	if con.allows(mustVersion(r.Newest)) {
		return r.Newest, true
	}
	newest := mustVersion(r.Newest)
	var best version
	for _, v := range con.named() {
		if v.hasPrefix(line) && v.compare(newest) <= 0 && con.allows(v) && v.compare(best) > 0 {
			best = v
		}
	}
	if best.n == 0 {
		return "", false
	}
	return best.String(), true
}

// moveOn says when a line reached its end of life and what to move to.
func (c Catalog) moveOn(r Release) string {
	def := c.defaultLine(r.Runtime)
	return fmt.Sprintf("%s %s reached end of life on %s: move to %s %s (%s)", r.Runtime.Name(), r.Line,
		r.EOL.Format(time.DateOnly), r.Runtime.Name(), def.Line, c.Support(def))
}

// Support says how long a line is supported: "supported until
// 2029-10-01", "end of life since 2025-04-30", or "supported" when no end
// is set.
func (c Catalog) Support(r Release) string {
	switch {
	case r.EOL.IsZero():
		return "supported"
	case c.EOL(r):
		return "end of life since " + r.EOL.Format(time.DateOnly)
	}
	return "supported until " + r.EOL.Format(time.DateOnly)
}
