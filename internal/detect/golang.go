package detect

import (
	"fmt"
	"go/build/constraint"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var (
	// goUserLookup asks the passwd database who the process runs as
	// (benbjohnson/wtf expands ~ through user.Current()).
	goUserLookup = regexp.MustCompile(`\buser\.(?:Current|LookupId)\(`)
	goCgoImport  = regexp.MustCompile(`"(github\.com/mattn/go-sqlite3|gorm\.io/driver/sqlite|github\.com/jinzhu/gorm/dialects/sqlite|github\.com/confluentinc/confluent-kafka-go[^"]*)"|^import\s+"C"$`)
	// What a server's main calls: a listen, a framework's router, a server.
	goServes = regexp.MustCompile(`ListenAndServe|\.Serve\(|http\.Server\{|\.Listen\(|\.Run\(|\.Start\(|gin\.(?:Default|New)\(|echo\.New\(|fiber\.New\(|chi\.NewRouter\(|mux\.NewRouter\(|http\.NewServeMux\(|http\.HandleFunc\(|\bserver\.New|\bNewServer\(`)
	// A build of one package in a Dockerfile, Makefile or script.
	goBuildPkg = regexp.MustCompile(`\bgo\s+(?:build|install)\b[^&|;]*?\s(\./[\w./-]*|\.)\s*(?:$|&&|;|\\)`)
	goVersion  = regexp.MustCompile(`^go\s+(\d+\.\d+(?:\.\d+)?)\s*$`)
	goMain     = regexp.MustCompile(`^package main\b`)
	// libPQBeforeSCRAM is go.mod requiring lib/pq before v1.1.0, which
	// added SCRAM-SHA-256 (zhashkevych/todo-app's v1.0.0).
	libPQBeforeSCRAM = regexp.MustCompile(`^\s*(?:require\s+)?github\.com/lib/pq\s+(v(?:0\.\d+|1\.0)\.\d+\S*)`)
)

func detectGo(r *repo) *Stack {
	s := &Stack{Language: "go", Version: r.find("go.mod", goVersion), PackageManager: &Evidence{Value: "go", File: "go.mod"}}
	for _, fw := range []struct{ name, module string }{
		{"gin", "github.com/gin-gonic/gin"}, {"echo", "github.com/labstack/echo"}, {"chi", "github.com/go-chi/chi"},
		{"fiber", "github.com/gofiber/fiber"},
	} {
		if e := r.find("go.mod", regexp.MustCompile(quoteMeta(fw.module))); e != nil {
			e.Value = fw.name
			s.Framework = e
			break
		}
	}
	r.goEntry(s)
	if r.chosen != "" {
		s.choose(r.chosen) // what follows reads the chosen program's files
	}
	if s.Framework == nil && len(s.Entrypoints) > 0 {
		s.Framework = r.find(s.Entrypoints[0].File, regexp.MustCompile(`"(net/http)"`))
	}
	// The program's own files: a package only tests import
	// (cfssl's certdb/testdb, which imports go-sqlite3 beside Postgres's
	// and MySQL's drivers) builds into no image.
	program := r.programFiles(s)
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".go") && r.goBuildsOnLinux(f) && program(f) {
			if e := r.find(f, goCgoImport); e != nil {
				e.Why = "needs cgo (a C compiler at build, the C library at run time)"
				s.CGO = e
				break
			}
		}
	}
	s.CLibs = r.goCLibs(program)
	if s.CGO == nil && len(s.CLibs) > 0 {
		s.CGO = &s.CLibs[0]
	}
	// The import line, not any mention (a tool's own tables mention it).
	// Rendering, not importing: html/template for its escaping alone
	// (podgrab's internal/sanitize) renders nothing.
	s.Templates = r.templates(regexp.MustCompile(`\btemplate\.(?:ParseFiles|ParseGlob|ParseFS|New)\(|\.LoadHTML(?:Glob|Files|FS)\(|\bhtml\.New\(|\.Renderer\s*=`), "go", program)
	s.Migrations = r.migrations()
	s.Embeds = r.goEmbeds()
	s.Boxes, s.BoxEmbed = r.goBoxes(program)
	s.Frontend = r.goFrontend(append(slices.Clip(s.Embeds), s.Boxes...))
	if s.Frontend == nil {
		s.Frontend = r.goRuntimeFrontend(s)
	}
	if s.Frontend == nil {
		s.Frontend = r.dockerfileFrontend()
	}
	if s.Frontend == nil {
		s.Frontend = r.buildStageFrontend(append(slices.Clip(s.Embeds), s.Boxes...))
	}
	if s.Frontend == nil {
		s.Frontend = r.makeFrontend(s.Embeds)
	}
	r.pnpmWorkspace(s.Frontend)
	r.missingEmbeds(s)
	r.compiledArgs(s)
	r.goLocalReplaces(s)
	r.goGeneratedCode(s)
	if !r.gitIgnored("vendor") {
		// A vendor/ git ignores is a local copy a clone lacks.
		s.Vendored = r.fileEvidence("vendor/modules.txt", "vendor")
	}
	r.goMissingSum(s)
	s.RuntimeFiles = r.runtimeFiles(".go")
	s.EnvFile = r.goRequiredEnvFile()
	if s.EnvFile == nil {
		s.EnvFile = r.viperRequiredEnvFile()
		s.EnvFileKeys = s.EnvFile != nil
		if s.EnvFile != nil && !r.goUsesViperEnv() {
			// Without AutomaticEnv the file is all viper reads: an empty
			// one would leave every setting empty. Said, not carried.
			s.EnvFileOnly, s.EnvFile, s.EnvFileKeys = s.EnvFile, nil, false
		}
	}
	if s.Generate == nil {
		s.Generate = r.goGenerate()
	}
	if !exists(r.dir, "go.mod") {
		r.goWithoutModule(s)
	}
	if s.Migrate == nil {
		s.Migrate = r.goMigrateFlag()
	}
	var migrations *Evidence
	if s.Migrate == nil {
		s.Migrate, migrations = r.goMigrateProgram(s)
	}
	s.QueryAppended = r.goQueryAppended()
	if e := r.find("go.mod", libPQBeforeSCRAM); e != nil {
		e.Why = "lib/pq " + e.Value + " predates SCRAM-SHA-256 passwords (v1.1.0)"
		s.OldPostgresDriver = e
	}
	if len(s.Entrypoints) > 0 && !s.ambiguousEntry() {
		s.BuildTags = r.goBuildTags(s.Entrypoints[0].Value)
		if s.Migrate == nil {
			var source *Evidence
			if s.MigratesAtStart, source = r.goMigratesAtStart(s.BuildTags); source != nil {
				migrations = source
			}
		}
	}
	if s.Migrate == nil && s.MigratesAtStart == nil && len(s.Entrypoints) > 0 && !s.ambiguousEntry() {
		var source *Evidence
		if s.MigratesAtStart, source = r.goMigratesInMain(s.Entrypoints[0].Value); s.MigratesAtStart == nil {
			s.MigratesAtStart, source = r.goMigratesInProgram(s)
		}
		if source != nil {
			migrations = source
		}
	}
	if s.Migrate == nil && s.MigratesAtStart == nil {
		s.MigratesAtStart = r.gofrMigrates(s)
	}
	if s.Migrate == nil && s.MigratesAtStart == nil {
		s.MigratesAtStart = r.goMigrationsPackage(s)
	}
	if s.Migrate == nil && s.MigratesAtStart == nil {
		var dir *Evidence
		if s.Migrate, dir = r.goMigrateCLI(); dir != nil {
			migrations, s.Migrations = dir, dir
		}
	}
	seen := map[string]bool{}
	for _, e := range s.RuntimeFiles {
		seen[e.Value] = true
	}
	if migrations != nil && !seen[migrations.Value] {
		seen[migrations.Value] = true
		s.RuntimeFiles = append(s.RuntimeFiles, *migrations)
	}
	for _, e := range append(r.viperConfigFiles(), r.beegoRuntimeFiles(s)...) {
		if !seen[e.Value] && (s.EnvFile == nil || s.EnvFile.Value != e.Value) {
			seen[e.Value] = true
			s.RuntimeFiles = append(s.RuntimeFiles, e)
		}
	}
	return s
}

