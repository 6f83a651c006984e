package detect

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// GolangMigrate is Stack.Migrate's value where the repository applies its
// migrations with golang-migrate's CLI.
const GolangMigrate = "golang-migrate"

var (
	// migrateCLI is an invocation of golang-migrate's CLI, or of its
	// image, that names both the migrations and the database: the
	// command, then -path or -source and -database in either order.
	migrateCLI         = regexp.MustCompile(`(?:^|[\s;&|(/])migrate(?:/migrate(?::[\w.-]+)?)?\s.*-(?:path|source)[= ]|(?:^|[\s;&|(/])migrate(?:/migrate(?::[\w.-]+)?)?\s.*-database[= ]`)
	migrateCLIDatabase = regexp.MustCompile(`\s-database[= ]`)
	// migrateCLIPath is the directory -path (or -source file://) names.
	migrateCLIPath = regexp.MustCompile(`\s-(?:path[= ]|source[= ]["']?file://)["']?([^\s"']+)`)
	// migrateCLIMount is a directory of the repository mounted into the
	// CLI's image: -v $(pwd)/database/migrations:/migrations, with the
	// shell's, make's or a relative spelling of the working directory.
	migrateCLIMount = regexp.MustCompile(`\s-v\s+["']?(?:\$\((?:shell )?pwd\)/|\$\$\(pwd\)/|\$\{?PWD\}?/|\$\(CURDIR\)/|\./)([^:"'\s]+):(/[^:"'\s]*)`)
	// upMigration is golang-migrate's file name for an up migration:
	// 20191217202658_init.up.sql, 000001_create_users.up.sql.
	upMigration = regexp.MustCompile(`^\d+_[\w.-]*\.up\.sql$`)
)

// maxMigrateScripts bounds the shell scripts read for the CLI's
// invocation.
const maxMigrateScripts = 64

// goMigrateCLI is the repository applying its migrations with
// golang-migrate's CLI, where no program of its own does: a Makefile
// target, a start script or a compose service that runs `migrate -path
// DIR -database URL up` (qiangxue/go-rest-api's cmd/server/entrypoint.sh,
// and its Makefile's migrate/migrate image) over a directory of
// NNN_name.up.sql files. The image carries the CLI, built from the
// module proxy, and the release step runs it. The second result is the
// directory, for the image to carry.
func (r *repo) goMigrateCLI() (*Evidence, *Evidence) {
	for _, f := range r.migrateCLIFiles() {
		lines := r.read(f)
		for i, line := range lines {
			if isComment(line) || !migrateCLI.MatchString(line) {
				continue
			}
			logical := line
			for j := i + 1; j < len(lines) && strings.HasSuffix(strings.TrimSpace(logical), "\\") && j <= i+5; j++ {
				logical = strings.TrimSuffix(strings.TrimSpace(logical), "\\") + " " + lines[j]
			}
			if !migrateCLIDatabase.MatchString(logical) {
				continue
			}
			dir := ""
			if m := migrateCLIPath.FindStringSubmatch(logical); m != nil {
				dir = path.Clean(m[1])
			}
			if m := migrateCLIMount.FindStringSubmatch(logical); m != nil && strings.HasPrefix(dir, "/") {
				// The CLI's image reads a directory the line mounts.
				if rel, ok := strings.CutPrefix(path.Clean(dir), path.Clean(m[2])); ok && (rel == "" || strings.HasPrefix(rel, "/")) {
					dir = path.Clean(m[1] + rel)
				}
			}
			if !r.holdsUpMigrations(dir) {
				// Given by a variable, or mounted where the line does
				// not say: the repository's usual directory.
				dir = ""
				if e := r.migrations(); e != nil && r.holdsUpMigrations(e.Value) {
					dir = e.Value
				}
			}
			if dir == "" {
				continue
			}
			return &Evidence{Value: GolangMigrate, File: f, Line: i + 1, Why: "golang-migrate's CLI applies " + dir + "/"},
				&Evidence{Value: dir, File: dir, Why: "golang-migrate's CLI reads the migrations there"}
		}
	}
	return nil, nil
}

// migrateCLIFiles are where a repository runs a migration tool: its
// Makefile, Dockerfiles, compose files and shell scripts (to three
// directories down, at most maxMigrateScripts).
func (r *repo) migrateCLIFiles() []string {
	files := []string{"Makefile", "makefile", "GNUmakefile", "Taskfile.yml", "Taskfile.yaml", "justfile"}
	files = append(files, repoDockerfiles...)
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

// holdsUpMigrations: dir, in the repository, holds golang-migrate's up
// migrations.
func (r *repo) holdsUpMigrations(dir string) bool {
	if dir == "" || dir == "." || strings.HasPrefix(dir, "..") || path.IsAbs(dir) {
		return false
	}
	entries, err := os.ReadDir(filepath.Join(r.dir, filepath.FromSlash(dir)))
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && upMigration.MatchString(e.Name()) {
			return true
		}
	}
	return false
}
