package detect

import (
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// goRoutes reads the routes a Go program registers from its syntax, with
// the prefixes of the router groups they hang from, across functions: a
// group made in one function (v1 := r.Group("/v1")) and handed to another
// (PingRoute(v1), which registers router.Group("/ping").GET("")) serves
// /v1/ping. It follows gin/echo/fiber groups, gorilla's PathPrefix
// subrouters, chi's Route and Mount, struct fields holding a router, and
// wrappers that take the method first (app.Handle(http.MethodGet, "v1",
// "/liveness", h): /v1/liveness). A receiver whose prefix it cannot follow
// keeps its routes as written. files are the Go files it could not parse:
// their routes are the scan's.
func (r *repo) goRoutes() (routes []route, unparsed map[string]bool) {
	g := &goRouter{
		read:      r.read,
		fset:      r.goFset(),
		funcs:     map[string][]*ast.FuncDecl{},
		consts:    map[string]string{},
		local:     map[string]map[string]string{},
		params:    map[*ast.FuncDecl]map[int]string{},
		mounts:    map[*ast.FuncDecl]string{},
		fields:    map[string]string{},
		globals:   map[string]map[string]bool{},
		prefixers: map[string]map[string]bool{},
		docsUI:    map[string]map[string]string{},
		pingMW:    map[string]map[string]string{},
		muxes:     map[string]map[string]bool{},
		guardAt:   map[string]int{},
		settings:  map[string]setting{},
	}
	unparsed = map[string]bool{}
	type parsed struct {
		name string
		file *ast.File
	}
	var files []parsed
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		file, bad := r.goFile(f)
		if bad {
			unparsed[f] = true
		}
		if file == nil {
			continue
		}
		files = append(files, parsed{f, file})
		g.collect(f, file)
	}
	// Prefixes flow from callers to callees: a few passes settle chains
	// of calls (main → New → PingRoute) without following recursion.
	for pass := 0; pass < 6; pass++ {
		g.changed = false
		g.out = nil
		for _, p := range files {
			for _, d := range p.file.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Body != nil {
						g.walk(p.name, d)
					}
				case *ast.GenDecl:
					// A route table declared at the package's level:
					// var routes = Routes{...}.
					ast.Inspect(d, func(n ast.Node) bool {
						if lit, ok := n.(*ast.CompositeLit); ok {
							g.tableRoutes(p.name, lit)
							return false
						}
						return true
					})
				}
			}
		}
		if !g.changed {
			break
		}
	}
	sort.SliceStable(g.out, func(i, j int) bool { return g.out[i].Value < g.out[j].Value })
	return g.out, unparsed
}

type goRouter struct {
	read   func(file string) []string // the repository's file, by lines
	fset   *token.FileSet
	funcs  map[string][]*ast.FuncDecl
	consts map[string]string            // package-level string constants by name; "\x00" when two differ
	local  map[string]map[string]string // file → its own string constants and variables
	docsUI map[string]map[string]string // file → import name → module, of Swagger UI handlers
	// pingMW: file → import name → module, of middleware packages that
	// answer a path themselves (go-pkgz/rest's Ping, chi's Heartbeat).
	pingMW map[string]map[string]string
	// routerPkgs are, by file, the names it imports a router module under
	// (routing "github.com/fasthttp/router": routing.New() is a router).
	routerPkgs map[string]map[string]bool
	params     map[*ast.FuncDecl]map[int]string
	mounts     map[*ast.FuncDecl]string // a function whose router is mounted under a prefix (chi's Mount)
	fields     map[string]string        // struct fields holding a router: s.router = gin.New()
	// globals are package-level variables holding a router made where
	// they are declared (inbucket's var Router = mux.NewRouter()), by
	// package directory.
	globals map[string]map[string]bool
	// prefixers are, by file, the variables holding a function made to
	// put a configurable base path before routes (inbucket's prefix :=
	// stringutil.MakePathPrefixer(conf.Web.BasePath)).
	prefixers map[string]map[string]bool
	// localNames are the names the function being walked declares
	// (parameters, := and var): they shadow a package's router.
	localNames map[string]bool
	// muxes are, by file, the variables that hold a router or mux of
	// their own (grpcMux := runtime.NewServeMux(...)): one handed to
	// Handle("/", grpcMux) serves its own routes under /, not a page.
	muxes map[string]map[string]bool
	out   []route
	// fieldSets are the values assigned to a struct field, by the field's
	// name: hound's config.go `c.HealthCheckURI = defaultHealthCheckURI`
	// when the file left it empty.
	fieldSets map[string][]fieldSet
	// changed is set when a pass learned a prefix a later pass can use.
	changed bool
	// ifs are the if statements of the function being walked.
	ifs []*ast.IfStmt
	// guards say what login layer guards a route (go_route_guards.go),
	// guardAt numbers them by where they are, scoped are the Use
	// statements that guard a variable's later routes.
	guards  []string
	guardAt map[string]int
	scoped  []scopedGuard
	// settings are the paths viper's SetDefault gives configuration keys
	// (gorush's SetDefault("api.health_uri", "/healthz")), by the key
	// with its words run together in lower case ("api.healthuri");
	// ambiguousConst where two differ.
	settings map[string]setting
}

// A setting is a configuration key's default path and where it is set.
type setting struct {
	value, key, where string
}

// swaggerUIModules serve a Swagger UI page under the wildcard route they
// are registered on (r.GET("/swagger/*any", ginSwagger.WrapHandler(...))),
// by its name in their documentation: <prefix>/index.html answers 200
// without a session. The value is the package's own name, which a file
// uses when it imports the module without a name.
var swaggerUIModules = map[string]string{
	"github.com/swaggo/gin-swagger":     "ginSwagger",
	"github.com/swaggo/echo-swagger":    "echoSwagger",
	"github.com/swaggo/http-swagger":    "httpSwagger",
	"github.com/swaggo/http-swagger/v2": "httpSwagger",
	"github.com/gofiber/swagger":        "swagger",
	"github.com/arsmn/fiber-swagger/v2": "swagger",
}

const ambiguousConst = "\x00"

