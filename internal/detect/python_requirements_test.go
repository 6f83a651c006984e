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
		// osmankhalid2005/fastapi-sqlalchemy-sqlite-web-app: its
		// database.py:9 is a comment (# ... = "postgresql://..."), and its
		// main.py uses Jinja2Templates and Form(...), which fastapi does
		// not bring.
		{"a commented URL, and FastAPI's forms and templates", map[string]string{
			"sql_app/database.py": "from sqlalchemy import create_engine\nSQLALCHEMY_DATABASE_URL = \"sqlite:///./sql_app.db\"\n# SQLALCHEMY_DATABASE_URL = \"postgresql://user:password@postgresserver/db\"\n",
			"sql_app/main.py":     "from fastapi import FastAPI, Form, Request\nfrom fastapi.templating import Jinja2Templates\n\napp = FastAPI()\ntemplates = Jinja2Templates(directory=\"templates\")\n\n@app.post('/users')\ndef create(email: str = Form(...)):\n    return email\n",
		}, "fastapi jinja2@sql_app/main.py:2(FastAPI's Jinja2Templates need it) python-multipart@sql_app/main.py:8(FastAPI's form and file parameters need it) sqlalchemy"},
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
				if strings.HasPrefix(r.Why, "named by") || strings.HasPrefix(r.Why, "FastAPI's") {
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

// leinadpb/BooksAPI's database/sql_info.py prints the tables of
// 'sqlite:///database.db' when a person runs it; no file of the repository
// names it, and the app runs on Postgres. Its SQLite is not the app's: no
// volume, no single replica. A module another file names, by import or
// by a string (Flask's config.from_object('settings_local.Config')),
// keeps its SQLite.
func TestDetect_ScriptNoFileNamesIsNotTheApp(t *testing.T) {
	tree := map[string]string{
		"requirements.txt":      "Flask==3.0.0\nFlask-SQLAlchemy==3.1.1\npsycopg2-binary==2.9.9\n",
		"app.py":                "import os\nfrom flask import Flask\nfrom database.db_config import db\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = os.environ.get('DATABASE_URL')\n",
		"database/__init__.py":  "",
		"database/db_config.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
		"database/sql_info.py":  "from sqlalchemy import create_engine, inspect\ndb_uri = 'sqlite:///database.db'\nengine = create_engine(db_uri)\nprint(inspect(engine).get_table_names())\n",
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Databases); got != "postgres@requirements.txt:3" {
		t.Errorf("databases = %q, want postgres@requirements.txt:3 alone (sql_info.py is run by hand)", got)
	}
	tree["app.py"] += "app.config.from_object('database.sql_info')\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Databases); !strings.Contains(got, "sqlite:instance/database.db@database/sql_info.py:2") {
		t.Errorf("databases = %q, want the SQLite of a module app.py names", got)
	}
}

// app-generator/api-server-flask's api/config.py: BASE_DIR is the
// module's own directory and the fallback URL is 'sqlite:///' +
// os.path.join(BASE_DIR, 'db.sqlite3'), so the file is api/db.sqlite3,
// beside the code, not on the data volume init claimed. Miguel
// Grinberg's shape, where DATABASE_URL comes first, moves it.
func TestDetect_SQLiteBesideTheModuleThatNamesIt(t *testing.T) {
	tree := map[string]string{
		"requirements.txt": "flask\nflask-sqlalchemy\n",
		"run.py":           "from api import app\n",
		"api/__init__.py":  "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom .config import BaseConfig\napp = Flask(__name__)\napp.config.from_object('api.config.BaseConfig')\ndb = SQLAlchemy(app)\n",
		"api/config.py":    "import os\n\nBASE_DIR = os.path.dirname(os.path.realpath(__file__))\n\nclass BaseConfig():\n    DB_HOST = os.getenv('DB_HOST', None)\n    USE_SQLITE = True\n    if USE_SQLITE:\n        SQLALCHEMY_DATABASE_URI = 'sqlite:///' + os.path.join(BASE_DIR, 'db.sqlite3')\n",
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if e := s.SQLiteFixed; e == nil || e.Value != "api/db.sqlite3" || e.Where() != "api/config.py:9" {
		t.Fatalf("fixed SQLite %+v, want api/db.sqlite3 at api/config.py:9", s.SQLiteFixed)
	}
	tree["api/config.py"] = "import os\nbasedir = os.path.abspath(os.path.dirname(__file__))\n\nclass Config:\n    SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL', '').replace(\n        'postgres://', 'postgresql://') or \\\n        'sqlite:///' + os.path.join(basedir, 'app.db')\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.SQLiteFixed != nil {
		t.Errorf("DATABASE_URL first: fixed SQLite %+v, want none", s.SQLiteFixed)
	}
}

