package detect

import (
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// Where a port is not in the code, it is in the configuration the code
// reads: a Go struct whose tags give the defaults (ardanlabs/conf,
// kelseyhightower/envconfig, caarlos0/env), or a configuration file the
// code loads (go-ini's conf/app.ini, the config crate's
// configuration/base.yaml). Each gives the variable that overrides it
// where the library maps one.

var (
	// A listen address's default: :3000, 0.0.0.0:3000, [::]:3000,
	// localhost:3000, or a bare port.
	bindDefault = regexp.MustCompile(`^(?:(?:0\.0\.0\.0|\[::\]|::|localhost|127\.0\.0\.1)?:)?(\d{2,5})$`)
	// The names of a listen port or address, as a variable or a key.
	portName = regexp.MustCompile(`(?i)(?:^|_)(?:http_?)?(?:port|addr|address|host|listen|bind)$`)
	// Keys of a configuration file that hold the listen port.
	portKey = regexp.MustCompile(`(?i)^(?:http_?port|port|server_?port|app_?port|listen(?:_?port)?|addr(?:ess)?|bind|http_?addr(?:ess)?)$`)
)

// A tagVar is a variable a Go config struct's tags read a field from:
// Value is the variable, with where the field is.
var (
	viperAutomaticEnv = regexp.MustCompile(`\.AutomaticEnv\(\)`)
	// viperEnvKey is a key AutomaticEnv reads from a variable of its own
	// name, upper-cased: no dots (those need a key replacer).
	viperEnvKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
)

type tagVar struct {
	Evidence
	def      string // its default, "" when none
	lib      string // the library whose tags say so
	base     string // the name without the config's prefix, "" when none
	field    string // the field's path: Web.APIHost
	required bool   // the library refuses to start without it
	// holder is the named struct type that declares it ("" for a struct
	// written in place): centrifugo's TLSAutocert.HTTPAddr is the ACME
	// challenge server's, not the app's.
	holder string
	// flag is a jessevdk/go-flags option read from the command line
	// (`long:"listen" default:"8081"`), not from the environment: Value
	// is then "--listen", and no variable sets it.
	flag string
}

// goTagVars are the variables the config structs of the Go code are read
// from, with their defaults: ardanlabs/conf (conf:"default:0.0.0.0:3000",
// named from the prefix conf.Parse gets and the field's path),
// kelseyhightower/envconfig, caarlos0/env and sethvargo/go-envconfig.
// Each Go file is parsed once per Detect.
func (r *repo) goTagVars() []tagVar {
	if r.tags != nil {
		return *r.tags
	}
	out := []tagVar{}
	r.tags = &out
	// viper with AutomaticEnv reads each key it knows from the variable
	// of its name: the mapstructure tags of the struct it unmarshals into
	// are variables then.
	viperEnv := r.goUsesViperEnv()
	type tagged struct {
		name  string
		file  *ast.File
		table bool
	}
	var files []tagged
	// A package's struct types and prefix, from all its files: homebox's
	// Config (conf.go) holds Storage, declared in conf_database.go.
	types, nested, prefixes := map[string]map[string]*ast.StructType{}, map[string]map[string]bool{}, map[string]string{}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		text := strings.Join(r.read(f), "\n")
		table := strings.Contains(text, "map[string]") && r.goReadsEnviron(path.Dir(f))
		if !table && (!strings.Contains(text, "`") || !strings.Contains(text, "env") && !strings.Contains(text, "conf:") && !strings.Contains(text, "long:\"") &&
			!(viperEnv && strings.Contains(text, "mapstructure:")) && !strings.Contains(text, "conf.Parse")) {
			continue // no struct tag any of the libraries reads, no option table
		}
		file, _ := r.goFile(f)
		if file == nil || goGenerated(r.read(f)) {
			// A generated file's options are a generator's, which the
			// program may never parse: prometheus/alertmanager's go-swagger
			// server (api/v2/restapi/server.go, `long:"port" env:"PORT"`)
			// is not what listens; its own --web.listen-address is.
			continue
		}
		files = append(files, tagged{f, file, table})
		dir := path.Dir(f)
		if types[dir] == nil {
			types[dir] = map[string]*ast.StructType{}
		}
		t, _ := fileStructs(file)
		maps.Copy(types[dir], t)
		if p := goConfPrefix(file); p != "" && prefixes[dir] == "" {
			prefixes[dir] = p
		}
	}
	for dir, t := range types {
		nested[dir] = heldStructs(t)
	}
	for _, tf := range files {
		f, file, table := tf.name, tf.file, tf.table
		fset := r.goFset()
		dir := path.Dir(f)
		prefix := goConfPrefix(file)
		if prefix == "" {
			prefix = prefixes[dir]
		}
		types, nested := types[dir], nested[dir]
		ast.Inspect(file, func(n ast.Node) bool {
			holder := ""
			if ts, ok := n.(*ast.TypeSpec); ok {
				if nested[ts.Name.Name] {
					return false // walked from the struct that holds it, under its field's name
				}
				if _, ok := ts.Type.(*ast.StructType); ok {
					holder, n = ts.Name.Name, ts.Type
				}
			}
			if lit, ok := n.(*ast.CompositeLit); ok && table {
				if vs := optionTableVars(fset, f, lit); vs != nil {
					out = append(out, vs...)
					return false
				}
				return true
			}
			st, ok := n.(*ast.StructType)
			if !ok {
				return true
			}
			for _, v := range structTagVars(fset, f, st, nil, prefix, viperEnv, r.structResolver(file, types)) {
				v.base = unprefixed(v.Value, prefix)
				v.holder = holder
				out = append(out, v)
			}
			return false
		})
	}
	byName := map[string]*ast.File{}
	for _, tf := range files {
		byName[tf.name] = tf.file
	}
	literalDefaults(byName, out)
	r.tags = &out
	return out
}

// literalDefaults gives a config struct's fields the defaults a composite
// literal of that struct sets before the library reads the environment
// over it (pocket-id's defaultConfig(): EnvConfigSchema{Port: "1411",
// DbProvider: "sqlite"}, handed to env.ParseWithOptions), where the tag
// gives none: a literal string or number, the same in every literal of
// the package's files.
func literalDefaults(files map[string]*ast.File, vars []tagVar) {
	lits := map[string]map[string]string{} // package dir and type → field → value
	for f, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			id, ok := lit.Type.(*ast.Ident)
			if !ok {
				return true
			}
			key := path.Dir(f) + "/" + id.Name
			for _, el := range lit.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				name, ok := kv.Key.(*ast.Ident)
				v, isLit := kv.Value.(*ast.BasicLit)
				if !ok || !isLit || v.Kind != token.STRING && v.Kind != token.INT {
					continue
				}
				value := v.Value
				if v.Kind == token.STRING {
					value, _ = strconv.Unquote(v.Value)
				}
				if lits[key] == nil {
					lits[key] = map[string]string{}
				}
				if old, seen := lits[key][name.Name]; seen && old != value {
					value = "\x00" // two literals differ: no default
				}
				lits[key][name.Name] = value
			}
			return true
		})
	}
	for i := range vars {
		v := &vars[i]
		if v.def != "" || v.holder == "" || strings.Contains(v.field, ".") {
			continue
		}
		if d, ok := lits[path.Dir(v.File)+"/"+v.holder][v.field]; ok && d != "\x00" {
			v.def = d
		}
	}
}