// collect records a file's functions and string constants.
func (g *goRouter) collect(name string, file *ast.File) {
	local := map[string]string{}
	g.local[name] = local
	for _, imp := range file.Imports {
		mod, err := strconv.Unquote(imp.Path.Value)
		if err == nil && routerModules[mod] {
			if g.routerPkgs == nil {
				g.routerPkgs = map[string]map[string]bool{}
			}
			if g.routerPkgs[name] == nil {
				g.routerPkgs[name] = map[string]bool{}
			}
			as := path.Base(mod)
			if goMajorSuffix.MatchString(as) {
				as = path.Base(path.Dir(mod)) // echo/v4's package is echo
			}
			if imp.Name != nil {
				as = imp.Name.Name
			}
			g.routerPkgs[name][as] = true
		}
		if err == nil && pingModules[mod] {
			as := path.Base(mod)
			if imp.Name != nil {
				as = imp.Name.Name
			}
			if g.pingMW[name] == nil {
				g.pingMW[name] = map[string]string{}
			}
			g.pingMW[name][as] = mod
		}
		if err != nil || swaggerUIModules[mod] == "" {
			continue
		}
		as := swaggerUIModules[mod]
		if imp.Name != nil {
			as = imp.Name.Name
		}
		if g.docsUI[name] == nil {
			g.docsUI[name] = map[string]string{}
		}
		g.docsUI[name][as] = mod
	}
	record := func(id string, v ast.Expr) {
		lit, ok := v.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return
		}
		local[id] = s
		if old, seen := g.consts[id]; seen && old != s {
			g.consts[id] = ambiguousConst
		} else {
			g.consts[id] = s
		}
	}
	for _, d := range file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if i < len(vs.Values) {
						if c, ok := vs.Values[i].(*ast.CallExpr); ok && isMuxConstructor(c) {
							g.addGlobal(path.Dir(name), id.Name)
						}
					}
				}
			}
		}
	}
	// A package-level router made in init() (wpcodevo/golang-gorm-
	// postgres's `var server *gin.Engine`, then `server = gin.Default()`
	// in init): a global too.
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Name.Name != "init" || fn.Body == nil {
			continue
		}
		for _, st := range fn.Body.List {
			as, ok := st.(*ast.AssignStmt)
			if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
				continue
			}
			for i, l := range as.Lhs {
				id, ok := l.(*ast.Ident)
				c, isCall := as.Rhs[i].(*ast.CallExpr)
				if ok && isCall && isMuxConstructor(c) {
					g.addGlobal(path.Dir(name), id.Name)
				}
			}
		}
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			g.recordSetting(name, n)
		case *ast.FuncDecl:
			g.funcs[n.Name.Name] = append(g.funcs[n.Name.Name], n)
		case *ast.KeyValueExpr:
			// Options{HealthPath: "/livez"}: a value the field holds too.
			if id, ok := n.Key.(*ast.Ident); ok {
				g.setField(name, id.Name, n.Value)
			}
		case *ast.UnaryExpr:
			// flag.StringVar(&o.HealthPath, ...): set by the run.
			if sel, ok := n.X.(*ast.SelectorExpr); ok && n.Op == token.AND {
				g.setField(name, sel.Sel.Name, nil)
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if i < len(n.Values) {
					record(id.Name, n.Values[i])
				}
			}
		case *ast.AssignStmt:
			if n.Tok == token.ASSIGN {
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok {
						var v ast.Expr // a value of a call's results: unknown
						if len(n.Lhs) == len(n.Rhs) {
							v = n.Rhs[i]
						}
						g.setField(name, sel.Sel.Name, v)
					}
				}
			}
			if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						record(id.Name, n.Rhs[i])
						if c, ok := n.Rhs[i].(*ast.CallExpr); ok && prefixer.MatchString(calleeName(c)) {
							if g.prefixers[name] == nil {
								g.prefixers[name] = map[string]bool{}
							}
							g.prefixers[name][id.Name] = true
						}
						if c, ok := n.Rhs[i].(*ast.CallExpr); ok && isMuxConstructor(c) {
							if g.muxes[name] == nil {
								g.muxes[name] = map[string]bool{}
							}
							g.muxes[name][id.Name] = true
						}
					}
				}
			}
		}
		return true
	})
}

// routerConstructors make a router served at its root.
var routerConstructors = map[string]bool{
	"gin.Default": true, "gin.New": true, "echo.New": true, "chi.NewRouter": true, "chi.NewMux": true,
	"mux.NewRouter": true, "fiber.New": true, "http.NewServeMux": true, "httprouter.New": true,
}

// goMajorSuffix is a module path's major version element (/v4).
var goMajorSuffix = regexp.MustCompile(`^v[0-9]+$`)

// routerModules are the router modules whose New (or Default) makes a
// router, under whatever name a file imports them.
var routerModules = map[string]bool{
	"github.com/fasthttp/router": true, "github.com/julienschmidt/httprouter": true, "github.com/gin-gonic/gin": true,
	"github.com/labstack/echo/v4": true, "github.com/gofiber/fiber/v2": true, "github.com/gofiber/fiber/v3": true,
	// Hertz's server.Default() and Iris's iris.New() (their source:
	// hertz v0.10.4 pkg/app/server, iris v12.2.11).
	"github.com/cloudwego/hertz/pkg/app/server": true, "github.com/kataras/iris/v12": true,
}

// routeMethods register a route on their receiver, the path first (or
// the method, then the path: chi's Method, echo's and fiber's Add).
var routeMethods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "DELETE": true, "PATCH": true, "HEAD": true, "OPTIONS": true, "Any": true,
	"Get": true, "Post": true, "Put": true, "Delete": true, "Patch": true, "Head": true, "Options": true, "All": true,
	"Handle": true, "HandleFunc": true, "Method": true, "MethodFunc": true, "Add": true, "Match": true,
}