var (
	viperConfigType = regexp.MustCompile(`\.SetConfigType\(\s*"(\w+)"\s*\)`)
	viperConfigPath = regexp.MustCompile(`\.AddConfigPath\(\s*(?:"([^"]*)"|\w+)\s*\)`)
	// envFileURL is a file:// value of a dotenv file naming a path in the
	// repository: MIGRATION_URL=file://db/migration.
	envFileURL = regexp.MustCompile(`^\s*[A-Za-z_]\w*\s*=\s*["']?file://([\w.-]+(?:/[\w.-]+)*)/?["']?\s*$`)
)

// viperConfigFile is the configuration file viper reads, where it is in
// the repository: SetConfigName("app") with SetConfigType("env") is
// app.env (viper adds the type as the extension), under each
// AddConfigPath directory (one the caller hands in is taken as the
// working directory, as simplebank's LoadConfig(".")).
func (r *repo) viperConfigFile() *Evidence {
	for _, f := range r.goSources() {
		lines := r.read(f)
		name, typ, at := "", "", 0
		dirs := []string{}
		for i, line := range lines {
			if isComment(line) {
				continue
			}
			if m := viperConfigName.FindStringSubmatch(line); m != nil && strings.Contains(line, "SetConfigName") {
				name, at = m[1], i+1
			}
			if m := viperConfigType.FindStringSubmatch(line); m != nil {
				typ = m[1]
			}
			if m := viperConfigPath.FindStringSubmatch(line); m != nil {
				d := m[1]
				if d == "" {
					d = "." // a directory the caller hands in: its working directory
				}
				dirs = append(dirs, d)
			}
		}
		if name == "" || path.IsAbs(name) || strings.Contains(name, "..") {
			continue
		}
		file := name
		if path.Ext(name) == "" && typ != "" {
			ext := typ
			if typ == "dotenv" {
				ext = "env"
			}
			file = name + "." + ext
		}
		if len(dirs) == 0 {
			dirs = []string{"."}
		}
		for _, d := range dirs {
			p := path.Clean(path.Join(d, file))
			if path.IsAbs(p) || strings.HasPrefix(p, "..") || !exists(r.dir, p) {
				continue
			}
			return &Evidence{Value: p, File: f, Line: at, Why: "viper reads it (SetConfigName, SetConfigType, AddConfigPath) from the working directory"}
		}
	}
	return nil
}

// viperConfigFiles are what the image must hold for viper's configuration
// file: the file (simplebank's app.env, which its own Dockerfile copies;
// without it the program exits `Config File "app" Not Found`) and the
// directories its file:// values name (MIGRATION_URL=file://db/migration).
// Its values are defaults: AutomaticEnv lets the environment override each.
func (r *repo) viperConfigFiles() []Evidence {
	cfg := r.viperConfigFile()
	if cfg == nil {
		return nil
	}
	out := []Evidence{*cfg}
	for i, line := range r.read(cfg.Value) {
		m := envFileURL.FindStringSubmatch(line)
		if m == nil || strings.HasPrefix(m[1], "..") {
			continue
		}
		p := path.Clean(m[1])
		if isDir(r.dir, filepath.FromSlash(p)) {
			out = append(out, Evidence{Value: p, File: cfg.Value, Line: i + 1, Why: "a file:// path the configuration names"})
		}
	}
	return out
}

var (
	// goMigrateFlagDecl declares a boolean flag for migrating:
	// flag.BoolVar(&flagMigrate, "migrate", false, "Run SQL migrations").
	goMigrateFlagDecl = regexp.MustCompile(`\b(?:flag|pflag|[Ff]lags\(\))\.BoolVar(?:P)?\(\s*&(\w+)\s*,\s*"((?:run-|db-)?migrate(?:-db|-only)?)"`)
	// goMigrateSwitch is a variable that makes the program migrate when
	// it starts (miniflux's RUN_MIGRATIONS).
	goMigrateSwitch = regexp.MustCompile(`^(?:RUN_|AUTO_|DB_)?MIGRAT(?:E|IONS?)(?:_ON_START(?:UP)?)?$`)
)

// goMigrateFlag is the program's own flag that applies its migrations
// and exits (miniflux's -migrate, internal/cli/cli.go:64,174-179: if the
// flag is set it migrates and returns): the release step runs the image
// with it, once, before the new version serves. A program that migrates
// on start only when a variable says so (RUN_MIGRATIONS=1) would migrate
// from every replica at once; the note names the switch.
func (r *repo) goMigrateFlag() *Evidence {
	for _, f := range r.goSources() {
		lines := r.read(f)
		for i, line := range lines {
			m := goMigrateFlagDecl.FindStringSubmatch(line)
			if m == nil || isComment(line) {
				continue
			}
			test := regexp.MustCompile(`^\s*if\s+` + quoteMeta(m[1]) + `\s*\{`)
			for j, l := range lines {
				if !test.MatchString(l) {
					continue
				}
				migrates, ends := false, false
				for k := j + 1; k < len(lines) && k <= j+8 && !ends; k++ {
					t := strings.TrimSpace(lines[k])
					migrates = migrates || strings.Contains(strings.ToLower(t), "migrat")
					ends = t == "return" || strings.HasPrefix(t, "os.Exit(0)")
				}
				if !migrates || !ends {
					continue
				}
				why := fmt.Sprintf("the program's -%s flag applies its migrations and exits (%s:%d)", m[2], f, j+1)
				for _, v := range r.goTagVars() {
					if goMigrateSwitch.MatchString(v.Value) {
						why += fmt.Sprintf("; $%s (%s:%d) would migrate on every start instead", v.Value, v.File, v.Line)
						break
					}
				}
				return &Evidence{Value: "-" + m[2], File: f, Line: i + 1, Why: why}
			}
		}
	}
	return nil
}

