package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A setup.py app whose development list includes the documentation's
// requirements (-r docs/requirements.txt): setup.py is the root's list;
// docs/ is no app.
func TestReview_SetupPyWithDevListIncludingDocs(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"setup.py":              "from setuptools import setup, find_packages\n\nsetup(name='hits', packages=find_packages(), install_requires=['flask', 'gunicorn'])\n",
		"requirements-dev.txt":  "-e .\n-r docs/requirements.txt\npytest\n",
		"docs/requirements.txt": "sphinx\nfuro\n",
		"hits/__init__.py":      "",
		"hits/app.py":           "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route('/healthz')\ndef health():\n    return 'ok'\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if ev(s.PackageManager) != "pip@setup.py:0" || s.AppIn != nil {
		t.Errorf("packages %s, app in %s: want setup.py, and no app in docs/", ev(s.PackageManager), ev(s.AppIn))
	}
}

// A setup.py app whose development list pins with a constraints file.
func TestReview_SetupPyWithDevListConstraints(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"setup.py":             "from setuptools import setup, find_packages\n\nsetup(name='hits', packages=find_packages(), install_requires=['flask', 'gunicorn'])\n",
		"requirements-dev.txt": "-c constraints.txt\n-e .\npytest\n",
		"constraints.txt":      "flask==3.0.0\ngunicorn==22.0.0\npytest==8.0.0\n",
		"hits/__init__.py":     "",
		"hits/app.py":          "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route('/healthz')\ndef health():\n    return 'ok'\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if ev(s.PackageManager) != "pip@setup.py:0" {
		t.Errorf("packages %s: want setup.py", ev(s.PackageManager))
	}
}

// A workspace whose root start runs a member's (`pnpm --filter api
// start`), the member's start preloading a production dependency
// (`node -r dotenv/config src/server.js`): the image runs the member's
// file, so the preload, a dependency of the member's, is kept.
func TestReview_NodeFlagsInWorkspaceMember(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":               "{\"name\": \"mono\", \"private\": true, \"scripts\": {\"start\": \"pnpm --filter api start\"}}\n",
		"pnpm-workspace.yaml":        "packages:\n  - 'packages/*'\n",
		"pnpm-lock.yaml":             "lockfileVersion: '9.0'\n",
		"packages/api/package.json":  "{\"name\": \"api\", \"scripts\": {\"start\": \"node -r dotenv/config src/server.js\"}, \"dependencies\": {\"express\": \"^4.21.2\", \"dotenv\": \"^16.4.0\"}}\n",
		"packages/api/src/server.js": "const express = require('express');\nconst app = express();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "packages/api/src/server.js" {
		t.Fatalf("entry %s", evs(s.Entrypoints))
	}
	if strings.Join(s.NodeFlagWords, " ") != "-r dotenv/config" || s.NodeFlagsDropped != nil {
		t.Errorf("node's options %q, dropped %s: want the member's -r dotenv/config kept", s.NodeFlagWords, ev(s.NodeFlagsDropped))
	}
}

func djangoTree(settings map[string]string, module string) map[string]string {
	tree := map[string]string{
		"requirements.txt":   "Django==5.1.6\ngunicorn==23.0.0\nwhitenoise==6.9.0\n",
		"manage.py":          "import os\nimport sys\n\n\ndef main():\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', '" + module + "')\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == '__main__':\n    main()\n",
		"server/__init__.py": "",
		"server/wsgi.py":     "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '" + module + "')\n\napplication = get_wsgi_application()\n",
		"server/urls.py":     "from django.urls import path\n\nurlpatterns = []\n",
	}
	for k, v := range settings {
		tree[k] = v
	}
	return tree
}

// STATIC_ROOT with a type annotation (`STATIC_ROOT: Path = BASE_DIR /
// "staticfiles"`, as typed settings write it) is set.
func TestReview_DjangoStaticRootAnnotated(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, djangoTree(map[string]string{
		"server/settings.py": "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nROOT_URLCONF = 'server.urls'\nWSGI_APPLICATION = 'server.wsgi.application'\nSTATIC_URL = 'static/'\nSTATIC_ROOT: Path = BASE_DIR / 'staticfiles'\n",
	}, "server.settings")))
	if err != nil {
		t.Fatal(err)
	}
	if s.DjangoNoStaticRoot != nil {
		t.Errorf("no STATIC_ROOT said of %s, which sets it (annotated)", ev(s.DjangoNoStaticRoot))
	}
}

