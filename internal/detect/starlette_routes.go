package detect

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Starlette's routes are a list of Route and Mount objects, not
// decorators: DmitryBurnaev/podcast-service's core/routes.py mounts
// modules.podcast.routes' list under /api (Mount("/api",
// routes=(auth_routes + podcast_routes + ...))), where Route("/health/",
// views.HealthCheckAPIView) serves /api/health/, and its app is
// PodcastApp(routes=routes). starletteRoutes follows the lists from the
// routes= an app is made with, through Mounts (a list written inside, or
// names joined by +, followed through imports), and gives each Route its
// full path.

var (
	pyListVar          = regexp.MustCompile(`(?m)^(\w+)\s*(?::[^=\n]+)?=\s*\[`)
	starletteEntry     = regexp.MustCompile(`\b(Route|Mount|Host|WebSocketRoute)\(\s*(?:path\s*=\s*)?["']([^"']*)["']`)
	starletteRoutesK   = regexp.MustCompile(`\broutes\s*=\s*`)
	starletteMountCall = regexp.MustCompile(`\bMount\(`)
	starletteAppK      = regexp.MustCompile(`\bapp\s*=\s*([\w.]+)`)
	pyAssigned         = regexp.MustCompile(`^\s*(\w+)\s*(?::[^=]+)?=\s*[\w.]+\s*$`)
	starletteMethods   = regexp.MustCompile(`\bmethods\s*=\s*[\[(]([^\])]*)[\])]`)
)

// maxStarletteFile bounds the files read for route lists: each list and
// each routes= is matched bracket by bracket.
const maxStarletteFile = 128 << 10

// A starletteList is one list of routes a module assigns to a name.
type starletteList struct {
	file   string
	routes []route // paths relative to the list's mount point
	mounts []starletteMount
}

// A starletteMount is a Mount whose routes are other lists, by name.
type starletteMount struct {
	file, prefix string
	names        []string
	// app is set for Mount("/api", app=api): names is the application,
	// whose own routes= list is mounted.
	app bool
}

// A starletteApp is an application made with routes=list: the variable
// it is assigned to ("module:var", "" when none) and its list's key.
type starletteApp struct{ app, list string }

// pr resolves names through imports (pythonMounts' reading, whose
// imports it has read already, or a new one).
func (r *repo) starletteRoutes(pr *pyRouters) []route {
	if !r.pyCodeImports("starlette") {
		return nil
	}
	lists := map[string]*starletteList{}
	var apps []starletteApp
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") || !hasStarletteEntry(r.read(f)) && !slices.ContainsFunc(r.read(f), starletteRoutesK.MatchString) {
			continue
		}
		lines := make([]string, len(r.read(f)))
		for i, l := range r.read(f) {
			lines[i] = stripComment(l, "#") // "# don't" opens no string
		}
		src := strings.Join(lines, "\n")
		if len(src) > maxStarletteFile {
			continue // a generated or hostile file: no routes list of an app's
		}
		closeOf := bracketPairs(lines)
		starts := []int{0}
		for i := range len(src) {
			if src[i] == '\n' {
				starts = append(starts, i+1)
			}
		}
		lineAt := func(i int) int { n, _ := slices.BinarySearch(starts, i+1); return n }
		for _, m := range pyListVar.FindAllStringSubmatchIndex(src, -1) {
			open := m[1] - 1
			end := closeOf(open)
			if end < 0 {
				continue
			}
			l := starletteListAt(src, open, end, closeOf, f, lineAt)
			if len(l.routes) > 0 || len(l.mounts) > 0 {
				lists[pyModule(f)+":"+src[m[2]:m[3]]] = l
			}
		}
		// An app made with routes=NAME (Starlette(routes=routes), a
		// subclass's PodcastApp(routes=routes)), outside any Mount.
		var mountSpans [][2]int
		for _, m := range starletteMountCall.FindAllStringIndex(src, -1) {
			if end := closeOf(m[1] - 1); end > 0 {
				mountSpans = append(mountSpans, [2]int{m[1] - 1, end})
			}
		}
		for _, m := range starletteRoutesK.FindAllStringIndex(src, -1) {
			if before := strings.TrimRight(src[:m[0]], " \t\n"); !strings.HasSuffix(before, "(") && !strings.HasSuffix(before, ",") ||
				slices.ContainsFunc(mountSpans, func(sp [2]int) bool { return sp[0] < m[0] && m[0] < sp[1] }) {
				continue // an assignment (routes = [...]), or a Mount's
			}
			var a starletteApp
			if name := pyNameAt(src[m[1]:]); name != "" {
				a.list = pr.resolve(f, name)
			} else if src[m[1]] == '[' && closeOf(m[1]) > 0 {
				// Written in the call: Starlette(routes=[Route(...), ...]).
				a.list = pyModule(f) + ":[" + strconv.Itoa(m[1])
				lists[a.list] = starletteListAt(src, m[1], closeOf(m[1]), closeOf, f, lineAt)
			} else {
				continue
			}
			// The variable the call is assigned to: api = Starlette(routes=...).
			for p := m[0] - 1; p >= 0; p-- {
				if src[p] == '(' && closeOf(p) > m[0] {
					lineStart := strings.LastIndexByte(src[:p], '\n') + 1
					if v := pyAssigned.FindStringSubmatch(src[lineStart:p]); v != nil {
						a.app = pyModule(f) + ":" + v[1]
					}
					break
				}
			}
			apps = append(apps, a)
		}
	}
	// An application another mounts (Mount("/api", app=api)) is served
	// under that Mount, not at the root.
	appList, mounted := map[string]string{}, map[string]bool{}
	for _, a := range apps {
		if a.app != "" {
			appList[a.app] = a.list
		}
	}
	for _, l := range lists {
		for _, m := range l.mounts {
			for _, n := range m.names {
				if m.app {
					mounted[pr.resolve(m.file, n)] = true
				}
			}
		}
	}
	var roots []string
	for _, a := range apps {
		if a.app == "" || !mounted[a.app] {
			roots = append(roots, a.list)
		}
	}
	var out []route
	seen := map[string]bool{}
	var walk func(key, prefix string, depth int)
	walk = func(key, prefix string, depth int) {
		l := lists[key]
		if l == nil || depth > 8 || seen[key+"@"+prefix] {
			return
		}
		seen[key+"@"+prefix] = true
		for _, rt := range l.routes {
			rt.Value = joinPath(prefix, rt.Value)
			if rt.Value == "" {
				rt.Value = "/"
			}
			out = append(out, rt)
		}
		for _, m := range l.mounts {
			for _, n := range m.names {
				k := pr.resolve(m.file, n)
				if m.app {
					k = appList[k]
				}
				walk(k, joinPath(prefix, m.prefix), depth+1)
			}
		}
	}
	for _, k := range roots {
		walk(k, "", 0)
	}
	return out
}

