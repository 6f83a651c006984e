package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// importDistributions are the distributions whose import name differs
// from the name pip installs them by; every other module is installed by
// its own name (flask, redis, requests).
var importDistributions = map[string]string{
	"yaml": "PyYAML", "PIL": "Pillow", "cv2": "opencv-python-headless", "sklearn": "scikit-learn",
	"bs4": "beautifulsoup4", "dateutil": "python-dateutil", "dotenv": "python-dotenv", "jwt": "PyJWT",
	"MySQLdb": "mysqlclient", "attr": "attrs", "magic": "python-magic", "jose": "python-jose",
	"multipart": "python-multipart", "Crypto": "pycryptodome", "OpenSSL": "pyOpenSSL",
	"serial": "pyserial", "usb": "pyusb", "docx": "python-docx", "pptx": "python-pptx",
	"psycopg2": "psycopg2-binary", "flask_sqlalchemy": "Flask-SQLAlchemy", "flask_login": "Flask-Login",
	"flask_wtf": "Flask-WTF", "flask_migrate": "Flask-Migrate", "flask_cors": "Flask-Cors",
	"flask_restful": "Flask-RESTful", "socketio": "python-socketio", "engineio": "python-engineio",
	"google": "", "pkg_resources": "setuptools", "setuptools": "setuptools",
	"mysql": "mysql-connector-python", "psycopg": "psycopg[binary]",
}

// sqlURLScheme is a SQLAlchemy database URL's scheme in a string literal:
// the dialect, and the driver after its "+" (mysql+mysqlconnector://).
var sqlURLScheme = regexp.MustCompile(`["'](postgres|postgresql|mysql|mariadb)(?:\+(\w+))?://`)

// urlDrivers are the modules SQLAlchemy imports for a URL's dialect and
// driver ("" the dialect's default), by the database they reach.
var urlDrivers = map[string]map[string]string{
	"postgres": {"": "psycopg2", "psycopg2": "psycopg2", "psycopg": "psycopg", "asyncpg": "asyncpg", "pg8000": "pg8000"},
	"mysql":    {"": "MySQLdb", "mysqldb": "MySQLdb", "pymysql": "pymysql", "mysqlconnector": "mysql", "aiomysql": "aiomysql", "asyncmy": "asyncmy", "mariadbconnector": "mariadb"},
}

// sqlalchemyImports are the modules that hand a URL to SQLAlchemy.
var sqlalchemyImports = map[string]bool{"sqlalchemy": true, "flask_sqlalchemy": true, "sqlmodel": true, "flask_migrate": true}

// maxInferredRequirements bounds how many imports a requirements list
// written from the code holds: more is a project that needs its own.
const maxInferredRequirements = 40

// PythonRequirementsFromImports are the distributions a Python directory
// without a manifest needs, from the modules its code imports that
// neither the standard library nor the directory holds: Value is the name
// pip installs it by, File and Line the first import. Azure-Samples'
// voting app (flask, redis) declares them only in its parent directory's
// Dockerfile. An import with no known distribution (google.*) is an error
// naming it: a requirements list without it would build an image that
// fails at import.
func PythonRequirementsFromImports(dir string) ([]Evidence, error) {
	imports := pythonUndeclaredImports(dir, maxInferredRequirements+1)
	if len(imports) > maxInferredRequirements {
		return nil, fmt.Errorf("%s: the code imports more than %d packages the standard library lacks: write a requirements.txt (pip freeze in the environment it runs in)", dir, maxInferredRequirements)
	}
	imports = append(imports, urlDriverImports(dir, imports)...)
	imports = append(imports, frameworkExtras(dir, imports)...)
	var out []Evidence
	var unknown []string
	for _, e := range imports {
		dist, known := importDistributions[e.Value]
		switch {
		case known && dist == "":
			unknown = append(unknown, e.Value+" ("+e.Where()+")")
			continue
		case !known:
			dist = e.Value
		}
		if e.Why == "" {
			e.Why = "imported as " + e.Value
		}
		e.Value = dist
		out = append(out, e)
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%s: the code imports %s, which no single distribution provides: write a requirements.txt naming the packages it needs", dir, strings.Join(unknown, ", "))
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Value) < strings.ToLower(out[j].Value) })
	return out, nil
}

