package detect

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var (
	// fastapiDepends is a dependency a route or router declares:
	// Depends(get_current_user), Security(oauth2_scheme, scopes=[...]).
	fastapiDepends = regexp.MustCompile(`\b(Depends|Security)\(\s*([\w.]+)`)
	// fastapiAuthDep is a dependency's name that says it checks who
	// calls: AuthName's words, FastAPI's tutorial names for the current
	// user, its token (not a tokenizer) and API keys, and require_* checks
	// (Armontex/auth-app's require_profile_read).
	fastapiAuthDep = regexp.MustCompile(`(?i)current_?(?:active_?)?user|superuser|(?:^|_)tokens?(?:$|_)|oauth|api_?key|credential|^requires?_`)
	// fastapiAlias is a dependency given a name as a type:
	// CurrentUser = Annotated[User, Depends(get_current_user)].
	fastapiAlias = regexp.MustCompile(`^(\w+)\s*(?::\s*\w+\s*)?=\s*Annotated\[.*\b(?:Depends|Security)\(\s*([\w.]+)`)
	// fastapiAliasStart begins one, on one line or wrapped by black:
	// CurrentUser = Annotated[\n    User, Depends(get_current_user)\n].
	fastapiAliasStart = regexp.MustCompile(`^\w+\s*(?::\s*\w+\s*)?=\s*Annotated\[`)
	// pyDefLine begins a function's definition.
	pyDefLine = regexp.MustCompile(`^\s*(?:async\s+)?def\s+\w+\s*\(`)
)

// fastapiAuthName reports whether a dependency of that name stands
// between a request and the route: a login, a token, a key.
func fastapiAuthName(name string) bool {
	last := name[strings.LastIndex(name, ".")+1:]
	if strings.Contains(strings.ToLower(last), "optional") {
		return false // get_current_user_optional lets a caller without one in
	}
	return project.AuthName.MatchString(last) || fastapiAuthDep.MatchString(last)
}

// fastapiDocs is the API docs page FastAPI serves by itself (/docs
// unless the constructor moves or disables it) for the app the image
// serves, where its code serves no health route: a page that answers
// without a session or data. nil where the constructor's arguments are
// not all read (a ** mapping, a conditional) or the app is not found.
func (r *repo) fastapiDocs(s *Stack) *Evidence {
	if s.Framework == nil || s.Framework.Value != "fastapi" {
		return nil
	}
	type made struct {
		project.FastAPIApp
		file string
	}
	var apps []made
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".py") {
			for _, a := range project.FastAPIApps(r.read(f)) {
				apps = append(apps, made{a, f})
			}
		}
	}
	var app *made
	if len(s.Entrypoints) > 0 {
		module, name, ok := strings.Cut(s.Entrypoints[0].Value, ":")
		if file := r.pyModuleFile(module, s.ImportRoot); ok && file != "" {
			for i, a := range apps {
				if a.file != file || a.Name != name {
					continue
				}
				if a.Docs == "" {
					// Made in each branch of an if, one of them without
					// docs (production's docs_url=None): none to rely on.
					return nil
				}
				app = &apps[i]
			}
		}
	}
	if app == nil && len(apps) == 1 {
		app = &apps[0] // made once, in a factory or another module
	}
	if app == nil || app.Docs == "" {
		return nil
	}
	return &Evidence{Value: app.Docs, File: app.file, Line: app.Line,
		Why: "FastAPI's own API docs page, served without a session; no health route of the code answers without one: add a cheap /health"}
}

// fastapiGuards marks the FastAPI routes a dependency that checks who
// calls stands before (a parameter's Depends(get_current_user), an
// Annotated alias of one, a dependencies=[...] on the route, on its
// APIRouter or where the router is included): a probe without a token
// gets 401 there (aprezcuba24/fastapi-todo-pt's `token: Token`). pr is
// what pythonMounts read of the routers, nil for none.
func (r *repo) fastapiGuards(routes []route, pr *pyRouters) {
	aliases := map[string]string{} // name → the dependency it stands for
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			if !fastapiAliasStart.MatchString(line) {
				continue
			}
			line = pyLogicalLine(lines, i)
			if m := fastapiAlias.FindStringSubmatch(line); m != nil && (strings.Contains(line, "Security(") || fastapiAuthName(m[2])) {
				aliases[m[1]] = m[2]
			}
		}
	}
	for i, rt := range routes {
		if rt.guarded != "" || !strings.HasSuffix(rt.File, ".py") {
			continue
		}
		lines, m := r.pyDecorator(rt)
		if m == nil {
			continue
		}
		dep := ""
		if pr != nil {
			dep = pr.guard(pr.resolve(rt.File, m[1]))
		}
		if dep == "" {
			dep = fastapiSignatureGuard(lines, rt.Line-1, aliases)
		}
		if dep != "" {
			routes[i].guarded = fmt.Sprintf("behind %s (%s:%d): it needs a session", dep, rt.File, rt.Line)
		}
	}
}

// pyLogicalLine is lines[at] joined with the lines after it while its
// brackets stay open (at most 20), comments dropped: one statement that
// a formatter wrapped.
func pyLogicalLine(lines []string, at int) string {
	var b strings.Builder
	depth := 0
	for i := at; i < len(lines) && i < at+20; i++ {
		line := stripComment(lines[i], "#")
		if i > at {
			b.WriteByte(' ')
		}
		b.WriteString(strings.TrimSpace(line))
		if depth += bracketDepth(line); depth <= 0 {
			break
		}
	}
	return b.String()
}

// fastapiSignatureGuard is the dependency that checks who calls among
// those the route's decorators and its function's parameters declare,
// from the route's decorator at lines[at]; "" for none.
func fastapiSignatureGuard(lines []string, at int, aliases map[string]string) string {
	var b strings.Builder
	inDef, depth := false, 0
	for i := at; i < len(lines) && i < at+40; i++ {
		line := stripComment(lines[i], "#")
		b.WriteString(line)
		b.WriteByte(' ')
		if !inDef && pyDefLine.MatchString(line) {
			inDef = true
		}
		if inDef {
			if depth += bracketDepth(line); depth <= 0 {
				break // the signature's end (def health(): return {...} included)
			}
		}
	}
	return fastapiAuthDependency(b.String(), aliases)
}

// fastapiAuthDependency is the first dependency in text that checks who
// calls: a Security(...), a Depends of such a name, or a parameter
// annotated with an alias of one; "" for none.
func fastapiAuthDependency(text string, aliases map[string]string) string {
	for _, m := range fastapiDepends.FindAllStringSubmatch(text, -1) {
		if m[1] == "Security" || fastapiAuthName(m[2]) {
			return m[1] + "(" + m[2] + ")"
		}
	}
	for _, name := range slices.Sorted(maps.Keys(aliases)) {
		for rest := text; name != ""; {
			i := strings.Index(rest, name)
			if i < 0 {
				break
			}
			before, after := strings.TrimRight(rest[:i], " \t"), rest[i+len(name):]
			if strings.HasSuffix(before, ":") && (after == "" || !isIdentByte(after[0])) {
				return name + " (" + aliases[name] + ")"
			}
			rest = after
		}
	}
	return ""
}
