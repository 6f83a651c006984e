package detect

import (
	"fmt"
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

// knexMigrateScript is a package.json script that applies knex's
// migrations: "db:migrate": "knex migrate:latest" (gothinkster/koa-knex-
// realworld-example), through npx or not.
var knexMigrateScript = regexp.MustCompile(`^(?:npx\s+)?knex\s+migrate:latest(?:\s+--env\s+production)?\s*$`)

// knexMigrate is the repository applying its migrations with knex's CLI,
// declared as a package.json script, where the app depends on knex and a
// JavaScript knexfile configures it (a TypeScript one needs a loader the
// runtime image does not carry): the release step runs knex's own CLI
// from node_modules with the knexfile in the image.
func (r *repo) knexMigrate(pkg packageJSON) *Evidence {
	if _, ok := pkg.Dependencies["knex"]; !ok {
		return nil
	}
	knexfile := ""
	for _, f := range []string{"knexfile.js", "knexfile.cjs", "knexfile.mjs"} {
		if r.read(f) != nil {
			knexfile = f
			break
		}
	}
	if knexfile == "" {
		return nil
	}
	names := make([]string, 0, len(pkg.Scripts))
	for name := range pkg.Scripts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !knexMigrateScript.MatchString(strings.TrimSpace(pkg.Scripts[name])) {
			continue
		}
		e := r.find("package.json", regexp.MustCompile(`"`+regexp.QuoteMeta(name)+`"\s*:`))
		if e == nil {
			continue
		}
		e.Value, e.Why = "knex", fmt.Sprintf("its %q script runs knex migrate:latest with %s", name, knexfile)
		return e
	}
	return nil
}