// goImportPath is one import path of a Go file's import block or line.
var goImportPath = regexp.MustCompile(`^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"]+)"\s*\)?\s*$`)

// goWithoutModule judges a Go program without go.mod (`init --stack go`
// on GoogleCloudPlatform's hello-app, whose own Dockerfile runs `go mod
// init hello-app`). When the code imports only the standard library the
// build makes the module itself (`go mod init`): nothing is resolved, so
// the image is what the code says. When it imports modules, `go mod tidy`
// in the build would pick whatever versions are newest that day, a
// different program from one build to the next: init stops and says to
// write and commit go.mod and go.sum.
func (r *repo) goWithoutModule(s *Stack) {
	if abs, err := filepath.Abs(r.dir); err == nil {
		for d := filepath.Dir(abs); d != filepath.Dir(d); d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				return // a package inside a module whose go.mod is above: not this rule's case
			}
		}
	}
	var mods []string
	seen := map[string]bool{}
	first := ""
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || !r.goBuildsOnLinux(f) {
			continue
		}
		if first == "" {
			first = f
		}
		inBlock := false
		for _, line := range r.read(f) {
			t := strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(t, "import ("):
				inBlock = true
				continue
			case inBlock && t == ")":
				inBlock = false
				continue
			case !inBlock && !strings.HasPrefix(t, "import "):
				if strings.HasPrefix(t, "func ") || strings.HasPrefix(t, "type ") || strings.HasPrefix(t, "var ") {
					break
				}
				continue
			}
			m := goImportPath.FindStringSubmatch(line)
			if m == nil || m[1] == "C" {
				continue
			}
			if elem, _, _ := strings.Cut(m[1], "/"); strings.Contains(elem, ".") && !seen[m[1]] {
				seen[m[1]] = true
				mods = append(mods, m[1])
			}
		}
	}
	if len(mods) == 0 {
		s.PackageManager = &Evidence{Value: "go", Why: "no go.mod: the code imports only the standard library, so the build makes the module (go mod init)"}
		return
	}
	sort.Strings(mods)
	s.PackageManager = &Evidence{Value: "go", Why: "no go.mod"}
	how := "go mod init NAME && go mod tidy"
	for _, lock := range []string{"Gopkg.lock", "glide.lock", "Godeps/Godeps.json", "vendor/vendor.json"} {
		if exists(r.dir, lock) {
			// An older tool's lock (dep, glide, godep, govendor), which
			// go mod init no longer reads (Go 1.22): the versions it
			// holds are the ones to pin.
			how = "go mod init NAME, go get each module at the version " + lock + " holds (Go no longer reads it), then go mod tidy"
			break
		}
	}
	s.Needs = append(s.Needs, Evidence{File: first, Value: fmt.Sprintf(
		"no go.mod, and the code imports modules (%s): write one (%s) and commit it with go.sum, so every build compiles the same versions; a build that resolved them itself would take the newest each time", strings.Join(mods, ", "), how)})
}

var (
	// godotenv.Load() reads .env, godotenv.Load("config/app.env") the file named.
	goDotenvLoad = regexp.MustCompile(`\bgodotenv\.(?:Load|Overload)\(\s*(?:"([^"]+)")?\s*\)`)
	// A call that ends the program: log.Fatal, logrus.Fatalf (zhashkevych/
	// todo-app's godotenv.Load), zap's Fatalw, zerolog's Fatal(), Panic.
	goFatal = regexp.MustCompile(`\.(?:Fatal|Panic)(?:f|ln|w)?\(|\bpanic\(|\bos\.Exit\(`)
)

// goUserLookup finds where the program looks up its own user: in the
// packages the entry point builds from (scope; every file when nil), so
// another program's lookup (this repository's SSH client, beside the
// proxy) does not count.
func (r *repo) goUserLookup(scope map[string]bool) *Evidence {
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || scope != nil && !scope[path.Dir(f)] {
			continue
		}
		if e := r.find(f, goUserLookup); e != nil && !isComment(r.read(f)[e.Line-1]) {
			e.Why = "looks up the user it runs as in /etc/passwd"
			return e
		}
	}
	return nil
}

// goHomeDir is where a Go program keeps state under its user's home:
// a file of its package scope that asks for the user's configuration,
// cache or home directory (os.UserConfigDir, which is $HOME/.config
// without XDG_CONFIG_HOME) and creates or opens files (nkanaev/yarr
// keeps storage.db in UserConfigDir()/yarr unless -db names one: mkdir
// /.config on the read-only root). Value is the directory's name under
// the home ("" for the home itself). nil otherwise.
func (r *repo) goHomeDir(scope map[string]bool) *Evidence {
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || project.TestFile(path.Base(f)) || scope != nil && !scope[path.Dir(f)] {
			continue
		}
		lines := r.read(f)
		if !slices.ContainsFunc(lines, func(l string) bool { return goWrites.MatchString(l) && !isComment(l) }) {
			continue
		}
		for i, line := range lines {
			if m := goUserDir.FindStringSubmatch(line); m != nil && !isComment(line) {
				dir := map[string]string{"Config": ".config", "Cache": ".cache", "Home": ""}[m[1]]
				return &Evidence{Value: dir, File: f, Line: i + 1, Why: "os.User" + m[1] + "Dir(), where the program creates files"}
			}
		}
	}
	return nil
}

var (
	// goUserDir asks for a directory of the user's home.
	goUserDir = regexp.MustCompile(`\bos\.User(Config|Cache|Home)Dir\(\)`)
	// goWrites creates or opens files or a database file.
	goWrites = regexp.MustCompile(`\bos\.(?:MkdirAll|Mkdir|Create|WriteFile|OpenFile)\(|\bsql\.Open\(|\bgorm\.Open\(`)
)

// goRequiredEnvFile is the env file the program loads and exits without
// (godotenv.Load's error fatal within the next lines). godotenv never
// overrides a variable that is set, so an empty file in the image leaves
// the configuration to the environment, as compose and Kubernetes set it.
func (r *repo) goRequiredEnvFile() *Evidence {
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			m := goDotenvLoad.FindStringSubmatch(line)
			if m == nil || isComment(line) {
				continue
			}
			fatal, returned := false, false
			for j := i; j < len(lines) && j <= i+3; j++ {
				fatal = fatal || goFatal.MatchString(lines[j])
				returned = returned || goReturnsErr.MatchString(lines[j])
			}
			if !fatal && returned {
				// Returned to a caller that stops on it (lxnewayfarer/
				// shortlinks: setupEnvironment's error, then panic(err)).
				fatal = r.goCallerStops(f, goEnclosingFunc(lines, i))
			}
			name := m[1]
			if name == "" {
				name = ".env"
			}
			if !fatal || path.IsAbs(name) || strings.Contains(name, "..") {
				continue
			}
			return &Evidence{Value: path.Clean(name), File: f, Line: i + 1, Why: "the program exits when it cannot load it"}
		}
	}
	return nil
}

