package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// Python projects whose dependencies are not in a root requirements.txt
// or pyproject.toml list: sergeyklay/provider-pact-example's
// requirements/requirements.txt (pip-compile, hash-pinned) beside a
// setup.py, and a setup.py alone. Before, both got `COPY pyproject.toml`
// of a file that does not exist. The files pass check.
func TestProject_PythonManifestsBesideTheRoot(t *testing.T) {
	app := "from flask import Flask\n\napp = Flask(__name__)\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n"
	setup := "from setuptools import setup, find_packages\n\nsetup(name='provider', packages=find_packages(), python_requires='>=3.11', install_requires=['flask'])\n"
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string
	}{{
		name: "requirements directory, hashed",
		files: map[string]string{"setup.py": setup, "app.py": app,
			"requirements/requirements.txt": "flask==3.0.3 \\\n    --hash=sha256:34e815dfaa43340d1d15a5c3a02b8476004037eb4840b34910c6e21679d288f3\n"},
		want: []string{
			"COPY requirements/requirements.txt ./requirements/requirements.txt\n",
			"pip install --target /opt/deps -r requirements/requirements.txt && pip install --target /opt/deps gunicorn==",
			"ARG PYTHON_IMAGE=python:3.13",
		},
	}, {
		name:  "setup.py alone",
		files: map[string]string{"setup.py": setup, "app.py": app},
		want:  []string{"pip install --target /opt/deps . gunicorn=="},
	}} {
		t.Run(c.name, func(t *testing.T) {
			dir := testutil.WriteTree(t, c.files)
			s, err := detect.Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			if s.Version == nil || s.Version.Value != ">=3.11" {
				t.Errorf("version %v, want >=3.11 from setup.py's python_requires", s.Version)
			}
			files := projectFiles(t, s, generate.Options{Name: "provider"})
			df := files["Dockerfile"]
			if strings.Contains(df, "pyproject.toml") {
				t.Errorf("Dockerfile copies a pyproject.toml the project lacks:\n%s", df)
			}
			for _, want := range c.want {
				if !strings.Contains(df, want) {
					t.Errorf("Dockerfile lacks %q:\n%s", want, df)
				}
			}
			checkProduction(t, dir, files)
		})
	}
}

// Azure-Samples' Django quickstart's shape: the settings fix the SQLite
// file at BASE_DIR / 'db.sqlite3', beside the code. The plan claimed a
// data volume the file never lands on; then no volume was claimed and a
// note said where the file is. BASE_DIR is manage.py's directory, so the
// image now links /app/db.sqlite3 to the file on the volume (the
// twenty-seventh try's navya-gupta-004/Calender: its release step failed
// on the read-only root; with the link, migrations and / answer through
// compose). A name read from the environment is no fixed path.
func TestResolve_DjangoSQLiteBesideTheCode(t *testing.T) {
	settings := "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nWSGI_APPLICATION = 'quickstartproject.wsgi.application'\n" +
		"DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.sqlite3',\n        'NAME': BASE_DIR / 'db.sqlite3',\n    }\n}\n"
	files := map[string]string{
		"requirements.txt": "Django\nwhitenoise\n", "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'quickstartproject.settings')\n",
		"quickstartproject/__init__.py": "", "quickstartproject/settings.py": settings,
		"quickstartproject/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "qs", HealthPath: "/"})
	if err != nil {
		t.Fatal(err)
	}
	if p.DataDir != "/app/data" || p.SQLiteLink == nil || p.SQLiteLink.Value != "db.sqlite3" {
		t.Errorf("data %q, link %v; want /app/data and /app/db.sqlite3 linked to it", p.DataDir, p.SQLiteLink)
	}
	df, err := generate.Dockerfile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(df.Content, "RUN ln -sf /app/data/db.sqlite3 /app/db.sqlite3\n") {
		t.Errorf("Dockerfile:\n%s", df.Content)
	}
	// In a directory of its own under BASE_DIR, the volume is that directory.
	files["quickstartproject/settings.py"] = strings.Replace(settings, "BASE_DIR / 'db.sqlite3'", "BASE_DIR / 'var/db.sqlite3'", 1)
	if s, err = detect.Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if p, err = generate.Resolve(s, generate.Options{Name: "qs", HealthPath: "/"}); err != nil {
		t.Fatal(err)
	}
	if p.DataDir != "/app/var" || p.SQLiteLink != nil {
		t.Errorf("data %q, link %v; want the volume at /app/var, no link", p.DataDir, p.SQLiteLink)
	}
	files["quickstartproject/settings.py"] = strings.Replace(settings, "BASE_DIR / 'db.sqlite3'", "os.environ.get('SQLITE_PATH', BASE_DIR / 'db.sqlite3')", 1)
	if s, err = detect.Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if s.SQLiteFixed != nil {
		t.Errorf("a name read from the environment taken for a fixed path: %+v", s.SQLiteFixed)
	}
}