// methodList reads a list of HTTP methods written as one string:
// "GET,HEAD", or net/http's constants joined, http.MethodHead+","+
// http.MethodGet. ok is false for anything else.
func (g *goRouter) methodList(file string, e ast.Expr) ([]string, bool) {
	var text func(ast.Expr) (string, bool)
	text = func(e ast.Expr) (string, bool) {
		if sel, ok := e.(*ast.SelectorExpr); ok {
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "http" && strings.HasPrefix(sel.Sel.Name, "Method") {
				return strings.ToUpper(strings.TrimPrefix(sel.Sel.Name, "Method")), true
			}
		}
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
			x, ok1 := text(b.X)
			y, ok2 := text(b.Y)
			return x + y, ok1 && ok2
		}
		return g.strVal(file, e)
	}
	v, ok := text(e)
	if !ok || v == "" {
		return nil, false
	}
	var out []string
	for _, m := range strings.Split(v, ",") {
		m = strings.ToUpper(strings.TrimSpace(m))
		if !httpMethods[m] && m != "*" {
			return nil, false
		}
		if m == "*" {
			m = "GET"
		}
		out = append(out, m)
	}
	return out, true
}

var httpMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true}

// walk reads one function: its router variables, the routes registered
// on them, and the prefixes it hands to the functions it calls.
func (g *goRouter) walk(file string, fn *ast.FuncDecl) {
	if otherRouterFunc.MatchString(fn.Name.Name) {
		return // umputun/remark42's httpToHTTPSRouter: its / redirects, it is no page of the app's
	}
	vars := map[string]string{}
	names := paramNames(fn.Type)
	for i, p := range g.params[fn] {
		if i < len(names) {
			vars[names[i]] = p
		}
	}
	if fn.Recv != nil {
		for _, n := range paramNames(&ast.FuncType{Params: fn.Recv}) {
			delete(vars, n)
		}
	}
	root := g.mounts[fn]
	for n, t := range paramTypes(fn.Type) {
		if _, known := vars[n]; !known && engineTypes[t] {
			// An engine is the app's root, wherever the caller got it
			// (JohnKucharsky/fiber_gorm's Register(r *fiber.App, ...), given
			// its own router.New()'s app): its groups' prefixes are
			// read from there. A group's type says nothing of its prefix.
			// (A fiber app mounted in another with Mount is taken at the
			// root too, as it was before this rule.)
			vars[n] = root
		}
	}
	g.ifs = g.ifs[:0]
	g.localNames = map[string]bool{}
	for _, n := range names {
		g.localNames[n] = true
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IfStmt:
			g.ifs = append(g.ifs, n)
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						g.localNames[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				g.localNames[id.Name] = true
			}
		}
		return true
	})
	g.walkBody(file, fn, fn.Body, vars, root)
}

// walkBody reads a function's body, or a closure's with the router
// variables it sees: a chi Route closure's parameter r is not the r
// outside it, which keeps its own prefix after the closure.
func (g *goRouter) walkBody(file string, fn *ast.FuncDecl, body ast.Node, vars map[string]string, root string) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if i >= len(n.Rhs) || len(n.Lhs) != len(n.Rhs) {
					break
				}
				p, ok := g.prefixOf(file, n.Rhs[i], vars, root)
				if !ok {
					continue
				}
				switch l := l.(type) {
				case *ast.Ident:
					vars[l.Name] = p
				case *ast.SelectorExpr:
					if _, seen := g.fields[l.Sel.Name]; !seen {
						g.fields[l.Sel.Name] = p
						g.changed = true
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if i < len(n.Values) {
					if p, ok := g.prefixOf(file, n.Values[i], vars, root); ok {
						vars[id.Name] = p
					}
				}
			}
		case *ast.ExprStmt:
			if c, ok := n.X.(*ast.CallExpr); ok {
				g.useStatement(file, fn, c)
			}
		case *ast.CallExpr:
			if g.goZeroRoutes(file, n) {
				return false
			}
			if g.tableRoute(file, n) {
				return true
			}
			g.middlewareRoute(file, n)
			if lit, inner := g.call(file, n, vars, root); lit != nil {
				g.walkBody(file, fn, lit.Body, inner, root)
				return false
			}
		case *ast.CompositeLit:
			g.tableRoutes(file, n)
		case *ast.IfStmt:
			g.pathComparison(file, n.Cond)
		case *ast.SwitchStmt:
			g.pathSwitch(file, n)
		}
		return true
	})
}

// otherRouterFunc is a function named for a router beside the app's: an
// HTTP-to-HTTPS redirect, an ACME challenge responder.
var otherRouterFunc = regexp.MustCompile(`(?i)redirect|to_?https|acme|challenge|letsencrypt`)

// pingModules are middleware packages whose handlers answer a path of
// their own before the router: go-pkgz/rest's Ping answers /ping
// (umputun/remark42's router.Use(R.Ping)), chi's middleware.Heartbeat
// the path it is given.
var pingModules = map[string]bool{"github.com/go-pkgz/rest": true, "github.com/go-chi/chi/middleware": true, "github.com/go-chi/chi/v5/middleware": true}

// middlewareRoute records the path such a middleware answers, given to a
// router's Use: rest.Ping's /ping, middleware.Heartbeat("/health")'s.
func (g *goRouter) middlewareRoute(file string, c *ast.CallExpr) {
	if sel, ok := c.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Use" {
		return
	}
	for _, a := range c.Args {
		switch a := a.(type) {
		case *ast.SelectorExpr:
			if pkg, ok := a.X.(*ast.Ident); ok && a.Sel.Name == "Ping" && g.pingMW[file][pkg.Name] == "github.com/go-pkgz/rest" {
				g.add(file, a, "", false, "/ping")
			}
		case *ast.CallExpr:
			sel, ok := a.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Heartbeat" || len(a.Args) != 1 {
				continue
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && strings.Contains(g.pingMW[file][pkg.Name], "go-chi") {
				if p, ok := g.strVal(file, a.Args[0]); ok {
					g.add(file, a, "", false, p)
				}
			}
		}
	}
}

