package detect

import (
	"net/url"
	"path"
	"regexp"
	"strings"
)

// A CodeLogin is a SQL database's connection URL written whole in the
// app's code, with no variable to change it: dockersamples/example-
// voting-app's result connects with 'postgres://postgres:postgres@db/
// postgres'. Its host is a compose service's name, and the database init
// starts must have its user, password and name, or the app never logs in
// (the run's random password kept it out while its page answered 200).
type CodeLogin struct {
	Evidence        // Value: the URL with its password masked
	Kind     string // postgres or mysql
	Host     string
	User     string
	Password string
	Database string
	// URL: the login is a URL's (the code's connection string); "" for
	// connection options whose host is a variable's (optionsLogin), where
	// the password may be one's too (Password "").
	URL string
}

// codeLoginURL is such a URL literal: scheme://user:password@host[:port]/name.
var codeLoginURL = regexp.MustCompile("[\"'`](postgres|postgresql|mysql)(?:\\+\\w+)?://([A-Za-z_][\\w.-]*):([^@\\s\"'`/:]+)@([A-Za-z][\\w.-]*)(?::\\d+)?/([\\w.-]+)(?:[?\"'`]|$)")

// codeLogin finds the first such URL in the app's own code (not test,
// development or seed files, not beside an environment read, not on the
// loopback interface, which LoopbackConfig says), for a database the app
// talks to.
func (r *repo) codeLogin(s *Stack) *CodeLogin {
	talks := talksTo(s)
	if !talks["postgres"] && !talks["mysql"] {
		return nil
	}
	exts := langExts[s.Language]
	for _, f := range r.codeFiles() {
		if !exts[path.Ext(f)] || devPath(f) {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			m := codeLoginURL.FindStringSubmatch(line)
			if m == nil || isComment(line) || blockComment(line) || envNear(lines, i) || inDevBlock(lines, i) || loopbackService.MatchString(line) || loopbackHost(m[4]) || m[4] == "0.0.0.0" {
				continue
			}
			kind := schemeDatabases[m[1]]
			if !talks[kind] {
				continue
			}
			password, err := url.PathUnescape(m[3]) // the driver logs in with it decoded
			if err != nil {
				continue
			}
			return &CodeLogin{
				Evidence: Evidence{Value: m[1] + "://" + m[2] + ":***@" + m[4] + "/" + m[5], File: f, Line: i + 1},
				Kind:     kind, Host: m[4], User: m[2], Password: password, Database: m[5], URL: m[0],
			}
		}
	}
	return nil
}

var (
	// optionsKind is a connection options object's kind: TypeORM's type,
	// Sequelize's dialect, knex's client.
	optionsKind = regexp.MustCompile(`\b(?:type|dialect|client)\s*:\s*['"](postgres|postgresql|pg|mysql|mysql2|mariadb)['"]`)
	// optionsLiteral is a key of it holding a literal: username: 'postgres'.
	optionsLiteral = regexp.MustCompile(`^\s*['"]?(username|user|password|database)['"]?\s*:\s*['"]([\w.-]+)['"]\s*,?\s*$`)
	// optionsEnvHost is its host read from the environment.
	optionsEnvHost = regexp.MustCompile(`^\s*['"]?host['"]?\s*:\s*(?:process\.env\.\w+|process\.env\[['"]\w+['"]\]|configService\.get\(|config\.get\()`)
)

// optionsLogin is a connection options object of the app's own code
// whose host comes from the environment (the db service there) but whose
// user and database name are written in it: JFMajer/nestjs-task-
// management's TypeOrmModule.forRoot({ type: 'postgres', host:
// process.env.DB_HOST, username: 'postgres', password:
// process.env.DB_PASSWORD, database: 'tasks' }). init made the database
// with user app and database app, and the app was refused ("password
// authentication failed for user postgres"). The database is made with
// those; a password written there too is kept, else the variable's.
func (r *repo) optionsLogin(s *Stack) *CodeLogin {
	talks := talksTo(s)
	if s.Language != "node" || !talks["postgres"] && !talks["mysql"] {
		return nil
	}
	for _, f := range r.codeFiles() {
		if !langExts["node"][path.Ext(f)] || devPath(f) || r.notTheApp(f) {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			m := optionsKind.FindStringSubmatch(line)
			if m == nil || isComment(line) {
				continue
			}
			kind := map[string]string{"postgres": "postgres", "postgresql": "postgres", "pg": "postgres", "mysql": "mysql", "mysql2": "mysql", "mariadb": "mysql"}[m[1]]
			if !talks[kind] {
				continue
			}
			l := CodeLogin{Evidence: Evidence{File: f, Line: i + 1}, Kind: kind, Host: "db"}
			envHost := false
			for j := max(0, i-8); j < len(lines) && j <= i+12; j++ {
				if envHost = envHost || optionsEnvHost.MatchString(lines[j]); strings.Contains(lines[j], "})") && j > i {
					break
				}
				if o := optionsLiteral.FindStringSubmatch(lines[j]); o != nil {
					switch o[1] {
					case "username", "user":
						l.User = o[2]
					case "password":
						l.Password = o[2]
					case "database":
						l.Database = o[2]
					}
				}
			}
			if !envHost || l.User == "" || l.Database == "" {
				continue
			}
			l.Value = m[0]
			return &l
		}
	}
	return nil
}
