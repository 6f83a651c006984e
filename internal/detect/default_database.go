package detect

import (
	"regexp"
	"strings"
)

// defaultDatabase are the ways a Go program's configuration names the SQL
// database it uses unless told otherwise: a default struct's field
// (gotify's `Dialect: "sqlite3"`), viper's SetDefault (memos'
// `SetDefault("driver", "sqlite")`), a flag's default, a struct tag's
// default.
var defaultDatabase = []*regexp.Regexp{
	regexp.MustCompile(`^\s*(?:Dialect|Driver|DBDriver|DbDriver|DatabaseDriver|DBType|DbType|DatabaseType|DBMS|DBProvider|DbProvider|DatabaseProvider)\s*:\s*"(\w+)"\s*,?\s*(?://.*)?$`),
	regexp.MustCompile(`SetDefault\(\s*"(?:[\w.]*\.)?(?:driver|dialect|db[-_]?driver|db[-_]?type|database[-_]?driver|database[-_]?type)"\s*,\s*"(\w+)"`),
	regexp.MustCompile(`\.String(?:Var)?P?\((?:&?[\w.]+\s*,\s*)?"(?:db[-_.]?|database[-_.]?)?(?:driver|dialect)"\s*,\s*(?:"\w"\s*,\s*)?"(\w+)"`),
	regexp.MustCompile(`(?i)^\s*(?:\w*driver|\w*dialect|dbms|db_?type)\s+string\s+` + "`" + `[^` + "`" + `]*\b(?:default|envDefault)\s*:\s*"(\w+)"`),
}

// sqlKinds are the database kinds a default driver's name means.
var sqlKinds = map[string]string{"sqlite": "sqlite", "sqlite3": "sqlite", "postgres": "postgres", "postgresql": "postgres",
	"pg": "postgres", "pgx": "postgres", "mysql": "mysql", "mariadb": "mysql"}

// defaultSQL is the SQL database the program's configuration uses by
// default, among several it can talk to (dbs), nil when it names none or
// the program has one.
func (r *repo) defaultSQL(s *Stack) *Evidence {
	if s.Language != "go" {
		return nil
	}
	kinds := map[string]bool{}
	for _, d := range s.Databases {
		name, _, _ := strings.Cut(d.Value, ":")
		if name == "postgres" || name == "mysql" || name == "sqlite" {
			kinds[name] = true
		}
	}
	if len(kinds) < 2 {
		return nil
	}
	program := r.programFiles(s)
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || !program(f) {
			continue
		}
		for i, line := range r.read(f) {
			if isComment(line) {
				continue
			}
			for _, re := range defaultDatabase {
				m := re.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				if kind := sqlKinds[strings.ToLower(m[1])]; kinds[kind] {
					said := strings.TrimSuffix(strings.Join(strings.Fields(line), " "), ",")
					return &Evidence{Value: kind, File: f, Line: i + 1, Why: "the configuration's default: " + said}
				}
			}
		}
	}
	return nil
}
