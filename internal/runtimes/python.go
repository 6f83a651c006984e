package runtimes

import (
	"fmt"
	"strings"
)

// Python resolves what a Python project declares: a PEP 440 specifier set
// (requires-python ">=3.10,<3.13", "~=3.11", "==3.12.*"), Poetry's
// syntax ("^3.11", "~3.11", ">=3.9 <3.13", "^3.10 || ^3.11"), or a plain
// version (.python-version and Pipfile's python_version "3.12" meaning any
// 3.12, runtime.txt's "python-3.11.4"). Comparisons follow PEP 440: "3.12"
// after an operator is 3.12.0, so "<=3.12" excludes 3.12.7.
func (c Catalog) Python(spec string) (Resolution, error) {
	con, err := parsePython(spec)
	if err != nil {
		return Resolution{}, err
	}
	return c.resolve(Python, cleanDeclared(spec), con)
}

func parsePython(spec string) (constraint, error) {
	s := cleanDeclared(spec)
	lower := strings.ToLower(s)
	for _, p := range []string{"cpython-", "python-", "python"} {
		if rest, ok := strings.CutPrefix(lower, p); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			s = s[len(p):]
			break
		}
	}
	if lower == "system" || strings.HasPrefix(lower, "pypy") || strings.HasPrefix(lower, "graalpy") {
		return constraint{}, fmt.Errorf("python %q: %w (no official python image runs it)", s, ErrUnpinnable)
	}
	if s == "" {
		return constraint{}, fmt.Errorf("python %q: %w: empty", spec, ErrSyntax)
	}
	var con constraint
	for _, alt := range splitOr(s) {
		all, err := parsePythonClauses(alt)
		if err != nil {
			return constraint{}, fmt.Errorf("python %q: %w: %v", s, ErrSyntax, err)
		}
		con.alts = append(con.alts, all)
	}
	return con, nil
}

var pythonOps = []string{"===", "==", "!=", "~=", "<=", ">=", "<", ">", "^", "~", "="}

// parsePythonClauses reads comparators separated by commas or spaces.
func parsePythonClauses(s string) ([]comparator, error) {
	var out []comparator
	rest := s
	n := 0
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			break
		}
		n++
		var opText, tok string
		opText, tok, rest = nextClause(rest, pythonOps)
		cmps, err := pythonClause(opText, tok)
		if err != nil {
			return nil, err
		}
		out = append(out, cmps...)
	}
	if n == 0 {
		return nil, fmt.Errorf("no version in %q", s)
	}
	return out, nil
}

func pythonClause(opText, tok string) ([]comparator, error) {
	if tok == "*" {
		if opText == "" || opText == "==" || opText == "=" {
			return nil, nil
		}
		return nil, fmt.Errorf("%s* is not a version", opText)
	}
	wild := strings.HasSuffix(tok, ".*")
	v, ok := parseVersion(strings.TrimSuffix(tok, ".*"))
	if !ok || strings.HasPrefix(tok, "v") || strings.HasPrefix(tok, "go") {
		return nil, fmt.Errorf("%q is not a version", tok)
	}
	switch opText {
	case "", "=":
		return []comparator{{op: opEQ, v: v}}, nil
	case "==":
		if !wild {
			v = full(v)
		}
		return []comparator{{op: opEQ, v: v}}, nil
	case "===":
		return []comparator{{op: opEQ, v: full(v)}}, nil
	case "!=":
		if !wild {
			v = full(v)
		}
		return []comparator{{op: opNE, v: v}}, nil
	case "~=":
		if v.n < 2 || wild {
			return nil, fmt.Errorf("~=%s needs two or more parts", tok)
		}
		prefix := v
		prefix.n--
		return []comparator{{op: opGE, v: full(v)}, {op: opEQ, v: prefix}}, nil
	case "^":
		return []comparator{{op: opGE, v: full(v)}, {op: opLT, v: caretLimit(v)}}, nil
	case "~":
		limit := v
		if limit.n > 2 {
			limit.n = 2
		}
		return []comparator{{op: opGE, v: full(v)}, {op: opLT, v: limit.bump()}}, nil
	case "<":
		return []comparator{{op: opLT, v: full(v)}}, nil
	case "<=":
		return []comparator{{op: opLE, v: full(v)}}, nil
	case ">":
		return []comparator{{op: opGT, v: full(v)}}, nil
	default: // >=
		return []comparator{{op: opGE, v: full(v)}}, nil
	}
}

// caretLimit is the first version a caret range excludes: ^3.11 → 4.0.0,
// ^0.2 → 0.3.0, ^0.0.3 → 0.0.4.
func caretLimit(v version) version {
	switch {
	case v.major > 0 || v.n == 1:
		return version{major: v.major + 1, n: 3}
	case v.minor > 0 || v.n == 2:
		return version{minor: v.minor + 1, n: 3}
	}
	return version{patch: v.patch + 1, n: 3}
}

// cleanDeclared is the constraint as declared, without quotes, surrounding
// space, comments or the lines after the first that says something
// (.python-version may start with a comment and list several versions).
func cleanDeclared(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			return strings.TrimSpace(strings.Trim(line, `"'`))
		}
	}
	return ""
}
