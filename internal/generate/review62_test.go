package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/generate"
)

// RedbeanGit/BackMyPic (18caeec): a Django project in src/ whose
// Dockerfile does WORKDIR /app, COPY src /app, CMD python manage.py
// runserver. Before RunDir, init served picdo.wsgi:application with
// gunicorn (src an import root), ran src/manage.py collectstatic in the
// build and src/manage.py migrate as the release step. Now it runs
// Django's development server by runpy, the build's collectstatic runs
// /app/manage.py (absent: the build fails) and no migration step is left.
func TestReview62_DjangoInSrcCopiedIntoWorkdir(t *testing.T) {
	p := resolved(t, map[string]string{
		"requirements.txt":                       "Django\npsycopg2-binary\n",
		"Dockerfile":                             "FROM python:3.8-alpine3.15\n\nWORKDIR /app\n\nCOPY requirements.txt /app\nCOPY src /app\n\nRUN pip install -r requirements.txt --no-cache-dir\n\nEXPOSE 8000\n\nCMD python manage.py runserver 0.0.0.0:8000\n",
		"src/manage.py":                          "import os\nimport sys\n\nif __name__ == \"__main__\":\n    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"picdo.settings\")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n",
		"src/picdo/__init__.py":                  "",
		"src/picdo/wsgi.py":                      "import os\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"picdo.settings\")\napplication = get_wsgi_application()\n",
		"src/picdo/urls.py":                      "from django.urls import path, include\n\nurlpatterns = [path(\"\", include(\"gallery.urls\"))]\n",
		"src/picdo/settings.py":                  "import os\nSECRET_KEY = os.environ.get(\"SECRET_KEY\", \"x\")\nROOT_URLCONF = \"picdo.urls\"\nALLOWED_HOSTS = ['*']\nINSTALLED_APPS = [\"django.contrib.contenttypes\", \"gallery\"]\nSTATIC_ROOT = os.path.join(os.path.dirname(__file__), 'staticfiles')\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ.get('DB_NAME')}}\n",
		"src/gallery/__init__.py":                "",
		"src/gallery/urls.py":                    "from django.urls import path\nfrom . import views\n\nurlpatterns = [path(\"\", views.index)]\n",
		"src/gallery/views.py":                   "from django.http import HttpResponse\n\n\ndef index(request):\n    return HttpResponse(\"ok\")\n",
		"src/gallery/migrations/__init__.py":     "",
		"src/gallery/migrations/0001_initial.py": "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    operations = []\n",
	}, generate.Options{Name: "x"})
	if p.Entrypoint != "picdo.wsgi:application" {
		t.Errorf("entry point %q, want picdo.wsgi:application (served by gunicorn, as before)", p.Entrypoint)
	}
	f, err := generate.Dockerfile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Content, "RUN python3 src/manage.py collectstatic") {
		t.Errorf("the build stage (WORKDIR /app) must run src/manage.py collectstatic:\n%s", f.Content)
	}
	if got := strings.Join(generate.MigrateCommand(p), " "); !strings.Contains(got, "manage.py migrate") {
		t.Errorf("migrate command %q, want manage.py migrate", got)
	}
}

// grozny-hack's shape (COPY ./src . then python main.py) with a SQLite
// URL relative to the working directory (sqlite:///./app.db): the image
// now runs the program in /app/src, so it opens /app/src/app.db, on the
// read-only root; the link to the volume is made at /app/app.db.
func TestReview62_SQLiteLinkWhereTheProgramRuns(t *testing.T) {
	p := resolved(t, map[string]string{
		"requirements.txt":     "fastapi\nuvicorn\nsqlalchemy\n",
		"Dockerfile":           "FROM python:3.11.9-alpine3.20\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY ./src .\nENTRYPOINT [\"python\", \"main.py\"]\nEXPOSE 80\n",
		"src/main.py":          "import os\nimport uvicorn\nfrom core.app import create_app\n\nif __name__ == \"__main__\":\n    app = create_app()\n    uvicorn.run(app, port=int(os.getenv('APP_PORT', 80)), host=\"0.0.0.0\")\n",
		"src/core/__init__.py": "",
		"src/core/db.py":       "from sqlalchemy import create_engine\n\nengine = create_engine(\"sqlite:///./app.db\")\n",
		"src/core/app.py":      "from fastapi import FastAPI\nfrom core.db import engine\n\n\ndef create_app():\n    app = FastAPI()\n\n    @app.get(\"/health\")\n    def health():\n        return {}\n\n    return app\n",
	}, generate.Options{Name: "x"})
	f, err := generate.Dockerfile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Content, "WORKDIR /app/src\n") || !strings.Contains(f.Content, "RUN ln -sf /app/data/app.db /app/src/app.db\n") {
		t.Errorf("the program runs in /app/src and opens ./app.db there: the link must be /app/src/app.db:\n%s", f.Content[strings.Index(f.Content, "COPY . ."):])
	}
}

// mbnan/flaskapiapp's shape (WORKDIR /code, COPY src/ ., CMD python
// ./app.py) with Flask-Migrate's migrations beside the app in src/: the
// image now runs in /app/src, where the release step's
// `flask --app src.app:app db upgrade --directory src/migrations` finds
// neither the module src nor src/migrations.
func TestReview62_FlaskMigrateWhereTheAppRuns(t *testing.T) {
	p := resolved(t, map[string]string{
		"requirements.txt":                  "Flask\nFlask-SQLAlchemy\nFlask-Migrate\npsycopg2-binary\n",
		"Dockerfile":                        "FROM python\nWORKDIR /code\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY src/ .\nEXPOSE 5000\nCMD [\"python\", \"./app.py\"]\n",
		"src/app.py":                        "import os\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom flask_migrate import Migrate\n\napp = Flask(__name__)\napp.config[\"SQLALCHEMY_DATABASE_URI\"] = os.environ[\"DATABASE_URL\"]\ndb = SQLAlchemy(app)\nmigrate = Migrate(app, db)\n\n\n@app.route('/health')\ndef health():\n    return 'ok'\n\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n",
		"src/migrations/env.py":             "from alembic import context\n",
		"src/migrations/alembic.ini":        "[alembic]\n",
		"src/migrations/versions/1_init.py": "revision = '1'\n",
	}, generate.Options{Name: "x"})
	f, err := generate.Dockerfile(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd := strings.Join(generate.MigrateCommand(p), " ")
	t.Logf("entry %q rundir %v migrate %q", p.Entrypoint, p.Stack.RunDir, cmd)
	if strings.Contains(f.Content, "WORKDIR /app/src\n") && strings.Contains(cmd, "src.app:app") {
		t.Errorf("the image runs in /app/src, where the migrate step's module src.app is not importable: %q", cmd)
	}
	if !strings.Contains(f.Content, "PYTHONPATH=/opt/deps:/app/src ") {
		t.Errorf("run from /app, the app's modules must still import each other as they do in src/:\n%s", f.Content)
	}
}
