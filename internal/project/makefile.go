package project

import (
	"regexp"
	"strings"
)

// makeVarRef is a make variable's reference inside a value: $(GO_FLAGS),
// ${GO_TAGS}.
var makeVarRef = regexp.MustCompile(`\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]`)

// MakeValues are the values a Makefile's lines assign its variables (=,
// :=, ?=; the first assignment).
func MakeValues(lines []string) map[string]string {
	values := map[string]string{}
	for _, l := range lines {
		if m := makeAssign.FindStringSubmatch(l); m != nil {
			if _, ok := values[m[1]]; !ok {
				values[m[1]] = strings.TrimSpace(m[2])
			}
		}
	}
	return values
}

// MakeExpand replaces the references to a Makefile's variables in s
// ($(GO_FLAGS), ${IMAGE}) with values (MakeValues), through a few levels;
// one it does not assign stays as written.
func MakeExpand(values map[string]string, s string) string {
	for range 4 {
		// Bounded as it is built: a hostile Makefile's value that names
		// another many times must not grow the line past a few KiB.
		var b strings.Builder
		last, over := 0, false
		for _, m := range makeVarRef.FindAllStringSubmatchIndex(s, -1) {
			v, ok := values[s[m[2]:m[3]]]
			if !ok {
				continue
			}
			b.WriteString(s[last:m[0]])
			b.WriteString(v)
			last = m[1]
			if b.Len() > MaxMakeLine {
				over = true
				break
			}
		}
		if over || last == 0 {
			break
		}
		b.WriteString(s[last:])
		if b.Len() > MaxMakeLine {
			break
		}
		s = b.String()
	}
	return s
}

// MaxMakeLine bounds a Makefile line as MakeExpand writes it.
const MaxMakeLine = 4096

// makeAssign assigns a Makefile variable: GO_TAGS = a b, X := y, Y ?= z.
var makeAssign = regexp.MustCompile(`^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*[:?]?=\s*(.*)$`)