var (
	viperDotenv     = regexp.MustCompile(`\.SetConfigType\(\s*"(?:dotenv|env)"\s*\)`)
	viperConfigName = regexp.MustCompile(`\.SetConfig(?:Name|File)\(\s*"([^"]+)"\s*\)`)
	viperReadConfig = regexp.MustCompile(`\.ReadInConfig\(\)`)
)

// viperRequiredEnvFile is the dotenv file viper reads and the program
// stops without (golang-mongodb-rest-api-starter: SetConfigType("dotenv"),
// SetConfigName(".env"), ReadInConfig's error a panic). viper's Unmarshal
// sees only the keys it knows, so the image carries the file with the
// keys the example env file documents and no values: AutomaticEnv then
// takes each from the environment (Stack.EnvFileKeys).
func (r *repo) viperRequiredEnvFile() *Evidence {
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		lines := r.read(f)
		dotenv, name := false, ""
		for i, line := range lines {
			if isComment(line) {
				continue
			}
			dotenv = dotenv || viperDotenv.MatchString(line)
			if m := viperConfigName.FindStringSubmatch(line); m != nil {
				name = m[1]
				// SetConfigFile(".env"): viper takes the type from the
				// extension (go-backend-clean-architecture).
				dotenv = dotenv || strings.HasPrefix(m[0], ".SetConfigFile") && path.Ext(name) == ".env"
			}
			if !viperReadConfig.MatchString(line) || !dotenv || name == "" || path.IsAbs(name) || strings.Contains(name, "..") {
				continue
			}
			fatal, returned := false, false
			for j := i; j < len(lines) && j <= i+3; j++ {
				fatal = fatal || goFatal.MatchString(lines[j])
				returned = returned || goReturnsErr.MatchString(lines[j])
			}
			if !fatal && returned {
				// Returned to a caller that stops on it (ThanadonExe/
				// go-shorter's InitAppConfig, which an init() panics on).
				fatal = r.goCallerStops(f, goEnclosingFunc(lines, i))
			}
			if fatal {
				return &Evidence{Value: path.Clean(name), File: f, Line: i + 1, Why: "viper reads it and the program exits without it; viper unmarshals only the keys it holds"}
			}
		}
	}
	return nil
}

// goUsesViperEnv reports whether the Go code calls viper's AutomaticEnv,
// which lets the environment override the keys a file gives.
func (r *repo) goUsesViperEnv() bool {
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".go") && r.find(f, viperAutomaticEnv) != nil {
			return true
		}
	}
	return false
}

// missingEmbeds adds to s.Needs the chosen program's //go:embed paths
// that the tree lacks, other than the front end init builds: go build
// stops on each ("pattern site: no matching files found"), so no image
// of the tree can be built until the repository's own build makes them
// (binwiederhier/ntfy's server/site, which its Makefile's web-build
// moves web/build to, and server/docs, which mkdocs writes). Where a
// build file of the repository names the path, the need says where.
func (r *repo) missingEmbeds(s *Stack) {
	if len(s.Embeds)+len(s.Boxes) == 0 || len(s.Entrypoints) == 0 || s.ambiguousEntry() {
		return
	}
	scope := project.GoScope(r.dir, s.Entrypoints[0].Value)
	dockerGenerate := r.dockerfileGoGenerate()
	for _, e := range append(slices.Clip(s.Embeds), s.Boxes...) {
		if scope != nil && !scope[path.Dir(e.File)] || exists(r.dir, e.Value) {
			continue
		}
		if f := s.Frontend; f != nil && !f.Runtime && (f.Built() == e.Value || strings.HasPrefix(f.Built(), e.Value+"/") || strings.HasPrefix(e.Value, f.Built()+"/")) {
			continue
		}
		if g := dockerGenerate; g != nil && r.gitIgnored(e.Value) && r.goGenerateMakes(e.Value) {
			g := *g
			// Its directives make what the repository ignores: the
			// build runs them as the repository's Dockerfile does.
			if s.Generate == nil {
				g.Why += ", and its directives make " + e.Value + " (git ignores it), which " + e.File + ":" + strconv.Itoa(e.Line) + " embeds"
				s.Generate = &g
			}
			continue
		}
		if ph := r.makePlaceholder(e.Value); ph != nil && e.Why == "" {
			// An embed (not a box) the repository's own build fills
			// with empty files: the build does the same, said.
			s.Placeholders = append(s.Placeholders, *ph)
			continue
		}
		lacks := "the tree lacks"
		if r.gitIgnored(e.Value) {
			lacks += " (git ignores it)"
		}
		why := lacks + " and no step init knows makes"
		if at, line := r.buildStepMaking(e.Value); at != nil {
			why = fmt.Sprintf("%s: %s:%d makes it (`%s`), a step init does not run", lacks, at.File, at.Line, line)
		}
		what, fails := "//go:embed takes", `go build stops without it ("no matching files found")`
		if e.Why != "" { // a box
			what, fails = "the program's "+strings.TrimPrefix(e.Why, "a ")+" is", "the program finds it empty or stops at start without it"
		}
		s.Needs = append(s.Needs, Evidence{File: e.File, Line: e.Line,
			Value: fmt.Sprintf("%s %s, which %s; %s. Make it first, then run init again (init's .dockerignore lets it into the build)", what, e.Value, why, fails)})
	}
}

// buildFiles are the files where a repository's own build makes what
// its program embeds.
var buildFiles = []string{"Makefile", "makefile", "GNUmakefile", "Taskfile.yml", "Taskfile.yaml", "justfile", "build.sh", "scripts/build.sh", "Dockerfile"}

// buildStepMaking is the line of the repository's build files that makes
// dir, and that line trimmed: a Makefile rule whose target it is
// (fathom's `assets/build: $(ASSET_SOURCES) npm`) or a Dockerfile COPY
// into it (statping-ng's `COPY --from=frontend /statping/dist/
// ./source/dist/`) first, else the first line that names it and removes
// nothing (ntfy's `mv web/build server/site`). nil when none does.
func (r *repo) buildStepMaking(dir string) (*Evidence, string) {
	target := regexp.MustCompile(`^(?:\./)?` + quoteMeta(dir) + `/?\s*:`)
	copyInto := regexp.MustCompile(`(?i)^\s*(?:COPY|ADD)\s.*\s(?:\./)?` + quoteMeta(dir) + `/?\s*$`)
	for _, strong := range []bool{true, false} {
		for _, f := range buildFiles {
			for i, line := range r.read(f) {
				switch {
				case isComment(line) || !strings.Contains(line, dir):
					continue
				case strong && !target.MatchString(line) && !copyInto.MatchString(line):
					continue
				case !strong && strings.Contains(line, "rm "):
					continue
				}
				return &Evidence{File: f, Line: i + 1}, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), "\\"))
			}
		}
	}
	return nil, ""
}

