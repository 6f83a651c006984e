package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// fastapi[standard] installs uvicorn (fastapi/full-stack-fastapi-template's
// pyproject.toml:7, rednafi/fastapi-nano's): it is the project's server,
// so the image adds no uvicorn pin of its own beside the lock's.
func TestDetect_FastAPIStandardBringsUvicorn(t *testing.T) {
	for deps, want := range map[string]string{
		`"fastapi[standard]<1.0.0,>=0.114.2"`: "uvicorn@pyproject.toml:3",
		`"fastapi[all]>=0.100"`:               "uvicorn@pyproject.toml:3",
		`"fastapi>=0.100"`:                    "",
	} {
		s, err := Detect(testutil.WriteTree(t, map[string]string{
			"pyproject.toml": "[project]\nname = \"app\"\ndependencies = [" + deps + "]\n",
			"app/main.py":    "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/health')\ndef health():\n    return {}\n",
		}))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if s.Server != nil {
			got = s.Server.Value + "@" + s.Server.Where()
		}
		if got != want {
			t.Errorf("%s: server %q, want %q", deps, got, want)
		}
	}
}

// What requirements.txt includes (-r) is installed, so its packages are
// the project's: miguelgrinberg/flasky's requirements.txt is one line,
// -r requirements/heroku.txt, which includes prod.txt and then
// common.txt, where Flask and Flask-Migrate are. Its framework, server
// and migration tool were not found (so `flask db upgrade`, which its
// boot.sh runs, was no release step).
func TestDetect_IncludedRequirementsAreDependencies(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt":        "# this requirements file is used by Heroku\n-r requirements/heroku.txt\n",
		"requirements/heroku.txt": "-r prod.txt\nFlask-SSLify==0.1.5\ngunicorn==19.7.1\npsycopg2==2.7.3\n",
		"requirements/prod.txt":   "-r common.txt\n",
		"requirements/common.txt": "alembic==0.9.3\nFlask==0.12.2\nFlask-Migrate==2.0.4\nFlask-SQLAlchemy==2.3.2\n",
		"flasky.py":               "from flask_migrate import Migrate, upgrade\nfrom app import create_app, db\n\napp = create_app('default')\nmigrate = Migrate(app, db)\n",
		"app/__init__.py":         "from flask import Flask\n\ndef create_app(name):\n    app = Flask(__name__)\n    return app\n",
		"migrations/env.py":       "",
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := func(e *Evidence) string {
		if e == nil {
			return ""
		}
		return e.Value + "@" + e.Where()
	}
	if got(s.Framework) != "flask@requirements/common.txt:2" || got(s.Server) != "gunicorn@requirements/heroku.txt:3" || got(s.Migrate) != "flask-migrate@requirements/common.txt:3" {
		t.Errorf("framework %q, server %q, migrate %q: want flask and flask-migrate from common.txt, gunicorn from heroku.txt", got(s.Framework), got(s.Server), got(s.Migrate))
	}
}