// pathComparison records the route a handler of the program's own
// dispatches by comparing the request's path: binwiederhier/ntfy's
// `if r.Method == http.MethodGet && r.URL.Path == apiHealthPath`, where
// apiHealthPath is "/v1/health". A comparison joined with a method other
// than GET or HEAD is no GET route.
func (g *goRouter) pathComparison(file string, cond ast.Expr) {
	var paths []ast.Expr
	get := true
	var terms func(e ast.Expr)
	terms = func(e ast.Expr) {
		b, ok := e.(*ast.BinaryExpr)
		if !ok {
			if p, ok := e.(*ast.ParenExpr); ok {
				terms(p.X)
			}
			return
		}
		switch b.Op {
		case token.LAND:
			terms(b.X)
			terms(b.Y)
		case token.EQL:
			for _, side := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
				if fields := selectorFields(side[0]); len(fields) > 0 {
					switch strings.Join(fields, ".") {
					case "URL.Path":
						paths = append(paths, side[1])
					case "Method":
						get = get && g.readsGET(file, []ast.Expr{side[1]})
					}
				}
			}
		}
	}
	terms(cond)
	if !get {
		return
	}
	for _, e := range paths {
		if p, ok := g.comparedPath(file, e); ok && strings.HasPrefix(p, "/") {
			g.add(file, e, "", false, p)
		}
	}
}

// fieldSet is a value assigned to a struct field, in a file; nil when
// the run sets it (a flag's pointer, a call's result).
type fieldSet struct {
	file  string
	value ast.Expr
}

// setField records a value a field of the name gets.
func (g *goRouter) setField(file, field string, v ast.Expr) {
	if g.fieldSets == nil {
		g.fieldSets = map[string][]fieldSet{}
	}
	if len(g.fieldSets[field]) < 64 {
		g.fieldSets[field] = append(g.fieldSets[field], fieldSet{file, v})
	} else {
		g.fieldSets[field][0] = fieldSet{file, nil} // too many to be one value
	}
}

