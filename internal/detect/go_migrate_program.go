package detect

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var (
	// migrateDir is a main package named for migrating: cmd/migrate.
	migrateDir = regexp.MustCompile(`(?:^|/)(?:migrate|migrations?|migrator|dbmigrate)$`)
	// migrateLib is a migration library the program imports.
	migrateLib = regexp.MustCompile(`"github\.com/(?:golang-migrate/migrate(?:/v\d+)?|pressly/goose(?:/v\d+)?)"`)
	// migrateUp is the argument that applies the migrations: os.Args[1]
	// == "up", case "up":, or goose's own command taken from the
	// arguments (goose.RunContext(ctx, command, ...): go-chi-myapp's
	// cmd/migrate, whose usage lists up).
	migrateUp = regexp.MustCompile(`==\s*"up"|case\s+"up"\s*:|"up"\s*==|\bgoose\.Run(?:Context|WithOptions)?\(`)
	// gormAutoMigrate is gorm creating the models' tables.
	gormAutoMigrate = regexp.MustCompile(`\.AutoMigrate\(`)
	// migrateSource is the migrations' directory: file://cmd/migrate/migrations.
	migrateSource = regexp.MustCompile(`"file://([\w./-]+)"|\bgoose\.Up(?:Context)?\([^,]+,\s*(?:[^,]+,\s*)?"([\w./-]+)"`)
)

// goMigrateProgram is the repository's own migration program, beside the
// server: a main package named for migrating that imports golang-migrate
// or goose (sikozonpc/ecom's cmd/migrate, run as `go run
// cmd/migrate/main.go up`), or calls gorm's AutoMigrate
// (wpcodevo/golang-gorm-postgres's migrate/, run as `go run
// migrate/migrate.go`, without which every table is missing). The image builds it too and the release step
// runs it with "up" where it takes that argument; the directory it reads
// its migrations from goes into the image. The chosen server is not it.
func (r *repo) goMigrateProgram(s *Stack) (*Evidence, *Evidence) {
	if len(s.Entrypoints) < 2 || s.ambiguousEntry() {
		return nil, nil
	}
	for _, e := range s.Entrypoints[1:] {
		dir := e.Value
		if !migrateDir.MatchString(dir) {
			continue
		}
		var lib, up, source *Evidence
		for _, f := range r.codeFiles() {
			if path.Dir(f) != dir || !strings.HasSuffix(f, ".go") {
				continue
			}
			if lib == nil {
				lib = r.find(f, migrateLib)
			}
			if lib == nil {
				if a := r.find(f, gormAutoMigrate); a != nil && !isComment(r.read(f)[a.Line-1]) {
					a.Value = "gorm's AutoMigrate"
					lib = a
				}
			}
			if up == nil {
				up = r.find(f, migrateUp)
			}
			if source == nil {
				if m := r.find(f, migrateSource); m != nil && exists(r.dir, m.Value) {
					source = m
				}
			}
		}
		if lib == nil {
			continue
		}
		value, why := "./"+dir, dir+" imports "+lib.Value+" and applies the migrations"
		if lib.Value == "gorm's AutoMigrate" {
			why = dir + " applies the models' tables with gorm's AutoMigrate"
		}
		if up != nil {
			value += " up"
			why += fmt.Sprintf(" given \"up\" (%s:%d)", up.File, up.Line)
		}
		if source != nil {
			source.Why = "the migration program reads its migrations there"
		}
		return &Evidence{Value: value, File: lib.File, Line: lib.Line, Why: why}, source
	}
	return nil, nil
}

var (
	// goTagsFlag is go build's -tags flag and its list.
	goTagsFlag = regexp.MustCompile(`\s-tags(?:=|\s+)(?:"([^"]*)"|'([^']*)'|([^\s"']+))`)
	// goTagList is a list of build tags init writes into its go build.
	goTagList = regexp.MustCompile(`^[\w.]+(?:,[\w.]+)*$`)
	// goBuildFile is a go build of a main package named by its file
	// (`go build -tags $(LIBRARY_ENV) -o ./bin/api api/main.go`).
	goBuildFile = regexp.MustCompile(`\bgo\s+(?:build|install)\b[^&|;]*?\s((?:\./)?[\w./-]*?)[\w-]+\.go\s*(?:$|&&|;|\\)`)
	// goBuildLine is a file's //go:build constraint of one tag.
	goBuildLine = regexp.MustCompile(`^//go:build\s+([\w.]+)\s*$`)
)

