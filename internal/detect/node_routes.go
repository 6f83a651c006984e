package detect

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	nestGlobalPrefix = regexp.MustCompile(`\.setGlobalPrefix\(\s*([^,)]+?)\s*(?:,\s*(\{.*))?\)`)
	nestDecorator    = regexp.MustCompile(`^\s*@(?:Get|All|Head|Post|Put|Patch|Delete|Options)\(`)
	jsStringLit      = regexp.MustCompile(`^['"` + "`" + `]([^'"` + "`" + `$]*)['"` + "`" + `]$`)
	// process.env.GLOBAL_PREFIX || 'api', process.env.X ?? 'api'
	jsEnvDefault = regexp.MustCompile(`^process\.env\.\w+\s*(?:\|\||\?\?)\s*(['"` + "`" + `][^'"` + "`" + `]*['"` + "`" + `])$`)
	jsQuoted     = regexp.MustCompile(`['"` + "`" + `]([^'"` + "`" + `]*)['"` + "`" + `]`)
	nestExclude  = regexp.MustCompile(`exclude\s*:\s*\[(.*?)\]`)
)

// nestPrefix puts the prefix of NestJS's app.setGlobalPrefix('api') in
// front of each controller route, except the paths its exclude option
// names. With the files of the program the image runs known (run), only
// a call in one of them counts: docmost's collaboration server, another
// program of the same sources, excludes '/' from its prefix, and the API
// server the image runs does not.
func (r *repo) nestPrefix(routes []route, run map[string]bool) {
	prefix, exclude, at := "", []string(nil), ""
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".ts") && !strings.HasSuffix(f, ".js") || run != nil && !run[f] {
			continue
		}
		lines := r.read(f)
		for i := range lines {
			if !strings.Contains(lines[i], "setGlobalPrefix") {
				continue
			}
			call := joinedCall(lines, i)
			m := nestGlobalPrefix.FindStringSubmatch(call)
			if m == nil {
				continue
			}
			p, ok := r.jsString(f, m[1])
			if !ok {
				continue
			}
			prefix, at = p, Evidence{File: f, Line: i + 1}.Where()
			if x := nestExclude.FindStringSubmatch(m[2]); x != nil {
				for _, q := range jsQuoted.FindAllStringSubmatch(x[1], -1) {
					exclude = append(exclude, strings.Trim(q[1], "/"))
				}
			}
			break
		}
		if prefix != "" {
			break
		}
	}
	if strings.Trim(prefix, "/") == "" {
		return
	}
	for i, rt := range routes {
		lines := r.read(rt.File)
		if rt.Line < 1 || rt.Line > len(lines) || !nestDecorator.MatchString(lines[rt.Line-1]) || excluded(rt.Value, exclude) {
			continue
		}
		routes[i].Value = joinPath(prefix, rt.Value)
		routes[i].Why = "under setGlobalPrefix at " + at
	}
}

// excluded reports whether a route is one setGlobalPrefix's exclude
// option names: a path, or a pattern ending in (.*) or *.
func excluded(route string, exclude []string) bool {
	p := strings.Trim(route, "/")
	for _, x := range exclude {
		stem := strings.TrimSuffix(strings.TrimSuffix(x, "(.*)"), "*")
		if p == x || stem != x && strings.HasPrefix(p, strings.Trim(stem, "/")) {
			return true
		}
	}
	return false
}

// jsString evaluates a string expression of a JavaScript file: a literal,
// a constant the file declares, an environment variable's default.
func (r *repo) jsString(file, expr string) (string, bool) {
	expr = strings.TrimSpace(expr)
	if m := jsStringLit.FindStringSubmatch(expr); m != nil {
		return m[1], true
	}
	if m := jsEnvDefault.FindStringSubmatch(expr); m != nil {
		return r.jsString(file, m[1])
	}
	if !regexp.MustCompile(`^[A-Za-z_$][\w$]*$`).MatchString(expr) {
		return "", false
	}
	decl := regexp.MustCompile(`\b(?:const|let|var)\s+` + quoteMeta(expr) + `\s*(?::\s*\w+\s*)?=\s*(.+?);?\s*$`)
	if e := r.find(file, decl); e != nil && e.Value != expr {
		return r.jsString(file, e.Value)
	}
	return "", false
}

// joinedCall is the call starting at line i, joined with the lines it
// spans until its brackets close (up to 20).
func joinedCall(lines []string, i int) string {
	var b strings.Builder
	depth := 0
	for j := i; j < len(lines) && j < i+20; j++ {
		line := stripComment(lines[j], "//")
		b.WriteString(line)
		b.WriteByte(' ')
		depth += bracketDepth(line)
		if depth <= 0 {
			break
		}
	}
	return b.String()
}

