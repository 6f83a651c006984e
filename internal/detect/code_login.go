package detect

import (
	"net/url"
	"path"
	"regexp"
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
				Kind:     kind, Host: m[4], User: m[2], Password: password, Database: m[5],
			}
		}
	}
	return nil
}