// goBuildTags are the build tags the repository builds its program pkg
// with (evrone/go-clean-template's Dockerfile: `go build -tags migrate
// ./cmd/app`, which builds in internal/app/migrate.go, //go:build
// migrate, which applies the migrations at start); nil where the build
// that names pkg names none, or a list init would not write as it is. A
// make variable in a Makefile's list is its default there
// (eminetto/clean-architecture-go-v2's `-tags $(LIBRARY_ENV)` with
// `LIBRARY_ENV ?= dev`, without which no file of its config package
// builds).
func (r *repo) goBuildTags(pkg string) *Evidence {
	for _, f := range []string{"Dockerfile", "Containerfile", "docker/Dockerfile", "Makefile", "makefile", "GNUmakefile"} {
		lines := r.read(f)
		makefile := strings.HasSuffix(strings.ToLower(f), "makefile")
		for i, line := range lines {
			built := ""
			if m := goBuildPkg.FindStringSubmatch(line); m != nil {
				built = m[1]
			} else if m := goBuildFile.FindStringSubmatch(line); m != nil {
				built = m[1] + "." // the file's directory
			}
			if built == "" || toolOutput.MatchString(line) || strings.TrimSuffix(strings.TrimPrefix(path.Clean(built), "./"), "/") != pkg {
				continue
			}
			logical := line
			for j := i - 1; j >= 0 && strings.HasSuffix(strings.TrimSpace(lines[j]), "\\"); j-- {
				logical = strings.TrimSuffix(strings.TrimSpace(lines[j]), "\\") + " " + logical
			}
			raw := logical
			if makefile && goTagsFlag.FindStringSubmatch(logical) == nil {
				// nkanaev/yarr's `go build $(GO_FLAGS) ./cmd/yarr`, with
				// GO_FLAGS = -tags "$(GO_TAGS)" and GO_TAGS = sqlite_fts5 ...
				logical = makeExpand(lines, logical)
			}
			t := goTagsFlag.FindStringSubmatch(logical)
			if t == nil {
				return nil
			}
			written := t[1] + t[2] + t[3]
			var tags []string
			for _, tag := range strings.FieldsFunc(written, func(c rune) bool { return c == ',' || c == ' ' }) {
				if makeRef.MatchString(tag) {
					if !makefile {
						return nil
					}
					if tag = makeValue(lines, tag); tag == "" || tag == "." {
						return nil // a variable the Makefile does not give a default
					}
				}
				tags = append(tags, tag)
			}
			value := strings.Join(tags, ",")
			if !goTagList.MatchString(value) {
				return nil
			}
			why := "go build -tags " + value
			if raw != logical {
				why = fmt.Sprintf("go build -tags %s, through the Makefile's variables (%s)", value, strings.Join(strings.Fields(strings.TrimSpace(raw)), " "))
			} else if strings.Contains(written, "$") {
				why = fmt.Sprintf("go build -tags %s, %s by the Makefile's default", strings.TrimSpace(written), value)
			}
			return &Evidence{Value: value, File: f, Line: i + 1, Why: why}
		}
	}
	return nil
}

// goMigratesAtStart is a file that only the build tags bring into the
// build and that imports a migration library: the program applies its
// migrations when it starts (evrone's internal/app/migrate.go, in its
// init()). Its migrations' directory (file://migrations) is the second
// result, for the image to carry.
func (r *repo) goMigratesAtStart(tags *Evidence) (*Evidence, *Evidence) {
	if tags == nil {
		return nil, nil
	}
	set := map[string]bool{}
	for _, t := range strings.Split(tags.Value, ",") {
		set[t] = true
	}
	for _, f := range r.goSources() {
		lines := r.read(f)
		constrained := false
		for _, l := range lines {
			if m := goBuildLine.FindStringSubmatch(l); m != nil && set[m[1]] {
				constrained = true
				break
			}
			if strings.HasPrefix(l, "package ") {
				break
			}
		}
		if !constrained {
			continue
		}
		lib := r.find(f, migrateLib)
		if lib == nil {
			continue
		}
		source := r.migrationSource(f)
		return &Evidence{Value: f, File: f, Line: lib.Line, Why: fmt.Sprintf("built in with -tags %s (%s:%d), it imports %s: the app applies its migrations at start", tags.Value, tags.File, tags.Line, lib.Value)}, source
	}
	return nil, nil
}

