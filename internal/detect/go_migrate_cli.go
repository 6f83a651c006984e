package detect

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// The migration CLIs Stack.Migrate names where the repository applies its
// migrations with one: golang-migrate's and goose's.
const (
	GolangMigrate = "golang-migrate"
	Goose         = "goose"
)

var (
	// migrateCLI is an invocation of golang-migrate's CLI, or of its
	// image, that names both the migrations and the database: the
	// command, then -path or -source and -database in either order.
	migrateCLI         = regexp.MustCompile(`(?:^|[\s;&|(/@])migrate(?:/migrate(?::[\w.-]+)?)?\s.*-(?:path|source)[= ]|(?:^|[\s;&|(/@])migrate(?:/migrate(?::[\w.-]+)?)?\s.*-database[= ]`)
	migrateCLIDatabase = regexp.MustCompile(`\s-database[= ]`)
	// migrateCLIUp is its command applying migrations, up (or up N).
	migrateCLIUp = regexp.MustCompile(`\sup(?:\s+\d+)?\s*(?:$|[;&|)])`)
	// migrateCLIPath is the directory -path (or -source file://) names.
	migrateCLIPath = regexp.MustCompile(`\s-(?:path[= ]|source[= ]["']?file://)["']?([^\s"']+)`)
	// migrateCLIMount is a directory of the repository mounted into the
	// CLI's image: -v $(pwd)/database/migrations:/migrations, with the
	// shell's, make's or a relative spelling of the working directory.
	migrateCLIMount = regexp.MustCompile(`\s-v\s+["']?(?:\$\((?:shell )?pwd\)/|\$\$\(pwd\)/|\$\{?PWD\}?/|\$\(CURDIR\)/|\./)([^:"'\s]+):(/[^:"'\s]*)`)
	// gooseCLI is goose's CLI applying migrations: `goose -dir DIR
	// postgres "$(DB_URL)" up`, or with GOOSE_DRIVER and GOOSE_DBSTRING
	// in its environment; up is its last word.
	gooseCLI = regexp.MustCompile(`(?:^|[\s;&|(@])goose\s(?:.*\s)?-dir[= ].*\sup\s*(?:$|[;&|)])`)
	gooseDir = regexp.MustCompile(`\s-dir[= ]["']?([^\s"']+)`)
	// migrationTable is a CLI told to keep its versions in a table of
	// the repository's choosing: golang-migrate's x-migrations-table in
	// the URL, goose's -table.
	migrationTable = regexp.MustCompile(`x-migrations-table=|\s-table[= ]`)
	// makeRef is a make or shell variable standing for a whole word:
	// $(MIGRATIONS_DIR), ${MIGRATION_DIR}.
	makeRef = regexp.MustCompile(`^\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]$`)
	// plainDir is a relative directory of plain names.
	plainDir = regexp.MustCompile(`^[\w.-]+(?:/[\w.-]+)*$`)
	// upMigration is golang-migrate's file name for an up migration:
	// 20191217202658_init.up.sql, 000001_create_users.up.sql.
	upMigration = regexp.MustCompile(`^\d+_[\w.-]*\.up\.sql$`)
	// gooseMigration is goose's file name: 20230101120000_users.sql.
	gooseMigration = regexp.MustCompile(`^\d+_[\w.-]*\.(sql|go)$`)
)

// maxMigrateScripts bounds the shell scripts read for a CLI's
// invocation.
const maxMigrateScripts = 64

// goMigrateCLI is the repository applying its migrations with
// golang-migrate's or goose's CLI, where no program of its own does: a
// Makefile target, a start script or a compose service that runs
// `migrate -path DIR -database URL up` (qiangxue/go-rest-api's
// cmd/server/entrypoint.sh, and its Makefile's migrate/migrate image) over
// a directory of NNN_name.up.sql files, or `goose -dir DIR postgres URL
// up` over SQL files goose annotates (-- +goose Up). The image carries the
// CLI, built from the module proxy, and the release step runs it. The
// second result is the directory, for the image to carry.
func (r *repo) goMigrateCLI() (*Evidence, *Evidence) {
	for _, f := range r.migrateCLIFiles() {
		lines := r.read(f)
		for i, line := range lines {
			if isComment(line) || !strings.Contains(line, "migrate") && !strings.Contains(line, "goose") {
				continue
			}
			logical := line
			for j := i + 1; j < len(lines) && strings.HasSuffix(strings.TrimSpace(logical), "\\") && j <= i+5; j++ {
				logical = strings.TrimSuffix(strings.TrimSpace(logical), "\\") + " " + lines[j]
			}
			tool, dir := "", ""
			if migrationTable.MatchString(logical) {
				// A version table of its own: a step with the defaults
				// would apply every migration again beside it.
				continue
			}
			switch {
			case migrateCLI.MatchString(logical) && migrateCLIDatabase.MatchString(logical) && migrateCLIUp.MatchString(logical):
				tool = GolangMigrate
				if m := migrateCLIPath.FindStringSubmatch(logical); m != nil {
					dir = makeValue(lines, m[1])
				}
				if m := migrateCLIMount.FindStringSubmatch(logical); m != nil && strings.HasPrefix(dir, "/") {
					// The CLI's image reads a directory the line mounts.
					if rel, ok := strings.CutPrefix(dir, path.Clean(m[2])); ok && (rel == "" || strings.HasPrefix(rel, "/")) {
						dir = path.Clean(m[1] + rel)
					}
				}
			case gooseCLI.MatchString(logical):
				tool = Goose
				if m := gooseDir.FindStringSubmatch(logical); m != nil {
					dir = makeValue(lines, m[1])
				}
			default:
				continue
			}
			if !r.holdsMigrations(tool, dir) {
				// Given by a variable from elsewhere, or mounted where
				// the line does not say: the repository's usual directory.
				dir = ""
				if e := r.migrations(); e != nil && r.holdsMigrations(tool, e.Value) {
					dir = e.Value
				}
			}
			if dir == "" {
				continue
			}
			return &Evidence{Value: tool, File: f, Line: i + 1, Why: tool + "'s CLI applies " + dir + "/"},
				&Evidence{Value: dir, File: dir, Why: tool + "'s CLI reads the migrations there"}
		}
	}
	return nil, nil
}