var goEmbed = regexp.MustCompile(`^//go:embed\s+(.+)$`)

// goEmbeds lists the paths the //go:embed directives name, each once.
func (r *repo) goEmbeds() []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		for i, line := range r.read(f) {
			m := goEmbed.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			for _, pat := range embedPatterns(m[1]) {
				pat = strings.TrimPrefix(pat, "all:")
				var keep []string
				for _, part := range strings.Split(pat, "/") {
					if strings.ContainsAny(part, "*?[") {
						break
					}
					keep = append(keep, part)
				}
				p := path.Join(path.Dir(f), path.Join(keep...))
				if len(keep) == 0 || p == "." || seen[p] {
					continue
				}
				seen[p] = true
				out = append(out, Evidence{Value: p, File: f, Line: i + 1})
			}
		}
	}
	return out
}

// embedPatterns splits a //go:embed argument list: space-separated, each
// possibly in double quotes or backquotes.
func embedPatterns(args string) []string {
	var out []string
	for args = strings.TrimSpace(args); args != ""; args = strings.TrimSpace(args) {
		if q := args[0]; q == '"' || q == '`' {
			end := strings.IndexByte(args[1:], q)
			if end < 0 {
				return out
			}
			out = append(out, args[1:1+end])
			args = args[2+end:]
			continue
		}
		field, rest, _ := strings.Cut(args, " ")
		out = append(out, field)
		args = rest
	}
	return out
}

// notMains are directories whose main packages are not the service:
// examples, tools, generators, scripts.
var notMains = regexp.MustCompile(`(?:^|/)(?:_?examples?|tools?|hack|scripts?|internal/tools|gen|generators?|mocks?|benchmarks?|bench|e2e|integration|migrations?|seed|seeds?)(?:/|$)`)

// goEntry finds the main packages anywhere in the module and decides which
// is the service: the one the repository builds (its Dockerfile, Makefile,
// Procfile), else the only one, else the only one that serves HTTP;
// otherwise the choice is the user's.
func (r *repo) goEntry(s *Stack) {
	var mains, examples []Evidence
	seen := map[string]bool{}
	generators := r.goGenerators()
	for _, f := range r.codeFiles() {
		d := path.Dir(f)
		if !strings.HasSuffix(f, ".go") || seen[d] {
			continue
		}
		// A file its build constraints leave out (restic/rest-server's
		// build.go, //go:build ignore_build_go) is no program.
		e := r.find(f, goMain)
		if e == nil || !r.goBuildsOnLinux(f) {
			continue
		}
		seen[d] = true
		e.Value = d
		switch {
		case generators[d] != nil && !r.goPackageServes(d):
			// Run by the build to write code, and starts no server of
			// its own (a Makefile's `build-local: go run ./cmd/api` runs
			// the service): no service.
		case notMains.MatchString(d) && path.Dir(d) != "cmd":
			e.Why = "an example or tool (" + d + ")"
			examples = append(examples, *e)
		default:
			mains = append(mains, *e)
		}
	}
	sort.SliceStable(mains, func(i, j int) bool { return goMainOrder(mains[i].Value) < goMainOrder(mains[j].Value) })
	if len(mains) == 0 {
		// No program outside examples and tools (pocketbase is a
		// framework: examples/base is its server): the user chooses
		// among them; none is taken silently.
		examples = append(examples, r.exampleMains()...)
		if len(examples) > 0 {
			s.Entrypoints = examples
			s.ambiguous("entry point", "--entrypoint", examples)
		}
		return
	}
	// What the repository builds.
	for _, f := range []string{"Dockerfile", "Containerfile", "docker/Dockerfile", "Makefile", "Procfile", ".goreleaser.yaml", ".goreleaser.yml"} {
		type build struct {
			at  Evidence
			out string // the program's name
		}
		var built []build // main packages, in the order the file builds them
		for i, line := range r.read(f) {
			m := goBuildPkg.FindStringSubmatch(line)
			if m == nil || toolOutput.MatchString(line) {
				continue
			}
			pkg := strings.TrimSuffix(strings.TrimPrefix(path.Clean(m[1]), "./"), "/")
			if pkg == "" {
				pkg = "."
			}
			if slices.ContainsFunc(mains, func(c Evidence) bool { return c.Value == pkg }) {
				built = append(built, build{Evidence{Value: pkg, File: f, Line: i + 1, Why: "built by " + f}, goBuildOutput(line, pkg)})
			}
		}
		if len(built) == 0 {
			continue
		}
		chosen := built[0].at
		if len(built) > 1 && f != "Makefile" && f != "Procfile" && !strings.HasPrefix(f, ".goreleaser") {
			// jhaals/yopass's Dockerfile builds ./cmd/yopass, a client,
			// then ./cmd/yopass-server, which its ENTRYPOINT runs: the
			// program the image runs is the service.
			if c, ok := r.dockerfileCommand(f); ok {
				if run := unwrap(c.args); len(run) > 0 {
					for _, b := range built {
						if b.out == path.Base(run[0]) {
							chosen = b.at
							chosen.Why = "built by " + f + ", whose " + c.at.Where() + " runs it"
							break
						}
					}
				}
			}
		}
		rest := slices.DeleteFunc(append([]Evidence{}, mains...), func(c Evidence) bool { return c.Value == chosen.Value })
		s.Entrypoints = append([]Evidence{chosen}, rest...)
		return
	}
	if len(mains) == 1 {
		s.Entrypoints = mains
		return
	}
	var servers, rest []Evidence
	for _, c := range mains {
		if r.goPackageServes(c.Value) {
			servers = append(servers, c)
		} else {
			rest = append(rest, c)
		}
	}
	if len(servers) == 1 {
		servers[0].Why = "the only main package that starts a server"
	}
	s.Entrypoints = append(servers, rest...)
	if len(servers) != 1 {
		candidates := servers
		if len(servers) == 0 {
			candidates = mains
		}
		s.ambiguous("entry point", "--entrypoint", candidates)
	}
}

// goBuildOutput is the name of the program a go build line writes: its
// -o's last element, else the package directory's (go build ./cmd/x
// writes x); "" when neither says.
func goBuildOutput(line, pkg string) string {
	out := path.Base(pkg)
	if m := goBuildOut.FindStringSubmatch(line); m != nil {
		out = path.Base(strings.Trim(m[1], `"'`))
	}
	if out == "." || out == "/" {
		return "" // go build . writes the module's name, not read here
	}
	return out
}

