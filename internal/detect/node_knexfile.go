package detect

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
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
// realworld-example), through npx or not, with knex's options
// (0xvoider42/CMWAPP-API's --knexfile knexfile.js).
var knexMigrateScript = regexp.MustCompile(`^(?:npx\s+)?knex\s+migrate:latest((?:\s+(?:--knexfile[= ][\w./-]+|--env[= ]production))*)\s*$`)

// knexMigrateAny is any script running knex migrate:latest.
var knexMigrateAny = regexp.MustCompile(`\bknex\s+migrate:latest\b`)

// knexfileOption is the knexfile a script names: --knexfile src/knexfile.js.
var knexfileOption = regexp.MustCompile(`--knexfile[= ]\.?/?([\w./-]+)`)

var (
	// knexMigrationsBlock opens a knexfile's migrations block:
	// migrations: {.
	knexMigrationsBlock = regexp.MustCompile(`^\s*['"]?migrations['"]?\s*:\s*\{`)
	// knexMigrationsDir is the directory the block names: directory:
	// 'src/migrations'.
	knexMigrationsDir = regexp.MustCompile(`^\s*directory\s*:\s*['"]\.?/?([\w.-]+(?:/[\w.-]+)*)['"]`)
)

// knexMigrate is the repository applying its migrations with knex's CLI:
// the app depends on knex, a JavaScript knexfile configures it (a
// TypeScript one needs a loader the runtime image does not carry), and
// either a package.json script runs `knex migrate:latest` or the
// directory the knexfile's migrations read (knex's default, migrations/:
// aldrichvalentino/node-postgres's server/, whose README says to run it)
// holds JavaScript migrations. The release step runs knex's own CLI from
// node_modules with that knexfile. The second result is the knexfile,
// the third the migrations' directory, both for a TypeScript build's
// image to carry.
func (r *repo) knexMigrate(pkg packageJSON) (*Evidence, *Evidence, *Evidence) {
	if _, ok := pkg.Dependencies["knex"]; !ok {
		return nil, nil, nil
	}
	// The script that runs knex's CLI, and the knexfile it names (the
	// root's by default). Another option (a migrations directory or
	// table of its own, another environment) is none: the step would
	// apply them elsewhere.
	script, scriptFile := "", ""
	for _, name := range slices.Sorted(maps.Keys(pkg.Scripts)) {
		m := knexMigrateScript.FindStringSubmatch(strings.TrimSpace(pkg.Scripts[name]))
		if m == nil {
			if knexMigrateAny.MatchString(pkg.Scripts[name]) {
				return nil, nil, nil // with options the step would not carry
			}
			continue
		}
		script = name
		if f := knexfileOption.FindStringSubmatch(m[1]); f != nil {
			scriptFile = path.Clean(f[1])
		}
		break
	}
	knexfile := ""
	candidates := []string{"knexfile.js", "knexfile.cjs"}
	if scriptFile != "" {
		candidates = []string{scriptFile}
	}
	for _, f := range candidates {
		if (strings.HasSuffix(f, ".js") || strings.HasSuffix(f, ".cjs")) && plainDir.MatchString(f) && !strings.HasPrefix(f, "..") && r.read(f) != nil {
			knexfile = f
			break
		}
	}
	if knexfile == "" {
		return nil, nil, nil
	}
	dir, dirLine := "migrations", 0
	// The directory of the migrations block, not the seeds' (social-
	// knax-postgres's seeds: { directory: './seeds' }): from the
	// block's opening to the brace that closes it.
	depth := 0
	for i, l := range r.read(knexfile) {
		inside := depth > 0
		if !inside {
			loc := knexMigrationsBlock.FindStringIndex(l)
			if loc == nil {
				continue
			}
			// The block may open and close on its line:
			// migrations: { directory: './db/migrations' }.
			l = l[loc[1]:]
			depth = 1
		}
		if m := knexMigrationsDir.FindStringSubmatch(l); m != nil {
			if d := path.Clean(m[1]); plainDir.MatchString(d) && !strings.HasPrefix(d, "..") && !strings.Contains(d, "/../") {
				dir, dirLine = d, i+1
			}
			break
		}
		if depth += strings.Count(l, "{") - strings.Count(l, "}"); depth <= 0 {
			depth = 0
		}
	}
	// knex's CLI runs in the knexfile's directory: its paths are from there.
	dir = path.Join(path.Dir(knexfile), dir)
	entries, err := os.ReadDir(filepath.Join(r.dir, filepath.FromSlash(dir)))
	if err != nil {
		return nil, nil, nil
	}
	js := false
	for _, e := range entries {
		switch ext := filepath.Ext(e.Name()); {
		case e.IsDir():
		case ext == ".js" || ext == ".cjs":
			js = true
		case ext == ".ts" || ext == ".mjs":
			return nil, nil, nil // knex's CLI would need a loader or ESM config
		}
	}
	if !js {
		return nil, nil, nil
	}
	file := &Evidence{Value: knexfile, File: knexfile, Why: "knex's CLI reads it"}
	migrations := &Evidence{Value: dir, File: knexfile, Line: dirLine, Why: "knex's CLI reads the migrations there"}
	if script != "" {
		if e := r.packageKey(script); e != nil {
			e.Value, e.Why = "knex", fmt.Sprintf("its %q script runs knex migrate:latest with %s", script, knexfile)
			return e, file, migrations
		}
	}
	at := &Evidence{Value: "knex", File: knexfile, Line: dirLine, Why: fmt.Sprintf("%s configures knex, whose migrations are the JavaScript files in %s/", knexfile, dir)}
	return at, file, migrations
}
