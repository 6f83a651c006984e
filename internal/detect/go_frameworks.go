package detect

import (
	"go/ast"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/mod/semver"
)

// A goFramework is what a Go web framework does by itself that the
// program's own code does not say: the signal its serving call stops on,
// the port it listens on when the code names no address. Each was read
// in the framework's source at the version named.
type goFramework struct {
	name string
	// imports is the package the serving call's file imports.
	imports string
	// serves is the call that serves until SIGTERM, and stops on it;
	// stops says how.
	serves *regexp.Regexp
	stops  string
	// module and drainsSince: before that version of the module, the
	// serving call drains on SIGINT only (SIGTERM ends it at once):
	// the image stops it with SIGINT then. Before handlesSince it
	// handles no signal.
	module, drainsSince, sigint, handlesSince string
	// port is where it listens when its constructor (made) is given no
	// address (listensAt).
	port      string
	made      *regexp.Regexp
	listensAt *regexp.Regexp
}

var goFrameworks = []goFramework{{
	// core/proc/signals.go (v1.10.3): SIGTERM runs the shutdown
	// listeners; rest.Server.Start's is the server's Shutdown.
	name: "go-zero", imports: "github.com/zeromicro/go-zero/rest",
	serves: regexp.MustCompile(`\bserver\.Start\(\)|\.Start\(\)\s*$`), stops: "go-zero's server shuts down on it (core/proc)",
}, {
	// app.go (v2.8.3): kratos.New's signals are SIGTERM, SIGQUIT and
	// SIGINT; Run stops the servers on them.
	name: "Kratos", imports: "github.com/go-kratos/kratos/v2",
	serves: regexp.MustCompile(`\.Run\(\)`), stops: "kratos.App stops its servers on it",
}, {
	// core/host/interrupt.go (v12.2.11): the interrupt handler Run and
	// Listen register shuts the host down on SIGTERM.
	name: "Iris", imports: "github.com/kataras/iris/v12",
	serves: regexp.MustCompile(`\.(?:Run|Listen)\(`), stops: "Iris shuts its host down on it",
}, {
	// pkg/app/server/hertz.go: from v0.10.0 Spin shuts down gracefully
	// on SIGTERM; v0.6.0 to v0.9.x force-exit on it ("case
	// syscall.SIGTERM: // force exit") and drain on SIGINT and SIGHUP.
	// pkg/common/config/option.go's defaultAddr is ":8888".
	name: "Hertz", imports: "github.com/cloudwego/hertz/pkg/app/server",
	serves: regexp.MustCompile(`\.Spin\(\)`), stops: "Hertz's Spin shuts down on it",
	module: "github.com/cloudwego/hertz", drainsSince: "v0.10.0", sigint: "Hertz's Spin before v0.10.0 drains on SIGINT; SIGTERM force-exits it",
	port: "8888", made: regexp.MustCompile(`\bserver\.(?:Default|New)\(`), listensAt: regexp.MustCompile(`\bWithHostPorts\(|\bWithListener\(`),
}, {
	// pkg/gofr/run.go (v1.56.0; gofr.go from v1.16.0): Run's context
	// ends on SIGINT and SIGTERM, and shuts the servers down. Before
	// v1.16.0 it handles no signal. The port and the rest are GoFr's
	// configuration (go_gofr.go).
	name: "GoFr", imports: "gofr.dev/pkg/gofr",
	serves: regexp.MustCompile(`\.Run\(\)`), stops: "GoFr's App.Run shuts down on it",
	module: "gofr.dev", handlesSince: "v1.16.0",
	made: gofrNew,
}, {
	// server/web/server.go (v2.3): Run serves until the process ends,
	// handling no signal (go_beego.go reads its configuration).
	name: "Beego", imports: "github.com/beego/beego/v2/server/web",
	serves: beegoRun,
}, {
	name: "Beego", imports: "github.com/astaxie/beego",
	serves: beegoRun,
}}

// A frameworkUse is the program's framework and where the program makes
// and serves it.
type frameworkUse struct {
	goFramework
	made, serves *Evidence
	// addressed is set where the program gives it an address.
	addressed bool
}

// goFrameworkOf is the framework the chosen program serves with, nil for
// none of goFrameworks.
func (r *repo) goFrameworkOf(s *Stack) *frameworkUse {
	if s.Language != "go" || len(s.Entrypoints) == 0 || s.ambiguousEntry() {
		return nil
	}
	if !r.frameworkRead {
		r.framework, r.frameworkRead = r.readGoFramework(s), true
	}
	return r.framework
}

func (r *repo) readGoFramework(s *Stack) *frameworkUse {
	inProgram := r.programFiles(s)
	for _, fw := range goFrameworks {
		u := frameworkUse{goFramework: fw}
		for _, f := range r.codeFiles() {
			if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || !inProgram(f) || !r.goBuildsOnLinux(f) {
				continue
			}
			if fw.listensAt != nil && r.find(f, fw.listensAt) != nil {
				u.addressed = true
			}
			if !slices.ContainsFunc(r.read(f), func(l string) bool { return strings.Contains(l, `"`+fw.imports+`"`) }) {
				continue
			}
			if u.serves == nil {
				u.serves = r.find(f, fw.serves)
			}
			if fw.made != nil && u.made == nil {
				u.made = r.find(f, fw.made)
			}
		}
		if u.serves != nil {
			return &u
		}
	}
	return nil
}

