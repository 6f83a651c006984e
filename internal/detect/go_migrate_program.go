package detect

import (
	"fmt"
	"path"
	"regexp"
	"strings"
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
	// migrateSource is the migrations' directory: file://cmd/migrate/migrations.
	migrateSource = regexp.MustCompile(`"file://([\w./-]+)"`)
)

// goMigrateProgram is the repository's own migration program, beside the
// server: a main package named for migrating that imports golang-migrate
// or goose (sikozonpc/ecom's cmd/migrate, run as `go run
// cmd/migrate/main.go up`). The image builds it too and the release step
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