// migrateUpCall is a migration library applying every migration:
// golang-migrate's m.Up(), goose's goose.Up(db, dir).
var migrateUpCall = regexp.MustCompile(`\.Up\(\)|\bgoose\.Up(?:Context)?\(`)

// goMigratesInMain is the chosen program's own package importing a
// migration library and applying every migration (techschool/simplebank's
// main.go: runDBMigration, migrate.New(config.MigrationURL, ...) and
// migration.Up(), called from main): the app migrates at start, and a CLI
// the repository's Makefile also runs is no release step of its own. The
// second result is the directory its source names, for the image to carry.
func (r *repo) goMigratesInMain(pkg string) (*Evidence, *Evidence) {
	return r.goMigratesIn(func(f string) bool { return path.Dir(f) == path.Clean(pkg) })
}

// goMigratesInProgram is the same in a package the chosen program
// imports (ThanadonExe/go-shorter's migrations.Run, which main calls:
// migrate.NewWithDatabaseInstance("file://migrations/sql", ...) and
// m.Up(); url-shortener's goose.Up(db, "migrations") in pkg/utils), where
// the file is built (evrone/go-clean-template's migrate.go needs -tags
// migrate) and no command of a CLI (a cobra or urfave/cli migrate command
// runs when asked, not at start).
func (r *repo) goMigratesInProgram(s *Stack) (*Evidence, *Evidence) {
	inProgram := r.programFiles(s)
	start, source := r.goMigratesIn(func(f string) bool {
		return inProgram(f) && r.goBuiltWith(f, s.BuildTags) && r.find(f, goCLICommandImport) == nil && !strings.HasSuffix(f, "_test.go")
	})
	if start == nil {
		return nil, nil
	}
	// The function that applies them must be called by the program: a
	// shared package's RunMigrations that only cmd/migrate calls is
	// another program's step (the review's shape).
	fn := goEnclosingFunc(r.read(start.File), start.Line-1)
	if !r.goCalledIn(start.File, fn, inProgram) {
		return nil, nil
	}
	return start, source
}

// goCalledIn reports whether a file that in holds, other than file
// itself, calls fn of file's package (by its name in the package, as
// pkg.fn or a method of that name elsewhere).
func (r *repo) goCalledIn(file, fn string, in func(string) bool) bool {
	if fn == "" || fn == "main" || fn == "init" {
		return fn != ""
	}
	// pkg.fn, or a method of that name on a value (storage.Migrate()).
	elsewhere := regexp.MustCompile(`\.` + regexp.QuoteMeta(fn) + `\(`)
	return r.goCallSite(file, fn, elsewhere, func(f string) bool { return f != file && in(f) },
		func(lines []string, i int) bool { return !isComment(lines[i]) })
}

// goCLICommandImport is a CLI library's import: a file with one defines
// commands.
var goCLICommandImport = regexp.MustCompile(`"github\.com/(?:spf13/cobra|urfave/cli(?:/v\d+)?)"`)

// goMigratesIn is goMigratesInMain's reading of the Go files in.
func (r *repo) goMigratesIn(in func(f string) bool) (*Evidence, *Evidence) {
	for _, f := range r.goSources() {
		if !in(f) {
			continue
		}
		lib, up := r.find(f, migrateLib), r.findCode(f, migrateUpCall)
		if lib == nil || up == nil {
			continue
		}
		return &Evidence{Value: f, File: f, Line: up.Line, Why: fmt.Sprintf("the program imports %s (%s:%d) and applies every migration: the app migrates at start", lib.Value, f, lib.Line)}, r.migrationSource(f)
	}
	return nil, nil
}

