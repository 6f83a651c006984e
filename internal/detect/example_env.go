package detect

import (
	"regexp"
	"strings"
)

// exampleEnvLine is a KEY=VALUE line of an example env file, with the
// value it gives (quotes and a trailing comment aside).
var exampleEnvLine = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s#]*))`)

// exampleEnv is what the repository's example env file documents, the
// file init --verify gives its run (the first of ExampleEnvFiles that sets
// a value): one piece of evidence per variable, Value its name, Why the
// line as written. nil when the file is .env.example, which init extends
// in place, or a committed .env, which compose reads as it is.
func (r *repo) exampleEnv() []Evidence {
	for _, f := range ExampleEnvFiles {
		var vars []Evidence
		valued := false
		for i, line := range r.read(f) {
			m := exampleEnvLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			valued = valued || m[2]+m[3]+m[4] != ""
			vars = append(vars, Evidence{Value: m[1], File: f, Line: i + 1, Why: strings.TrimSpace(line)})
		}
		if !valued {
			continue
		}
		if f == ".env.example" || f == ".env" {
			return nil
		}
		return vars
	}
	return nil
}