// comparedPath is the path a handler compares the request's path with: a
// string, or a configuration's field that the program sets to one value
// alone (hound's `r.URL.Path == s.cfg.HealthCheckURI`, which config.go
// sets to its constant "/healthz" when the configuration file leaves it
// empty). A field set to two values, or by the run (a flag's pointer, a
// call's result), or never set, is no path. Fields are known by name
// alone: another struct's field of the name set to another value makes
// it no path too.
func (g *goRouter) comparedPath(file string, e ast.Expr) (string, bool) {
	if v, ok := g.strVal(file, e); ok {
		return v, true
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	if _, isPkg := sel.X.(*ast.Ident); isPkg {
		return "", false // a package's own value, or a variable's field: strVal's
	}
	sets := g.fieldSets[sel.Sel.Name]
	v := ""
	for i, s := range sets {
		if s.value == nil {
			return "", false
		}
		w, ok := g.strVal(s.file, s.value)
		if !ok || (i > 0 && w != v) {
			return "", false
		}
		v = w
	}
	return v, len(sets) > 0
}

// pathSwitch records the routes of a switch on the request's path
// (switch r.URL.Path { case "/healthz": ... }).
func (g *goRouter) pathSwitch(file string, n *ast.SwitchStmt) {
	if n.Tag == nil || strings.Join(selectorFields(n.Tag), ".") != "URL.Path" {
		return
	}
	for _, st := range n.Body.List {
		if cc, ok := st.(*ast.CaseClause); ok {
			for _, e := range cc.List {
				if p, ok := g.comparedPath(file, e); ok && strings.HasPrefix(p, "/") {
					g.add(file, e, "", false, p)
				}
			}
		}
	}
}

// routeConstructor is a function of the program's own that makes a route
// table's entry from its path: ncarlier/webhookd's route("/healthz",
// healthz, mws...), newRoute.
var routeConstructor = regexp.MustCompile(`^(?:[Nn]ew)?[Rr]oute$`)

// tableRoute records an entry a route constructor of the program's own
// makes, its path first; a router registers the table elsewhere
// (router.Handle(route.Path, handler) in a loop).
func (g *goRouter) tableRoute(file string, c *ast.CallExpr) bool {
	id, ok := c.Fun.(*ast.Ident)
	if !ok || !routeConstructor.MatchString(id.Name) || len(c.Args) < 2 || len(g.funcs[id.Name]) == 0 {
		return false
	}
	if _, closure := c.Args[len(c.Args)-1].(*ast.FuncLit); closure {
		return false
	}
	p, ok := g.strVal(file, c.Args[0])
	if !ok || !strings.HasPrefix(p, "/") {
		return false
	}
	g.add(file, c, "", false, p)
	g.out[len(g.out)-1].table = true
	return true
}

// tableRoutes records the entries of a route table written as struct
// literals, the gorilla/mux tutorials' Routes{Route{"Index", "GET", "/",
// Index}, ...} or []Route{{Method: "GET", Pattern: "/healthz", ...}}: the
// field that is a path, where the method field, if any, is GET.
func (g *goRouter) tableRoutes(file string, lit *ast.CompositeLit) {
	// The type by its name, through a pointer and a package:
	// chartmuseum's []*cm_router.Route{{"GET", "/health", h, ""}}.
	name := func(e ast.Expr) string {
		if st, ok := e.(*ast.StarExpr); ok {
			e = st.X
		}
		if sel, ok := e.(*ast.SelectorExpr); ok {
			e = sel.Sel
		}
		if id, ok := e.(*ast.Ident); ok {
			return id.Name
		}
		return ""
	}
	var elem string
	switch t := lit.Type.(type) {
	case *ast.Ident:
		elem = t.Name
	case *ast.ArrayType:
		if n := name(t.Elt); n != "" {
			elem = n + "s"
		}
	}
	if elem != "Routes" && elem != "routes" {
		return
	}
	for _, e := range lit.Elts {
		entry, ok := e.(*ast.CompositeLit)
		if !ok {
			continue
		}
		path, method := "", ""
		for _, f := range entry.Elts {
			if kv, ok := f.(*ast.KeyValueExpr); ok {
				f = kv.Value
			}
			v, ok := g.strVal(file, f)
			switch {
			case !ok:
			case strings.HasPrefix(v, "/") && path == "":
				path = v
			case httpMethods[strings.ToUpper(v)] && strings.ToUpper(v) == v:
				method = v
			}
		}
		if path != "" && (method == "" || method == "GET") {
			g.add(file, entry, "", false, path)
			g.out[len(g.out)-1].table = true
		}
	}
}

// engineTypes are the router types that are an app's root, never a
// group of it: fiber's App, gin's Engine, echo's Echo.
var engineTypes = map[string]bool{"*fiber.App": true, "*gin.Engine": true, "*echo.Echo": true}

// paramTypes are a function's named parameters' types, written as
// *pkg.Name.
func paramTypes(ft *ast.FuncType) map[string]string {
	out := map[string]string{}
	if ft == nil || ft.Params == nil {
		return out
	}
	for _, f := range ft.Params.List {
		star, ok := f.Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		sel, ok := star.X.(*ast.SelectorExpr)
		if !ok {
			continue
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok {
			continue
		}
		for _, n := range f.Names {
			out[n.Name] = "*" + pkg.Name + "." + sel.Sel.Name
		}
	}
	return out
}

func paramNames(ft *ast.FuncType) []string {
	var out []string
	if ft == nil || ft.Params == nil {
		return nil
	}
	for _, f := range ft.Params.List {
		if len(f.Names) == 0 {
			out = append(out, "_")
		}
		for _, n := range f.Names {
			out = append(out, n.Name)
		}
	}
	return out
}

// call reads a call: a route registration, a group handed to a closure
// (chi's Route), a router mounted under a prefix, or a module function
// given a router. A closure that gets a router of its own (chi's Route
// and Group) is returned with the variables its body sees.
func (g *goRouter) call(file string, c *ast.CallExpr, vars map[string]string, root string) (lit *ast.FuncLit, inner map[string]string) {
	sel, isSel := c.Fun.(*ast.SelectorExpr)
	name := ""
	switch f := c.Fun.(type) {
	case *ast.SelectorExpr:
		name = f.Sel.Name
	case *ast.Ident:
		name = f.Name
	}
	if isSel {
		recv, known := g.prefixOf(file, sel.X, vars, root)
		// A wrapper taking the method first: Handle(http.MethodGet, "v1", "/liveness", h).
		if len(c.Args) >= 3 && isHTTPMethod(c.Args[0]) {
			var parts []string
			for _, a := range c.Args[1:] {
				s, ok := g.strVal(file, a)
				if !ok {
					break
				}
				parts = append(parts, s)
			}
			if len(parts) > 0 && len(parts) < len(c.Args)-1 {
				g.add(file, c, recv, known, joinPath(parts...))
				return
			}
		}
		// gin's g.Match([]string{"GET", "HEAD"}, "/health", h): the
		// methods first, then the path; a route for reading when GET or
		// HEAD is among them.
		if name == "Match" && len(c.Args) >= 3 {
			if methods, ok := c.Args[0].(*ast.CompositeLit); ok {
				if p, ok := g.strVal(file, c.Args[1]); ok && g.readsGET(file, methods.Elts) {
					g.add(file, c, recv, known, p)
				}
				return
			}
		}
		// ozzo-routing's r.To("GET,HEAD", "/healthcheck", h)
		// (qiangxue/go-rest-api): the methods as one string, then the
		// path; a route for reading when GET or HEAD is among them.
		if name == "To" && len(c.Args) >= 3 {
			if _, ok := g.strVal(file, c.Args[0]); ok {
				if p, ok := g.strVal(file, c.Args[1]); ok && g.readsGET(file, c.Args[:1]) {
					g.add(file, c, recv, known, p)
				}
				return
			}
		}
		// gorilla/mux's r.Path("/status").Handler(h), with Methods in
		// the chain or not (inbucket's Router.Path(prefix("/status"))
		// .Handler(spaHandler)); a PathPrefix is no page.
		if (name == "Handler" || name == "HandlerFunc") && len(c.Args) == 1 {
			if p, on, reads, ok := g.muxPathChain(file, sel.X); ok {
				if reads {
					r, k := g.prefixOf(file, on, vars, root)
					g.add(file, c, r, k, p)
				}
				return
			}
		}
		if routeMethods[name] && len(c.Args) >= 2 {
			p, ok := g.pathVal(file, c.Args[0])
			configured := ""
			if st, isSetting := g.settingPath(c.Args[0]); !ok && isSetting {
				p, ok, configured = st.value, true, fmt.Sprintf("the default of %s (%s), which the configuration can change", st.key, st.where)
			}
			if ok {
				// Go 1.22 patterns: "GET /healthz" is read with GET (and
				// HEAD); "POST /post" and "HEAD /head" answer a GET with 405.
				// "/{$}" is exactly "/" (mccutchen/go-httpbin's
				// HandleFunc("GET /{$}", h.Index)).
				if method, rest, cut := strings.Cut(p, " "); cut && httpMethods[method] {
					if method != "GET" {
						return
					}
					p = strings.TrimSpace(rest)
				}
				p = strings.TrimSuffix(p, "{$}")
				// mux.Handle("/", grpcMux): another router mounted at the
				// root (simplebank's grpc-gateway); what / answers is its
				// business, and its routes are not read here.
				if h, ok := c.Args[1].(*ast.Ident); ok && (p == "/" || p == "") && g.muxes[file][h.Name] {
					return
				}
				n := len(g.out)
				g.add(file, c, recv, known, p)
				if configured != "" {
					for i := n; i < len(g.out); i++ {
						g.out[i].Why = configured
					}
				}
				g.addDocsPage(file, c, recv, known, p)
				// A middleware or wrapper on the route itself: gin's
				// r.GET("/me", authRequired(), h), ecom's
				// HandleFunc("/cart", auth.WithJWTAuth(h.checkout, store)).
				var calls []ast.Expr
				for _, a := range c.Args[1:] {
					if _, ok := a.(*ast.CallExpr); ok {
						calls = append(calls, a)
					}
				}
				if id := g.guardOf(file, c, calls); id >= 0 {
					for i := n; i < len(g.out); i++ {
						if g.out[i].guarded == "" {
							g.out[i].guarded = g.guards[id]
						}
					}
				}
				return
			}
		}
		// flamego's and macaron's m.Route("/healthcheck",
		// http.MethodHead+","+http.MethodGet, healthCheck) (gogs): a route
		// for the methods its second argument lists, GET among them.
		if name == "Route" && len(c.Args) >= 3 {
			if methods, ok := g.methodList(file, c.Args[1]); ok {
				if p, ok := g.pathVal(file, c.Args[0]); ok && slices.Contains(methods, "GET") {
					g.add(file, c, recv, known, p)
				}
				return
			}
		}
		// chi's r.Route("/api", func(r chi.Router) {...}), fiber's Route,
		// Iris's app.PartyFunc("/api", func(r iris.Party) {...}); chi's
		// r.Group(func(r chi.Router) {...}) at the same prefix.
		if (name == "Route" || name == "Group" || name == "PartyFunc") && len(c.Args) >= 1 {
			if closure, ok := c.Args[len(c.Args)-1].(*ast.FuncLit); ok {
				inner = maps.Clone(vars)
				ps := paramNames(closure.Type)
				p, ok := "", len(c.Args) == 1 && known
				if len(c.Args) >= 2 {
					p, ok = g.strVal(file, c.Args[0])
				}
				if len(ps) > 0 {
					delete(inner, ps[0])
					if ok {
						inner[ps[0]] = joinPath(recv, p)
					}
				}
				return closure, inner
			}
		}
		// chi's r.Mount("/admin", adminRouter()): the routes of the
		// router that function makes are under the prefix.
		if name == "Mount" && len(c.Args) == 2 && known {
			if p, ok := g.strVal(file, c.Args[0]); ok {
				if inner, ok := c.Args[1].(*ast.CallExpr); ok {
					for _, fn := range g.funcs[calleeName(inner)] {
						if _, seen := g.mounts[fn]; !seen {
							g.mounts[fn] = joinPath(recv, p)
							g.changed = true
						}
					}
				}
			}
			return
		}
	}
	// A module function handed a router: its parameter has the prefix.
	decls := g.funcs[name]
	if len(decls) == 0 || len(decls) > 8 {
		return
	}
	for i, a := range c.Args {
		p, ok := g.prefixOf(file, a, vars, root)
		if !ok {
			continue
		}
		for _, fn := range decls {
			if len(paramNames(fn.Type)) <= i {
				continue
			}
			if g.params[fn] == nil {
				g.params[fn] = map[int]string{}
			}
			if _, seen := g.params[fn][i]; !seen {
				g.params[fn][i] = p
				g.changed = true
			}
		}
	}
	return nil, nil
}

// addGlobal records a package-level variable of package dir holding a
// router made there.
func (g *goRouter) addGlobal(dir, name string) {
	if g.globals[dir] == nil {
		g.globals[dir] = map[string]bool{}
	}
	g.globals[dir][name] = true
}

func calleeName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.Ident:
		return f.Name
	}
	return ""
}

