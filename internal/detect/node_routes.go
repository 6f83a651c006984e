package detect

import (
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
// names.
func (r *repo) nestPrefix(routes []route) {
	prefix, exclude, at := "", []string(nil), ""
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".ts") && !strings.HasSuffix(f, ".js") {
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
	decl := regexp.MustCompile(`\b(?:const|let|var)\s+` + regexp.QuoteMeta(expr) + `\s*(?::\s*\w+\s*)?=\s*(.+?);?\s*$`)
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
