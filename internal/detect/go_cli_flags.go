package detect

import (
	"go/ast"
	"go/token"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// cliListenFlagName is a urfave/cli flag's name that says it is the
// server's listen address or port: ntfy's listen-http, --port,
// --http-addr.
var cliListenFlagName = regexp.MustCompile(`^(?i:port|http[-_]?port|listen|listen[-_]?(?:http|addr(?:ess)?|port)|http[-_]?(?:listen|addr(?:ess)?)|addr(?:ess)?|bind(?:[-_]?addr(?:ess)?)?)$`)

// goCLIListenFlag is the port a urfave/cli flag of the program's gives
// by default, and the variable that flag is read from, in one Evidence
// whose Why names it as "$VAR" (ntfy's cmd/serve.go:
// &cli.StringFlag{Name: "listen-http", EnvVars:
// []string{"NTFY_LISTEN_HTTP"}, Value: server.DefaultListenHTTP}, a
// constant ":80" in another package). Its default is a literal or a
// package-level string the program declares once; the variable is v1's
// EnvVar, v2's EnvVars or v3's Sources: cli.EnvVars(...). One such flag
// only: two (a metrics listener not named as one) leave it open. scope
// holds the program's package directories; nil reads all.
func (r *repo) goCLIListenFlag(scope map[string]bool) *Evidence {
	var found []Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || scope != nil && !scope[path.Dir(f)] {
			continue
		}
		text := strings.Join(r.read(f), "\n")
		if !strings.Contains(text, "github.com/urfave/cli") {
			continue
		}
		file, _ := r.goFile(f)
		if file == nil {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || lit.Type == nil {
				return true
			}
			kind := exprName(lit.Type)
			if !strings.HasSuffix(kind, ".StringFlag") && !strings.HasSuffix(kind, ".IntFlag") && !strings.HasSuffix(kind, ".UintFlag") {
				return true
			}
			if e := r.cliFlagPort(scope, f, lit); e != nil {
				found = append(found, *e)
			}
			return false
		})
	}
	if len(found) != 1 {
		return nil
	}
	return &found[0]
}

// cliFlagPort reads one urfave/cli flag literal: the port its default
// gives and the variable it is read from, when its name is a listen
// flag's.
func (r *repo) cliFlagPort(scope map[string]bool, file string, lit *ast.CompositeLit) *Evidence {
	var name, env, value string
	var valueExpr ast.Expr
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		switch key.Name {
		case "Name":
			name = stringLit(kv.Value)
		case "EnvVar": // v1: "A,B"
			env, _, _ = strings.Cut(stringLit(kv.Value), ",")
		case "EnvVars": // v2: []string{"A"}
			env = firstStringArg(kv.Value)
		case "Sources": // v3: cli.EnvVars("A"), cli.NewValueSourceChain(cli.EnvVar("A")); not cli.Files(...)
			env = cliEnvSource(kv.Value)
		case "Value":
			valueExpr = kv.Value
		}
	}
	if !cliListenFlagName.MatchString(name) || project.OtherServer(name) || valueExpr == nil {
		return nil
	}
	port, from := "", ""
	switch v := valueExpr.(type) {
	case *ast.BasicLit:
		switch v.Kind {
		case token.INT:
			port, from = v.Value, v.Value
		case token.STRING:
			value, _ = strconv.Unquote(v.Value)
			from = strconv.Quote(value)
		}
	default:
		if decl := r.goPackageString(scope, valueExpr); decl != nil {
			value, from = decl.Value, exprName(valueExpr)+" ("+strconv.Quote(decl.Value)+", "+decl.Where()+")"
		}
	}
	if value != "" {
		if m := addrPort.FindStringSubmatch(value); m != nil {
			port = m[1]
		} else if _, err := strconv.Atoi(value); err == nil {
			port = value
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || servicePorts[port] != "" {
		return nil
	}
	if !envName.MatchString(env) {
		env = ""
	}
	why := "the default of its urfave/cli flag --" + name + ", " + from
	if env != "" {
		why += ", read from $" + env + " too"
		if strings.Contains(value, ":") {
			// The variable holds an address, whatever its name says:
			// APP_PORT=:8090, not 8090 (ListenAndServe("8090") fails).
			why += ", an address"
		}
	}
	return &Evidence{Value: port, File: file, Line: r.goFset().Position(lit.Pos()).Line, Why: why}
}

// stringLit is a string literal's value; "" for anything else.
func stringLit(e ast.Expr) string {
	if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
		v, _ := strconv.Unquote(lit.Value)
		return v
	}
	return ""
}

// firstStringArg is the first string literal of a slice literal or a
// call's arguments: []string{"A", "B"} and cli.EnvVars("A") give A.
func firstStringArg(e ast.Expr) string {
	var elts []ast.Expr
	switch v := e.(type) {
	case *ast.CompositeLit:
		elts = v.Elts
	case *ast.CallExpr:
		elts = v.Args
	}
	if len(elts) == 0 {
		return ""
	}
	return stringLit(elts[0])
}

// cliEnvSource is the variable a urfave/cli v3 Sources value reads:
// cli.EnvVars("A", ...) or cli.EnvVar("A") inside a chain; "" for files
// and anything else.
func cliEnvSource(e ast.Expr) string {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return ""
	}
	switch name := exprName(c.Fun); {
	case strings.HasSuffix(name, ".EnvVars") || strings.HasSuffix(name, ".EnvVar"):
		return firstStringArg(c)
	case strings.HasSuffix(name, ".NewValueSourceChain"):
		for _, a := range c.Args {
			if v := cliEnvSource(a); v != "" {
				return v
			}
		}
	}
	return ""
}