// recordSetting records viper's SetDefault("api.health_uri", "/healthz"):
// a key whose default is a path.
func (g *goRouter) recordSetting(file string, c *ast.CallExpr) {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "SetDefault" || len(c.Args) != 2 {
		return
	}
	key, ok1 := g.strVal(file, c.Args[0])
	value, ok2 := g.strVal(file, c.Args[1])
	if !ok1 || !ok2 || !strings.HasPrefix(value, "/") || !routeSettingKey.MatchString(key) {
		return
	}
	norm := settingKey(strings.Split(key, "."))
	if old, seen := g.settings[norm]; seen && old.value != value {
		g.settings[norm] = setting{value: ambiguousConst}
		return
	}
	g.settings[norm] = setting{value: value, key: key, where: Evidence{File: file, Line: g.fset.Position(c.Pos()).Line}.Where()}
}

// routeSettingKey is a setting whose value is a route's path, by its last
// word: api.health_uri, server.health_path, healthCheck.path,
// HEALTHCHECK_URL (not a directory's path such as storage.dir).
var routeSettingKey = regexp.MustCompile(`(?i)(?:path|uri|url|route|endpoint|prefix)$`)

// settingKey runs a key's words together in lower case, as viper matches
// a struct's field to a key: health_uri and HealthURI are one.
func settingKey(parts []string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(p))
	}
	return strings.Join(out, ".")
}

// selectorFields are the field names a selector chain reads below the
// variable it starts from (cfg.API.HealthURI: API, HealthURI); nil when
// it does not start from a variable.
func selectorFields(e ast.Expr) []string {
	var names []string
	for {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			break
		}
		names = append([]string{sel.Sel.Name}, names...)
		e = sel.X
	}
	if _, ok := e.(*ast.Ident); !ok {
		return nil
	}
	return names
}

// settingPath is the default path of the configuration field a route's
// path reads (r.GET(cfg.API.HealthURI, h)): the longest tail of the
// selector, below the variable, that names a key SetDefault gives a path.
func (g *goRouter) settingPath(e ast.Expr) (setting, bool) {
	names := selectorFields(e)
	if len(names) == 0 {
		return setting{}, false
	}
	for i := range names {
		// A one-word key only for the variable's own field (cfg.HealthPath),
		// not the tail of a longer selector (cfg.Admin.Path is no "path").
		if i == len(names)-1 && i > 0 {
			break
		}
		if s, ok := g.settings[settingKey(names[i:])]; ok {
			return s, s.value != ambiguousConst
		}
	}
	return setting{}, false
}

// add records a route; on a receiver of unknown prefix only a path that
// starts with / is one (c.Get("userId") reads a context value).
func (g *goRouter) add(file string, c ast.Node, prefix string, known bool, p string) {
	if !known && !strings.HasPrefix(p, "/") {
		return
	}
	value := p
	if known {
		value = joinPath(prefix, p)
		if p == "/" || p == "" && prefix == "" {
			value = strings.TrimSuffix(prefix, "/") + "/"
		}
	}
	value, why := g.unguard(value)
	if !strings.HasPrefix(value, "/") {
		value = "/" + value
	}
	g.out = append(g.out, route{Evidence: Evidence{Value: value, File: file, Line: g.fset.Position(c.Pos()).Line}, guarded: why})
}