// app-generator/api-server-flask's Dockerfile runs `gunicorn --config
// gunicorn-cfg.py run:app`, whose bind = '0.0.0.0:5005' is the port: init
// said "no listen port found" and served 8000. gunicorn.conf.py, which
// gunicorn reads unasked, counts the same; a --bind on the command wins.
func TestDetect_GunicornConfigFilesBind(t *testing.T) {
	tree := map[string]string{
		"requirements.txt": "flask\ngunicorn\n",
		"run.py":           "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/healthz')\ndef h():\n    return 'ok'\n",
		"gunicorn-cfg.py":  "# -*- encoding: utf-8 -*-\n\nbind = '0.0.0.0:5005'\nworkers = 1\n",
		"Dockerfile":       "FROM python:3.9\nCOPY . .\nCMD [\"gunicorn\", \"--config\", \"gunicorn-cfg.py\", \"run:app\"]\n",
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if s.Port == nil || s.Port.Value != "5005" || s.Port.Where() != "gunicorn-cfg.py:3" {
		t.Fatalf("port %+v, want 5005 from gunicorn-cfg.py:3", s.Port)
	}
	delete(tree, "gunicorn-cfg.py")
	tree["gunicorn.conf.py"] = "bind = [\"0.0.0.0:8001\"]\n"
	tree["Dockerfile"] = "FROM python:3.9\nCOPY . .\nCMD [\"gunicorn\", \"run:app\"]\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.Port == nil || s.Port.Value != "8001" {
		t.Errorf("gunicorn.conf.py: port %+v, want 8001", s.Port)
	}
	tree["Dockerfile"] = "FROM python:3.9\nCOPY . .\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:7000\", \"run:app\"]\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.Port == nil || s.Port.Value != "7000" {
		t.Errorf("--bind on the command: port %+v, want 7000", s.Port)
	}
}

// Azure-Samples/flask-db-quiz-example (MIT), 2026-12-05: the app lives in
// src/ with its requirements.txt; the root holds a pyproject.toml of
// linters' and pytest's settings alone and a requirements-dev.txt that
// includes -r src/requirements.txt. init read the pyproject.toml as the
// manifest: the build stopped on KeyError: 'project', and neither Flask
// nor gunicorn was seen. A pyproject.toml without [project] or
// [build-system] declares nothing to install; the file the root's
// development list includes is the app's.
func TestPythonToolsOnlyPyprojectAndTheIncludedRequirements(t *testing.T) {
	tree := map[string]string{
		"pyproject.toml":           "[tool.ruff]\nline-length = 120\ntarget-version = \"py38\"\nsrc = [\"src\"]\n\n[tool.pytest.ini_options]\naddopts = \"-ra --cov=src\"\npythonpath = [\"src\"]\n",
		"requirements-dev.txt":     "-r src/requirements.txt\npre-commit\nruff\npytest\n",
		"src/requirements.txt":     "Flask==3.1.2\nFlask-Migrate==4.1.0\nFlask-SQLAlchemy==3.1.1\npsycopg2-binary==2.9.11\ngunicorn==23.0.0\n",
		".env.sample":              "DBHOST=localhost\nFLASK_APP=src/app:app\n",
		"src/app.py":               "from flaskapp import create_app\n\napp = create_app()\n",
		"src/flaskapp/__init__.py": "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n\n    @app.route('/')\n    def index():\n        return 'quizzes'\n\n    return app\n",
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.PackageManager); got != "pip@src/requirements.txt:0" {
		t.Errorf("packages %s, want pip@src/requirements.txt (included by requirements-dev.txt)", got)
	}
	if ev(s.Framework) != "flask@src/requirements.txt:1" || ev(s.Server) != "gunicorn@src/requirements.txt:5" {
		t.Errorf("framework %s, server %s: both are in src/requirements.txt", ev(s.Framework), ev(s.Server))
	}
	// src/ holds a manifest, so it is a project of its own, which the
	// root's scan does not read: init runs there.
	if got := ev(s.AppIn); got != "src@src/requirements.txt:0" {
		t.Errorf("app in %s, want src", got)
	}

	// Run there: Flask-Migrate's directory is flaskapp/migrations, which
	// its startup.sh passes and init's step now does.
	inSrc := map[string]string{}
	for name, content := range tree {
		if rest, ok := strings.CutPrefix(name, "src/"); ok {
			inSrc[rest] = content
		}
	}
	inSrc["flaskapp/migrations/env.py"] = "from alembic import context\n"
	inSrc["flaskapp/migrations/alembic.ini"] = "[alembic]\n"
	inSrc["tests/migrations/env.py"] = "# a test fixture's\n"
	if s, err = Detect(testutil.WriteTree(t, inSrc)); err != nil {
		t.Fatal(err)
	}
	if s.AppIn != nil || ev(s.Migrations) != "flaskapp/migrations@flaskapp/migrations/env.py:0" || s.Migrate == nil || s.Migrate.Why != "flask db upgrade --directory flaskapp/migrations" {
		t.Errorf("in src: app in %s, migrations %s, migrate %+v", ev(s.AppIn), ev(s.Migrations), s.Migrate)
	}

	// A pyproject.toml that is a project's manifest still is one.
	tree["pyproject.toml"] = "[project]\nname = \"quiz\"\nversion = \"1.0\"\ndependencies = [\"flask\", \"gunicorn\"]\n\n[tool.ruff]\nline-length = 120\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if got := ev(s.PackageManager); got != "pip@pyproject.toml:0" {
		t.Errorf("packages %s, want pip@pyproject.toml (its [project] lists them)", got)
	}
}

// FLASK_APP's path form names a directory the app's modules are imported
// from (src/app:app): gunicorn takes a module, so the entry is app:app
// imported from src/, where src/ is no project of its own.
func TestPythonFlaskAppPathForm(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt":     "flask\ngunicorn\n",
		".flaskenv":            "FLASK_APP=src/app:app\n",
		"src/app.py":           "from quiz import create_app\n\napp = create_app()\n",
		"src/quiz/__init__.py": "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n\n    @app.route('/healthz')\n    def health():\n        return 'ok'\n\n    return app\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "app:app" || s.ImportRoot != "src" || s.AppIn != nil {
		t.Errorf("entry %s, import root %q, app in %s: want app:app from src", evs(s.Entrypoints), s.ImportRoot, ev(s.AppIn))
	}
}
