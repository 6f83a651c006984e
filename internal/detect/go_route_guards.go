package detect

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// Routes a login layer guards: a group made with an authentication
// middleware (gin's v1.Group("/users").Use(authMiddleware(token)), echo's
// e.Group("/admin", middleware.JWT(key)), fiber's app.Group("/api",
// jwtware.New(cfg)), chi's r.With(jwtauth.Authenticator)), or a router
// given one with Use before its routes (gin's authorized.Use(...), chi's
// r.Use(...) in a Route or Group closure). Such a route answers 401
// without a session, so it is no health check; init still names it, said
// so.
//
// A guard travels with a router's prefix, as a path segment of its own
// (guardMark, its number, guardMark) that add takes off again: it then
// follows the prefix from function to function as the prefix does.

const guardMark = "\x01"

var guardSegment = regexp.MustCompile(`/?` + guardMark + `(\d+)` + guardMark)

// A scopedGuard is a Use(auth) statement on a router variable: the
// variable's routes from there to the end of the scope are guarded.
type scopedGuard struct {
	name     string
	from, to token.Pos
	id       int
}

// loadsIdentity is a middleware named for loading who the user is, where
// a session is optional: mikestefanello/pagoda's LoadAuthenticatedUser
// sets the user when there is one and passes every request on (its
// RequireAuthentication is the guard), OptionalAuth, maybeUser.
var loadsIdentity = regexp.MustCompile(`^(?:[Ll]oad|[Oo]ptional|[Mm]aybe)[A-Z]`)

// guardOf is the guard the middlewares of a call give, -1 when none
// refuses a request: the first argument that names an authentication
// middleware. One given false (gothinkster's AuthMiddleware(false): a
// session is optional) does not refuse.
func (g *goRouter) guardOf(file string, c *ast.CallExpr, args []ast.Expr) int {
	for _, a := range args {
		name := exprName(a)
		if name == "" || !project.AuthName.MatchString(name) || loadsIdentity.MatchString(name[strings.LastIndex(name, ".")+1:]) {
			continue
		}
		if call, ok := a.(*ast.CallExpr); ok && len(call.Args) > 0 {
			if id, ok := call.Args[0].(*ast.Ident); ok && id.Name == "false" {
				continue
			}
		}
		if g.passesEveryRequest(name) {
			continue
		}
		pos := g.fset.Position(c.Pos())
		key := fmt.Sprintf("%s:%d:%d", file, pos.Line, pos.Column)
		if id, seen := g.guardAt[key]; seen {
			return id
		}
		g.guards = append(g.guards, fmt.Sprintf("behind %s (%s:%d): it needs a session", name, file, pos.Line))
		g.guardAt[key] = len(g.guards) - 1
		return len(g.guards) - 1
	}
	return -1
}

// guarded is prefix with guard id on it.
func guarded(prefix string, id int) string {
	if id < 0 {
		return prefix
	}
	return joinPath(guardMark+strconv.Itoa(id)+guardMark, prefix)
}

// unguard takes the guard marks off a route's path: the path, and why a
// request without a session does not reach it ("" when nothing guards).
func (g *goRouter) unguard(value string) (string, string) {
	why := ""
	for _, m := range guardSegment.FindAllStringSubmatch(value, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil && n < len(g.guards) && why == "" {
			why = g.guards[n]
		}
	}
	if why == "" {
		return value, ""
	}
	return guardSegment.ReplaceAllString(value, ""), why
}

// useStatement records x.Use(auth...) as a statement: x's routes after
// it are guarded to the end of the closure that has x as a parameter
// (chi's r.Route("/admin", func(r chi.Router) { r.Use(...) })), else to
// the end of the function.
func (g *goRouter) useStatement(file string, fn *ast.FuncDecl, c *ast.CallExpr) {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Use" {
		return
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return
	}
	for _, i := range g.ifs {
		if i.Body.Pos() <= c.Pos() && c.Pos() < i.Body.End() && onlyWhenSet(i.Cond) {
			// statping-ng's `if authUser != "" && authPass != "" {
			// r.Use(basicAuthHandler) }`: a login the user turns on by
			// setting it; unset, as the image runs it, nothing is guarded.
			return
		}
	}
	id := g.guardOf(file, c, c.Args)
	if id < 0 {
		return
	}
	to := fn.Body.End()
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		lit, ok := n.(*ast.FuncLit)
		if !ok || c.Pos() < lit.Body.Pos() || c.Pos() >= lit.Body.End() {
			return true
		}
		for _, p := range paramNames(lit.Type) {
			if p == x.Name {
				to = lit.Body.End() // the innermost such closure wins: Inspect goes outside in
			}
		}
		return true
	})
	for _, s := range g.scoped {
		if s.from == c.Pos() {
			return
		}
	}
	g.scoped = append(g.scoped, scopedGuard{name: x.Name, from: c.Pos(), to: to, id: id})
}