// structResolver finds the struct type a field of a file's struct holds:
// one of the package's own by name (types), through a pointer too, or
// one of another package of the module's by its import (usefathom/
// fathom's Config holds Database *sqlstore.Config, whose Name defaults
// to fathom.db: envconfig reads it from FATHOM_DATABASE_NAME).
func (r *repo) structResolver(file *ast.File, types map[string]*ast.StructType) func(ast.Expr) *ast.StructType {
	return func(e ast.Expr) *ast.StructType {
		if star, ok := e.(*ast.StarExpr); ok {
			e = star.X
		}
		switch e := e.(type) {
		case *ast.Ident:
			return types[e.Name]
		case *ast.SelectorExpr:
			pkg, ok := e.X.(*ast.Ident)
			if !ok {
				return nil
			}
			dir := r.goImportDir(file, pkg.Name)
			if dir == "" {
				return nil
			}
			return r.goPackageStructs(dir)[e.Sel.Name]
		}
		return nil
	}
}

// goImportDir is the directory of the module's package a file imports
// under name, "" when it imports none of the module's so.
func (r *repo) goImportDir(file *ast.File, name string) string {
	if r.module == nil {
		m := project.GoModulePath(r.dir)
		r.module = &m
	}
	mod := *r.module
	if mod == "" {
		return ""
	}
	for _, imp := range file.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		as := path.Base(p)
		if imp.Name != nil {
			as = imp.Name.Name
		}
		if rel, ok := strings.CutPrefix(p, mod+"/"); ok && as == name {
			return rel
		}
	}
	return ""
}

// goPackageStructs are the struct types the Go files of a directory
// declare (not its tests), parsed once.
func (r *repo) goPackageStructs(dir string) map[string]*ast.StructType {
	if r.pkgStructs == nil {
		r.pkgStructs = map[string]map[string]*ast.StructType{}
	}
	if t, ok := r.pkgStructs[dir]; ok {
		return t
	}
	out := map[string]*ast.StructType{}
	r.pkgStructs[dir] = out
	for _, f := range r.codeFiles() {
		if path.Dir(f) != dir || !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") {
			continue
		}
		if file, _ := r.goFile(f); file != nil {
			t, _ := fileStructs(file)
			maps.Copy(out, t)
		}
	}
	return out
}

// fileStructs are the struct types a file declares, by name, and those
// of them another of its structs holds as a field (inbucket's Root holds
// SMTP SMTP, Web Web: pkg/config/config.go:64-66).
func fileStructs(file *ast.File) (map[string]*ast.StructType, map[string]bool) {
	types := map[string]*ast.StructType{}
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok {
			for _, spec := range g.Specs {
				if ts, ok := spec.(*ast.TypeSpec); ok {
					if st, ok := ts.Type.(*ast.StructType); ok {
						types[ts.Name.Name] = st
					}
				}
			}
		}
	}
	return types, heldStructs(types)
}

// heldStructs are the struct types of types that another of them holds
// as a field.
func heldStructs(types map[string]*ast.StructType) map[string]bool {
	nested := map[string]bool{}
	for name, st := range types {
		for _, field := range st.Fields.List {
			id, ok := field.Type.(*ast.Ident)
			if !ok || types[id.Name] == nil || id.Name == name {
				continue
			}
			// Held by an exported field, or embedded: what a library sets.
			for _, n := range fieldNames(field) {
				if ast.IsExported(n) {
					nested[id.Name] = true
				}
			}
		}
	}
	return nested
}

// structTagVars walks a struct's fields, nested structs too: written in
// place, or a struct type of the file's, held by name (types).
func structTagVars(fset *token.FileSet, file string, st *ast.StructType, path []string, prefix string, viperEnv bool, resolve func(ast.Expr) *ast.StructType) []tagVar {
	var out []tagVar
	for _, field := range st.Fields.List {
		embedded := len(field.Names) == 0
		for _, name := range fieldNames(field) {
			if !ast.IsExported(name) {
				continue // no library sets an unexported field
			}
			tag := ""
			if field.Tag != nil {
				tag, _ = strconv.Unquote(field.Tag.Value)
			}
			st := reflect.StructTag(tag)
			fieldPath := append(append([]string{}, path...), name)
			inner, ok := field.Type.(*ast.StructType)
			if !ok && len(path) < 4 {
				inner = resolve(field.Type)
				ok = inner != nil
			}
			if ok {
				p := prefix
				if ep, ok := st.Lookup("envPrefix"); ok {
					p = prefix + ep // caarlos0/env on a nested struct
				}
				if ns, ok := st.Lookup("env-namespace"); ok && ns != "" {
					p = prefix + ns + "_" // go-flags: reproxy's Plugin.Listen is PLUGIN_LISTEN
				}
				// envconfig names an embedded struct's fields as its
				// holder's, a held one's after the holder's tag or name.
				inPath := fieldPath
				if embedded {
					inPath = path
				} else if n := st.Get("envconfig"); n != "" {
					inPath = append(append([]string{}, path...), n)
				}
				out = append(out, structTagVars(fset, file, inner, inPath, p, viperEnv, resolve)...)
				continue
			}
			if embedded {
				continue // a type of another file's: its fields are not read here
			}
			if f, ok := goFlagsOption(st, fieldPath); ok {
				f.File, f.Line = fset.Position(field.Pos()).Filename, fset.Position(field.Pos()).Line
				out = append(out, f)
			} else if v, ok := fieldVar(st, fieldPath, prefix); ok {
				v.File, v.Line = fset.Position(field.Pos()).Filename, fset.Position(field.Pos()).Line
				out = append(out, v)
			} else if m := st.Get("mapstructure"); viperEnv && viperEnvKey.MatchString(m) {
				// golang-mongodb-rest-api-starter: `mapstructure:"SERVER_ADDR"`.
				out = append(out, tagVar{Evidence: Evidence{Value: strings.ToUpper(m), File: fset.Position(field.Pos()).Filename, Line: fset.Position(field.Pos()).Line},
					lib: "viper AutomaticEnv with mapstructure", field: strings.Join(fieldPath, ".")})
			}
		}
	}
	return out
}