// addDocsPage records the Swagger UI page of a wildcard route whose
// handler comes from a Swagger UI module: a route a health check can use
// when the code has no health route, said as what it is.
func (g *goRouter) addDocsPage(file string, c *ast.CallExpr, prefix string, known bool, p string) {
	dir, last := path.Split(p)
	if !strings.HasPrefix(last, "*") || (!known && !strings.HasPrefix(p, "/")) {
		return
	}
	mod := ""
	for _, a := range c.Args[1:] {
		ast.Inspect(a, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && g.docsUI[file][id.Name] != "" {
					mod = g.docsUI[file][id.Name]
				}
			}
			return mod == ""
		})
	}
	if mod == "" {
		return
	}
	if known {
		dir = joinPath(prefix, dir)
	}
	line := g.fset.Position(c.Pos()).Line
	why := "the API's Swagger UI page (" + mod + "), served without a session"
	for _, i := range g.ifs {
		if i.Body.Pos() <= c.Pos() && c.Pos() < i.Body.End() {
			why += fmt.Sprintf("; registered only when the if at %s:%d holds", file, g.fset.Position(i.Pos()).Line)
			break
		}
	}
	value, guard := g.unguard(joinPath(dir, "index.html"))
	g.out = append(g.out, route{Evidence: Evidence{Value: value, File: file, Line: line}, page: why, guarded: guard})
}

// prefixOf is the path prefix of a router expression, and whether it is
// known.
func (g *goRouter) prefixOf(file string, e ast.Expr, vars map[string]string, root string) (string, bool) {
	switch e := e.(type) {
	case *ast.Ident:
		p, ok := vars[e.Name]
		if !ok && g.globals[path.Dir(file)][e.Name] && !g.localNames[e.Name] {
			p, ok = "", true
		}
		if ok {
			p = guarded(p, g.scopedGuardOf(e.Name, e.Pos()))
		}
		return p, ok
	case *ast.ParenExpr:
		return g.prefixOf(file, e.X, vars, root)
	case *ast.UnaryExpr:
		return g.prefixOf(file, e.X, vars, root)
	case *ast.SelectorExpr:
		if e.Sel.Name == "RouterGroup" {
			// gin's engine's own group (&r.RouterGroup): the engine's
			// routes, unguarded (podgrab's else branch to the one
			// behind gin.BasicAuth when $PASSWORD is set).
			return g.prefixOf(file, e.X, vars, root)
		}
		p, ok := g.fields[e.Sel.Name]
		return p, ok
	case *ast.CallExpr:
		sel, ok := e.Fun.(*ast.SelectorExpr)
		if !ok {
			return "", false
		}
		// Any package's NewRouter makes a router served at its root
		// (pocketbase's tools/router: router.NewRouter(eventFactory)).
		if pkg, ok := sel.X.(*ast.Ident); ok && (routerConstructors[pkg.Name+"."+sel.Sel.Name] || sel.Sel.Name == "NewRouter" ||
			g.routerPkgs[file][pkg.Name] && (sel.Sel.Name == "New" || sel.Sel.Name == "Default")) {
			return root, true
		}
		switch sel.Sel.Name {
		case "Group", "PathPrefix", "Route", "Party":
			parent, ok := g.prefixOf(file, sel.X, vars, root)
			if !ok || len(e.Args) == 0 {
				return "", false
			}
			if _, isFunc := e.Args[len(e.Args)-1].(*ast.FuncLit); isFunc && sel.Sel.Name == "Route" {
				return "", false
			}
			p, ok := g.strVal(file, e.Args[0])
			if !ok {
				return "", false
			}
			// gin's, echo's and fiber's middlewares after the prefix.
			return guarded(joinPath(parent, p), g.guardOf(file, e, e.Args[1:])), true
		case "With", "Use":
			parent, ok := g.prefixOf(file, sel.X, vars, root)
			return guarded(parent, g.guardOf(file, e, e.Args)), ok
		case "Subrouter", "Host":
			return g.prefixOf(file, sel.X, vars, root)
		}
	}
	return "", false
}

// readsGET reports whether a route's methods, as the code lists them,
// answer a GET: "GET", http.MethodGet, "GET,HEAD" (ozzo-routing's one
// string), HEAD counting as GET.
func (g *goRouter) readsGET(file string, methods []ast.Expr) bool {
	for _, m := range methods {
		v, _ := g.strVal(file, m)
		if sel, ok := m.(*ast.SelectorExpr); ok && isHTTPMethod(m) {
			v = strings.TrimPrefix(sel.Sel.Name, "Method")
		}
		for _, one := range strings.Split(v, ",") {
			if one = strings.ToUpper(strings.TrimSpace(one)); one == "GET" || one == "HEAD" {
				return true
			}
		}
	}
	return false
}

// muxPathChain reads a gorilla/mux route chain below its Handler call:
// the path its Path call gives, the router it starts from, and whether
// it answers GET (no Methods call, or one naming GET or HEAD).
func (g *goRouter) muxPathChain(file string, e ast.Expr) (p string, on ast.Expr, reads, ok bool) {
	reads = true
	for {
		c, isCall := e.(*ast.CallExpr)
		if !isCall {
			return p, e, reads, ok
		}
		sel, isSel := c.Fun.(*ast.SelectorExpr)
		if !isSel {
			return p, e, reads, ok
		}
		switch sel.Sel.Name {
		case "Path":
			if len(c.Args) != 1 || ok {
				return "", nil, false, false
			}
			if p, ok = g.pathVal(file, c.Args[0]); !ok {
				return "", nil, false, false
			}
		case "Methods":
			reads = reads && g.readsGET(file, c.Args)
		case "Name", "Schemes":
		case "Queries", "Headers", "Host":
			reads = false // a probe without them gets a 404
		default:
			return p, e, reads, ok
		}
		e = sel.X
	}
}

// prefixer names a call that makes a function putting a configurable base
// path before a route's own (inbucket's prefix := stringutil
// .MakePathPrefixer(conf.Web.BasePath), then Router.Path(prefix("/status"))).
var prefixer = regexp.MustCompile(`(?i)prefixer$`)

