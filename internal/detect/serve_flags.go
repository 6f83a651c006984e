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

// A ServeFlag is a Go command-line flag whose default does not work in a
// container, which the image therefore passes: a listen address on the
// loopback interface (filebrowser's --address 127.0.0.1), or where the
// program keeps its data, relative to the working directory or unset
// (filebrowser's --database ./filebrowser.db, memos' --data ""), which
// must be the data volume under a read-only root.
type ServeFlag struct {
	Evidence        // Value is the flag's name; Why says what it is
	Kind     string // "listen", "data-file", "data-dir", "data-subdir" (a directory in it), or "choice" (Default is the value passed)
	Default  string
	// Env is the variable viper reads the flag's value from as well (its
	// env prefix and AutomaticEnv, the flag bound): the image sets it, so
	// the environment and a configuration file still take precedence
	// over nothing the image fixed. "" when the flag is read alone.
	Env string
}

// The kinds of flag, by name.
var (
	listenFlagName = regexp.MustCompile(`^(?i:addr|address|host|bind|listen|http|listen[-_.]?addr(?:ess)?|http[-_.]?addr(?:ess)?|bind[-_.]?addr(?:ess)?)$`)
	dataFileName   = regexp.MustCompile(`^(?i:database|db|db[-_.]?(?:path|file)|database[-_.]?(?:path|file))$`)
	// tus/tusd's -upload-dir ./data ("Directory to store uploads in").
	dataDirFlag = regexp.MustCompile(`^(?i:data|data[-_.]?dir|datadir|data[-_.]?path|state[-_.]?dir|storage[-_.]?(?:dir|path)|uploads?[-_.]?(?:dir|path|folder)|files?[-_.]?(?:dir|path))$`)
	// A usage text that says the flag names a place on disk.
	diskUsage = regexp.MustCompile(`(?i)\b(?:dir(?:ectory)?|folder|path|file|database)\b`)
	// A listen flag's usage that says what it binds unset.
	usageLoopback = regexp.MustCompile(`(?i)default(?:s)?(?: to| is)?:?\s*((?:127\.0\.0\.1|localhost):\d{2,5})`)
	// A usage text that says the directory holds the program's data.
	dataUsage = regexp.MustCompile(`(?i)\bdata\b`)
)

// serveFlags finds, in the entry point's code, the string flags whose
// defaults do not work in a container, at most one of each kind.
func (r *repo) serveFlags(s *Stack) []ServeFlag {
	if s.Language != "go" {
		return nil
	}
	program := r.programFiles(s)
	prefix := r.viperFlagEnv(program)
	var out []ServeFlag
	kinds := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || !program(f) {
			continue
		}
		for _, fl := range r.goStringFlags(f) {
			kind, why, def := serveFlagKind(fl.name, fl.value, fl.usage)
			if kind == "" || kinds[kind] || argSets(s.ArgWords, fl.name) {
				// linx-server's Dockerfile passes -bind=0.0.0.0:8080
				// itself: the image would pass it twice.
				continue
			}
			kinds[kind] = true
			env := ""
			if prefix != "" {
				env = prefix + "_" + strings.ToUpper(strings.Join(project.CamelWords(strings.NewReplacer("-", "_", ".", "_").Replace(fl.name)), "_"))
				env = strings.ReplaceAll(env, "__", "_")
			}
			out = append(out, ServeFlag{Evidence: Evidence{Value: fl.name, File: f, Line: fl.line, Why: why}, Kind: kind, Default: def, Env: env})
		}
	}
	return out
}

var (
	viperBindFlags = regexp.MustCompile(`\.BindPFlags?\(`)
)

// argSets reports whether the program's arguments set the flag name
// (-bind=..., --bind ..., -bind).
func argSets(words []string, name string) bool {
	for _, w := range words {
		flag, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if strings.HasPrefix(w, "-") && flag == name {
			return true
		}
	}
	return false
}

