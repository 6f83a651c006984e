package runtimes

import "strings"

type op int

const (
	opEQ op = iota // in the line the version names (3.12 → 3.12.*), or exactly a full version
	opNE           // not in it
	opLT
	opLE
	opGT
	opGE
)

// comparator is one bound, normalised by the parser of its syntax: the
// ordering operators always hold full versions, so "<=20" in npm's syntax
// (anything in 20.x) arrives as <21.0.0 and "<=3.12" in PEP 440's (3.12.0
// and below) as <=3.12.0.
type comparator struct {
	op op
	v  version
}

func (c comparator) allows(v version) bool {
	switch c.op {
	case opEQ:
		return v.hasPrefix(c.v)
	case opNE:
		return !v.hasPrefix(c.v)
	case opLT:
		return v.compare(c.v) < 0
	case opLE:
		return v.compare(c.v) <= 0
	case opGT:
		return v.compare(c.v) > 0
	default:
		return v.compare(c.v) >= 0
	}
}

// constraint is a union of intersections of comparators: npm's
// "^18 || >=20 <23", PEP 440's ">=3.10,<3.13" (one intersection).
type constraint struct {
	alts [][]comparator
}

func (c constraint) allows(v version) bool {
	for _, all := range c.alts {
		ok := true
		for _, cmp := range all {
			if !cmp.allows(v) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// named returns the full versions the constraint names as equal or as a
// lower bound: a release the catalog does not list but that exists, since
// a line's releases up to its newest are all published (a declared 3.12.1
// although the catalog pins 3.12.13; ~20.11's 20.11.0).
func (c constraint) named() []version {
	var out []version
	for _, all := range c.alts {
		for _, cmp := range all {
			if (cmp.op == opEQ || cmp.op == opGE) && cmp.v.n == 3 {
				out = append(out, cmp.v)
			}
		}
	}
	return out
}

// single reports whether the constraint is one exact version.
func (c constraint) single() bool {
	return len(c.alts) == 1 && len(c.alts[0]) == 1 && c.alts[0][0].op == opEQ && c.alts[0][0].v.n == 3
}

func anyVersion() constraint { return constraint{alts: [][]comparator{{}}} }

func atLeast(v version) constraint {
	return constraint{alts: [][]comparator{{{op: opGE, v: full(v)}}}}
}

// full fills a partial version's missing parts with zeros.
func full(v version) version {
	v.n = 3
	return v
}

// splitOr splits on "||", trimming each side.
func splitOr(s string) []string {
	parts := strings.Split(s, "||")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// nextClause reads one comparison off the front of a constraint: its
// operator (the first of ops it starts with; "" when none), its version token,
// and what is left.
func nextClause(s string, ops []string) (op, tok, rest string) {
	for _, o := range ops {
		if strings.HasPrefix(s, o) {
			op = o
			break
		}
	}
	s = strings.TrimLeft(s[len(op):], " \t")
	end := strings.IndexAny(s, " \t,")
	if end < 0 {
		end = len(s)
	}
	return op, s[:end], s[end:]
}
