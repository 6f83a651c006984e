package runtimes

import (
	"fmt"
	"regexp"
	"strings"
)

// goVersion reads go.mod's go line ("1.22", "1.22.3", "1.21rc2") and a
// toolchain name ("go1.23.4"); a pre-release counts as its release.
var goVersion = regexp.MustCompile(`^(?:go)?(\d+\.\d+(?:\.\d+)?)(?:(?:rc|beta)\d+)?$`)

// Go resolves go.mod's go and toolchain lines. Both are minimums: the go
// line is the oldest Go that may build the module and Go 1 releases build
// the code of older ones (the go line keeps its language semantics), and
// the toolchain line is the oldest toolchain the go command accepts. So
// the module gets the default, the newest Go, when it is at least both.
func (c Catalog) Go(goLine, toolchain string) (Resolution, error) {
	goLine, toolchain = strings.TrimSpace(goLine), strings.TrimSpace(toolchain)
	if goLine == "" && toolchain == "" {
		return c.Default(Go), nil
	}
	var floor version
	var parts []string
	for _, s := range []struct{ text, what string }{{goLine, "go "}, {toolchain, "toolchain "}} {
		if s.text == "" || s.text == "default" || s.text == "local" {
			continue
		}
		m := goVersion.FindStringSubmatch(s.text)
		if m == nil {
			return Resolution{}, fmt.Errorf("go.mod %s%q: %w", s.what, s.text, ErrSyntax)
		}
		v, _ := parseVersion(m[1])
		if full(v).compare(full(floor)) > 0 {
			floor = full(v)
		}
		parts = append(parts, s.what+s.text)
	}
	if len(parts) == 0 {
		return c.Default(Go), nil
	}
	declared := strings.Join(parts, ", ")
	res, err := c.resolve(Go, declared, atLeast(floor))
	if err != nil {
		return Resolution{}, err
	}
	which := "the newest release satisfying it"
	if res.Release.Line == c.Releases(Go)[0].Line {
		which = "the newest release"
	}
	res.Why = fmt.Sprintf("go.mod asks for at least Go %s (%s) and Go is backwards compatible: %s, %s (%s)",
		floor, declared, res.Version, which, c.Support(res.Release))
	return res, nil
}
