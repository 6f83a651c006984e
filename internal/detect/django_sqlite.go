package detect

import (
	"path"
	"regexp"
	"strings"
)

var (
	djangoSQLiteEngine = regexp.MustCompile(`['"]ENGINE['"]\s*:\s*['"]django\.db\.backends\.sqlite3['"]`)
	// djangoFixedName is a database NAME built from the project's own
	// directory: BASE_DIR / 'db.sqlite3', os.path.join(BASE_DIR, ...).
	djangoFixedName = regexp.MustCompile(`['"]NAME['"]\s*:\s*(?:BASE_DIR\s*/\s*['"]([\w./-]+)['"]|os\.path\.join\(\s*BASE_DIR\s*,\s*['"]([\w./-]+)['"]\s*\))`)
)

// djangoFixedSQLite is where a Django settings module puts its SQLite
// file at a path fixed beside the code (Azure-Samples' Django quickstart:
// 'NAME': BASE_DIR / 'db.sqlite3'), which no variable moves: in the image
// that is /app, on the read-only root, not the data volume. nil when the
// name is read from the environment or the engine is not SQLite.
func (r *repo) djangoFixedSQLite(s *Stack) *Evidence {
	if s.Framework == nil || s.Framework.Value != "django" {
		return r.pyFixedSQLite()
	}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") || r.find(f, djangoSQLiteEngine) == nil {
			continue
		}
		for i, line := range r.read(f) {
			if m := djangoFixedName.FindStringSubmatch(line); m != nil && !strings.Contains(line, "environ") && !strings.Contains(line, "getenv") {
				return &Evidence{Value: m[1] + m[2], File: f, Line: i + 1, Why: strings.TrimSpace(line)}
			}
		}
	}
	return nil
}

var (
	// pyFixedURL is a SQLAlchemy URL built from a directory variable:
	// 'sqlite:///' + os.path.join(BASE_DIR, 'db.sqlite3').
	pyFixedURL = regexp.MustCompile(`['"]sqlite:///['"]\s*\+\s*os\.path\.join\(\s*(\w+)\s*,\s*['"]([\w./-]+)['"]\s*\)`)
	// pyFileDir assigns a variable the directory of the file itself.
	pyFileDir = regexp.MustCompile(`^\s*(\w+)\s*=\s*os\.path\.(?:abspath\(\s*)?dirname\(\s*(?:os\.path\.(?:realpath|abspath)\(\s*)?__file__\s*\)`)
)

// pyFixedSQLite is a SQLAlchemy URL that puts the SQLite file beside the
// module that names it (app-generator/api-server-flask's api/config.py:
// BASE_DIR = os.path.dirname(os.path.realpath(__file__)), then 'sqlite:///'
// + os.path.join(BASE_DIR, 'db.sqlite3'): /app/api/db.sqlite3 in the
// image, not the data volume), with no variable on the line to move it.
func (r *repo) pyFixedSQLite() *Evidence {
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		lines := r.read(f)
		dirs := map[string]bool{}
		for i, line := range lines {
			if m := pyFileDir.FindStringSubmatch(line); m != nil {
				dirs[m[1]] = true
			}
			m := pyFixedURL.FindStringSubmatch(line)
			if m == nil || !dirs[m[1]] || r.notTheApp(f) {
				continue
			}
			// A variable read on the line, or in the statement the URL
			// continues (Grinberg's `os.environ.get('DATABASE_URL') or \`
			// above it), replaces it; an assignment of its own does not.
			own := strings.HasPrefix(strings.TrimSpace(line), "SQLALCHEMY_DATABASE_URI")
			if codeEnvRead.MatchString(line) || !own && envNear(lines, i) {
				continue
			}
			return &Evidence{Value: path.Join(path.Dir(f), m[2]), File: f, Line: i + 1, Why: strings.TrimSpace(line)}
		}
	}
	return nil
}

// djangoHostsLine is a Django settings assignment of ALLOWED_HOSTS.
var djangoHostsLine = regexp.MustCompile(`^\s*ALLOWED_HOSTS\s*=\s*(.+?)\s*$`)

// djangoHostsSplit is ALLOWED_HOSTS split from a variable with no default:
// os.environ.get("DJANGO_ALLOWED_HOSTS").split(" "), os.getenv('HOSTS').split(','),
// os.environ["ALLOWED_HOSTS"].split().
var djangoHostsSplit = regexp.MustCompile(`^\s*os\.(?:environ\.get\(|getenv\(|environ\[)\s*["'](\w+)["']\s*[)\]]\s*\.split\(\s*(?:["']([^"']*)["'])?\s*\)\s*$`)

// djangoHostsVar is the variable ALLOWED_HOSTS is split from, with no
// default (testdrivenio/django-celery's settings.py:29: its build's
// collectstatic stopped on AttributeError), Why its separator (" " for
// split()'s whitespace); nil otherwise.
func djangoHostsVar(hosts *Evidence) *Evidence {
	if hosts == nil {
		return nil
	}
	m := djangoHostsSplit.FindStringSubmatch(hosts.Value)
	if m == nil {
		return nil
	}
	sep := m[2]
	if sep == "" {
		sep = " "
	}
	return &Evidence{Value: m[1], File: hosts.File, Line: hosts.Line, Why: sep}
}

// djangoHosts is where Django's settings set ALLOWED_HOSTS without a
// wildcard, Value the assignment's right-hand side: Django answers 400
// (DisallowedHost) to a Host header the list lacks, which is what a proxy
// passes on (the site's name) and what a Kubernetes probe sends (the
// pod's address). nil when some assignment admits every host (heroku's
// python-getting-started on Heroku) or none is found.
func (r *repo) djangoHosts(s *Stack) *Evidence {
	if s.Framework == nil || s.Framework.Value != "django" {
		return nil
	}
	var first *Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") {
			continue
		}
		for i, line := range r.read(f) {
			m := djangoHostsLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			if strings.Contains(m[1], `"*"`) || strings.Contains(m[1], `'*'`) {
				return nil
			}
			// settings.py's own, else the first: production.py and the
			// like are read only where DJANGO_SETTINGS_MODULE says.
			if first == nil || path.Base(f) == "settings.py" && path.Base(first.File) != "settings.py" {
				first = &Evidence{Value: m[1], File: f, Line: i + 1}
			}
		}
	}
	return first
}
