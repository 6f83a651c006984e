package lint

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"sync"
)

var (
	registryMu sync.RWMutex
	registry   = map[string]Rule{}
	byName     = map[string]Rule{}
	byHadolint = map[string][]Rule{}
)

var (
	idPattern   = regexp.MustCompile(`^(DF|CO|KU|PX|WF|XF)[0-9]{3}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Register adds a rule. It panics on a malformed or duplicate ID or name:
// that is a programming error caught by any test run.
func Register(r Rule) {
	m := r.Info()
	if !idPattern.MatchString(m.ID) {
		panic(fmt.Sprintf("lint: rule ID %q is not of the form DF012", m.ID))
	}
	if !namePattern.MatchString(m.Name) {
		panic(fmt.Sprintf("lint: rule %s name %q is not kebab-case", m.ID, m.Name))
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[m.ID]; dup {
		panic("lint: duplicate rule ID " + m.ID)
	}
	if _, dup := byName[m.Name]; dup {
		panic("lint: duplicate rule name " + m.Name)
	}
	registry[m.ID] = r
	byName[m.Name] = r
	for _, code := range m.Hadolint {
		code = strings.ToUpper(code)
		byHadolint[code] = append(byHadolint[code], r)
	}
}

// List returns every registered rule, sorted by ID.
func List() []Rule {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Info().ID < out[j].Info().ID })
	return out
}

// Lookup finds a rule by ID (any case) or name.
func Lookup(idOrName string) (Rule, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	if r, ok := registry[strings.ToUpper(idOrName)]; ok {
		return r, true
	}
	r, ok := byName[strings.ToLower(idOrName)]
	return r, ok
}

// ByHadolint returns the rules that correspond to a hadolint code such as DL3008.
func ByHadolint(code string) []Rule {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return byHadolint[strings.ToUpper(code)]
}

// RegisterIn adds a rule of an area, its examples taken from the area's
// fixtures (testdata/<ID>/). lang names the examples' syntax when it is not
// the area's own ("" when it is).
func RegisterIn(area Area, lang string, fixtures fs.FS, r Rule) {
	m := r.Info()
	m.Area, m.Lang = area, lang
	m.Bad, m.Good = Examples(fixtures, m.ID)
	Register(r)
}
