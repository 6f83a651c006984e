package detect

import (
	"go/ast"
	"go/token"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// storageKey is a setting that chooses where a program keeps its data or
// queues its work: STORAGE_TYPE, storage.type, queue.engine, db.driver.
var storageKey = regexp.MustCompile(`(?i)(?:^|[._-])(?:storage|store|engine|driver|backend|database|db)(?:[._-]?(?:type|driver|engine|backend|kind))?$`)

// storageChoices are the values of such a setting that use no database
// server: files, memory, the process itself.
var storageChoices = map[string]bool{"file": true, "files": true, "fs": true, "filesystem": true, "disk": true, "local": true,
	"memory": true, "inmemory": true, "in-memory": true, "mem": true, "none": true}

// choiceKinds are the database kinds a choice among values names.
var choiceKinds = map[string]string{"postgres": "postgres", "postgresql": "postgres", "pg": "postgres", "pgx": "postgres",
	"mysql": "mysql", "mariadb": "mysql", "mongo": "mongodb", "mongodb": "mongodb", "redis": "redis"}

// serverChoices are the values of such a setting that name a server init
// starts none of, neither in compose.yaml nor in init --verify's run.
var serverChoices = map[string]bool{"memcached": true, "memcache": true, "etcd": true, "consul": true,
	"cassandra": true, "dynamodb": true, "elasticsearch": true, "couchdb": true}

// A storageDefault is a storage setting's default, where the code gives
// it, and the type it is converted to (pasty's shared.StorageType(...)
// around the read), "" when none; flag when a command-line flag's
// declaration gives it.
type storageDefault struct {
	key, value, typ string
	at              Evidence
	flag            bool
}

// A SettingChoice is a storage setting whose default names a server init
// does not start, set instead to another of the values the code chooses
// among, a database init does start: yopass-server's -database defaults
// to "memcached", and `switch viper.GetString("database")` takes "redis"
// too; compose.yaml and init --verify's run pass --database=redis beside
// the Redis they start.
type SettingChoice struct {
	Evidence        // Value is the database kind chosen (redis), File and Line the flag's declaration
	Name     string // database
	Default  string // memcached
	Choice   string // redis
	Switch   Evidence
}

// A choiceGroup is a set of values one setting is chosen among: a
// switch's cases, linked to the setting its tag reads, or a block of
// constants of one type.
type choiceGroup struct {
	values []string
	tag    string // the switch tag's key (words run together), "" for constants
	typ    string // the constants' type
	at     Evidence
}

// alternativeDatabases moves the databases a Go program talks to only when
// a setting chooses them out of Databases, into Unconfigured, where that
// setting's default uses none: pasty's STORAGE_TYPE defaults to "file"
// beside its "postgres" and "mongodb" StorageType constants; gorush's
// stat.engine to "memory", which `switch conf.Stat.Engine` chooses
// beside "redis". Each was started and given a URL the program never
// read. A group counts only when it is the setting's (the switch reads
// it, or the constants have the type its value is converted to); a kind
// stays where another storage setting names it as its default, or where
// a package other than one of its own (named for it) imports its client.
func (r *repo) alternativeDatabases(s *Stack) {
	if s.Language != "go" || len(s.Databases) == 0 || len(s.Entrypoints) == 0 {
		return
	}
	program := r.programFiles(s)
	mainDir := path.Clean(s.Entrypoints[0].Value)
	var defaults, servers []storageDefault
	var groups []choiceGroup
	protected := map[string]bool{}    // kinds a storage setting defaults to
	prefixAt := map[string]Evidence{} // kinds a URL's scheme chooses (strings.HasPrefix(dsn, "postgres://"))
	prefixUses, schemeLits := map[string]int{}, map[string]int{}
	usedElsewhere := map[string]bool{}  // kinds whose client a package not of their own imports
	importedIn := map[string][]string{} // such packages, by kind
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || !program(f) {
			continue
		}
		file, _ := r.goFile(f)
		if file == nil {
			continue
		}
		for _, imp := range file.Imports {
			for kind := range databaseWords {
				if !project.ImportsClient("go", kind, imp.Path.Value) {
					continue
				}
				// The client of a choice is imported in a package of its
				// own (pasty's internal/storage/postgres, gorush's
				// storage/redis); one imported in the main package or
				// in another package is used whatever the setting says.
				if path.Dir(f) == mainDir || !slices.ContainsFunc(strings.Split(path.Dir(f), "/"), func(e string) bool { return choiceKinds[strings.ToLower(e)] == kind }) {
					importedIn[kind] = append(importedIn[kind], path.Dir(f))
				}
			}
		}
		record := func(c *ast.CallExpr, typ string) {
			for i := 0; i+1 < len(c.Args); i++ {
				key, ok1 := goStringLit(c.Args[i])
				value, ok2 := goStringLit(c.Args[i+1])
				if !ok1 || !ok2 || !storageKey.MatchString(key) {
					continue
				}
				value = strings.ToLower(value)
				if kind, ok := choiceKinds[value]; ok {
					protected[kind] = true
				}
				d := storageDefault{key: key, value: value, typ: typ, flag: goFlagCall(c),
					at: Evidence{Value: key, File: f, Line: r.goFset().Position(c.Pos()).Line}}
				if storageChoices[value] {
					defaults = append(defaults, d)
				}
				if serverChoices[value] {
					servers = append(servers, d)
				}
			}
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if v, ok := goStringLit(n); ok {
					if m := dbURLScheme.FindStringSubmatch(v); m != nil {
						schemeLits[choiceKinds[m[1]]]++
					}
				}
			case *ast.CallExpr:
				// nkanaev/yarr's storage.New: strings.HasPrefix(path,
				// "postgres://") chooses Postgres, any other path SQLite.
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "HasPrefix" && len(n.Args) == 2 {
					if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "strings" {
						if v, ok := goStringLit(n.Args[1]); ok {
							if m := dbURLScheme.FindStringSubmatch(v); m != nil && m[0] == v {
								kind := choiceKinds[m[1]]
								prefixUses[kind]++
								if _, seen := prefixAt[kind]; !seen {
									prefixAt[kind] = Evidence{Value: v, File: f, Line: r.goFset().Position(n.Pos()).Line}
								}
							}
						}
					}
				}
				// SetDefault("stat.engine", "memory"),
				// env.MustString("STORAGE_TYPE", "file"), and such a read
				// converted to a type of the program's:
				// shared.StorageType(strings.ToLower(env.MustString(...))).
				if typ := conversionType(n); typ != "" {
					ast.Inspect(n.Args[0], func(m ast.Node) bool {
						if c, ok := m.(*ast.CallExpr); ok {
							record(c, typ)
						}
						return true
					})
					return false
				}
				record(n, "")
			case *ast.SwitchStmt:
				if n.Tag == nil {
					return true
				}
				g := choiceGroup{tag: settingTag(switchTag(n)), at: Evidence{File: f, Line: r.goFset().Position(n.Pos()).Line}}
				for _, st := range n.Body.List {
					if cc, ok := st.(*ast.CaseClause); ok {
						for _, e := range cc.List {
							if v, ok := goStringLit(e); ok {
								g.values = append(g.values, strings.ToLower(v))
							} else if id, ok := e.(*ast.Ident); ok {
								// fathom's case POSTGRES, const POSTGRES = "postgres".
								if v, ok := r.goPackageConsts(path.Dir(f))[id.Name]; ok {
									g.values = append(g.values, strings.ToLower(v))
								}
							}
						}
					}
				}
				if g.tag != "" {
					groups = append(groups, g)
				}
			case *ast.GenDecl:
				if n.Tok != token.CONST {
					return true
				}
				for _, spec := range n.Specs {
					vs := spec.(*ast.ValueSpec)
					for _, v := range vs.Values {
						typ := ""
						if id, ok := vs.Type.(*ast.Ident); ok {
							typ = id.Name // LocalQueue Queue = "local"
						}
						if c, ok := v.(*ast.CallExpr); ok && conversionType(c) != "" {
							typ, v = conversionType(c), c.Args[0] // StorageType("file")
						}
						value, ok := goStringLit(v)
						if !ok || typ == "" {
							continue
						}
						at := slices.IndexFunc(groups, func(g choiceGroup) bool { return g.tag == "" && g.typ == typ })
						if at < 0 {
							groups = append(groups, choiceGroup{typ: typ})
							at = len(groups) - 1
						}
						groups[at].values = append(groups[at].values, strings.ToLower(value))
					}
				}
			}
			return true
		})
	}
	// A config struct's tag default (usefathom/fathom's Database.Driver,
	// `default:"sqlite3"`, which `switch c.Driver` chooses beside
	// "postgres" and "mysql").
	for _, v := range r.goTagVars() {
		value := strings.ToLower(v.def)
		if v.flag != "" || !program(v.File) || !storageKey.MatchString(v.field) || !storageChoices[value] {
			continue
		}
		defaults = append(defaults, storageDefault{key: v.field, value: value, at: Evidence{Value: v.Value, File: v.File, Line: v.Line}})
	}
	linked := func(g choiceGroup, d storageDefault) bool {
		return (g.tag != "" && sameSetting(g.tag, settingKey(strings.Split(d.key, "."))) || g.tag == "" && d.typ != "" && g.typ == d.typ) &&
			slices.Contains(g.values, d.value)
	}
	// A client imported where a switch of the setting's chooses its kind
	// (fathom's sqlstore imports the Postgres, MySQL and SQLite drivers
	// and switches on c.Driver) is the choice's; one imported anywhere
	// else is used whatever the setting says.
	for kind, dirs := range importedIn {
		for _, d := range dirs {
			usedElsewhere[kind] = usedElsewhere[kind] || !slices.ContainsFunc(groups, func(g choiceGroup) bool {
				return g.tag != "" && path.Dir(g.at.File) == d && d != "." && d != mainDir &&
					slices.ContainsFunc(g.values, func(v string) bool { return choiceKinds[v] == kind })
			})
		}
	}
	r.settingChoices(s, servers, groups, linked)
	chosen := map[string]Evidence{} // kind → the default that passes it over
	for _, d := range defaults {
		for _, g := range groups {
			if !linked(g, d) {
				continue
			}
			for _, v := range g.values {
				if kind, ok := choiceKinds[v]; ok && !protected[kind] && !usedElsewhere[kind] {
					if _, seen := chosen[kind]; !seen {
						at := d.at
						at.Why = d.value
						chosen[kind] = at
					}
				}
			}
		}
	}
	if slices.ContainsFunc(s.Databases, func(e Evidence) bool { return e.Value == "sqlite" }) {
		// A URL's scheme chooses the kind, and SQLite is the way
		// otherwise; no URL of that scheme is written anywhere else (as a
		// default): the program runs on SQLite unless given one.
		for kind, at := range prefixAt {
			if _, seen := chosen[kind]; !seen && !protected[kind] && !usedElsewhere[kind] && schemeLits[kind] == prefixUses[kind] {
				at.Value, at.Why = "a URL starting "+at.Value, ""
				chosen[kind] = at
			}
		}
	}
	var kept []Evidence
	for _, db := range s.Databases {
		d, ok := chosen[db.Value]
		if !ok || db.Why != project.ImportedByCode {
			kept = append(kept, db)
			continue
		}
		db.Why = project.ImportedByCode + "; " + d.Value + " (" + d.Where() + ") chooses it, and by default " + strconv.Quote(d.Why) + ", which needs no server"
		if d.Why == "" {
			db.Why = project.ImportedByCode + "; " + d.Value + " (" + d.Where() + ") chooses it, and any other path SQLite, which needs no server"
		}
		s.Unconfigured = append(s.Unconfigured, db)
	}
	s.Databases = kept
}