var goBuildOut = regexp.MustCompile(`\s-o[= ]\s*(\S+)`)

// toolOutput is a build into a directory of the repository's own tools
// (ory/hydra's Makefile: go build -o .bin/clidoc ./cmd/clidoc/., a
// documentation generator), not the program's.
var toolOutput = regexp.MustCompile(`\s-o\s+(?:\./)?(?:\.bin|\.tools|bin/tools|tools|hack/bin)/`)

// goRunCmd is a `go run` of a package or file; goRunServes are the
// Makefile targets that run the service itself.
var (
	goRunCmd    = regexp.MustCompile(`\bgo\s+run\s+(?:-\S+\s+)*(\./[\w./-]+)`)
	goRunServes = regexp.MustCompile(`(?i)^(?:run|dev|serve|server|start|watch|up|local|debug|api|app)(?:[-_.]\w+)?$`)
)

// goGenerators are the main packages the repository runs to write code
// or files, by directory, with where: a //go:generate go run ./x, or a
// Makefile target other than run, dev, serve and the like whose recipe
// runs go run ./x (pocketbase's `jstypes: go run
// ./plugins/jsvm/internal/types/types.go`). Such a program is no service.
func (r *repo) goGenerators() map[string]*Evidence {
	out := map[string]*Evidence{}
	add := func(arg, file string, line int) {
		d := strings.TrimPrefix(path.Clean(arg), "./")
		if strings.HasSuffix(d, ".go") {
			d = path.Dir(d)
		}
		if out[d] == nil {
			out[d] = &Evidence{Value: d, File: file, Line: line, Why: "run to generate code"}
		}
	}
	target := ""
	for i, line := range r.read("Makefile") {
		if m := makeTarget.FindStringSubmatch(line); m != nil && !strings.HasPrefix(line, "\t") {
			target = m[1]
			continue
		}
		if m := goRunCmd.FindStringSubmatch(line); m != nil && strings.HasPrefix(line, "\t") && target != "" && !goRunServes.MatchString(target) {
			add(m[1], "Makefile", i+1)
		}
	}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		for i, line := range r.read(f) {
			if !strings.HasPrefix(line, "//go:generate") {
				continue
			}
			if m := goRunCmd.FindStringSubmatch(line); m != nil {
				add(path.Join(path.Dir(f), m[1]), f, i+1)
				continue
			}
			// A main package's file handed to a script of the
			// repository's that runs it (open-policy-agent/opa's
			// //go:generate build/gen-run-go.sh internal/cmd/
			// genopacapabilities/main.go capabilities.json); not a file a
			// tool reads (swag init -g ./cmd/api/main.go: the server's).
			ws := strings.Fields(line)[1:]
			if len(ws) == 0 || !strings.HasSuffix(ws[0], ".sh") && !exists(r.dir, path.Join(path.Dir(f), ws[0])) {
				continue
			}
			for j, w := range ws[1:] {
				if strings.HasSuffix(w, "/main.go") && !strings.HasPrefix(ws[j], "-") {
					add(path.Join(path.Dir(f), w), f, i+1)
				}
			}
		}
	}
	return out
}

// exampleMains are the main packages under the repository's examples
// directories, which the code walk skips: a framework's server is one of
// them (pocketbase's examples/base).
func (r *repo) exampleMains() []Evidence {
	var out []Evidence
	for _, top := range []string{"examples", "example", "_examples"} {
		root := filepath.Join(r.dir, top)
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || len(out) >= 20 {
				return filepath.SkipDir
			}
			rel, _ := filepath.Rel(r.dir, p)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if strings.Count(rel, "/") > 2 || p != root && project.SkipGoDir(p, d.Name(), false) {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(rel, ".go") || project.TestFile(d.Name()) {
				return nil
			}
			if e := r.find(rel, goMain); e != nil && r.goBuildsOnLinux(rel) && (len(out) == 0 || out[len(out)-1].Value != path.Dir(rel)) {
				e.Value, e.Why = path.Dir(rel), "an example program ("+path.Dir(rel)+")"
				out = append(out, *e)
			}
			return nil
		})
	}
	return out
}

// goMainOrder puts the root first, then cmd/*, then the rest.
func goMainOrder(d string) int {
	switch {
	case d == ".":
		return 0
	case strings.HasPrefix(d, "cmd/"):
		return 1
	}
	return 2
}

// goPackageServes reports whether a main package's own files start a
// server.
func (r *repo) goPackageServes(dir string) bool {
	for _, f := range r.codeFiles() {
		if path.Dir(f) == dir && strings.HasSuffix(f, ".go") && r.find(f, goServes) != nil {
			return true
		}
	}
	return false
}

// A relative path the code opens at run time, its first segment grouped.
var runtimePath = regexp.MustCompile(`(?:ParseGlob|LoadHTMLGlob|LoadHTMLFiles|ParseFiles|http\.Dir|\.Static|\.StaticFS|\.StaticFile|ReadFile|os\.Open|ReadDir|ini\.Load|SetConfigFile|AddConfigPath|godotenv\.Load|tera::Tera::new|Tera::new|ServeDir::new|Files::new|FileServer::new|NamedFile::open)\((?:\s*"[^"]*"\s*,)?\s*"(?:\./)?([\w.-]+)(?:/[^"]*)?"`)

// dotPath is a string literal naming a path relative to the working
// directory ("./templates"): a default the code reads files under.
var dotPath = regexp.MustCompile(`"\./([\w.-]+)/?(?:[^"]*)"`)

// flagPath is a string flag whose default is a relative path its usage
// calls one: echoip's flag.String("t", "html", "Path to template dir"),
// which its own Dockerfile copies (COPY html); or a config flag's
// (go-gin-setup's StringVarP(&configFile, "config", "c",
// "config/config.yaml", ...), whose usage says no more).
var flagPath = regexp.MustCompile(`\.String(?:Var)?P?\((?:&?[\w.]+,\s*)?(?:"[\w-]+"\s*,\s*(?:"\w"\s*,\s*)?"(?:\./)?([\w.-]+)(?:/[^"]*)?"\s*,\s*"[^"]*(?i:path|dir|folder|template|static|assets|file)|"(?i:config|conf|cfg|config-?file|config-?path)"\s*,\s*(?:"\w"\s*,\s*)?"(?:\./)?([\w.-]+)(?:/[^"]*)?")`)