// jsSettingRoute is a route registered on a path the configuration holds
// (mongo-express's appRouter.get(config.healthCheck.path, ...)).
var jsSettingRoute = regexp.MustCompile(`\b(?:app|\w*[rR]outer|server|fastify|r)\.(?:get|all|head)\(\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)\s*,`)

// jsSettingRoutes are the routes registered on a path the configuration
// holds, with the path its object literal gives by default:
// healthCheck: { path: process.env.ME_CONFIG_HEALTH_CHECK_PATH || '/status' }
// for config.healthCheck.path. A key found with two values is left out.
func (r *repo) jsSettingRoutes() []route {
	var out []route
	for _, f := range r.codeFiles() {
		if !isJSFile(f) {
			continue
		}
		for i, line := range r.read(f) {
			m := jsSettingRoute.FindStringSubmatch(stripComment(line, "//"))
			if m == nil {
				continue
			}
			keys := strings.Split(m[1], ".")[1:]
			if !routeSettingKey.MatchString(keys[len(keys)-1]) {
				continue
			}
			chain := strings.Join(keys, ".")
			found, seen := r.jsSettings[chain]
			if !seen {
				found.value, found.where, found.ok = r.jsSettingDefault(keys)
				if r.jsSettings == nil {
					r.jsSettings = map[string]jsSetting{}
				}
				r.jsSettings[chain] = found
			}
			value, where, ok := found.value, found.where, found.ok
			if !ok || inDevBlock(r.read(f), i) {
				continue
			}
			out = append(out, route{Evidence: Evidence{Value: value, File: f, Line: i + 1,
				Why: fmt.Sprintf("the default of %s (%s), which the configuration can change", m[1], where)}})
		}
	}
	return out
}

// A jsSetting is a key chain's default path, found once per repository.
type jsSetting struct {
	value, where string
	ok           bool
}

// jsSettingDefault finds the path an object literal of the code gives the
// last of keys, inside the object the key before it opens (healthCheck:
// { path: ... }); with one key, the key anywhere, or a constant of its
// name. The value is a literal or a variable's default, and a path.
func (r *repo) jsSettingDefault(keys []string) (value, where string, ok bool) {
	last := keys[len(keys)-1]
	entry := regexp.MustCompile(`^\s*['"]?` + quoteMeta(last) + `['"]?\s*:\s*(.+?)\s*,?\s*$`)
	var open *regexp.Regexp
	if len(keys) > 1 {
		open = regexp.MustCompile(`^\s*['"]?` + quoteMeta(keys[len(keys)-2]) + `['"]?\s*:\s*\{\s*$`)
	} else {
		// A module of constants: export const HEALTHCHECK_URL = '/healthcheck'.
		entry = regexp.MustCompile(`^\s*(?:['"]?` + quoteMeta(last) + `['"]?\s*:|(?:export\s+)?(?:const|let|var)\s+` + quoteMeta(last) + `\s*(?::\s*\w+\s*)?=)\s*(.+?)\s*[,;]?\s*$`)
	}
	found := 0
	for _, f := range r.codeFiles() {
		if !isJSFile(f) {
			continue
		}
		lines := r.read(f)
		for i := 0; i < len(lines); i++ {
			from, to := i, i+1
			if !strings.Contains(lines[i], keys[0]) && !strings.Contains(lines[i], last) {
				continue // cheap: neither key is on the line
			}
			if open != nil {
				if !open.MatchString(stripComment(lines[i], "//")) {
					continue
				}
				// The object's own lines, to the brace that closes it.
				depth := 0
				for to = i; to < len(lines) && to < i+200; to++ {
					depth += bracketDepth(stripComment(lines[to], "//"))
					if depth <= 0 {
						break
					}
				}
				from = i + 1
			}
			for j := from; j < to && j < len(lines); j++ {
				m := entry.FindStringSubmatch(stripComment(lines[j], "//"))
				if m == nil {
					continue
				}
				v, isString := r.jsString(f, m[1])
				if !isString || !strings.HasPrefix(v, "/") {
					continue
				}
				if found > 0 && v != value {
					return "", "", false
				}
				found++
				value, where = v, Evidence{File: f, Line: j + 1}.Where()
			}
			if open != nil {
				i = to
			}
		}
	}
	return value, where, found > 0
}