// goTagPort is the listen port a Go config struct's tags give by
// default: the first in the entry's own package, else the first outside
// the other entry points.
func (r *repo) goTagPort(own string, others []string) *Evidence {
	var fallback *Evidence
	for _, v := range r.goTagVars() {
		inOther := false
		for _, o := range others {
			inOther = inOther || strings.HasPrefix(v.File, o+"/")
		}
		if inOther || v.flag != "" || v.def == "" || !portName.MatchString(v.Value) || project.OtherServer(v.Value) || project.OtherServer(v.holder) || project.OtherServer(v.field) || r.groupedBesideTopLevel(v) {
			continue
		}
		m := bindDefault.FindStringSubmatch(v.def)
		if m == nil || !strings.Contains(strings.ToUpper(v.Value), "PORT") && !strings.Contains(v.def, ":") {
			continue
		}
		e := &Evidence{Value: m[1], File: v.File, Line: v.Line, Why: "default of $" + v.Value + " (" + v.lib + " tag on " + v.field + ")"}
		if v.lib == optionTable {
			e.Why = "default of $" + v.Value + " (" + v.lib + ")"
			if by := r.optionReplacedBy(v); by != nil {
				// miniflux: PORT, when set, replaces LISTEN_ADDR (parser.go:136),
				// whose default is loopback; the image sets PORT.
				e.Why = fmt.Sprintf("default of $%s (%s:%d replaces $%s, %s by default, with :$%s when it is set)", by.Value, by.File, by.Line, v.Value, v.def, by.Value)
			}
		}
		mine := own != "" && path.Dir(v.File) == own || own == "" && path.Dir(v.File) == "."
		if mine {
			return e
		}
		if fallback == nil {
			fallback = e
		}
	}
	if fallback != nil {
		return fallback
	}
	if e := r.viperEnvFilePort(); e != nil {
		return e
	}
	if e := r.goFieldEnvPort(others); e != nil {
		return e
	}
	return r.goFlagsPort(others)
}

// viperEnvFilePort is the listen port the dotenv file viper reads sets
// (simplebank's app.env: HTTP_SERVER_ADDRESS=0.0.0.0:8080), not another
// server's (GRPC_SERVER_ADDRESS, REDIS_ADDRESS); with AutomaticEnv the
// variable of the key's name overrides it, and the image sets that.
func (r *repo) viperEnvFilePort() *Evidence {
	cfg := r.viperConfigFile()
	if cfg == nil || path.Ext(cfg.Value) != ".env" {
		return nil
	}
	autoEnv := r.goUsesViperEnv()
	for i, line := range r.read(cfg.Value) {
		name, value, ok := EnvAssignment(line)
		if !ok || !portName.MatchString(name) || project.OtherServer(name) {
			continue
		}
		p := bindDefault.FindStringSubmatch(value)
		if p == nil || servicePorts[p[1]] != "" {
			continue
		}
		e := &Evidence{Value: p[1], File: cfg.Value, Line: i + 1, Why: "the port " + cfg.Value + " sets (" + name + ")"}
		if autoEnv {
			e.Why = "default of $" + name + " (" + cfg.Value + ", which viper reads; AutomaticEnv lets the variable override it)"
		}
		return e
	}
	return nil
}

// goFlagsListen names a go-flags option that holds the listen port or
// address rather than another server's: --listen, --bind, --http-port,
// --addr (pgweb's HTTPPort `long:"listen" default:"8081"`).
var goFlagsListen = regexp.MustCompile(`(?i)listen|bind|http|addr`)

// goFlagsPort is the listen port a go-flags option's default gives: an
// option named for a port or listen address whose default is a port, not
// one a database is known by (pgweb's `long:"port" default:"5432"` is the
// database's), preferring one named for listening (--listen) over a bare
// --port. No variable sets it: the image passes the flag where it must.
func (r *repo) goFlagsPort(others []string) *Evidence {
	var best *Evidence
	bestRank := 2
	for _, v := range r.goTagVars() {
		inOther := false
		for _, o := range others {
			inOther = inOther || strings.HasPrefix(v.File, o+"/")
		}
		name := strings.ReplaceAll(v.flag, "-", "_")
		if inOther || v.flag == "" || v.def == "" || !portName.MatchString(name) || project.OtherServer(name) || project.OtherServer(v.field) {
			continue
		}
		m := bindDefault.FindStringSubmatch(v.def)
		if m == nil || servicePorts[m[1]] != "" {
			continue
		}
		rank := 1
		if goFlagsListen.MatchString(v.flag) || goFlagsListen.MatchString(v.field) {
			rank = 0
		}
		if rank < bestRank {
			bestRank = rank
			best = &Evidence{Value: m[1], File: v.File, Line: v.Line, Why: "default of the --" + v.flag + " flag (go-flags tag on " + v.field + "; no variable sets it)"}
		}
	}
	return best
}

// groupedBesideTopLevel reports whether v is a go-flags option of a
// group (Plugin.Listen) where the options struct has a listen option of
// its own at the top (reproxy's Listen, with no default: computed in
// code): the group's is another server's (the plugins' registration).
func (r *repo) groupedBesideTopLevel(v tagVar) bool {
	if !strings.HasPrefix(v.lib, "go-flags") || !strings.Contains(v.field, ".") {
		return false
	}
	for _, o := range r.goTagVars() {
		// Or one of the program's own name with a default: remark42's
		// REMARK_PORT (8080) beside its SSL group's SSL_PORT (8443).
		name := strings.TrimPrefix(o.Value, "--")
		if o.File == v.File && strings.HasPrefix(o.lib, "go-flags") && !strings.Contains(o.field, ".") &&
			(goPortVarName.MatchString(name) || portName.MatchString(name) && strings.Contains(strings.ToUpper(name), "PORT") && o.def != "") {
			return true
		}
	}
	return false
}

// goFlagsOption reads a jessevdk/go-flags option (`long:"listen"
// default:"8081"`): a command-line flag, whose default is no variable's.
// An option with an env tag is read from that variable too, and stays
// a variable (fieldVar), its default go-flags' own.
func goFlagsOption(tag reflect.StructTag, path []string) (tagVar, bool) {
	long, hasLong := tag.Lookup("long")
	_, hasShort := tag.Lookup("short")
	if !hasLong && !hasShort {
		return tagVar{}, false
	}
	if _, ok := tag.Lookup("env"); ok {
		return tagVar{}, false
	}
	if long == "" {
		long = tag.Get("short")
	}
	return tagVar{Evidence: Evidence{Value: "--" + long}, def: tag.Get("default"), lib: "go-flags", field: strings.Join(path, "."), flag: long}, true
}

