package detect

import (
	"path"
	"regexp"
	"strings"
)

var (
	// nodeSQLiteOpen opens a SQLite file: new sqlite3.Database(location),
	// new Database('app.db') (better-sqlite3), open({ filename: ... })
	// (sqlite), knex's connection { filename }, Sequelize's storage.
	nodeSQLiteOpen = regexp.MustCompile(`\bnew\s+(?:\w+\.)?Database\(\s*([^,)]+?)\s*[,)]|\b(?:filename|storage)\s*:\s*([^,}]+?)\s*(?:[,}]|$)`)
	// nodeEnvDefault is process.env.X || 'default' (or ??), or
	// process.env.X alone.
	nodeEnvDefault = regexp.MustCompile(`^process\.env\.(\w+)(?:\s*(?:\|\||\?\?)\s*['"` + "`" + `]([^'"` + "`" + `]+)['"` + "`" + `])?$`)
	nodeIdent      = regexp.MustCompile(`^[A-Za-z_$][\w$]*$`)
)

// nodeSQLite reads where a Node app keeps its SQLite file: the path the
// code opens, and the variable it reads that path from
// (docker/getting-started-app: const location =
// process.env.SQLITE_DB_LOCATION || '/etc/todos/todo.db';
// new sqlite3.Database(location)). The sqlite database's evidence then
// names the file (sqlite:/etc/todos/todo.db), and SQLiteVar the variable,
// which the image sets to a file on its volume.
func (r *repo) nodeSQLite(s *Stack) {
	at := plainSQLite(s)
	if at < 0 {
		return
	}
	for _, f := range r.codeFiles() {
		if !langExts["node"][path.Ext(f)] {
			continue
		}
		lines := r.read(f)
		if !mentionsSQLite(lines) {
			continue
		}
		for i, line := range lines {
			if isComment(line) {
				continue
			}
			m := nodeSQLiteOpen.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			expr := m[1] + m[2]
			file, variable, where, ok := r.nodeSQLiteExpr(f, expr, i+1, 0)
			if !ok {
				continue
			}
			if file != "" {
				s.Databases[at] = Evidence{Value: "sqlite:" + file, File: f, Line: where, Why: "the file the code opens"}
			}
			if variable != "" {
				why := "the SQLite file's path"
				if file != "" {
					why += ", default " + file
				}
				s.SQLiteVar = &Evidence{Value: variable, File: f, Line: where, Why: why}
				s.Databases[at].Why = "the file the code opens, its path from $" + variable
			}
			return
		}
	}
}

// plainSQLite is the index in s.Databases of SQLite known by its import
// alone (its file not yet read), -1 when there is none: the entry the
// readers of its path (the code, a configuration file, the repository's
// Dockerfile) complete.
// Has reports whether the app uses a database of the kind (postgres,
// sqlite), with or without a file named.
func (s *Stack) Has(kind string) bool {
	for _, db := range s.Databases {
		if db.Value == kind || strings.HasPrefix(db.Value, kind+":") {
			return true
		}
	}
	return false
}

func plainSQLite(s *Stack) int {
	at := -1
	for i, db := range s.Databases {
		if db.Value == "sqlite" {
			at = i
		}
	}
	return at
}

func mentionsSQLite(lines []string) bool {
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l), "sqlite") {
			return true
		}
	}
	return false
}

// nodeSQLiteExpr evaluates the path expression a SQLite open call is
// given: a string, process.env.X || 'default', or a name the file
// declares as one of those. It returns the file, the variable, the line
// that says so, and whether the expression was understood.
func (r *repo) nodeSQLiteExpr(f, expr string, line, depth int) (file, variable string, where int, ok bool) {
	expr = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(expr), ";"))
	if m := jsStringLit.FindStringSubmatch(expr); m != nil {
		if m[1] == "" || strings.HasPrefix(m[1], ":memory:") {
			return "", "", 0, false
		}
		return m[1], "", line, true
	}
	if m := nodeEnvDefault.FindStringSubmatch(expr); m != nil {
		return m[2], m[1], line, true
	}
	if !nodeIdent.MatchString(expr) || depth > 2 {
		return "", "", 0, false
	}
	decl := regexp.MustCompile(`\b(?:const|let|var)\s+` + quoteMeta(expr) + `\s*(?::\s*\w+\s*)?=\s*(.+?);?\s*$`)
	if e := r.find(f, decl); e != nil && e.Value != expr {
		return r.nodeSQLiteExpr(f, e.Value, e.Line, depth+1)
	}
	return "", "", 0, false
}