// onlyWhenSet reports whether a condition holds only when a value is set:
// x != "" (alone or joined with &&), len(x) > 0.
func onlyWhenSet(cond ast.Expr) bool {
	switch c := cond.(type) {
	case *ast.ParenExpr:
		return onlyWhenSet(c.X)
	case *ast.BinaryExpr:
		switch c.Op {
		case token.LAND:
			return onlyWhenSet(c.X) || onlyWhenSet(c.Y)
		case token.NEQ:
			lit, ok := c.Y.(*ast.BasicLit)
			return ok && lit.Kind == token.STRING && (lit.Value == `""` || lit.Value == "``")
		case token.GTR:
			call, ok := c.X.(*ast.CallExpr)
			lit, isLit := c.Y.(*ast.BasicLit)
			return ok && calleeName(call) == "len" && isLit && lit.Value == "0"
		}
	}
	return false
}

// scopedGuardOf is the guard a Use statement puts on variable name at
// pos, -1 when none does.
func (g *goRouter) scopedGuardOf(name string, pos token.Pos) int {
	for _, s := range g.scoped {
		if s.name == name && s.from < pos && pos < s.to {
			return s.id
		}
	}
	return -1
}

// exprName is a middleware expression as written, without its
// arguments: authMiddleware, users.AuthMiddleware, jwtauth.Authenticator.
func exprName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := exprName(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
		return e.Sel.Name
	case *ast.CallExpr:
		return exprName(e.Fun)
	case *ast.ParenExpr:
		return exprName(e.X)
	}
	return ""
}

// refusal is a name in a middleware that may turn a request away: a 401
// or 403, an abort, a redirect to a login, an error written.
var refusal = regexp.MustCompile(`(?i)unauthori[sz]ed|forbidden|^abort|redirect|^error$|^deny|^reject|login`)

// passesEveryRequest reports whether the middleware name calls, a
// function of the module's (of the package its qualifier names, the one
// of its name), passes every request on (traggo's auth.Middleware sets
// the user when there is a session and always calls the next handler;
// init had taken every route behind it for one that needs a session):
//   - it returns only function literals, or calls wrapping one
//     (http.HandlerFunc(func(w, r) {...})), never another middleware;
//   - its handler calls the next one as a statement of its own body, not
//     under a condition, and returns nowhere;
//   - nothing in it refuses (no 401 or 403, no name of a refusal).
//
// A middleware of a library, or of several functions of its name, is
// judged by its name alone.
func (g *goRouter) passesEveryRequest(name string) bool {
	qual, fn, qualified := strings.Cut(name, ".")
	if !qualified {
		fn, qual = qual, ""
	}
	decls := g.funcs[fn]
	if strings.Contains(fn, ".") || len(decls) != 1 || decls[0].Body == nil || decls[0].Recv != nil {
		return false
	}
	d := decls[0]
	if qual != "" && path.Base(path.Dir(g.fset.Position(d.Pos()).Filename)) != qual {
		return false // auth.Middleware of a library, beside a Middleware of the module's
	}
	refuses, handlers := false, 0
	checkHandler := func(body *ast.BlockStmt) {
		handlers++
		next := false
		for _, st := range body.List {
			if es, ok := st.(*ast.ExprStmt); ok {
				if c, ok := es.X.(*ast.CallExpr); ok && callsNext(c) {
					next = true
				}
			}
		}
		ast.Inspect(body, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false // a closure's return is its own
			}
			if _, ok := n.(*ast.ReturnStmt); ok {
				refuses = true
			}
			return !refuses
		})
		refuses = refuses || !next
	}
	if handlerParams(d.Type) {
		checkHandler(d.Body)
	}
	ast.Inspect(d.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			refuses = refuses || n.Value == "401" || n.Value == "403"
		case *ast.Ident:
			refuses = refuses || refusal.MatchString(n.Name)
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				refuses = refuses || !wrapsLiteral(r)
			}
		case *ast.FuncLit:
			if handlerParams(n.Type) {
				checkHandler(n.Body)
			}
		}
		return !refuses
	})
	return !refuses && handlers > 0
}

// callsNext is a call of the next handler: next.ServeHTTP(w, r),
// c.Next(), next(c).
func callsNext(c *ast.CallExpr) bool {
	name := exprName(c.Fun)
	return strings.HasSuffix(name, ".ServeHTTP") || strings.HasSuffix(name, ".Next") || name == "next"
}

// wrapsLiteral reports whether a returned value is a function literal or
// a call wrapping one (http.HandlerFunc(func(w, r) {...})).
func wrapsLiteral(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.FuncLit:
		return true
	case *ast.CallExpr:
		return len(e.Args) == 1 && wrapsLiteral(e.Args[0])
	}
	return false
}

// handlerParams reports whether a function takes a request: net/http's,
// gin's, echo's or fiber's.
func handlerParams(t *ast.FuncType) bool {
	if t.Params == nil {
		return false
	}
	for _, f := range t.Params.List {
		typ := f.Type
		if star, ok := typ.(*ast.StarExpr); ok {
			typ = star.X
		}
		switch exprName(typ) {
		case "http.Request", "gin.Context", "echo.Context", "fiber.Ctx":
			return true
		}
	}
	return false
}
