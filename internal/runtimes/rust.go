package runtimes

import (
	"fmt"
	"strings"
)

// RustVersion resolves Cargo.toml's rust-version, the oldest Rust that
// builds the package: any newer stable does too, so the default stable
// when it is new enough, else the newest release that is.
func (c Catalog) RustVersion(msrv string) (Resolution, error) {
	declared := cleanDeclared(msrv)
	v, ok := parseVersion(declared)
	if !ok || v.n < 2 || strings.HasPrefix(declared, "v") {
		return Resolution{}, fmt.Errorf("rust-version %q: %w (want 1.82 or 1.82.0)", declared, ErrSyntax)
	}
	res, err := c.resolve(Rust, declared, atLeast(v))
	if err != nil {
		return Resolution{}, err
	}
	res.Declared = "rust-version " + declared
	res.Why = fmt.Sprintf("rust-version %s is the oldest Rust that builds the package and newer stables build it too: %s", declared, res.Version)
	if res.Release.Line == c.defaultLine(Rust).Line {
		res.Why += ", the default stable"
	}
	return res, nil
}

// RustToolchain resolves a rust-toolchain(.toml) channel: "stable" is the
// default stable, "1.82" the newest 1.82 release, "1.82.0" exactly that.
// Beta and nightly channels have no image to pin.
func (c Catalog) RustToolchain(channel string) (Resolution, error) {
	declared := cleanDeclared(channel)
	name := strings.ToLower(declared)
	if i := strings.IndexByte(name, '-'); i >= 0 && name != "" && (name[0] < '0' || name[0] > '9') {
		name = name[:i] // stable-x86_64-unknown-linux-gnu
	}
	switch name {
	case "stable":
		res := c.Default(Rust)
		res.Declared = declared
		res.Why = fmt.Sprintf("channel %s: Rust %s, the default stable", declared, res.Version)
		return res, nil
	case "beta", "nightly":
		return Resolution{}, fmt.Errorf("rust-toolchain channel %q: %w (official rust images are stable releases)", declared, ErrUnpinnable)
	}
	v, ok := parseVersion(declared)
	if !ok || v.n < 2 {
		return Resolution{}, fmt.Errorf("rust-toolchain channel %q: %w (want stable, 1.82 or 1.82.0)", declared, ErrSyntax)
	}
	res, err := c.resolve(Rust, declared, constraint{alts: [][]comparator{{{op: opEQ, v: v}}}})
	if err != nil {
		return Resolution{}, err
	}
	res.Why = fmt.Sprintf("rust-toolchain pins channel %s: %s", declared, res.Version)
	return res, nil
}