// django-split-settings (wemake-services/wemake-django-template's
// server/settings/__init__.py): the package includes its components by
// path, include('components/common.py', ...), and one of them sets
// STATIC_ROOT.
func TestReview_DjangoStaticRootSplitSettings(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, djangoTree(map[string]string{
		"requirements.txt":                       "Django==5.1.6\ngunicorn==23.0.0\ndjango-split-settings==1.3.2\n",
		"server/settings/__init__.py":            "from split_settings.tools import include, optional\n\nbase_settings = [\n    'components/common.py',\n    'components/static.py',\n    optional('environments/local.py'),\n]\n\ninclude(*base_settings)\n",
		"server/settings/components/__init__.py": "from pathlib import Path\n\nBASE_DIR = Path(__file__).parent.parent.parent.parent\n",
		"server/settings/components/common.py":   "ROOT_URLCONF = 'server.urls'\nWSGI_APPLICATION = 'server.wsgi.application'\n",
		"server/settings/components/static.py":   "from server.settings.components import BASE_DIR\n\nSTATIC_URL = '/static/'\nSTATIC_ROOT = BASE_DIR.joinpath('staticfiles')\n",
	}, "server.settings")))
	if err != nil {
		t.Fatal(err)
	}
	if s.DjangoNoStaticRoot != nil {
		t.Errorf("no STATIC_ROOT said of %s, whose included components/static.py sets it", ev(s.DjangoNoStaticRoot))
	}
}

// The condition inverted (`'a' if 'VAR' not in os.environ else 'b'`):
// without the variable the module is the first branch, a.
func TestReview_DjangoChosenSettingsNotIn(t *testing.T) {
	tree := djangoTree(map[string]string{
		"server/settings.py":   "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nROOT_URLCONF = 'server.urls'\nWSGI_APPLICATION = 'server.wsgi.application'\nSTATIC_URL = 'static/'\n",
		"server/production.py": "from .settings import *\n\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
	}, "x")
	choose := "    settings_module = 'server.settings' if 'WEBSITE_HOSTNAME' not in os.environ else 'server.production'\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', settings_module)\n"
	tree["manage.py"] = "import os\nimport sys\n\n\ndef main():\n" + choose + "    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == '__main__':\n    main()\n"
	tree["server/wsgi.py"] = "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n" + strings.ReplaceAll(choose, "    ", "") + "\napplication = get_wsgi_application()\n"
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.DjangoNoStaticRoot); got != "server.settings@server/settings.py:0" {
		t.Errorf("no STATIC_ROOT %s, settings %s: without WEBSITE_HOSTNAME the app runs server.settings, which sets none", got, ev(s.DjangoSettings))
	}
}

// A module docstring's example of the variable the code reads (export
// APP_DB_DSN="postgresql://user:pass@dbhost:5432/placement"): the
// documentation's placeholder, no host the code names.
func TestReview_NamedHostInDocstring(t *testing.T) {
	got := namedHostsOf(t, map[string]string{
		"requirements.txt": "fastapi\nuvicorn\npsycopg2-binary\n",
		"db.py": "\"\"\"Storage.\n\nConnects with the PG* variables, or set APP_DB_DSN to a full connection string, e.g.::\n\n" +
			"    export APP_DB_DSN=\"postgresql://user:pass@dbhost:5432/placement\"\n\"\"\"\n\nimport os\n\nimport psycopg2\n\n\ndef connect():\n    return psycopg2.connect(os.environ.get('APP_DB_DSN', ''))\n",
		"main.py": "from fastapi import FastAPI\n\nimport db\n\napp = FastAPI()\n\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n",
	})
	if got != "" {
		t.Errorf("named hosts %q, want none: the URL is a docstring's example", got)
	}
}

// FLASK_APP's path form naming a package's file (export
// FLASK_APP=app/__init__.py:app, a TaskManager's run script): flask
// imports the package, app, from the root (its prepare_import walks up
// past each __init__.py); the package's relative imports need that.
func TestReview_FlaskAppPathFormInPackage(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt": "flask\ngunicorn\n",
		".flaskenv":        "FLASK_APP=app/__init__.py:app\n",
		"app/__init__.py":  "from flask import Flask\n\napp = Flask(__name__)\n\nfrom . import routes  # noqa\n",
		"app/routes.py":    "from . import app\n\n\n@app.route('/healthz')\ndef health():\n    return 'ok'\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "app:app" || s.ImportRoot != "" {
		t.Errorf("entry %s, import root %q: want app:app from the root (app is a package)", evs(s.Entrypoints), s.ImportRoot)
	}
}

// The path form with the file's extension (FLASK_APP=src/app.py:app,
// which flask reads as src/app:app: prepare_import drops .py).
func TestReview_FlaskAppPathFormWithExtension(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt":     "flask\ngunicorn\n",
		".flaskenv":            "FLASK_APP=src/app.py:app\n",
		"src/app.py":           "from quiz import create_app\n\napp = create_app()\n",
		"src/quiz/__init__.py": "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n\n    @app.route('/healthz')\n    def health():\n        return 'ok'\n\n    return app\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "app:app" || s.ImportRoot != "src" {
		t.Errorf("entry %s, import root %q: want app:app from src", evs(s.Entrypoints), s.ImportRoot)
	}
}