// urlDriverImports are the driver modules SQLAlchemy imports for the
// database URLs the code names, where the code imports SQLAlchemy and no
// driver of that database: Cecil-Zhang/flask-tutorial's
// 'mysql+mysqlconnector://...' failed at start with "No module named
// 'mysql'" since nothing imports it by name.
func urlDriverImports(dir string, imports []Evidence) []Evidence {
	imported, orm := map[string]bool{}, false
	for _, e := range imports {
		imported[e.Value] = true
		orm = orm || sqlalchemyImports[e.Value]
	}
	if !orm {
		return nil
	}
	var out []Evidence
	walkPython(dir, func(_, rel string, n int, line string) bool {
		m := sqlURLScheme.FindStringSubmatch(line)
		if m == nil || isComment(line) {
			return true // a commented-out URL is no database the code uses
		}
		db := "mysql"
		if strings.HasPrefix(m[1], "postgres") {
			db = "postgres"
		}
		module, known := urlDrivers[db][strings.ToLower(m[2])]
		if !known {
			return true // a driver not listed: its import name is not known here
		}
		for _, other := range urlDrivers[db] {
			if imported[other] {
				return true // the code imports a driver of its own
			}
		}
		imported[module] = true
		out = append(out, Evidence{Value: module, File: rel, Line: n, Why: "named by the URL " + strings.Trim(m[0], `"'`)})
		return true
	})
	return out
}

// frameworkExtras are the distributions a framework needs only for a
// feature the code uses: FastAPI's Form, File and UploadFile need
// python-multipart (FastAPI refuses to register such a route without it,
// at import), its Jinja2Templates need jinja2; neither is a dependency of
// fastapi (osmankhalid2005/fastapi-sqlalchemy-sqlite-web-app's main.py:7
// and :46).
func frameworkExtras(dir string, imports []Evidence) []Evidence {
	imported := map[string]bool{}
	for _, e := range imports {
		imported[e.Value] = true
	}
	if !imported["fastapi"] && !imported["starlette"] {
		return nil
	}
	var out []Evidence
	walkPython(dir, func(_, rel string, n int, line string) bool {
		if isComment(line) {
			return true
		}
		for _, x := range pythonExtras {
			if !imported[x.module] && x.use.MatchString(line) {
				imported[x.module] = true
				out = append(out, Evidence{Value: x.module, File: rel, Line: n, Why: x.why})
			}
		}
		return true
	})
	return out
}

var pythonExtras = []struct {
	module string
	use    *regexp.Regexp
	why    string
}{
	{"multipart", regexp.MustCompile(`\b(?:Form|File)\(|\bUploadFile\b`), "FastAPI's form and file parameters need it"},
	{"jinja2", regexp.MustCompile(`\bJinja2Templates\b`), "FastAPI's Jinja2Templates need it"},
}

const requirementsHeader = "# Written by shipshape init --requirements-from-imports:"

// InferredRequirementsFile reports whether dir's only Python manifest is
// a requirements.txt init wrote from the imports: init may write it again.
func InferredRequirementsFile(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "requirements.txt"))
	return err == nil && strings.HasPrefix(string(data), requirementsHeader) &&
		!exists(dir, "pyproject.toml") && !exists(dir, "Pipfile") && !exists(dir, "setup.py")
}

// RequirementsFile is the requirements.txt init writes for requirements
// inferred from the imports: unpinned, each with the import it comes
// from, and what to do next.
func RequirementsFile(reqs []Evidence) string {
	var b strings.Builder
	b.WriteString(requirementsHeader + " the packages the code\n" +
		"# imports, unpinned (pip installs the newest). Pin the versions you tested\n" +
		"# (pip freeze) and commit this file.\n")
	for _, r := range reqs {
		fmt.Fprintf(&b, "%s  # %s, %s\n", r.Value, r.Where(), r.Why)
	}
	return b.String()
}