// runtimeFiles lists what the code opens by a relative path that exists in
// the repository (a directory or a file), each once.
func (r *repo) runtimeFiles(ext string) []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ext) || ext == ".go" && !r.goBuildsOnLinux(f) {
			continue
		}
		for i, line := range r.read(f) {
			matches := append(runtimePath.FindAllStringSubmatch(line, -1), dotPath.FindAllStringSubmatch(line, -1)...)
			if ext == ".go" {
				matches = append(matches, flagPath.FindAllStringSubmatch(line, -1)...)
			}
			for _, m := range matches {
				p := m[1]
				if p == "" && len(m) > 2 {
					p = m[2] // flagPath's second form
				}
				if seen[p] || p == "." || p == ".." || strings.HasSuffix(p, ext) || project.SkipDir(filepath.Join(r.dir, p), p, true) {
					continue // test fixtures, examples, docs: not what the program serves
				}
				if _, err := os.Stat(filepath.Join(r.dir, p)); err != nil {
					continue
				}
				seen[p] = true
				out = append(out, Evidence{Value: p, File: f, Line: i + 1, Why: "opened at run time"})
			}
		}
	}
	return out
}

// wrapperProgram is a program an image runs before its own, to prepare
// and then run the rest of its command: an entrypoint script or
// program, a process supervisor.
var wrapperProgram = regexp.MustCompile(`(?i)(?:entrypoint|\.sh$|^start(?:\.\w+)?$|^run(?:\.\w+)?$|^s6-\w+$|^supervisord$|^runsvdir$)`)

// compiledArgs makes the program's arguments those after it in the
// repository's Dockerfile command (CMD ["./main", "serve"]): a CLI
// framework's server runs as a subcommand, and bare it prints its help and
// exits.
func (r *repo) compiledArgs(s *Stack) {
	// The program by its own name too (distribution's ENTRYPOINT
	// ["registry"], built from cmd/registry into /bin).
	own := ""
	if len(s.Entrypoints) > 0 && !s.ambiguousEntry() {
		own = path.Base(s.Entrypoints[0].Value)
	}
	for _, name := range r.repoDockerfiles() {
		c, ok := r.dockerfileCommand(name)
		if !ok {
			continue
		}
		args := unwrap(c.args)
		if len(args) == 1 {
			if script, inner := r.entrypointScript(name, args[0]); inner != nil {
				// mayswind/ezbookkeeping's ENTRYPOINT ["/docker-entrypoint.sh"],
				// with no CMD, runs `exec /ezbookkeeping/ezbookkeeping server
				// run ${conf_path_param}`: its default branch.
				c, args = *inner, emptyByDefault(r.read(script), unwrap(inner.args))
			}
		}
		if len(args) > 1 && wrapperProgram.MatchString(path.Base(args[0])) {
			// A wrapper the image runs first, with the program's command
			// as its arguments (dexidp/dex's ENTRYPOINT
			// ["/usr/local/bin/docker-entrypoint"] and CMD ["dex",
			// "serve", ...]): the arguments are the program's only when
			// they start with it; gogs' start.sh runs s6-svscan, another
			// program, and passes the server none.
			if own == "" || own == "." || path.Base(args[1]) != own {
				return
			}
			args = args[1:]
		}
		if len(args) < 2 || !strings.ContainsAny(args[0], "/") && !strings.HasPrefix(args[0], "main") && (own == "" || own == "." || args[0] != own) {
			return
		}
		var rest []string
		for _, a := range args[1:] {
			if strings.ContainsAny(a, "$`'\"\\;&|") {
				return // a value the image's environment supplies: not ours to copy
			}
			rest = append(rest, a)
		}
		if helpOnly(rest) {
			// cloudflare/cfssl's CMD ["--help"]: the image's default
			// prints the usage and exits; the server is started with
			// other arguments.
			return
		}
		e := c.at
		e.Why = name + " runs the program with these arguments"
		s.setArgs(&e, rest)
		return
	}
}

// helpOnly reports whether a program's arguments ask for its usage or
// version alone, which start no server.
func helpOnly(args []string) bool {
	return len(args) == 1 && slices.Contains([]string{"--help", "-help", "-h", "help", "--version", "-version", "version"}, args[0])
}

// entrypointScript is the repository's script a Dockerfile's ENTRYPOINT
// runs (by its path in the image, which a COPY of the Dockerfile's puts
// there), and the command that script runs when it is given no
// arguments: its last exec line that is not `exec "$@"`.
func (r *repo) entrypointScript(dockerfile, entry string) (string, *command) {
	script := strings.TrimPrefix(entry, "./")
	if path.IsAbs(entry) {
		final := r.dockerfileFinal(dockerfile)
		if final == nil {
			return "", nil
		}
		c, ok := r.copiedTo(dockerfile, final, entry)
		if !ok {
			return "", nil
		}
		script = c.Value
	}
	if !strings.HasSuffix(script, ".sh") || !isFile(r.dir, script) {
		return "", nil
	}
	for _, c := range r.scriptCommands(script, maxCommandDepth) {
		if args := unwrap(c.args); len(args) > 0 && !strings.HasPrefix(args[0], "$") {
			return script, &c
		}
	}
	return "", nil
}

