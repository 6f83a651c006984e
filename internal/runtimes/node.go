package runtimes

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Node resolves what a Node project declares: an npm semver range as in
// package.json's engines ("^18 || ^20", ">=20 <23", "18.x", "~20.11",
// "16 - 20") or what nvm reads from .nvmrc and .node-version ("22",
// "v22.11.0", "lts/*", "lts/iron", "lts/-1", "node").
func (c Catalog) Node(spec string) (Resolution, error) {
	declared := cleanDeclared(spec)
	if line, why, ok, err := c.nodeAlias(declared); ok || err != nil {
		if err != nil {
			return Resolution{}, err
		}
		res, err := c.resolve(Node, declared, constraint{alts: [][]comparator{{{op: opEQ, v: mustLine(line.Line)}}}})
		if err == nil {
			res.Why = why + " (" + c.Support(res.Release) + ")"
			if res.EOL {
				res.Why = why + "; " + c.moveOn(res.Release)
			}
		}
		return res, err
	}
	con, err := parseNode(declared)
	if err != nil {
		return Resolution{}, err
	}
	return c.resolve(Node, declared, con)
}

var ltsOffset = regexp.MustCompile(`^lts/-(\d+)$`)

// nodeAlias reads nvm's aliases: node, stable, latest, current (the newest
// line), lts/* (the newest LTS line), lts/-N (the Nth before it) and
// lts/<codename>.
func (c Catalog) nodeAlias(s string) (Release, string, bool, error) {
	a := strings.ToLower(s)
	switch a {
	case "node", "stable", "latest", "current":
		r := c.Releases(Node)[0]
		return r, fmt.Sprintf("%s: the newest Node line, %s", s, r.Line), true, nil
	case "system", "iojs":
		return Release{}, "", false, fmt.Errorf("node %q: %w", s, ErrUnpinnable)
	}
	rest, ok := strings.CutPrefix(a, "lts/")
	if !ok {
		if a == "lts" {
			rest, ok = "*", true
		} else {
			return Release{}, "", false, nil
		}
	}
	var lts []Release
	for _, r := range c.Releases(Node) {
		if !r.LTSFrom.IsZero() && !c.today.Before(r.LTSFrom) {
			lts = append(lts, r)
		}
	}
	if rest == "*" {
		return lts[0], fmt.Sprintf("%s: the newest LTS line, Node %s", s, lts[0].Line), true, nil
	}
	if m := ltsOffset.FindStringSubmatch(a); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n >= len(lts) {
			return Release{}, "", false, fmt.Errorf("node %q: %w", s, ErrNoRelease)
		}
		return lts[n], fmt.Sprintf("%s: the LTS line %d before the newest, Node %s", s, n, lts[n].Line), true, nil
	}
	for _, r := range lts {
		if r.Codename != "" && r.Codename == rest {
			return r, fmt.Sprintf("%s: Node %s's LTS codename", s, r.Line), true, nil
		}
	}
	return Release{}, "", false, fmt.Errorf("node %q: %w: no LTS line is called %q", s, ErrNoRelease, rest)
}

var hyphenRange = regexp.MustCompile(`^(\S+)\s+-\s+(\S+)$`)

func parseNode(s string) (constraint, error) {
	if s == "" {
		return constraint{}, fmt.Errorf("node %q: %w: empty", s, ErrSyntax)
	}
	var con constraint
	for _, alt := range splitOr(s) {
		var all []comparator
		var err error
		if m := hyphenRange.FindStringSubmatch(alt); m != nil {
			all, err = nodeHyphen(m[1], m[2])
		} else {
			all, err = nodeClauses(alt)
		}
		if err != nil {
			return constraint{}, fmt.Errorf("node %q: %w: %v", s, ErrSyntax, err)
		}
		con.alts = append(con.alts, all)
	}
	return con, nil
}

var nodeOps = []string{"<=", ">=", "~>", "<", ">", "=", "~", "^"}

func nodeClauses(s string) ([]comparator, error) {
	var out []comparator
	rest := s
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			return out, nil
		}
		var opText, tok string
		opText, tok, rest = nextClause(rest, nodeOps)
		if tok == "" {
			return nil, fmt.Errorf("%q has no version", opText)
		}
		v, err := nodePartial(tok)
		if err != nil {
			return nil, err
		}
		out = append(out, nodeClause(opText, v)...)
	}
}

// nodePartial reads a version whose missing or x parts are wildcards:
// "18", "18.x", "v18.17.1", "*"; pre-release and build suffixes are
// dropped.
func nodePartial(tok string) (version, error) {
	t := strings.TrimPrefix(strings.TrimPrefix(tok, "="), "v")
	if i := strings.IndexAny(t, "-+"); i >= 0 {
		t = t[:i]
	}
	var kept []string
	for _, p := range strings.Split(t, ".") {
		if p == "x" || p == "X" || p == "*" {
			break
		}
		kept = append(kept, p)
	}
	if len(kept) == 0 {
		return version{}, nil // n == 0: any version
	}
	v, ok := parseVersion(strings.Join(kept, "."))
	if !ok {
		return version{}, fmt.Errorf("%q is not a version", tok)
	}
	return v, nil
}

// nodeClause normalises one comparator the way node-semver does.
func nodeClause(opText string, v version) []comparator {
	if v.n == 0 { // *, x: anything; <* matches nothing
		if opText == "<" || opText == ">" {
			return []comparator{{op: opLT, v: version{n: 3}}}
		}
		return nil
	}
	switch opText {
	case "", "=":
		return []comparator{{op: opEQ, v: v}}
	case ">=":
		return []comparator{{op: opGE, v: full(v)}}
	case ">":
		if v.n < 3 {
			return []comparator{{op: opGE, v: v.bump()}}
		}
		return []comparator{{op: opGT, v: v}}
	case "<":
		return []comparator{{op: opLT, v: full(v)}}
	case "<=":
		if v.n < 3 {
			return []comparator{{op: opLT, v: v.bump()}}
		}
		return []comparator{{op: opLE, v: v}}
	case "~", "~>":
		limit := v
		if limit.n > 2 {
			limit.n = 2
		}
		return []comparator{{op: opGE, v: full(v)}, {op: opLT, v: limit.bump()}}
	default: // ^
		return []comparator{{op: opGE, v: full(v)}, {op: opLT, v: caretLimit(v)}}
	}
}

// nodeHyphen reads "A - B": at least A, at most B (all of B's line when B
// is partial).
func nodeHyphen(a, b string) ([]comparator, error) {
	lo, err := nodePartial(a)
	if err != nil {
		return nil, err
	}
	hi, err := nodePartial(b)
	if err != nil {
		return nil, err
	}
	var out []comparator
	if lo.n > 0 {
		out = append(out, comparator{op: opGE, v: full(lo)})
	}
	switch {
	case hi.n == 0:
	case hi.n < 3:
		out = append(out, comparator{op: opLT, v: hi.bump()})
	default:
		out = append(out, comparator{op: opLE, v: hi})
	}
	return out, nil
}

// NodeAllows reports whether an exact Node version (16.16.0, v20.11.1)
// satisfies a range as package.json's engines writes it (>=20.x); ok is
// false where either does not parse, or v is no full version (an .nvmrc
// of lts/* or 20).
func NodeAllows(spec, v string) (allows, ok bool) {
	con, err := parseNode(spec)
	if err != nil {
		return false, false
	}
	ver, err := nodePartial(v)
	if err != nil || ver.n != 3 {
		return false, false
	}
	return con.allows(ver), true
}
