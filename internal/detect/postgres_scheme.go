package detect

import (
	"os"
	"path"
	"regexp"
	"strings"
)

// pgURL is a Postgres URL's scheme as a repository writes it; group 1 is
// "ql" for postgresql:// (postgresql+psycopg:// too).
var pgURL = regexp.MustCompile(`\bpostgres(ql)?(?:\+\w+)?://`)

// postgresScheme is where the repository writes its Postgres URLs as
// postgres:// and never as postgresql://, nil otherwise. Drivers accept
// both, but not every program does: shiori's database.go switches on the
// scheme "postgres" and stops on postgresql:// ("unsupported database
// scheme"), and its docs and compose file write postgres://. SQLAlchemy,
// the other way round, refuses postgres://, so postgresql:// stays the
// default. The files read are the example env files, compose files, the
// code, and the Markdown at the top and under docs/; a comment counts
// (a commented-out URL still shows the form the program takes).
func (r *repo) postgresScheme() *Evidence {
	files := append(append([]string{}, ExampleEnvFiles...), composeFiles()...)
	files = append(files, r.codeFiles()...)
	for _, dir := range []string{".", "docs"} {
		entries, _ := os.ReadDir(path.Join(r.dir, dir))
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(strings.ToLower(e.Name()), ".md") {
				files = append(files, path.Join(dir, e.Name()))
			}
		}
	}
	var first *Evidence
	for _, f := range files {
		for i, line := range r.read(f) {
			for _, m := range pgURL.FindAllStringSubmatch(line, -1) {
				if m[1] != "" {
					return nil // postgresql:// is written: the default serves
				}
				if first == nil {
					first = &Evidence{Value: "postgres", File: f, Line: i + 1, Why: "the repository writes its Postgres URLs as postgres://"}
				}
			}
		}
	}
	return first
}
