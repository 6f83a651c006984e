package detect

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// configFlagDefault is a string flag with a default: its name, its
// default and its usage (go-zero's flag.String("f", "etc/core-api.yaml",
// "the config file"), kratos-layout's flag.StringVar(&flagconf, "conf",
// "../../configs", "config path, eg: -conf config.yaml")).
var configFlagDefault = regexp.MustCompile(`\bflag\.String(?:Var)?\((?:&[\w.]+,\s*)?"([\w.-]+)"\s*,\s*"([^"$*?]+)"\s*,\s*"([^"]*)"`)

// A programConfig is the configuration a Go main package in a directory
// of its own names by a flag's default, a path relative to where its
// developers run it, the package's directory: go-zero's `etc/` beside
// core/core.go, kratos-layout's `../../configs` from cmd/NAME/. Run in
// /app, the program looks at the default against /app, or where the
// arguments point the flag (kratos-layout's -conf=/data/conf).
type programConfig struct {
	flag string
	// at is the flag's line; Value the repository's path (core/etc,
	// configs), what the image carries.
	at Evidence
	// dest is where the program looks, in the image; byArgs is set where
	// the arguments point the flag there, given where they name the file
	// (relative) instead of the default.
	dest          string
	byArgs, given bool
	// files are the configuration files in it, the port's candidates.
	files []string
}

// programConfigs are the chosen main package's configuration flags whose
// default names, against the package's directory, a file or directory
// of the repository that the same path against the root does not.
func (r *repo) programConfigs(s *Stack) []programConfig {
	if s.Language != "go" || s.ambiguousEntry() || len(s.Entrypoints) == 0 {
		return nil
	}
	dir := s.Entrypoints[0].Value
	if dir == "." || dir == "" {
		return nil
	}
	var out []programConfig
	for _, f := range r.codeFiles() {
		if path.Dir(f) != dir || !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") {
			continue
		}
		for i, line := range r.read(f) {
			m := configFlagDefault.FindStringSubmatch(line)
			if m == nil || !configFlag.MatchString(m[1]) && !strings.Contains(strings.ToLower(m[3]), "config") {
				continue
			}
			def, given := strings.TrimPrefix(m[2], "./"), false
			if v, ok := flagArg(s.ArgWords, m[1]); ok && v != "" && !path.IsAbs(v) {
				// The repository's Dockerfile hands it another file
				// (-f etc/prod.yaml): that one is read.
				def, given = strings.TrimPrefix(v, "./"), true
			}
			if path.IsAbs(def) {
				continue
			}
			repoPath := path.Join(dir, def)
			if strings.HasPrefix(repoPath, "..") || !exists(r.dir, repoPath) || !r.shippable(repoPath) ||
				!strings.HasPrefix(def, "..") && exists(r.dir, def) {
				continue // outside, absent, or where the root's copy serves
			}
			// What to carry: the default's first directory below the
			// package's (etc/ of etc/core-api.yaml), else the path itself.
			carry, dest := repoPath, path.Join("/app", def)
			if first, _, ok := strings.Cut(def, "/"); ok && first != ".." {
				carry, dest = path.Join(dir, first), path.Join("/app", first)
			}
			byArgs := false
			if v, ok := flagArg(s.ArgWords, m[1]); ok && path.IsAbs(v) && carry == repoPath {
				dest, byArgs = v, true // kratos-layout's -conf=/data/conf
			}
			c := programConfig{flag: m[1], at: Evidence{Value: carry, File: f, Line: i + 1}, dest: dest, byArgs: byArgs, given: given}
			if isDir(r.dir, repoPath) {
				c.files = r.configFilesIn(repoPath)
			} else if configExt[path.Ext(repoPath)] {
				c.files = []string{repoPath}
			}
			out = append(out, c)
		}
	}
	return out
}

// flagArg is the value the arguments give a flag (-conf=V, --conf=V,
// -conf V).
func flagArg(words []string, name string) (string, bool) {
	for i, w := range words {
		n, v, eq := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if !strings.HasPrefix(w, "-") || n != name {
			continue
		}
		if eq {
			return v, true
		}
		if i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
			return words[i+1], true
		}
	}
	return "", false
}

// programConfigPort is the listen port the chosen program's own
// configuration flag's file sets (go-zero's Port: 8888 in
// core/etc/core-api.yaml, kratos-layout's server.http.addr in
// configs/config.yaml).
func (r *repo) programConfigPort(s *Stack) *Evidence {
	for _, c := range r.programConfigs(s) {
		for _, file := range c.files {
			key, e := configPortKey(r.read(file))
			if e == nil {
				continue
			}
			e.File = file
			e.Why = "the port " + file + " sets (" + strings.Join(key, ".") + "), which -" + c.flag + " loads by default"
			if c.given {
				e.Why = "the port " + file + " sets (" + strings.Join(key, ".") + "), the file the arguments hand -" + c.flag
			}
			return e
		}
	}
	return nil
}

// carryProgramConfigs puts the chosen program's configuration where it
// looks for it, unless the image carries that path already.
func (r *repo) carryProgramConfigs(s *Stack) {
	for _, c := range r.programConfigs(s) {
		if s.carries(c.dest) || slices.ContainsFunc(s.RuntimeFiles, func(e Evidence) bool { return path.Join("/app", e.Value) == c.dest }) {
			continue
		}
		e := c.at
		e.Why = "-" + c.flag + "'s default, against " + s.Entrypoints[0].Value + "/ where it is run"
		if c.byArgs {
			e.Why += "; the arguments point -" + c.flag + " at " + c.dest
		}
		s.CarriedFiles = append(s.CarriedFiles, CarriedFile{Evidence: e, Dest: c.dest, config: true})
	}
}