// pathVal is the path a route is registered on: a string expression, or
// one handed to a variable a prefixer call made, read with its default
// empty base.
func (g *goRouter) pathVal(file string, e ast.Expr) (string, bool) {
	if c, ok := e.(*ast.CallExpr); ok && len(c.Args) == 1 {
		if id, ok := c.Fun.(*ast.Ident); ok && g.prefixers[file][id.Name] {
			return g.strVal(file, c.Args[0])
		}
	}
	if c, ok := e.(*ast.CallExpr); ok && len(c.Args) > 0 {
		if id, ok := c.Fun.(*ast.Ident); ok && len(g.funcs[id.Name]) == 1 {
			// h2non/imaginary's join(o, "/health"), path.Join(o.PathPrefix,
			// route): the route under its prefix, empty where the caller
			// gives it (an option, unset).
			if prefix, ok := g.joinerPrefix(g.funcs[id.Name][0]); ok {
				route, ok := g.strVal(file, c.Args[len(c.Args)-1])
				return joinPath(prefix, route), ok
			}
		}
	}
	return g.strVal(file, e)
}

// joinerPrefix is what a function puts before its last parameter, where
// its one statement returns the parameter joined after other values:
// return path.Join(o.PathPrefix, route), return "/api/v1" + p. A value
// the caller gives (a parameter, or a field of one) counts as empty, a
// string the code holds as itself; ok is false for any other function.
func (g *goRouter) joinerPrefix(fd *ast.FuncDecl) (string, bool) {
	if fd.Recv != nil || fd.Body == nil || len(fd.Body.List) != 1 || fd.Type.Params == nil || len(fd.Type.Params.List) == 0 {
		return "", false
	}
	params := map[string]bool{}
	var last string
	for _, f := range fd.Type.Params.List {
		for _, n := range f.Names {
			params[n.Name], last = true, n.Name
		}
	}
	ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
	if last == "" || !ok || len(ret.Results) != 1 {
		return "", false
	}
	file := g.fset.Position(fd.Pos()).Filename
	// part is one value before the route: a parameter's (or its field's),
	// empty; a string of the code's, itself.
	part := func(e ast.Expr) (string, bool) {
		switch x := e.(type) {
		case *ast.Ident:
			if params[x.Name] {
				return "", x.Name != last
			}
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && params[id.Name] {
				return "", true
			}
		}
		return g.strVal(file, e)
	}
	var before []ast.Expr
	switch x := ret.Results[0].(type) {
	case *ast.CallExpr:
		sel, ok := x.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Join" || len(x.Args) < 2 {
			return "", false
		}
		if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "path" && pkg.Name != "filepath" {
			return "", false
		}
		if id, ok := x.Args[len(x.Args)-1].(*ast.Ident); !ok || id.Name != last {
			return "", false
		}
		before = x.Args[:len(x.Args)-1]
	case *ast.BinaryExpr:
		if id, ok := x.Y.(*ast.Ident); x.Op != token.ADD || !ok || id.Name != last {
			return "", false
		}
		before = []ast.Expr{x.X}
	default:
		return "", false
	}
	var parts []string
	for _, e := range before {
		v, ok := part(e)
		if !ok {
			return "", false
		}
		parts = append(parts, v)
	}
	return joinPath(parts...), true
}

// strVal is the value of a string expression: a literal, a constant, a
// concatenation of them.
func (g *goRouter) strVal(file string, e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return g.strVal(file, e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := g.strVal(file, e.X)
		if star, ok := e.X.(*ast.StarExpr); ok {
			// A flag's value first: a root the program is told, read
			// as its default where its declaration in this file gives
			// one (pushgateway's *routePrefix+"/-/healthy", its
			// --web.route-prefix's Default("")).
			if id, ok := star.X.(*ast.Ident); ok {
				a, ok1 = g.flagDefault(file, id.Name)
			}
		}
		b, ok2 := g.strVal(file, e.Y)
		return a + b, ok1 && ok2
	case *ast.Ident:
		if v, ok := g.local[file][e.Name]; ok {
			return v, true
		}
		v, ok := g.consts[e.Name]
		return v, ok && v != ambiguousConst
	case *ast.SelectorExpr:
		if _, isPkg := e.X.(*ast.Ident); isPkg {
			v, ok := g.consts[e.Sel.Name]
			return v, ok && v != ambiguousConst
		}
	}
	return "", false
}

// flagString is a string flag's declaration and its default: kingpin's
// and cobra's Flag(...).Default("x").String(), the flag package's
// String(name, "x", usage) and pflag's StringP(name, short, "x", usage).
var flagString = `\s*(?::=|=)\s*(?:[\w.]+\.Flag\(.*\)\.Default\("([^"]*)"\)\.String\(\)|[\w.]*\bString\(\s*"[^"]*"\s*,\s*"([^"]*)"|[\w.]*\bStringP\(\s*"[^"]*"\s*,\s*"[^"]*"\s*,\s*"([^"]*)")`

// flagDefault is the default of the string flag name holds, declared in
// file; ok is false where no declaration there says.
func (g *goRouter) flagDefault(file, name string) (string, bool) {
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + flagString)
	for _, line := range g.read(file) {
		if m := re.FindStringSubmatch(line); m != nil {
			return m[1] + m[2] + m[3], true
		}
	}
	return "", false
}

func isHTTPMethod(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		if pkg, ok := e.X.(*ast.Ident); ok && pkg.Name == "http" && strings.HasPrefix(e.Sel.Name, "Method") {
			return true
		}
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return err == nil && httpMethods[s]
	}
	return false
}

// joinPath joins path segments as a router does: one slash between
// each, "/" at the front, a trailing slash kept; "" when all are empty.
func joinPath(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, seg := range strings.Split(p, "/") {
			if seg != "" && seg != "." {
				b.WriteString("/" + seg)
			}
		}
	}
	out := b.String()
	last := ""
	for _, p := range parts {
		if p != "" {
			last = p
		}
	}
	if last == "" {
		return ""
	}
	if strings.HasSuffix(last, "/") {
		out += "/"
	}
	return out
}

// isMuxConstructor reports whether a call makes a router or mux of its
// own: gin.New(), chi.NewRouter(), http.NewServeMux(), grpc-gateway's
// runtime.NewServeMux(opts...).
func isMuxConstructor(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	return routerConstructors[pkg.Name+"."+sel.Sel.Name] || sel.Sel.Name == "NewServeMux" || sel.Sel.Name == "NewRouter"
}