func fieldNames(f *ast.Field) []string {
	if len(f.Names) == 0 {
		if id, ok := f.Type.(*ast.Ident); ok {
			return []string{id.Name} // embedded
		}
		return nil
	}
	var out []string
	for _, n := range f.Names {
		out = append(out, n.Name)
	}
	return out
}

// fieldVar reads a field's variable, default and whether it is required
// from the tags of the libraries that set config structs from the
// environment.
func fieldVar(tag reflect.StructTag, path []string, prefix string) (tagVar, bool) {
	v := tagVar{field: strings.Join(path, ".")}
	if conf, ok := tag.Lookup("conf"); ok {
		for _, opt := range strings.Split(conf, ",") {
			if d, ok := strings.CutPrefix(opt, "default:"); ok {
				v.def = d
			}
			v.required = v.required || opt == "required"
		}
		parts := []string{}
		if prefix != "" {
			parts = append(parts, strings.ToUpper(prefix))
		}
		for _, p := range path {
			parts = append(parts, project.CamelWords(p)...)
		}
		v.Value, v.lib = strings.ToUpper(strings.Join(parts, "_")), "ardanlabs/conf"
		return v, true
	}
	if e, ok := tag.Lookup("env"); ok {
		name, opts, _ := strings.Cut(e, ",")
		name = strings.TrimSpace(name)
		if !envName.MatchString(name) {
			return v, false
		}
		v.Value, v.lib = prefix+name, "caarlos0/env"
		if d, ok := tag.Lookup("envDefault"); ok {
			v.def = d
		}
		if _, long := tag.Lookup("long"); long {
			v.lib, v.def = "go-flags env", tag.Get("default") // `long:"port" env:"PORT" default:"8080"`
			// remark42's `long:"url" env:"REMARK_URL" required:"true"`.
			r := strings.ToLower(tag.Get("required"))
			v.required = r == "true" || r == "yes" || r == "1"
		}
		for _, opt := range strings.Split(opts, ",") {
			opt = strings.TrimSpace(opt)
			if d, ok := strings.CutPrefix(opt, "default="); ok {
				v.def, v.lib = d, "sethvargo/go-envconfig"
			}
			v.required = v.required || opt == "required"
		}
		v.required = v.required && v.def == ""
		return v, true
	}
	if n, ok := tag.Lookup("envconfig"); ok || tag.Get("default") != "" || tag.Get("required") == "true" || tag.Get("split_words") == "true" {
		// kelseyhightower/envconfig names a nested struct's field after
		// the fields that hold it: INBUCKET_SMTP_ADDR for Root.SMTP.Addr;
		// split_words splits the field's own name at its words
		// (screego's ServerAddress is SCREEGO_SERVER_ADDRESS).
		words := append([]string{}, path...)
		if tag.Get("split_words") == "true" {
			words = append(words[:len(words)-1], strings.Join(project.CamelWords(words[len(words)-1]), "_"))
		}
		name := strings.ToUpper(strings.Join(words, "_"))
		if ok && n != "" {
			name = strings.ToUpper(strings.Join(append(append([]string{}, path[:len(path)-1]...), n), "_"))
		}
		switch {
		case prefix != "":
			name = strings.ToUpper(prefix) + "_" + name
		case ok && n != "":
			// The prefix is handed to envconfig.Process elsewhere (another
			// package's file): without it the name above is no name
			// envconfig reads, but the tag's own is, whatever the prefix
			// and the structs that hold it (its Alt, read when
			// PREFIX_HOLDERS_NAME is unset): supabase/auth's
			// API.ExternalURL, `envconfig:"API_EXTERNAL_URL"`, processed
			// as "gotrue" in internal/conf/confload, is API_EXTERNAL_URL,
			// as its example.env names it.
			name = strings.ToUpper(n)
		}
		v.Value, v.lib, v.def = name, "envconfig", tag.Get("default")
		v.required = tag.Get("required") == "true" && v.def == ""
		return v, envName.MatchString(name)
	}
	return v, false
}

// unprefixed is name without the prefix a config library put before it
// (SALES_WEB_APIHOST without "SALES", APP_DSN without "APP_"), "" when
// it has none.
func unprefixed(name, prefix string) string {
	if prefix == "" {
		return ""
	}
	rest, ok := strings.CutPrefix(name, strings.ToUpper(prefix))
	if !ok {
		return ""
	}
	return strings.TrimPrefix(rest, "_")
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// goConfPrefix is the prefix a file hands the config library:
// conf.Parse("SALES", &cfg), envconfig.Process("myapp", &cfg),
// envconfig.PrefixLookuper("SHIORI_", envconfig.OsLookuper()),
// env.New("APP_", logger.Infof), or a constant naming it.
func goConfPrefix(file *ast.File) string {
	consts := map[string]string{}
	prefix := ""
	caarlos := slices.ContainsFunc(file.Imports, func(i *ast.ImportSpec) bool { return strings.Contains(i.Path.Value, "github.com/caarlos0/env") })
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			addStringValues(consts, n)
		case *ast.CompositeLit:
			// caarlos0/env's env.Parse(&cfg, env.Options{Prefix:
			// "GOKAPI_"}) puts it before each env tag's name.
			if !caarlos || !strings.HasSuffix(exprName(n.Type), "Options") {
				return true
			}
			for _, el := range n.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok && exprName(kv.Key) == "Prefix" {
					switch a := kv.Value.(type) {
					case *ast.BasicLit:
						prefix, _ = strconv.Unquote(a.Value)
					case *ast.Ident:
						prefix = consts[a.Name]
					}
				}
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || len(n.Args) < 2 {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			// sethvargo/go-envconfig's PrefixLookuper("SHIORI_", ...) puts
			// its prefix, separator included, before each env tag's name.
			// qiangxue/go-env's env.New("APP_", logf) too (go-rest-api).
			if !ok || !(pkg.Name == "conf" && sel.Sel.Name == "Parse" || pkg.Name == "envconfig" && (sel.Sel.Name == "Process" || sel.Sel.Name == "PrefixLookuper") ||
				pkg.Name == "env" && sel.Sel.Name == "New") {
				return true
			}
			switch a := n.Args[0].(type) {
			case *ast.BasicLit:
				prefix, _ = strconv.Unquote(a.Value)
			case *ast.Ident:
				prefix = consts[a.Name]
			}
		}
		return true
	})
	return prefix
}

