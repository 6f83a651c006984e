package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A database URL handed to SQLAlchemy names a driver that nothing imports
// by name: Cecil-Zhang/flask-tutorial's flaskr/__init__.py has
// 'mysql+mysqlconnector://...' and failed at start with "No module named
// 'mysql'". The requirements written from the imports get the driver the
// URL names, or the dialect's default; a driver the code imports itself,
// or a URL without SQLAlchemy, adds nothing.
func TestPythonRequirementsFromImports_URLDrivers(t *testing.T) {
	const models = "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"mysql+mysqlconnector (flask-tutorial)", map[string]string{
			"flaskr/models.py":   models,
			"flaskr/__init__.py": "import os\nfrom flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    app.config.from_mapping(\n        SQLALCHEMY_DATABASE_URI='mysql+mysqlconnector://root:root@localhost:3306/test',\n    )\n    return app\n",
		}, "flask Flask-SQLAlchemy mysql-connector-python@flaskr/__init__.py:7(named by the URL mysql+mysqlconnector://)"},
		{"postgresql, the dialect's default driver, as an environment default", map[string]string{
			"app.py": "import os\nfrom flask import Flask\nfrom sqlalchemy import create_engine\napp = Flask(__name__)\nengine = create_engine(os.environ.get('DATABASE_URL', \"postgresql://localhost/app\"))\n",
		}, "flask psycopg2-binary@app.py:5(named by the URL postgresql://) sqlalchemy"},
		{"mysql+pymysql in sqlmodel", map[string]string{
			"main.py": "from sqlmodel import create_engine\nengine = create_engine('mysql+pymysql://u:p@db/app')\n",
		}, "pymysql@main.py:2(named by the URL mysql+pymysql://) sqlmodel"},
		{"the code imports its driver", map[string]string{
			"main.py": "import asyncpg\nfrom sqlalchemy import create_engine\nURL = 'postgresql://localhost/app'\n",
		}, "asyncpg sqlalchemy"},
		{"no SQLAlchemy", map[string]string{
			"main.py": "import requests\nDOC = 'postgresql://localhost/app'\n",
		}, "requests"},
		{"a driver whose module is not known", map[string]string{
			"main.py": "import sqlalchemy\nURL = 'postgresql+exotic://localhost/app'\n",
		}, "sqlalchemy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reqs, err := PythonRequirementsFromImports(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range reqs {
				s := r.Value
				if strings.HasPrefix(r.Why, "named by") {
					s += "@" + r.Where() + "(" + r.Why + ")"
				}
				got = append(got, s)
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("requirements = %q, want %q", g, tc.want)
			}
		})
	}
}