// settingChoices sets a flag whose default names a server init does not
// start (memcached) to the one database among its switch's other values
// that init starts (s.SettingChoices); with none or several, the choice
// is the user's, and the program keeps its default.
func (r *repo) settingChoices(s *Stack, servers []storageDefault, groups []choiceGroup, linked func(choiceGroup, storageDefault) bool) {
	for _, d := range servers {
		if !d.flag {
			continue // a variable or configuration key: no argument sets it for certain
		}
		for _, g := range groups {
			if g.tag == "" || !linked(g, d) {
				continue
			}
			var kinds, values []string
			for _, v := range g.values {
				kind, ok := choiceKinds[v]
				if ok && !slices.Contains(kinds, kind) && slices.ContainsFunc(s.Databases, func(e Evidence) bool { return e.Value == kind }) {
					kinds, values = append(kinds, kind), append(values, v)
				}
			}
			if len(kinds) == 1 {
				at := d.at
				at.Value, at.Why = kinds[0], ""
				s.SettingChoices = append(s.SettingChoices, SettingChoice{Evidence: at, Name: d.key, Default: d.value, Choice: values[0], Switch: g.at})
				return
			}
		}
	}
}

// goFlagCall reports whether a call declares a command-line flag with a
// string default: flag.String, pflag.StringP, cmd.Flags().StringVar.
func goFlagCall(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || !strings.HasPrefix(sel.Sel.Name, "String") || strings.Contains(sel.Sel.Name, "Slice") || strings.Contains(sel.Sel.Name, "Array") {
		return false
	}
	switch x := sel.X.(type) {
	case *ast.Ident:
		return x.Name == "flag" || x.Name == "pflag" || strings.HasSuffix(strings.ToLower(x.Name), "flags") || x.Name == "fs"
	case *ast.CallExpr:
		if f, ok := x.Fun.(*ast.SelectorExpr); ok {
			return f.Sel.Name == "Flags" || f.Sel.Name == "PersistentFlags"
		}
	}
	return false
}

