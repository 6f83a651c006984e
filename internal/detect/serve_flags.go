package detect

import (
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
	Kind     string // "listen", "data-file" or "data-dir"
	Default  string
	// Env is the variable viper reads the flag's value from as well (its
	// env prefix and AutomaticEnv, the flag bound): the image sets it, so
	// the environment and a configuration file still take precedence
	// over nothing the image fixed. "" when the flag is read alone.
	Env string
}

// The kinds of flag, by name.
var (
	listenFlagName = regexp.MustCompile(`^(?i:addr|address|host|bind|listen|listen[-_.]?addr(?:ess)?|http[-_.]?addr(?:ess)?|bind[-_.]?addr(?:ess)?)$`)
	dataFileName   = regexp.MustCompile(`^(?i:database|db|db[-_.]?(?:path|file)|database[-_.]?(?:path|file))$`)
	dataDirFlag    = regexp.MustCompile(`^(?i:data|data[-_.]?dir|datadir|data[-_.]?path|state[-_.]?dir|storage[-_.]?dir)$`)
	// A usage text that says the flag names a place on disk.
	diskUsage = regexp.MustCompile(`(?i)\b(?:dir(?:ectory)?|folder|path|file|database)\b`)
	// goStringLit is a Go string literal, interpreted or raw.
	goStringLit = regexp.MustCompile("\"((?:[^\"\\\\]|\\\\.)*)\"|`([^`]*)`")
	// goStringFlag is a string flag's declaration and its form: P takes
	// a shorthand before the default. Any flag set: flag, pflag, cobra's
	// cmd.Flags(), filebrowser's `persistent := cmd.PersistentFlags()`.
	goStringFlag = regexp.MustCompile(`\b\w+(?:\(\))?\.String(Var)?(P)?\(`)
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
		for i, line := range r.read(f) {
			m := goStringFlag.FindStringSubmatchIndex(line)
			if m == nil || isComment(line) {
				continue
			}
			lits := goStringLit.FindAllStringSubmatch(line[m[1]:], -1)
			def := 1
			if m[4] >= 0 { // P: name, shorthand, default, usage
				def = 2
			}
			if len(lits) < def+2 {
				continue
			}
			str := func(l []string) string { return l[1] + l[2] }
			name, value, usage := str(lits[0]), str(lits[def]), str(lits[def+1])
			kind, why := serveFlagKind(name, value, usage)
			if kind == "" || kinds[kind] {
				continue
			}
			kinds[kind] = true
			env := ""
			if prefix != "" {
				env = prefix + "_" + strings.ToUpper(strings.Join(project.CamelWords(strings.NewReplacer("-", "_", ".", "_").Replace(name)), "_"))
				env = strings.ReplaceAll(env, "__", "_")
			}
			out = append(out, ServeFlag{Evidence: Evidence{Value: name, File: f, Line: i + 1, Why: why}, Kind: kind, Default: value, Env: env})
		}
	}
	return out
}

var (
	viperAutoEnv   = regexp.MustCompile(`\.AutomaticEnv\(\)`)
	viperBindFlags = regexp.MustCompile(`\.BindPFlags?\(`)
)

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
			auto = auto || viperAutoEnv.MatchString(line)
			bound = bound || viperBindFlags.MatchString(line)
		}
	}
	if !auto || !bound {
		return ""
	}
	return prefix
}

// serveFlagKind says whether a flag's default does not work in a
// container, and why.
func serveFlagKind(name, value, usage string) (kind, why string) {
	switch {
	case listenFlagName.MatchString(name) && loopbackHost(value):
		return "listen", "its default " + strconv.Quote(value) + " listens on loopback only, which nothing outside the container reaches"
	case strings.Contains(value, "://") || path.IsAbs(value) || strings.HasPrefix(value, "~"):
		return "", "" // a URL, or a place outside the working directory
	case dataFileName.MatchString(name) && value != "" && path.Ext(value) != "" && diskUsage.MatchString(usage):
		return "data-file", "its default " + strconv.Quote(value) + " is a file in the working directory, on the read-only root"
	case dataDirFlag.MatchString(name) && diskUsage.MatchString(usage):
		if value == "" {
			return "data-dir", "unset, the program keeps its data where it runs, on the read-only root"
		}
		return "data-dir", "its default " + strconv.Quote(value) + " is in the working directory, on the read-only root"
	}
	return "", ""
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
	if s.Language == "go" && len(s.Entrypoints) > 0 && len(s.Ambiguous) == 0 {
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
