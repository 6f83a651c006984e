package detect

import (
	"fmt"
	"os"
	"path/filepath"
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
}

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
		e.Why = "imported as " + e.Value
		e.Value = dist
		out = append(out, e)
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%s: the code imports %s, which no single distribution provides: write a requirements.txt naming the packages it needs", dir, strings.Join(unknown, ", "))
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Value) < strings.ToLower(out[j].Value) })
	return out, nil
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
