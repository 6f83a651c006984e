package generate

import (
	"fmt"
	"slices"

	"github.com/shipshape/shipshape/internal/detect"
)

// codeLogin is the URL the app's code holds whole (detect.CodeLogin) when
// its host is db, the name init gives the SQL database's service, or a
// name init gives it as an alias (hostAliases): that
// database is made with the URL's user, password and name, which the app
// logs in with whatever compose sets (example-voting-app's result,
// 'postgres://postgres:postgres@db/postgres'). nil otherwise.
func (p *Plan) codeLogin() *detect.CodeLogin {
	if l := p.Stack.CodeLogin; l != nil && p.reachesLoginHost(l) && p.Has(l.Kind) && !p.SharedDatabase {
		return l
	}
	return nil
}

// reachesLoginHost reports whether the code's URL's host is the SQL
// database's service: db, or an alias of it.
func (p *Plan) reachesLoginHost(l *detect.CodeLogin) bool {
	return l.Host == "db" || slices.Contains(Single(p).hostAliases("db"), l.Host)
}

// codeLogin is the set's: the first service's that has one.
func (s *Set) codeLogin() *detect.CodeLogin {
	for _, svc := range s.Services {
		if l := svc.Plan.codeLogin(); l != nil {
			return l
		}
	}
	return nil
}

// sqlLogin is the user and database name the SQL database is made with:
// the code's where it holds its URL, else app and database.
func sqlLogin(l *detect.CodeLogin, database string) (user, name string) {
	if l != nil {
		return l.User, l.Database
	}
	return "app", database
}

// codeLoginNote says what the code's URL made of the database, or that
// its host is no service init starts.
func codeLoginNote(p *Plan) string {
	l := p.Stack.CodeLogin
	if l == nil || !p.Has(l.Kind) {
		return ""
	}
	if p.SharedDatabase {
		return fmt.Sprintf("%s connects with a URL the code holds whole (%s): the project's services share one database, which keeps the login init gives it, so this app will not log in; read the URL from a variable (DATABASE_URL), which compose sets", l.Where(), l.Value)
	}
	if !p.reachesLoginHost(l) {
		return fmt.Sprintf("%s connects with a URL the code holds whole (%s), to host %s: the database init starts is db, which the app never reaches; make the code read the URL from a variable (DATABASE_URL), which compose and the verify run set", l.Where(), l.Value, l.Host)
	}
	password := map[string]string{"postgres": "POSTGRES_PASSWORD", "mysql": "MYSQL_PASSWORD"}[l.Kind]
	if l.URL == "" {
		// Connection options whose host is a variable's (optionsLogin).
		return fmt.Sprintf("%s names the user %s and the database %s in its connection options (%s): the db service is made with them, or the app could not log in; read them from variables to choose them per deployment", l.Where(), l.User, l.Database, l.Value)
	}
	return fmt.Sprintf("%s connects with a URL the code holds whole (%s): the db service is made with its user %s, its database %s and its password (%s in .env, as .env.example says), or the app could not log in; read the URL from a variable (DATABASE_URL) to choose them per deployment, and keep the password out of the code", l.Where(), l.Value, l.User, l.Database, password)
}