var (
	// goEnvRead is a variable the code sets from the environment:
	// databaseURL, ok := os.LookupEnv("PG_URL").
	goEnvRead = regexp.MustCompile(`^\s*(\w+)(?:\s*,\s*\w+)?\s*:?=\s*os\.(?:Getenv|LookupEnv)\(\s*"(\w+)"\s*\)`)
)

// goQueryAppended are the variables whose value the code reads and then
// appends a query string to (evrone/go-clean-template's migrate.go:
// databaseURL += "?sslmode=disable"): a URL given for them must carry no
// query of its own, or the result holds two ("…?sslmode=disable?sslmode=
// disable", which the driver refused, and the app retried until it gave
// up). Value is the variable.
func (r *repo) goQueryAppended() []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	for _, f := range r.goSources() {
		lines := r.read(f)
		for i, line := range lines {
			m := goEnvRead.FindStringSubmatch(line)
			if m == nil || seen[m[2]] {
				continue
			}
			appends := regexp.MustCompile(`\b` + quoteMeta(m[1]) + `\s*(?:\+=|=\s*` + quoteMeta(m[1]) + `\s*\+)\s*"\?`)
			for j := i + 1; j < len(lines) && j <= i+40; j++ {
				if appends.MatchString(lines[j]) {
					seen[m[2]] = true
					out = append(out, Evidence{Value: m[2], File: f, Line: j + 1, Why: "the code appends a query string to it"})
					break
				}
			}
		}
	}
	return out
}

// goSources are the Go files of the code walk that are not tests.
func (r *repo) goSources() []string {
	var out []string
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") {
			out = append(out, f)
		}
	}
	return out
}

// makeExpand replaces the references to a Makefile's variables in s with
// the values its lines assign them (project.MakeExpand).
func makeExpand(lines []string, s string) string {
	return project.MakeExpand(project.MakeValues(lines), s)
}

// migrationSource is the directory of the repository f's migration
// library reads its migrations from at start, nil where it names none
// the repository holds.
func (r *repo) migrationSource(f string) *Evidence {
	if m := r.find(f, migrateSource); m != nil && exists(r.dir, m.Value) {
		m.Why = "the app reads its migrations there at start"
		return m
	}
	return nil
}

// goMigrationsPackage is where the program calls a Go package of its own
// that holds its migrations (the migrations directory is Go code, no SQL
// files): muety/wakapi's main.go calls migrations.Run(db, config), whose
// Go functions and gorm's AutoMigrate change the schema. The app migrates
// at start: nothing is left to apply. nil when the program calls none.
func (r *repo) goMigrationsPackage(s *Stack) *Evidence {
	if s.Migrations == nil || len(s.Entrypoints) == 0 || s.ambiguousEntry() {
		return nil
	}
	dir := s.Migrations.Value
	entries, err := os.ReadDir(filepath.Join(r.dir, dir))
	if err != nil {
		return nil
	}
	code := false
	for _, e := range entries {
		switch ext := path.Ext(e.Name()); {
		case ext == ".sql":
			return nil // files for a tool to apply
		case ext == ".go" && !strings.HasSuffix(e.Name(), "_test.go"):
			code = true
		}
	}
	if !code {
		return nil
	}
	module := project.GoModulePath(r.dir)
	if module == "" {
		return nil
	}
	imports := regexp.MustCompile(`"` + regexp.QuoteMeta(module+"/"+dir) + `"`)
	call := regexp.MustCompile(`\b` + regexp.QuoteMeta(path.Base(dir)) + `\.([A-Z]\w*)\(`)
	inProgram := r.programFiles(s)
	for _, f := range r.goSources() {
		if !inProgram(f) || path.Dir(f) == path.Clean(dir) || r.find(f, imports) == nil || r.find(f, goCLICommandImport) != nil {
			continue
		}
		if c := r.findCode(f, call); c != nil {
			c.Why = fmt.Sprintf("the program calls %s.%s, Go code of its own in %s/: the app migrates at start", path.Base(dir), c.Value, dir)
			c.Value = f
			return c
		}
	}
	return nil
}