// goGeneratedCode stops init where the program builds from code the
// repository does not hold, which a generator writes and git ignores:
// a package of the module the program imports with no Go file
// (kratos-layout's internal/conf, protoc's from conf.proto; hz's
// hertz_gen/), or wire's wire_gen.go beside a wire.go built only under
// wireinject. No image of it compiles until the code is generated.
func (r *repo) goGeneratedCode(s *Stack) {
	if s.Language != "go" || len(s.Entrypoints) == 0 || s.ambiguousEntry() {
		return
	}
	module := project.GoModulePath(r.dir)
	scope := project.GoScope(r.dir, s.Entrypoints[0].Value)
	if module == "" || scope == nil {
		return
	}
	var missing []string
	for _, d := range slices.Sorted(maps.Keys(scope)) {
		if !r.goPackageHolds(d) && !r.inNestedModule(d) {
			missing = append(missing, d)
		}
	}
	entry := s.Entrypoints[0].Value
	wire := ""
	if w := path.Join(entry, "wire.go"); isFile(r.dir, w) && !exists(r.dir, path.Join(entry, "wire_gen.go")) &&
		slices.ContainsFunc(r.read(w), func(l string) bool { return strings.Contains(l, "wireinject") }) {
		wire = w
	}
	if len(missing) == 0 && wire == "" {
		return
	}
	var what []string
	at := Evidence{File: s.Entrypoints[0].File, Line: s.Entrypoints[0].Line}
	for _, d := range missing {
		imp := module + "/" + d
		if d == "." {
			imp = module
		}
		if e := r.goImportOf(scope, imp); e != nil {
			if len(what) == 0 {
				at = *e
			}
			what = append(what, fmt.Sprintf("%s (imported at %s:%d) has no Go file", d, e.File, e.Line))
		} else {
			what = append(what, d+" has no Go file")
		}
	}
	if wire != "" {
		what = append(what, "wire_gen.go, which wire writes from "+wire+", is missing")
	}
	how := "generate it and commit the output, or add the generator to the build"
	if steps := r.goGenerateSteps(); len(steps) > 0 {
		var list []string
		for _, g := range steps {
			list = append(list, fmt.Sprintf("%s:%d %s", g.File, g.Line, g.Value))
		}
		how = "the Makefile's generators (" + strings.Join(list, "; ") + ") write such code: run them and commit the output, or add them to the build"
	}
	var ignored []string
	for _, d := range missing {
		if r.gitIgnored(d) {
			ignored = append(ignored, d)
		}
	}
	if wire != "" && r.gitIgnored(path.Join(entry, "wire_gen.go")) {
		ignored = append(ignored, path.Join(entry, "wire_gen.go"))
	}
	said := ""
	if len(ignored) > 0 {
		said = " (git ignores " + strings.Join(ignored, ", ") + ")"
	}
	at.Value = "the program builds from generated code the repository does not hold: " + strings.Join(what, "; ") + said + ": " + how
	s.Needs = append(s.Needs, at)
}

// inNestedModule reports whether a package path of the module's import
// paths lies in a module of its own: a directory on the way has a go.mod
// (sdk/go.mod's example.com/shop/sdk/v2, replaced by ./sdk: the import's
// sdk/v2 is sdk/ on the disk).
func (r *repo) inNestedModule(dir string) bool {
	for d := dir; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		if exists(r.dir, path.Join(d, "go.mod")) {
			return true
		}
	}
	return false
}

// goPackageHolds reports whether a package directory holds a Go file
// that is not a test's.
func (r *repo) goPackageHolds(dir string) bool {
	entries, err := os.ReadDir(filepath.Join(r.dir, filepath.FromSlash(dir)))
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") && !project.TestFile(e.Name()) {
			return true
		}
	}
	return false
}

// goImportOf is the first import of imp in the program's packages.
func (r *repo) goImportOf(scope map[string]bool, imp string) *Evidence {
	for _, f := range r.codeFiles() {
		if !scope[path.Dir(f)] || !strings.HasSuffix(f, ".go") {
			continue
		}
		for i, l := range r.read(f) {
			if m := goImportPath.FindStringSubmatch(l); m != nil && m[1] == imp {
				return &Evidence{Value: imp, File: f, Line: i + 1}
			}
		}
	}
	return nil
}

// goGenerator is a generator's command in a Makefile or script.
var goGenerator = regexp.MustCompile(`\b(?:protoc|buf generate|wire\b|go generate|hz (?:new|update)|kitex|goctl|cwgo|oapi-codegen|sqlc generate|ent generate)`)

// goInstall installs a generator rather than running it.
var goInstall = regexp.MustCompile(`\bgo (?:install|get)\b`)

// goGenerateSteps are the lines of the repository's Makefile that run a
// code generator (not those that install one), the first four: which of
// them writes which package is the Makefile's to say.
func (r *repo) goGenerateSteps() []Evidence {
	var out []Evidence
	for _, f := range []string{"Makefile", "makefile", "GNUmakefile"} {
		for i, l := range r.read(f) {
			if goGenerator.MatchString(l) && !goInstall.MatchString(l) && len(out) < 4 {
				out = append(out, Evidence{Value: strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l), "\\")), File: f, Line: i + 1})
			}
		}
	}
	return out
}