// viperFlagEnv is the prefix of the variables viper reads the program's
// flags from (SetEnvPrefix, AutomaticEnv and the flags bound, in the
// entry's code: filebrowser's FB_, memos' MEMOS_), upper case; "" when
// its flags are read alone.
func (r *repo) viperFlagEnv(program func(string) bool) string {
	prefix, auto, bound := "", false, false
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || !program(f) {
			continue
		}
		for _, line := range r.read(f) {
			if m := project.ViperEnvPrefix.FindStringSubmatch(line); m != nil && prefix == "" {
				prefix = strings.ToUpper(m[1])
			}
			auto = auto || viperAutomaticEnv.MatchString(line)
			bound = bound || viperBindFlags.MatchString(line)
		}
	}
	if !auto || !bound {
		return ""
	}
	return prefix
}

// serveFlagKind says whether a flag's default does not work in a
// container, why, and the default as it takes effect: unset, a listen
// flag may say in its usage what it binds (pocketbase's --http: "default
// to 127.0.0.1:8090").
func serveFlagKind(name, value, usage string) (kind, why, def string) {
	if value == "" && listenFlagName.MatchString(name) {
		if m := usageLoopback.FindStringSubmatch(usage); m != nil {
			return "listen", "unset, it listens on " + m[1] + " (its usage says so), loopback only, which nothing outside the container reaches", m[1]
		}
	}
	switch {
	case listenFlagName.MatchString(name) && loopbackHost(value):
		return "listen", "its default " + strconv.Quote(value) + " listens on loopback only, which nothing outside the container reaches", value
	case strings.Contains(value, "://") || path.IsAbs(value) || strings.HasPrefix(value, "~"):
		return "", "", "" // a URL, or a place outside the working directory
	case dataFileName.MatchString(name) && value != "" && path.Ext(value) != "" && diskUsage.MatchString(usage):
		return "data-file", "its default " + strconv.Quote(value) + " is a file in the working directory, on the read-only root", value
	case (dataDirFlag.MatchString(name) || strings.EqualFold(name, "dir") && dataUsage.MatchString(usage)) && diskUsage.MatchString(usage):
		if value == "" {
			return "data-dir", "unset, the program keeps its data where it runs, on the read-only root", value
		}
		return "data-dir", "its default " + strconv.Quote(value) + " is in the working directory, on the read-only root", value
	}
	return "", "", ""
}

// A goFlag is a string flag a Go file declares.
type goFlag struct {
	name, value, usage string // value "" when unset or computed
	line               int
}

// goStringFlags reads the string flags a file declares, with any flag
// set (flag, pflag, cobra's cmd.Flags(), filebrowser's `persistent :=
// cmd.PersistentFlags()`), over as many lines as the call takes
// (pocketbase's StringVar(&pb.dataDir, "dir", baseDir, "the PocketBase
// data directory"), whose default is computed: unset here).
func (r *repo) goStringFlags(file string) []goFlag {
	text := strings.Join(r.read(file), "\n")
	if !strings.Contains(text, ".String") {
		return nil
	}
	f, _ := r.goFile(file)
	if f == nil {
		return nil
	}
	str := func(e ast.Expr) (string, bool) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return "", false
		}
		v, err := strconv.Unquote(lit.Value)
		return v, err == nil
	}
	var out []goFlag
	ast.Inspect(f, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		// String(name, def, usage), StringP(name, short, def, usage),
		// StringVar(&v, name, def, usage), StringVarP(&v, name, short, def, usage).
		first, short := 0, 0
		switch sel.Sel.Name {
		case "String":
		case "StringP":
			short = 1
		case "StringVar":
			first = 1
		case "StringVarP":
			first, short = 1, 1
		default:
			return true
		}
		if len(c.Args) != first+short+3 {
			return true
		}
		name, ok := str(c.Args[first])
		if !ok {
			return true
		}
		value, _ := str(c.Args[first+short+1])
		usage, _ := str(c.Args[first+short+2])
		out = append(out, goFlag{name: name, value: value, usage: usage, line: r.goFset().Position(c.Pos()).Line})
		return true
	})
	return out
}

