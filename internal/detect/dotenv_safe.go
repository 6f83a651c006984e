package detect

import (
	"regexp"
	"strings"
)

var (
	// dotenvSafe loads dotenv-safe, which exits unless every key of the
	// example file is set (empty keys included).
	dotenvSafe = regexp.MustCompile(`require\(\s*['"]dotenv-safe['"]\s*\)|from\s+['"]dotenv-safe['"]`)
	// dotenvSafeExample is the example file it was given instead of
	// .env.example.
	dotenvSafeExample = regexp.MustCompile(`example\s*:\s*(?:path\.join\([^)]*['"]([\w./-]+)['"]\s*\)|['"]([\w./-]+)['"])`)
)

// dotenvSafeKeys are the variables dotenv-safe makes required: every key
// of the example file (.env.example unless the call names another),
// where the code loads it (danielfsousa/express-rest-boilerplate's
// src/config/vars.js: its empty EMAIL_* keys stop the app unset). Those
// in known are left out.
func (r *repo) dotenvSafeKeys(known []Evidence) []Evidence {
	var at *Evidence
	example := ".env.example"
	for _, f := range r.codeFiles() {
		if e := r.findCode(f, dotenvSafe); e != nil {
			at = e
			for _, line := range r.read(f) {
				if m := dotenvSafeExample.FindStringSubmatch(line); m != nil {
					name := m[1] + m[2]
					if i := strings.LastIndex(name, "/"); i >= 0 {
						name = name[i+1:]
					}
					example = name
				}
			}
			break
		}
	}
	if at == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, e := range known {
		seen[e.Value] = true
	}
	var out []Evidence
	for i, line := range r.read(example) {
		name, _, ok := EnvAssignment(line)
		if !ok || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, Evidence{Value: name, File: example, Line: i + 1, Why: "dotenv-safe (" + at.Where() + ") exits unless every key of " + example + " is set"})
	}
	return out
}