var (
	codeString  = regexp.MustCompile(`"([\w][\w./-]*)"`)
	configExt   = map[string]bool{".ini": true, ".yaml": true, ".yml": true, ".toml": true, ".conf": true, ".cfg": true}
	configStems = []string{"base", "default", "config", "app", "application", "settings", "server"}
)

// configFilePort is the listen port a configuration file the code loads
// names, with the variable that overrides it where the loader maps one.
func (r *repo) configFilePort(ext string) *Evidence {
	for _, file := range r.loadedConfigFiles(ext) {
		key, e := configPortKey(r.read(file))
		if e == nil {
			continue
		}
		e.File = file
		e.Why = "the port " + file + " sets (" + strings.Join(key, ".") + ")"
		if env := r.configEnv(ext, key); env != "" {
			e.Why += ", default of $" + env
		}
		return e
	}
	return nil
}

// loadedConfigFiles are the configuration files the code names, by a
// path in a string (conf/app.ini) or by their directory
// (configuration/, crates/server/config): the base or default file of
// such a directory.
func (r *repo) loadedConfigFiles(ext string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ext) {
			continue
		}
		for _, line := range r.read(f) {
			if !strings.Contains(line, "conf") && !strings.Contains(line, "settings") && !strings.Contains(line, ".ini") &&
				!strings.Contains(line, ".yaml") && !strings.Contains(line, ".yml") && !strings.Contains(line, ".toml") {
				continue
			}
			for _, m := range codeString.FindAllStringSubmatch(line, -1) {
				p := path.Clean(m[1])
				if seen[p] || strings.HasPrefix(p, "..") {
					continue
				}
				seen[p] = true
				st, err := os.Stat(filepath.Join(r.dir, filepath.FromSlash(p)))
				switch {
				case err != nil:
				case !st.IsDir() && configExt[path.Ext(p)]:
					out = append(out, p)
				case st.IsDir():
					for _, c := range r.configFilesIn(p) {
						if !seen[c] {
							seen[c] = true
							out = append(out, c)
						}
					}
				}
			}
		}
	}
	return out
}