// dbURLScheme is the scheme of a database URL: postgres://, mongodb+srv://.
var dbURLScheme = regexp.MustCompile(`^(postgres|postgresql|mysql|mongodb|redis)(?:\+srv)?://`)

// goPackageConsts are the string constants the Go files of a directory
// declare (not its tests), by name.
func (r *repo) goPackageConsts(dir string) map[string]string {
	if out, ok := r.pkgConsts[dir]; ok {
		return out
	}
	if r.pkgConsts == nil {
		r.pkgConsts = map[string]map[string]string{}
	}
	out := map[string]string{}
	r.pkgConsts[dir] = out
	for _, f := range r.codeFiles() {
		if path.Dir(f) != dir || !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, _ := r.goFile(f)
		if file == nil {
			continue
		}
		for _, d := range file.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							if v, ok := goStringLit(vs.Values[i]); ok {
								out[n.Name] = v
							}
						}
					}
				}
			}
		}
	}
	return out
}

// conversionType is the type a call converts its one argument to, by the
// name a type of the program's has (StorageType, shared.StorageType,
// core.Queue): an exported name called with one argument, not a
// function of the standard library's; "" otherwise.
func conversionType(c *ast.CallExpr) string {
	if len(c.Args) != 1 {
		return ""
	}
	name := ""
	switch f := c.Fun.(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		if pkg, ok := f.X.(*ast.Ident); ok && (pkg.Name == "strings" || pkg.Name == "os" || pkg.Name == "fmt") {
			return ""
		}
		name = f.Sel.Name
	}
	if name == "" || !ast.IsExported(name) || strings.HasPrefix(name, "Must") || strings.HasPrefix(name, "Get") {
		return ""
	}
	return name
}