// goFrameworkSignal is the signal the program's framework drains on:
// SIGTERM, or SIGINT where the module's version predates its SIGTERM
// drain (sigint set).
func (r *repo) goFrameworkSignal(s *Stack) (e *Evidence, sigint bool) {
	u := r.goFrameworkOf(s)
	if u == nil || u.stops == "" {
		return nil, false
	}
	// No require of the module (v ""): its current behaviour.
	v := r.goRequiredVersion(u.module)
	older := func(since string) bool { return v != "" && since != "" && semver.Compare(v, since) < 0 }
	switch {
	case older(u.handlesSince):
		return nil, false
	case older(u.drainsSince):
		return &Evidence{Value: "SIGINT", File: u.serves.File, Line: u.serves.Line, Why: u.sigint + " (go.mod requires " + v + ")"}, true
	}
	return &Evidence{Value: "SIGTERM", File: u.serves.File, Line: u.serves.Line, Why: u.stops}, false
}

// goRequiredVersion is the version go.mod requires of module, "" for
// none.
func (r *repo) goRequiredVersion(module string) string {
	for _, l := range r.read("go.mod") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(l), "require "))
		if len(f) >= 2 && f[0] == module && semver.IsValid(f[1]) {
			return f[1]
		}
	}
	return ""
}

// goFrameworkPort is the port the program's framework listens on when
// the program gives it no address (Hertz's server.Default()).
func (r *repo) goFrameworkPort(s *Stack) *Evidence {
	if u := r.goFrameworkOf(s); u != nil && u.port != "" && u.made != nil && !u.addressed {
		return &Evidence{Value: u.port, File: u.made.File, Line: u.made.Line, Why: u.name + "'s default: its server is given no address"}
	}
	return nil
}

// goZeroRoutes records the routes of a go-zero server.AddRoutes or
// AddRoute call: each rest.Route's Path where its Method is GET, under
// the call's rest.WithPrefix, guarded where rest.WithJwt or an
// authentication middleware of rest.WithMiddlewares stands over it
// (goctl's routes.go: sjxiang/go-zero-cloud-disk's POST /user/login and
// Auth-wrapped /file/upload are no health routes). It reports whether
// the call was one.
func (g *goRouter) goZeroRoutes(file string, c *ast.CallExpr) bool {
	if name := calleeName(c); name != "AddRoutes" && name != "AddRoute" {
		return false
	}
	var tables []*ast.CompositeLit
	prefix, guard, unknown := "", -1, false
	var visit func(args []ast.Expr)
	visit = func(args []ast.Expr) {
		for _, a := range args {
			switch a := a.(type) {
			case *ast.CompositeLit:
				if restType(a.Type, "Route") {
					tables = append(tables, a)
				} else if restType(a.Type, "Middleware") && guard < 0 {
					guard = g.guardOf(file, c, a.Elts)
				}
			case *ast.CallExpr:
				switch calleeName(a) {
				case "WithPrefix":
					ok := false
					if len(a.Args) == 1 {
						prefix, ok = g.strVal(file, a.Args[0])
					}
					if !ok {
						unknown = true // rest.WithPrefix(c.Prefix): where the routes are is not read
					}
				case "WithJwt", "WithJwtTransition":
					if guard < 0 {
						guard = g.guardOf(file, c, []ast.Expr{a})
					}
				case "WithMiddlewares", "WithMiddleware":
					visit(a.Args)
				}
			}
		}
	}
	visit(c.Args)
	if len(tables) == 0 {
		return false
	}
	if unknown {
		return true
	}
	for _, t := range tables {
		entries := t.Elts
		if _, ok := t.Type.(*ast.ArrayType); !ok {
			entries = []ast.Expr{t} // AddRoute(rest.Route{...})
		}
		for _, e := range entries {
			entry, ok := e.(*ast.CompositeLit)
			if !ok {
				continue
			}
			p, get := "", false
			for _, f := range entry.Elts {
				kv, ok := f.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				switch exprName(kv.Key) {
				case "Path":
					p, _ = g.strVal(file, kv.Value)
				case "Method":
					if m, ok := g.methodList(file, kv.Value); ok {
						get = slices.Contains(m, "GET")
					}
				}
			}
			if p != "" && get {
				g.add(file, entry, guarded(prefix, guard), true, p)
			}
		}
	}
	return true
}

// restType reports whether a type is go-zero's rest.NAME or []rest.NAME.
func restType(t ast.Expr, name string) bool {
	if a, ok := t.(*ast.ArrayType); ok {
		t = a.Elt
	}
	sel, ok := t.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name && exprName(sel.X) == "rest"
}
