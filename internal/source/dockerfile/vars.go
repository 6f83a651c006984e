package dockerfile

import (
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// vars is an immutable list of ARG/ENV values; each instruction keeps the list
// in force, so lookups never copy maps.
type vars struct {
	name, value string
	known       bool // false for an ARG declared without a value
	parent      *vars
	escape      rune
}

func (v *vars) with(name, value string, known bool, escape rune) *vars {
	return &vars{name: name, value: value, known: known, parent: v, escape: escape}
}

func (v *vars) lookup(name string) (string, bool) {
	for n := v; n != nil; n = n.parent {
		if n.name == name {
			return n.value, n.known
		}
	}
	return "", false
}

// Get and Keys make vars a shell.EnvGetter.
func (v *vars) Get(name string) (string, bool) { return v.lookup(name) }

func (v *vars) Keys() []string {
	seen := map[string]bool{}
	var out []string
	for n := v; n != nil; n = n.parent {
		if !seen[n.name] {
			seen[n.name] = true
			out = append(out, n.name)
		}
	}
	return out
}

func (v *vars) expand(word string) (string, bool) {
	if !containsDollarOrQuote(word) {
		return word, true
	}
	esc := '\\'
	if v != nil && v.escape != 0 {
		esc = v.escape
	}
	lex := shell.NewLex(esc)
	var env shell.EnvGetter = emptyEnv{}
	if v != nil {
		env = v
	}
	res, err := lex.ProcessWordWithMatches(word, env)
	if err != nil {
		return word, false
	}
	return res.Result, len(res.Unmatched) == 0
}

func containsDollarOrQuote(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '$', '"', '\'', '\\', '`':
			return true
		}
	}
	return false
}

type emptyEnv struct{}

func (emptyEnv) Get(string) (string, bool) { return "", false }
func (emptyEnv) Keys() []string            { return nil }