// loopbackHost reports whether an address (host, or host:port) is on the
// loopback interface.
func loopbackHost(addr string) bool {
	host := addr
	if i := strings.LastIndex(addr, ":"); i >= 0 && !strings.HasSuffix(addr, "]") && strings.Count(addr, ":") == 1 {
		host = addr[:i]
	}
	host = strings.Trim(host, "[]")
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

// programFiles reports, for a Go stack whose entry point is chosen,
// whether a file is in a package the program builds from (its imports,
// followed through the module: cmd/shipshape-proxy's proxycmd, not the
// CLI's other verbs); elsewhere, whether it is in the entry's directory
// or outside every other program's (inScope).
func (r *repo) programFiles(s *Stack) func(file string) bool {
	own, others := r.entryScope(s)
	if s.Language == "go" && len(s.Entrypoints) > 0 && !s.ambiguousEntry() {
		if scope := project.GoScope(r.dir, s.Entrypoints[0].Value); scope != nil {
			return func(file string) bool { return scope[path.Dir(file)] }
		}
	}
	return func(file string) bool { return inScope(file, own, others) }
}

// inScope reports whether file belongs to the entry point's program: in
// its own directory, or outside every other program's.
func inScope(file, own string, others []string) bool {
	if own != "" && strings.HasPrefix(file, own+"/") {
		return true
	}
	for _, o := range others {
		if strings.HasPrefix(file, o+"/") {
			return false
		}
	}
	return true
}

// cobraServe is the `serve` subcommand of a cobra program that has one
// (pocketbase's cmd/serve.go: Use: "serve [domain(s)]"; a urfave/cli
// program's too, ntfy's Name: "serve"), else its one
// subcommand named as servers are (BetterToPractice/go-gin-setup's
// cmd/runserver: Use: "runserver", beside migrate and makemigrations):
// run without it, the root command prints its help and exits, so the
// image runs it. nil when the program declares none, or several of the
// second kind (or the repository's own Dockerfile gave the arguments).
func (r *repo) cobraServe(program func(string) bool) *Evidence {
	var named *Evidence // the first of the second kind
	namedKind := ""
	names := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || !program(f) {
			continue
		}
		e, kind := r.find(f, cobraServeUse), "cobra"
		if e == nil {
			e, kind = r.cliCommandServe(f), "urfave/cli"
		}
		if e == nil {
			// umputun/remark42's Opts: ServerCmd cmd.ServerCommand `command:"server"`.
			e, kind = r.find(f, goFlagsCommand), "go-flags"
		}
		if e == nil || isComment(r.read(f)[e.Line-1]) {
			continue
		}
		if e.Value == "serve" {
			e.Why = "the program's " + kind + " subcommand that starts the server; without it the root command prints its help"
			return e
		}
		if named == nil {
			named, namedKind = e, kind
		}
		names[e.Value] = true
	}
	if len(names) != 1 {
		return nil
	}
	named.Why = "the program's one " + namedKind + " subcommand named as a server's; without it the root command prints its help"
	return named
}

// cliCommandServe is a urfave/cli command named as servers are
// (binwiederhier/ntfy's cmd/serve.go: var cmdServe = &cli.Command{ Name:
// "serve", ...}): its Name within three lines of the cli.Command{ it is
// the field of, not a flag's.
func (r *repo) cliCommandServe(f string) *Evidence {
	lines := r.read(f)
	for i, line := range lines {
		m := cliCommandName.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if strings.Contains(m[0], "cli.Command{") {
			return &Evidence{Value: m[1], File: f, Line: i + 1}
		}
		// The nearest brace above opens the literal the Name is of.
		for j := i - 1; j >= 0 && j >= i-3; j-- {
			if strings.Contains(lines[j], "cli.Command{") {
				return &Evidence{Value: m[1], File: f, Line: i + 1}
			}
			if strings.ContainsAny(lines[j], "{}") {
				break
			}
		}
	}
	return nil
}

var goFlagsCommand = regexp.MustCompile("`[^`]*\\bcommand:\"(serve|server|runserver|run-server|start|web|http|api)\"")

var cliCommandName = regexp.MustCompile(`(?:^\s*|cli\.Command\{\s*)Name:\s*"(serve|server|runserver|run-server|start|web|http|api)"`)

var cobraServeUse = regexp.MustCompile(`\bUse:\s*"(serve|server|runserver|run-server|start|web|http|api)(?:\s[^"]*)?"`)
