package detect

import (
	"regexp"
	"sort"
	"strings"
)

var (
	// knexExport is a knexfile's exported object: module.exports = { or
	// export default {.
	knexExport = regexp.MustCompile(`^\s*(?:module\.exports\s*=|export\s+default)\s*\{\s*$`)
	// knexEnvKey is a key of that object, two spaces in: development: {.
	knexEnvKey = regexp.MustCompile(`^ {2}['"]?(\w+)['"]?\s*:\s*\{`)
	// knexEnvNames are the names environments go by.
	knexEnvNames = regexp.MustCompile(`^(?:development|dev|test|testing|staging|local|production|prod)$`)
)

// knexWithoutProduction is a knexfile whose exported object is keyed by
// environment and has no production entry (mjhea0/node-koa-api's has test
// and development): the image runs NODE_ENV=production, and the code that
// picks knexfile[NODE_ENV] gets nothing ("Cannot read properties of
// undefined (reading 'client')", which verify could not explain). Value
// is the keys it has.
func (r *repo) knexWithoutProduction() *Evidence {
	for _, f := range []string{"knexfile.js", "knexfile.cjs", "knexfile.mjs", "knexfile.ts"} {
		lines := r.read(f)
		for i, line := range lines {
			if !knexExport.MatchString(line) {
				continue
			}
			var keys []string
			for _, l := range lines[i+1:] {
				if strings.HasPrefix(l, "}") {
					break
				}
				if m := knexEnvKey.FindStringSubmatch(l); m != nil {
					keys = append(keys, m[1])
				}
			}
			if len(keys) == 0 {
				return nil
			}
			for _, k := range keys {
				if !knexEnvNames.MatchString(k) {
					return nil // not keyed by environment
				}
				if k == "production" {
					return nil
				}
			}
			sort.Strings(keys)
			return &Evidence{Value: strings.Join(keys, ", "), File: f, Line: i + 1, Why: "knex configurations by environment, none for production"}
		}
	}
	return nil
}