// configFilesIn are the base or default configuration files a
// directory holds (config.yaml, default.toml), by configStems' order.
func (r *repo) configFilesIn(dir string) []string {
	var out []string
	for _, stem := range configStems {
		for _, e := range slices.Sorted(maps.Keys(configExt)) {
			if c := path.Join(dir, stem+e); exists(r.dir, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

var (
	iniSection = regexp.MustCompile(`^\s*\[([\w. -]+)\]\s*$`)
	iniKey     = regexp.MustCompile(`^\s*([\w.-]+)\s*[=:]\s*["']?([^"'#;]*?)["']?\s*(?:[#;].*)?$`)
	yamlKey    = regexp.MustCompile(`^(\s*)([\w-]+):\s*["']?([^"'#]*?)["']?\s*(?:#.*)?$`)
)

// A configEntry is one key of an INI, TOML or YAML file, with the
// sections or mappings above it, its value and its line (1-based).
type configEntry struct {
	key   []string
	value string
	line  int
}

// configEntries are the keys with a value in an INI, TOML or YAML file,
// in order; a mapping's own key (no value) is only a prefix.
func configEntries(lines []string) []configEntry {
	var out []configEntry
	var stack []struct {
		indent int
		key    string
	}
	section := ""
	for i, line := range lines {
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";") {
			continue
		}
		if m := iniSection.FindStringSubmatch(line); m != nil {
			section = m[1]
			continue
		}
		var key []string
		value := ""
		// YAML where its colon comes first: a value may hold "="
		// (pagoda's "dbs/main.db?_journal=WAL"), an INI value ":"
		// (Host = 127.0.0.1:3306).
		if m := yamlKey.FindStringSubmatch(line); m != nil && (!strings.Contains(line, "=") || strings.Index(line, ":") < strings.Index(line, "=")) {
			indent := len(m[1])
			for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
				stack = stack[:len(stack)-1]
			}
			for _, s := range stack {
				key = append(key, s.key)
			}
			key = append(key, m[2])
			value = m[3]
			if value == "" {
				stack = append(stack, struct {
					indent int
					key    string
				}{indent, m[2]})
				continue
			}
		} else if m := iniKey.FindStringSubmatch(line); m != nil {
			if section != "" {
				key = append(key, strings.Split(section, ".")...)
			}
			key = append(key, m[1])
			value = m[2]
		} else {
			continue
		}
		out = append(out, configEntry{key: key, value: value, line: i + 1})
	}
	return out
}

// configPortKey finds the listen port in an INI, TOML or YAML file: a
// port key at the top or under a section that is not another server's
// (database, redis, ...). It returns the key's path and where.
func configPortKey(lines []string) ([]string, *Evidence) {
	for _, e := range configEntries(lines) {
		key := e.key
		if len(key) > 3 || !portKey.MatchString(key[len(key)-1]) {
			continue
		}
		other := false
		for _, k := range key {
			other = other || project.OtherServer(k)
		}
		if other {
			continue
		}
		if m := bindDefault.FindStringSubmatch(strings.TrimSpace(e.value)); m != nil {
			return key, &Evidence{Value: m[1], Line: e.line}
		}
	}
	return nil, nil
}

// configSQLitePath is a SQLite file a configuration value names, relative
// to the working directory, with its URI parameters: pagoda's
// "dbs/main.db?_journal=WAL&_timeout=5000&_fk=true".
var configSQLitePath = regexp.MustCompile(`^(?:file:)?(\.?[\w-][\w./-]*\.(?:db|sqlite|sqlite3|db3))(\?[\w=&.%-]*)?$`)

// configFileSQLite completes SQLite known by its import with the file a
// Go program's viper configuration names at a relative path (pagoda's
// database.connection in config/config.yaml: dbs/main.db in the working
// directory, on the read-only root: "mkdir dbs: read-only file system")
// and sets SQLiteVar to the variable that overrides it (viper's
// AutomaticEnv: PAGODA_DATABASE_CONNECTION), which the image points at
// the file on its volume. Nothing changes where there is no such file or
// no variable reaches it.
func (r *repo) configFileSQLite(s *Stack) {
	if s.Language != "go" || s.SQLiteVar != nil {
		return
	}
	at := plainSQLite(s)
	if at < 0 {
		return
	}
	for _, file := range r.loadedConfigFiles(".go") {
		for _, e := range configEntries(r.read(file)) {
			m := configSQLitePath.FindStringSubmatch(strings.TrimSpace(e.value))
			if m == nil || strings.HasPrefix(e.value, "/") || strings.Contains(strings.ToLower(strings.Join(e.key, ".")), "test") {
				continue
			}
			env := r.configEnv(".go", e.key)
			if env == "" {
				continue
			}
			where := file + ":" + strconv.Itoa(e.line)
			s.Databases[at].Value = "sqlite:" + path.Clean(m[1]) + m[2]
			s.Databases[at].Why = strings.TrimPrefix(s.Databases[at].Why+"; its file from "+where+" ("+strings.Join(e.key, ".")+"), default of $"+env, "; ")
			s.SQLiteVar = &Evidence{Value: env, File: file, Line: e.line, Why: "the SQLite file's path, " + strings.Join(e.key, ".") + " in " + file}
			return
		}
	}
	// A config struct's tag default (hay-kot/homebox's Storage.SqliteURL,
	// conf:"default:./.data/homebox.db?_pragma=...").
	for _, v := range r.goTagVars() {
		def := strings.TrimPrefix(v.def, "./")
		m := configSQLitePath.FindStringSubmatch(def)
		if v.flag != "" || v.Value == "" || m == nil || strings.Contains(strings.ToLower(v.field), "test") {
			continue
		}
		s.Databases[at].Value = "sqlite:" + path.Clean(m[1]) + m[2]
		s.Databases[at].Why = strings.TrimPrefix(s.Databases[at].Why+"; its file from "+v.Where()+" ("+v.field+"), default of $"+v.Value, "; ")
		s.SQLiteVar = &Evidence{Value: v.Value, File: v.File, Line: v.Line, Why: "the SQLite file's path, " + v.field + "'s default (" + v.lib + ")"}
		return
	}
}

// goWriteDir is the directory of the working directory under which the
// program's settings keep their files by default, where two or more do
// and the repository holds no such directory: umputun/remark42's
// ./var/backup, ./var (its bolt files), ./var/pictures, ./var/avatars
// ... (go-flags defaults, each with a variable of its own): the image
// mounts its data volume there, so every one of them is on it.
func (r *repo) goWriteDir(s *Stack) *Evidence {
	program := r.programFiles(s)
	var first *Evidence
	count := map[string]int{}
	seen := map[string]*Evidence{} // each directory's first setting
	for _, v := range r.goTagVars() {
		def := strings.TrimSpace(v.def)
		top, _, _ := strings.Cut(strings.TrimPrefix(def, "./"), "/")
		if !strings.HasPrefix(def, "./") || top == "" || top == "." || top == ".." || !relativeDir.MatchString(top) || !program(v.File) ||
			!pathSetting.MatchString(v.field) || exists(r.dir, top) && !r.gitIgnored(top) {
			continue
		}
		count[top]++
		if seen[top] == nil {
			seen[top] = &Evidence{Value: top, File: v.File, Line: v.Line, Why: "the default of " + v.field + " (" + def + ") and of other settings: the program's files"}
		}
		if count[top] == 2 && first == nil {
			first = seen[top]
		}
	}
	return first
}

// pathSetting is a setting named for a place on disk.
var pathSetting = regexp.MustCompile(`(?i)(?:path|dir|directory|location|file|folder|root|store|storage|backup|db)$`)

// A ConfigDir is a directory a configuration file names (Dir, relative
// to the working directory) and the variable that overrides it (Value).
type ConfigDir struct {
	Evidence
	Dir string
	// Volume: the repository's Dockerfile keeps it in a VOLUME of its
	// own (Why says which); the image makes the directory.
	Volume bool
}

var (
	// dirKey is a configuration key that names a directory.
	dirKey = regexp.MustCompile(`(?i)^(?:\w*_)?(?:dir|directory|folder|path|root|storage)$`)
	// tagDirKey is a config struct field that names a directory.
	tagDirKey = regexp.MustCompile(`(?i)^(?:\w*)?(?:dir|directory|folder|path|root|storage|data)$`)
	// relativeDir is a directory named relative to the working
	// directory: no extension, not hidden, not above it.
	relativeDir = regexp.MustCompile(`^[\w-]+(?:/[\w-]+)*/?$`)
	// mkdirCall creates a directory: os.MkdirAll, afero's fs.MkdirAll.
	mkdirCall = regexp.MustCompile(`\bMkdir(?:All)?\(\s*([\w.]+)`)
)

// configWriteDirs are the directories a Go program's viper configuration
// names relative to the working directory that its code creates at run
// time, on the image's read-only root (pagoda: "mkdir uploads: read-only
// file system"), where a variable reaches the key.
func (r *repo) configWriteDirs(s *Stack) []ConfigDir {
	if s.Language != "go" {
		return nil
	}
	var made []string // the fields the code creates directories from: c.Config.Files.Directory
	for _, f := range r.goSources() {
		for _, line := range r.read(f) {
			if m := mkdirCall.FindStringSubmatch(line); m != nil && strings.Contains(m[1], ".") {
				made = append(made, strings.ToLower(m[1]))
			}
		}
	}
	var out []ConfigDir
	if len(made) > 0 {
		out = r.envDefaultDirs(s)
	}
	// A config struct's field whose tag defaults to a directory the code
	// creates from it (hay-kot/homebox's Storage.Data,
	// conf:"default:./.data", os.MkdirAll(cfg.Storage.Data, 0o755):
	// "mkdir ./.data: read-only file system").
	for _, v := range r.goTagVars() {
		dir := strings.TrimSuffix(strings.TrimPrefix(v.def, "./"), "/")
		words := strings.Split(v.field, ".")
		if v.flag != "" || v.Value == "" || !tagDirKey.MatchString(words[len(words)-1]) || !relativeDir.MatchString(strings.TrimPrefix(dir, ".")) {
			continue
		}
		field := "." + strings.ToLower(v.field)
		why := v.field + ", which the code creates"
		if !slices.ContainsFunc(made, func(m string) bool { return strings.HasSuffix(m, field) }) {
			if !dataDirName.MatchString(v.Value) {
				continue
			}
			// Named for the data (zincsearch's ZINC_DATA_PATH,
			// default=./data), which a library writes there.
			why = v.field + ", the program's data by its name"
		}
		if slices.ContainsFunc(out, func(d ConfigDir) bool { return d.Value == v.Value }) {
			continue
		}
		out = append(out, ConfigDir{Evidence: Evidence{Value: v.Value, File: v.File, Line: v.Line,
			Why: why}, Dir: dir})
	}
	for _, file := range r.loadedConfigFiles(".go") {
		for _, e := range configEntries(r.read(file)) {
			v := strings.TrimSpace(e.value)
			if len(e.key) < 2 || !dirKey.MatchString(e.key[len(e.key)-1]) || !relativeDir.MatchString(v) {
				continue
			}
			field := "." + strings.ToLower(strings.Join(e.key, "."))
			if !slices.ContainsFunc(made, func(m string) bool { return strings.HasSuffix(m, field) }) {
				continue
			}
			env := r.configEnv(".go", e.key)
			if env == "" || slices.ContainsFunc(out, func(d ConfigDir) bool { return d.Value == env }) {
				continue // the first file that sets it, as viper reads one
			}
			out = append(out, ConfigDir{Evidence: Evidence{Value: env, File: file, Line: e.line,
				Why: strings.Join(e.key, ".")}, Dir: strings.TrimSuffix(v, "/")})
		}
	}
	return out
}

// goEnvDefault is a Go call that reads a variable with a default:
// env.MustString("STORAGE_FILE_PATH", "./data"), getEnv("UPLOAD_DIR", "uploads").
var goEnvDefault = regexp.MustCompile(`\b\w+\(\s*"([A-Z][A-Z0-9_]*)"\s*,\s*"([^"]*)"\s*\)`)

// envDefaultDirs are the directories relative to the working directory
// that a variable of a directory's name defaults to (lus/pasty's
// PASTY_STORAGE_FILE_PATH, "./data", which its file store creates at
// start: "mkdir ./data: read-only file system"), in a program whose code
// creates directories from its settings; the variable read at the call
// is the one the code reads (a wrapper's prefix included).
func (r *repo) envDefaultDirs(s *Stack) []ConfigDir {
	var out []ConfigDir
	for _, f := range r.goSources() {
		for i, line := range r.read(f) {
			for _, m := range goEnvDefault.FindAllStringSubmatch(line, -1) {
				name, dir := m[1], strings.TrimSuffix(strings.TrimPrefix(m[2], "./"), "/")
				if !dirKey.MatchString(name) || !relativeDir.MatchString(dir) {
					continue
				}
				for _, e := range s.Env {
					if e.File == f && e.Line == i+1 && strings.HasSuffix(e.Value, name) &&
						!slices.ContainsFunc(out, func(d ConfigDir) bool { return d.Value == e.Value }) {
						out = append(out, ConfigDir{Evidence: Evidence{Value: e.Value, File: f, Line: i + 1,
							Why: "the default of $" + e.Value}, Dir: dir})
					}
				}
			}
		}
	}
	return out
}

var (
	rsEnvPrefix  = regexp.MustCompile(`Environment::with_prefix\(\s*"([^"]*)"`)
	rsPrefixSep  = regexp.MustCompile(`\.prefix_separator\(\s*"([^"]*)"`)
	rsSeparator  = regexp.MustCompile(`\.separator\(\s*"([^"]*)"`)
	goKeyReplace = regexp.MustCompile(`SetEnvKeyReplacer\(\s*strings\.NewReplacer\(\s*"\."\s*,\s*"_"`)
)

// configEnv is the variable that overrides a configuration key, where
// the loader maps variables onto keys: the config crate's
// Environment::with_prefix("APP").separator("__") (APP_APPLICATION__PORT),
// viper's AutomaticEnv with a key replacer (SERVER_PORT).
func (r *repo) configEnv(ext string, key []string) string {
	upper := make([]string, len(key))
	for i, k := range key {
		upper[i] = strings.ToUpper(k)
	}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ext) {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			switch ext {
			case ".rs":
				m := rsEnvPrefix.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				chain := strings.Join(lines[i:min(i+6, len(lines))], " ")
				sep, psep := "", ""
				if s := rsSeparator.FindStringSubmatch(chain); s != nil {
					sep = s[1]
				}
				if s := rsPrefixSep.FindStringSubmatch(chain); s != nil {
					psep = s[1]
				} else if sep != "" {
					psep = sep
				} else {
					psep = "_"
				}
				if sep == "" && len(key) > 1 {
					return "" // nested keys cannot be set without a separator
				}
				return strings.ToUpper(m[1]) + psep + strings.Join(upper, sep)
			case ".go":
				if !strings.Contains(line, "AutomaticEnv") {
					continue
				}
				all := strings.Join(lines, "\n")
				if len(key) > 1 && !goKeyReplace.MatchString(all) {
					return ""
				}
				env := strings.Join(upper, "_")
				if m := project.ViperEnvPrefix.FindStringSubmatch(all); m != nil {
					env = strings.ToUpper(m[1]) + "_" + env
				}
				return env
			}
		}
	}
	return ""
}