// makeValue is word, a directory, cleaned, with a variable standing for
// all of it replaced by its assignment in lines (MIGRATIONS_DIR =
// ./db/migrations, export MIGRATION_DIR=migrations); "" for a variable
// lines do not assign.
func makeValue(lines []string, word string) string {
	if m := makeRef.FindStringSubmatch(word); m != nil {
		assign := regexp.MustCompile(`^\s*(?:export\s+)?` + quoteMeta(m[1]) + `\s*[:?]?=\s*["']?([^\s"']+)["']?\s*$`)
		word = ""
		for _, l := range lines {
			if a := assign.FindStringSubmatch(l); a != nil {
				word = a[1]
				break
			}
		}
		if word == "" {
			return ""
		}
	}
	return path.Clean(word)
}

// holdsMigrations: dir, in the repository, holds tool's migrations:
// golang-migrate's up migrations; for goose, SQL files it annotates and
// no Go migration, which only a program built with them applies.
func (r *repo) holdsMigrations(tool, dir string) bool {
	// The directory goes into the Dockerfile's COPY and the step's
	// command as it is: plain names only.
	if !plainDir.MatchString(dir) || dir == "." || strings.HasPrefix(dir, "..") {
		return false
	}
	entries, err := os.ReadDir(filepath.Join(r.dir, filepath.FromSlash(dir)))
	if err != nil {
		return false
	}
	found := false
	for _, e := range entries {
		switch {
		case e.IsDir():
		case tool == GolangMigrate && upMigration.MatchString(e.Name()):
			return true
		case tool == Goose && gooseMigration.MatchString(e.Name()):
			if strings.HasSuffix(e.Name(), ".go") {
				return false
			}
			if !found {
				for _, l := range r.read(path.Join(dir, e.Name())) {
					if strings.HasPrefix(strings.TrimSpace(l), "-- +goose Up") {
						found = true
						break
					}
				}
			}
		}
	}
	return found
}

// migrateCLIFiles are where a repository runs a migration tool: its
// Makefile, Dockerfiles, compose files and shell scripts (to three
// directories down, at most maxMigrateScripts).
func (r *repo) migrateCLIFiles() []string {
	files := []string{"Makefile", "makefile", "GNUmakefile", "Taskfile.yml", "Taskfile.yaml", "justfile"}
	files = append(files, r.repoDockerfiles()...)
	files = append(files, "docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")
	var scripts []string
	for _, pattern := range []string{"*.sh", "*/*.sh", "*/*/*.sh", "*/*/*/*.sh"} {
		found, _ := filepath.Glob(filepath.Join(r.dir, pattern))
		for _, f := range found {
			rel, err := filepath.Rel(r.dir, f)
			if err == nil && !strings.Contains(rel, "node_modules") && !strings.Contains(rel, "vendor/") {
				scripts = append(scripts, filepath.ToSlash(rel))
			}
		}
		if len(scripts) >= maxMigrateScripts {
			break
		}
	}
	slices.Sort(scripts)
	if len(scripts) > maxMigrateScripts {
		scripts = scripts[:maxMigrateScripts]
	}
	return append(files, scripts...)
}

// gooseFromItsVariable is goose's CLI as the release step where the code
// reads goose's own variable for the database, GOOSE_DBSTRING, and a
// directory of the program's holds SQL migrations goose annotates, with
// nothing in the repository running them (P8ace/sampleGoApi: its README
// runs goose by hand, and its /products answered 500 on a database
// without the tables). goose's CLI reads GOOSE_DBSTRING too; the step
// passes the URL the image gives it.
func (r *repo) gooseFromItsVariable(s *Stack) {
	if s.Language != "go" || s.Migrate != nil || s.MigratesAtStart != nil {
		return
	}
	i := slices.IndexFunc(s.Env, func(e Evidence) bool { return e.Value == "GOOSE_DBSTRING" })
	if i < 0 {
		return
	}
	var dirs []string
	seen, walked := map[string]bool{}, 0
	_ = filepath.WalkDir(r.dir, func(p string, d os.DirEntry, err error) error {
		if walked++; err != nil || walked > 20000 {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if p != r.dir && project.SkipGoDir(p, d.Name(), false) {
				return filepath.SkipDir
			}
			return nil
		}
		if rel, err := filepath.Rel(r.dir, filepath.Dir(p)); err == nil && strings.HasSuffix(p, ".sql") && !seen[rel] {
			seen[rel] = true
			dirs = append(dirs, filepath.ToSlash(rel))
		}
		return nil
	})
	for _, d := range dirs {
		if !r.holdsMigrations(Goose, d) {
			continue
		}
		read := s.Env[i]
		s.Migrate = &Evidence{Value: Goose, File: read.File, Line: read.Line,
			Why: "the code reads goose's own GOOSE_DBSTRING and " + d + "/ holds goose's migrations: goose's CLI applies them"}
		dir := &Evidence{Value: d, File: d, Why: "goose's CLI reads the migrations there"}
		s.Migrations = dir
		if !slices.ContainsFunc(s.RuntimeFiles, func(e Evidence) bool { return e.Value == d }) {
			s.RuntimeFiles = append(s.RuntimeFiles, *dir)
		}
		return
	}
}