// hasStarletteEntry reports whether a file writes Route or Mount objects.
func hasStarletteEntry(lines []string) bool {
	for _, l := range lines {
		if starletteEntry.MatchString(l) {
			return true
		}
	}
	return false
}

// starletteListAt reads the list literal src[open:end+1]: its Routes,
// with the prefixes of the Mounts written around them inside it, and its
// Mounts of named lists. closeOf gives each bracket's closing one.
func starletteListAt(src string, open, end int, closeOf func(int) int, file string, lineAt func(int) int) *starletteList {
	l := &starletteList{file: file}
	type span struct {
		from, to int
		prefix   string
	}
	var mounts []span
	entries := starletteEntry.FindAllStringSubmatchIndex(src[open:end+1], -1)
	callEnd := func(m []int) (int, int) {
		o := open + strings.IndexByte(src[open+m[0]:], '(') + m[0]
		return o, closeOf(o)
	}
	for _, m := range entries {
		if src[open+m[2]:open+m[3]] != "Mount" {
			continue
		}
		if o, e := callEnd(m); e > 0 {
			mounts = append(mounts, span{o, e, src[open+m[4] : open+m[5]]})
		}
	}
	prefixAt := func(i int) string {
		p := ""
		for _, s := range mounts {
			if s.from < i && i < s.to {
				p = joinPath(p, s.prefix)
			}
		}
		return p
	}
	for _, m := range entries {
		at := open + m[0]
		kind, p := src[open+m[2]:open+m[3]], src[open+m[4]:open+m[5]]
		o, e := callEnd(m)
		switch {
		case e < 0:
		case kind == "Route":
			if mm := starletteMethods.FindStringSubmatch(src[o:e]); mm != nil && !strings.Contains(strings.ToUpper(mm[1]), "GET") {
				continue // Route("/x", h, methods=["POST"])
			}
			l.routes = append(l.routes, route{Evidence: Evidence{Value: joinPath(prefixAt(at), p), File: file, Line: lineAt(at)}})
		case kind == "Mount":
			call := src[o+1 : e]
			k := starletteRoutesK.FindStringIndex(call)
			if k == nil {
				if a := starletteAppK.FindStringSubmatch(call); a != nil {
					l.mounts = append(l.mounts, starletteMount{file: file, prefix: joinPath(prefixAt(at), p), names: []string{a[1]}, app: true})
				}
				continue
			}
			if strings.HasPrefix(strings.TrimSpace(call[k[1]:]), "[") {
				continue // a list written inside: its Routes are read above
			}
			expr := call[k[1]:]
			if i := topLevelComma(expr); i >= 0 {
				expr = expr[:i]
			}
			var names []string
			for _, n := range strings.Split(strings.Trim(strings.TrimSpace(expr), "()"), "+") {
				if id := pyNameAt(strings.TrimSpace(strings.Trim(strings.TrimSpace(n), "()"))); id != "" {
					names = append(names, id)
				}
			}
			l.mounts = append(l.mounts, starletteMount{file: file, prefix: joinPath(prefixAt(at), p), names: names})
		}
	}
	return l
}

// pyNameAt is the dotted name at the start of s.
func pyNameAt(s string) string {
	end := 0
	for end < len(s) && (s[end] == '_' || s[end] == '.' || s[end] >= 'a' && s[end] <= 'z' || s[end] >= 'A' && s[end] <= 'Z' || s[end] >= '0' && s[end] <= '9') {
		end++
	}
	return strings.Trim(s[:end], ".")
}

// bracketPairs matches the brackets of a file's lines (comments
// stripped) in one pass, outside strings, each line's quotes its own: the
// offset, in the lines joined by "\n", of the bracket that closes the one
// at an offset, -1 for none.
func bracketPairs(lines []string) func(int) int {
	pairs := map[int]int{}
	var stack []int
	off := 0
	for _, line := range lines {
		outsideQuotes(line, func(i int) bool {
			switch line[i] {
			case '(', '[', '{':
				stack = append(stack, off+i)
			case ')', ']', '}':
				if len(stack) > 0 {
					pairs[stack[len(stack)-1]] = off + i
					stack = stack[:len(stack)-1]
				}
			}
			return true
		})
		off += len(line) + 1
	}
	return func(i int) int {
		if j, ok := pairs[i]; ok {
			return j
		}
		return -1
	}
}

// topLevelComma is the first comma of s outside brackets and strings.
func topLevelComma(s string) int {
	depth, at := 0, -1
	outsideQuotes(s, func(i int) bool {
		switch s[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				at = i
				return false
			}
		}
		return true
	})
	return at
}