// optionTable is the lib of a variable an option table names.
const optionTable = "option table"

var (
	// optionKey is a key of an option table: a variable's name.
	optionKey = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$`)
	// optionDefault names the field of a table entry that holds the
	// option's default as the environment would spell it.
	optionDefault = regexp.MustCompile(`(?i)^(?:raw(?:value)?|default(?:value)?|def|value)$`)
	goOsEnviron   = regexp.MustCompile(`\bos\.Environ\(\)|\bos\.(?:Getenv|LookupEnv)\(\s*[a-z]\w*\s*\)`)
)

// goReadsEnviron reports whether a Go package reads the environment by
// names it does not spell out (os.Environ(), os.LookupEnv(key)): the
// names are then in a table of its own.
func (r *repo) goReadsEnviron(dir string) bool {
	for _, f := range r.codeFiles() {
		if path.Dir(f) == dir && strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") && r.find(f, goOsEnviron) != nil {
			return true
		}
	}
	return false
}

// optionTableVars reads a table of options keyed by the variables that
// set them, in a package that reads the environment by name
// (miniflux's internal/config/options.go: map[string]*configValue{
// "LISTEN_ADDR": {rawValue: "127.0.0.1:8080", ...}, ...}): each key a
// variable, its default the entry's raw or default field. A map with
// fewer than three such keys is no table.
func optionTableVars(fset *token.FileSet, file string, lit *ast.CompositeLit) []tagVar {
	mt, ok := lit.Type.(*ast.MapType)
	if !ok {
		return nil
	}
	if k, ok := mt.Key.(*ast.Ident); !ok || k.Name != "string" {
		return nil
	}
	var out []tagVar
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return nil
		}
		key, ok := kv.Key.(*ast.BasicLit)
		if !ok || key.Kind != token.STRING {
			return nil
		}
		name, err := strconv.Unquote(key.Value)
		if err != nil || !optionKey.MatchString(name) {
			return nil
		}
		v := tagVar{Evidence: Evidence{Value: name, File: file, Line: fset.Position(kv.Pos()).Line}, lib: optionTable, field: name}
		entry, _ := kv.Value.(*ast.CompositeLit)
		if u, ok := kv.Value.(*ast.UnaryExpr); ok {
			entry, _ = u.X.(*ast.CompositeLit)
		}
		if entry != nil {
			for _, f := range entry.Elts {
				fkv, ok := f.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				id, ok := fkv.Key.(*ast.Ident)
				lit, isLit := fkv.Value.(*ast.BasicLit)
				if ok && isLit && lit.Kind == token.STRING && optionDefault.MatchString(id.Name) {
					v.def, _ = strconv.Unquote(lit.Value)
				}
			}
		}
		out = append(out, v)
	}
	if len(out) < 3 {
		return nil
	}
	return out
}

// optionReplacedBy is the table's port variable that replaces an address
// option where its package says so: a line that assigns the address's
// entry from the port (miniflux's parser.go:136,
// options["LISTEN_ADDR"]... = []string{":" + cp.options.Port()}).
func (r *repo) optionReplacedBy(addr tagVar) *Evidence {
	var port *tagVar
	for _, v := range r.goTagVars() {
		if v.lib == optionTable && v.File == addr.File && v.Value != addr.Value && goPortVarName.MatchString(v.Value) && strings.HasSuffix(v.Value, "PORT") {
			port = &v
			break
		}
	}
	if port == nil {
		return nil
	}
	method := ""
	for _, w := range strings.Split(strings.ToLower(port.Value), "_") {
		method += strings.ToUpper(w[:1]) + w[1:]
	}
	assigns := regexp.MustCompile(`\["` + quoteMeta(addr.Value) + `"\][^=]*=[^=].*(?:"` + quoteMeta(port.Value) + `"|\b` + method + `\(\))`)
	for _, f := range r.codeFiles() {
		if path.Dir(f) != path.Dir(addr.File) || !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") {
			continue
		}
		if e := r.find(f, assigns); e != nil {
			e.Value = port.Value
			return e
		}
	}
	return nil
}

// A fieldEnv is a config field a package sets from a variable by a call
// that takes the field's address and the variable's name (gotify's
// parseInt(&c.Server.Port, EnvServerPort), EnvServerPort =
// "GOTIFY_SERVER_PORT" in config/keys.go), with the default its
// composite literal gives the field (Server: Server{Port: 80}).
type fieldEnv struct {
	Evidence        // Value is the variable
	field    string // Server.Port
	def      string // 80
}

var tlsWord = regexp.MustCompile(`(?i)(?:^|[_.])(?:SSL|TLS|HTTPS)(?:$|[_.])`)

// goFieldEnvPort is the listen port such a package gives: a field named
// for a port or address, not TLS's or another server's, with a port as
// its default; the shortest field path first (Server.Port before
// Server.SSL.Port).
func (r *repo) goFieldEnvPort(others []string) *Evidence {
	byDir := map[string][]string{}
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") {
			byDir[path.Dir(f)] = append(byDir[path.Dir(f)], f)
		}
	}
	var best *fieldEnv
	for dir, files := range byDir {
		inOther := false
		for _, o := range others {
			inOther = inOther || dir == o || strings.HasPrefix(dir, o+"/")
		}
		if inOther {
			continue
		}
		calls := false
		for _, f := range files {
			calls = calls || strings.Contains(strings.Join(r.read(f), "\n"), "(&")
		}
		if !calls {
			continue
		}
		for _, v := range r.fieldEnvs(files) {
			last := v.field[strings.LastIndex(v.field, ".")+1:]
			if !portName.MatchString(last) || tlsWord.MatchString(v.field) || tlsWord.MatchString(v.Value) || project.OtherServer(v.field) || project.OtherServer(v.Value) {
				continue
			}
			if bindDefault.FindStringSubmatch(v.def) == nil {
				continue
			}
			if best == nil || strings.Count(v.field, ".") < strings.Count(best.field, ".") {
				c := v
				best = &c
			}
		}
	}
	if best == nil {
		return nil
	}
	m := bindDefault.FindStringSubmatch(best.def)
	return &Evidence{Value: m[1], File: best.File, Line: best.Line, Why: "default of $" + best.Value + " (the code sets " + best.field + " from it; its literal default " + best.def + ")"}
}

// fieldEnvs reads one package's files: string constants, the defaults
// composite literals give field paths, and the calls that set a field
// from a variable.
func (r *repo) fieldEnvs(files []string) []fieldEnv {
	fset := r.goFset()
	consts := map[string]string{}
	defs := map[string]string{}
	type call struct {
		field, name string
		file        string
		line        int
	}
	var calls []call
	var walkLit func(lit *ast.CompositeLit, prefix string)
	walkLit = func(lit *ast.CompositeLit, prefix string) {
		for _, el := range lit.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			k, ok := kv.Key.(*ast.Ident)
			if !ok {
				continue
			}
			p := k.Name
			if prefix != "" {
				p = prefix + "." + k.Name
			}
			switch v := kv.Value.(type) {
			case *ast.CompositeLit:
				walkLit(v, p)
			case *ast.BasicLit:
				if s, err := strconv.Unquote(v.Value); err == nil {
					defs[p] = s
				} else {
					defs[p] = v.Value
				}
			}
		}
	}
	for _, f := range files {
		file, _ := r.goFile(f)
		if file == nil {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				addStringValues(consts, n)
			case *ast.UnaryExpr:
				if lit, ok := n.X.(*ast.CompositeLit); ok && n.Op == token.AND {
					walkLit(lit, "")
					return false
				}
			case *ast.CallExpr:
				if len(n.Args) != 2 {
					return true
				}
				addr, ok := n.Args[0].(*ast.UnaryExpr)
				if !ok || addr.Op != token.AND {
					return true
				}
				parts := selectorFields(addr.X)
				if len(parts) == 0 {
					return true
				}
				name := ""
				switch a := n.Args[1].(type) {
				case *ast.Ident:
					name = "\x00" + a.Name // a constant, resolved below
				case *ast.BasicLit:
					name, _ = strconv.Unquote(a.Value)
				}
				if name != "" {
					calls = append(calls, call{strings.Join(parts, "."), name, f, fset.Position(n.Pos()).Line})
				}
			}
			return true
		})
	}
	var out []fieldEnv
	for _, c := range calls {
		name := c.name
		if strings.HasPrefix(name, "\x00") {
			name = consts[name[1:]]
		}
		if !optionKey.MatchString(name) || !strings.Contains(name, "_") {
			continue
		}
		def, ok := defs[c.field]
		if !ok {
			continue
		}
		out = append(out, fieldEnv{Evidence: Evidence{Value: name, File: c.file, Line: c.line}, field: c.field, def: def})
	}
	return out
}

// addStringValues records the string literals a const or var spec gives
// its names: const envPrefix = "SHIORI_".
func addStringValues(consts map[string]string, n *ast.ValueSpec) {
	for i, id := range n.Names {
		if i < len(n.Values) {
			if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				consts[id.Name], _ = strconv.Unquote(lit.Value)
			}
		}
	}
}
