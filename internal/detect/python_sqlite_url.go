package detect

import (
	"path"
	"regexp"
	"strings"
)

var (
	// pyEnvVarRead is a variable read in Python: os.environ.get("X"),
	// os.getenv('X'), os.environ["X"].
	pyEnvVarRead = regexp.MustCompile(`\bos\.(?:environ\.get\(|getenv\(|environ\[)\s*['"](\w+)['"]`)
	// pyFileNameCall is a call with a SQLite file's name:
	// create_sqlite_uri("todolist.db").
	pyFileNameCall = regexp.MustCompile(`\b(\w+)\(\s*['"]([\w.-]+\.(?:db|sqlite|sqlite3|db3))['"]\s*\)`)
	// otherEnvVar is a variable of another environment than production.
	otherEnvVar = regexp.MustCompile(`^(?:DEV|DEVELOPMENT|TEST|TESTING|LOCAL|STAGING)_`)
	// pyOneParamDef is a function of one parameter: def f(name):.
	pyOneParamDef = regexp.MustCompile(`^\s*def\s+(\w+)\s*\(\s*(\w+)\s*\)\s*(?:->\s*\w+\s*)?:`)
)

// pySQLiteURLVar is the variable a SQLAlchemy URL is read from where the
// SQLite file is only its fallback, and that file's name: rtzll/
// flask-todolist's ProductionConfig takes os.environ.get("DATABASE_URL")
// or create_sqlite_uri("todolist.db"), a helper that returns
// "sqlite:///" + os.path.join(BASEDIR, db_name), the file beside the code
// on the read-only root (its migrations and every write failed, and
// verify passed on a page that reads no table). The image sets the
// variable to a file on the volume. The fallback is a URL literal, one
// built by os.path.join from a directory variable, or such a helper's
// call; the statement may go on over the next lines. nil where no
// variable comes first.
func (r *repo) pySQLiteURLVar() (*Evidence, string) {
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") || r.notTheApp(f) || devPath(f) {
			continue
		}
		lines := r.read(f)
		helpers := map[string]bool{}
		for i, line := range lines {
			m := pyOneParamDef.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			param := regexp.MustCompile(`\b` + m[2] + `\b`) // once per function, not per line
			for _, body := range lines[i+1 : min(i+4, len(lines))] {
				if strings.Contains(body, "return") && strings.Contains(body, "sqlite:///") && param.MatchString(body) {
					helpers[m[1]] = true
				}
			}
		}
		for i, line := range lines {
			read := pyEnvVarRead.FindStringSubmatch(line)
			if read == nil || isComment(line) || otherEnvVar.MatchString(read[1]) {
				// DEV_DATABASE_URL, TEST_DATABASE_URL (flasky's
				// development and testing configs): not production's.
				continue
			}
			// The statement: this line and those it runs on into (an open
			// parenthesis, a trailing backslash or `or`).
			stmt := line
			for j := i + 1; j < min(i+4, len(lines)) && continues(stmt); j++ {
				stmt += " " + strings.TrimSpace(lines[j])
			}
			rest := stmt[strings.Index(stmt, read[0]):]
			file := ""
			if m := sqliteURL.FindStringSubmatch(rest); m != nil {
				file = m[1]
			} else if m := pyFixedURL.FindStringSubmatch(rest); m != nil {
				file = m[2]
			} else if m := pyFileNameCall.FindStringSubmatch(rest); m != nil && helpers[m[1]] {
				file = m[2]
			}
			if file == "" || strings.Contains(file, ":memory:") {
				continue
			}
			return &Evidence{Value: read[1], File: f, Line: i + 1,
				Why: "a SQLAlchemy URL, whose fallback is the SQLite file " + file}, path.Base(file)
		}
	}
	return nil, ""
}

// continues reports whether a Python statement goes on past the line:
// an open parenthesis or bracket, a backslash, or a trailing operator.
func continues(stmt string) bool {
	t := strings.TrimSpace(stmt)
	return strings.Count(stmt, "(")+strings.Count(stmt, "[") > strings.Count(stmt, ")")+strings.Count(stmt, "]") ||
		strings.HasSuffix(t, "\\") || strings.HasSuffix(t, " or") || strings.HasSuffix(t, "+")
}