// switchTag is what a switch's tag reads: the value assigned to it in the
// switch's own statement (yopass's switch database :=
// viper.GetString("database"); database), else the tag.
func switchTag(n *ast.SwitchStmt) ast.Expr {
	id, ok := n.Tag.(*ast.Ident)
	if !ok {
		return n.Tag
	}
	if as, ok := n.Init.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
		for i, l := range as.Lhs {
			if lid, ok := l.(*ast.Ident); ok && lid.Name == id.Name {
				return as.Rhs[i]
			}
		}
	}
	return n.Tag
}

// settingTag is the setting a switch's tag reads, its words run
// together: conf.Stat.Engine is "stat.engine" (below the variable),
// viper.GetString("stat.engine") too; a conversion or strings.ToLower
// around it is looked through. "" when it reads none of these.
func settingTag(e ast.Expr) string {
	for {
		c, ok := e.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 {
			break
		}
		if key, ok := goStringLit(c.Args[0]); ok {
			return settingKey(strings.Split(key, ".")) // GetString("stat.engine")
		}
		e = c.Args[0] // core.Queue(cfg.Queue.Engine), strings.ToLower(x)
	}
	names := selectorFields(e)
	if len(names) == 0 {
		return ""
	}
	return settingKey(names)
}

// sameSetting reports whether a switch tag's words and a setting key's
// name one setting: equal, or one ending the other at a word
// (config.Current.StorageType and STORAGE_TYPE).
func sameSetting(tag, key string) bool {
	return tag == key || strings.HasSuffix(tag, "."+key) || strings.HasSuffix(key, "."+tag)
}

// goStringLit is a string literal's value.
func goStringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}