// emptyByDefault drops from args the words that are a variable the
// script sets to nothing before it may set it to something
// (conf_path_param=""; then --conf-path=... only if EBK_CONF_PATH is set).
func emptyByDefault(script []string, args []string) []string {
	var out []string
	for _, a := range args {
		if m := shellVar.FindStringSubmatch(a); m != nil && slices.ContainsFunc(script, func(l string) bool {
			t := strings.TrimSuffix(strings.TrimSpace(l), ";")
			return t == m[1]+m[2]+`=""` || t == m[1]+m[2]+"=''" || t == m[1]+m[2]+"="
		}) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// The platform the image builds for, as go/build names it: GOOS, GOARCH
// and the tags they imply.
var (
	goKnownOS   = map[string]bool{"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true, "hurd": true, "illumos": true, "ios": true, "js": true, "linux": true, "nacl": true, "netbsd": true, "openbsd": true, "plan9": true, "solaris": true, "wasip1": true, "windows": true, "zos": true}
	goKnownArch = map[string]bool{"386": true, "amd64": true, "arm": true, "arm64": true, "loong64": true, "mips": true, "mipsle": true, "mips64": true, "mips64le": true, "ppc64": true, "ppc64le": true, "riscv64": true, "s390x": true, "wasm": true}
	goImageTags = map[string]bool{"linux": true, "amd64": true, "unix": true, "gc": true, "cgo": true}
)

// goSignal is where a Go program handles a signal (SIGTERM, SIGINT): at,
// the scan's first sight of it, where that file is built into the chosen
// program; else the first line handles reports in a file that is
// (go-vikunja/vikunja's first SIGTERM is in magefile.go, //go:build mage,
// a build tool's, not the server's; benbjohnson/wtf's first os.Interrupt
// is in cmd/wtf, its CLI, not cmd/wtfd); nil when none is.
func (r *repo) goSignal(s *Stack, at *Evidence, handles func(string) bool) *Evidence {
	if s.Language != "go" || at == nil || !strings.HasSuffix(at.File, ".go") || len(s.Entrypoints) == 0 || s.ambiguousEntry() {
		return at
	}
	program := r.programFiles(s)
	built := func(f string) bool {
		return program(f) && r.goBuiltWith(f, s.BuildTags) && !strings.HasSuffix(f, "_test.go")
	}
	if built(at.File) {
		return at
	}
	for _, f := range r.goSources() {
		if !built(f) {
			continue
		}
		for i, line := range r.read(f) {
			if !isComment(line) && handles(line) {
				return &Evidence{Value: at.Value, File: f, Line: i + 1}
			}
		}
	}
	return nil
}

var (
	// goReplaceLine is a replace directive, alone or in a block: its
	// target is the last part (a path has no version after it).
	goReplaceLine = regexp.MustCompile(`^\s*(?:replace\s+)?\S+(?:\s+\S+)?\s+=>\s+(\S+)\s*$`)
	goReplaceOpen = regexp.MustCompile(`^\s*replace\s*\(\s*$`)
)

// goLocalReplaces reads go.mod's replace directives whose target is a
// directory (dexidp/dex's `github.com/dexidp/dex/api/v2 => ./api/v2`,
// flipt's six, supabase/auth's fork of godotenv): go mod download reads
// each one's go.mod, so the build copies those before it, as the
// repositories' own Dockerfiles do. A directory outside the repository
// cannot be in the build context: s.Needs says so.
func (r *repo) goLocalReplaces(s *Stack) {
	inBlock := false
	for i, line := range r.read("go.mod") {
		if k := strings.Index(line, "//"); k >= 0 {
			line = line[:k]
		}
		switch {
		case goReplaceOpen.MatchString(line):
			inBlock = true
			continue
		case inBlock && strings.TrimSpace(line) == ")":
			inBlock = false
			continue
		case !inBlock && !strings.HasPrefix(strings.TrimSpace(line), "replace"):
			continue
		}
		m := goReplaceLine.FindStringSubmatch(line)
		if m == nil || !strings.HasPrefix(m[1], "./") && !strings.HasPrefix(m[1], "../") && !strings.HasPrefix(m[1], "/") && m[1] != "." && m[1] != ".." {
			continue
		}
		dir := path.Clean(m[1])
		e := Evidence{Value: dir, File: "go.mod", Line: i + 1, Why: "go.mod replaces a module with this directory"}
		if path.IsAbs(dir) || dir == ".." || strings.HasPrefix(dir, "../") {
			e.Value = fmt.Sprintf("go.mod replaces a module with %s, outside the repository, which no build of it can read: replace it with a version, or move it into the repository, then run init again", m[1])
			s.Needs = append(s.Needs, e)
			continue
		}
		if dir != "." && !slices.ContainsFunc(s.LocalReplaces, func(x Evidence) bool { return x.Value == dir }) {
			s.LocalReplaces = append(s.LocalReplaces, e)
		}
	}
}

// goBuildsOnLinux reports whether a Go file is compiled for the image's
// platform, linux/amd64: its name's _GOOS/_GOARCH suffix and its
// //go:build line (+build lines when it has none) decide, as go/build
// does. shiori's internal/database/sqlite_openbsd.go imports go-sqlite3
// under `//go:build openbsd`; the linux build uses modernc's pure-Go
// driver, so no cgo. A tag of the project's own (integration, ignore)
// counts as unset; cgo as set, so a cgo-only file still claims cgo.
func (r *repo) goBuildsOnLinux(f string) bool { return r.goBuiltWith(f, nil) }

// goBuiltWith is goBuildsOnLinux for a build given tags (the repository's
// own -tags, BuildTags): eminetto/clean-architecture-go-v2's Makefile
// builds with -tags dev, so config/config_dev.go is in the program and
// config/config_prod.go (// +build prod) is not.
func (r *repo) goBuiltWith(f string, tags *Evidence) bool {
	set := func(tag string) bool { return goImageTag(tag) }
	if tags != nil {
		own := strings.Split(tags.Value, ",")
		set = func(tag string) bool { return goImageTag(tag) || slices.Contains(own, tag) }
	}
	name := strings.TrimSuffix(path.Base(f), ".go")
	name = strings.TrimSuffix(name, "_test")
	parts := strings.Split(name, "_")
	if n := len(parts); n >= 2 {
		last := parts[n-1]
		switch {
		case goKnownArch[last] && n >= 3 && goKnownOS[parts[n-2]]:
			if parts[n-2] != "linux" || last != "amd64" {
				return false
			}
		case goKnownOS[last]:
			if last != "linux" {
				return false
			}
		case goKnownArch[last]:
			if last != "amd64" {
				return false
			}
		}
	}
	var plus []constraint.Expr
	for _, line := range r.read(f) {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "/*") || strings.HasPrefix(t, "*") {
			continue
		}
		if !strings.HasPrefix(t, "//") {
			break // constraints come before the package clause
		}
		if !constraint.IsGoBuild(t) && !constraint.IsPlusBuild(t) {
			continue
		}
		x, err := constraint.Parse(t)
		if err != nil {
			continue
		}
		if constraint.IsGoBuild(t) {
			return x.Eval(set)
		}
		plus = append(plus, x)
	}
	for _, x := range plus {
		if !x.Eval(set) {
			return false
		}
	}
	return true
}

func goImageTag(tag string) bool {
	return goImageTags[tag] || strings.HasPrefix(tag, "go1.")
}

// goRequire is a go.mod line that requires a module: `require x v1` or
// a line of a require block.
var goRequire = regexp.MustCompile(`^\s*(?:require\s+)?[\w.-]+\.[\w.-]+/\S*\s+v\d\S*`)

// goMissingSum stops init where go.mod requires modules and git ignores
// go.sum, so a clone has none (dgdts/TSMall's .gitignore lists it): go
// mod download no longer writes it (Go 1.17), so the image's go build
// stops with "missing go.sum entry". A vendor directory builds without
// it. (A go.sum merely absent, in a tree no clone made, is left to the
// build's own message.)
func (r *repo) goMissingSum(s *Stack) {
	if s.Vendored != nil || !isFile(r.dir, "go.mod") || exists(r.dir, "go.sum") || !r.gitIgnored("go.sum") {
		return
	}
	for i, l := range r.read("go.mod") {
		if goRequire.MatchString(l) && !strings.HasPrefix(strings.TrimSpace(l), "module") {
			s.Needs = append(s.Needs, Evidence{File: "go.mod", Line: i + 1, Value: "go.mod requires modules and git ignores go.sum, so a clone has none" +
				": the build's go build would stop on \"missing go.sum entry\"; run go mod tidy and commit go.sum, which also pins what every build downloads"})
			return
		}
	}
}
