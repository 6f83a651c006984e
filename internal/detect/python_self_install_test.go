package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// isso (__version__ = version("isso")) and Radicale
// (utils.package_version("radicale")) read their own distribution's
// metadata at import: with only their dependencies installed they raise
// PackageNotFoundError. Another distribution's version, a project without
// a build system, and a test's read are no reason to install it.
func TestDetect_PythonSelfInstall(t *testing.T) {
	project := "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"Radicale\"\nversion = \"3.8.0\"\ndependencies = [\"defusedxml\"]\n\n[project.scripts]\nradicale = \"radicale.__main__:run\"\n"
	main := "def run():\n    serve()\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"its own version, by a helper", map[string]string{"pyproject.toml": project, "radicale/__main__.py": main,
			"radicale/__init__.py": "from radicale import utils\nVERSION: str = utils.package_version(\"radicale\")\n"}, "Radicale@radicale/__init__.py:2"},
		{"importlib.metadata", map[string]string{"pyproject.toml": project, "radicale/__main__.py": main,
			"radicale/__init__.py": "from importlib.metadata import version\n__version__ = version('Radicale')\n"}, "Radicale@radicale/__init__.py:2"},
		{"another distribution's", map[string]string{"pyproject.toml": project, "radicale/__main__.py": main,
			"radicale/__init__.py": "from importlib.metadata import version\nDJANGO = version('django')\n"}, "-"},
		{"no build system", map[string]string{"pyproject.toml": project[strings.Index(project, "[project]"):], "radicale/__main__.py": main,
			"radicale/__init__.py": "VERSION = version(\"radicale\")\n"}, "-"},
		{"a test's", map[string]string{"pyproject.toml": project, "radicale/__main__.py": main,
			"tests/test_version.py": "assert version(\"radicale\")\n"}, "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			if got := ev(s.SelfInstall); got != tc.want {
				t.Errorf("self install = %q, want %q", got, tc.want)
			}
		})
	}
}

// pypiserver's gunicorn is in its docker extra, and linkding's Postgres
// driver in a dependency group: the image installs neither, so neither is
// the server it runs nor a database it needs. In [project]'s own
// dependencies they are.
func TestDetect_PyprojectOptionalTables(t *testing.T) {
	app := "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\n@app.route('/health')\ndef health():\n    return 'ok'\n"
	for _, tc := range []struct {
		name, pyproject, server, db string
	}{
		{"extras and groups", "[project]\nname = \"x\"\ndependencies = [\"flask\"]\n\n[project.optional-dependencies]\ndocker = [\"gunicorn\"]\n\n[dependency-groups]\npostgres = [\"psycopg2-binary\"]\n", "-", ""},
		{"poetry's groups", "[tool.poetry]\nname = \"x\"\n\n[tool.poetry.dependencies]\nflask = \"^3\"\n\n[tool.poetry.group.prod.dependencies]\ngunicorn = \"^23\"\n\n[tool.poetry.dev-dependencies]\npsycopg2 = \"^2\"\n", "-", ""},
		// The review's: a commented-out line is no dependency.
		{"a comment in the list", "[project]\nname = \"x\"\ndependencies = [\n  \"flask\",\n  # \"gunicorn\",\n  # \"psycopg2\",\n]\n", "-", ""},
		{"the project's own", "[project]\nname = \"x\"\ndependencies = [\n  \"flask\",\n  \"gunicorn\",\n  \"psycopg2-binary\",\n]\n\n[dependency-groups]\ndev = [\"pytest\"]\n", "gunicorn@pyproject.toml:5", "postgres@pyproject.toml:6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, map[string]string{"pyproject.toml": tc.pyproject, "app.py": app}))
			if err != nil {
				t.Fatal(err)
			}
			if got := ev(s.Server); got != tc.server {
				t.Errorf("server = %q, want %q", got, tc.server)
			}
			if got := evs(s.Databases); got != tc.db {
				t.Errorf("databases = %q, want %q", got, tc.db)
			}
		})
	}
}

// The review's: a --redis-host or --db-address names another server, not
// the listen; gunicorn that setup.py declares is not installed again.
func TestDetect_PythonArgsAndServerReview(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt": "redis\n",
		"serve.py":         "if __name__ == '__main__':\n    main()\n",
		"Procfile":         "web: python serve.py --redis-host redis:6379 --db-address db:5432\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.Port != nil && (s.Port.Value == "6379" || s.Port.Value == "5432") {
		t.Errorf("port %s from another server's address", ev(s.Port))
	}
	s, err = Detect(testutil.WriteTree(t, map[string]string{
		"setup.py": "from setuptools import setup\nsetup(name='x', install_requires=['flask', 'gunicorn==20.1.0'])\n",
		"app.py":   "from flask import Flask\napp = Flask(__name__)\n",
		"Procfile": "web: gunicorn app:app\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.ServerUndeclared {
		t.Errorf("gunicorn, which setup.py declares, is taken for undeclared")
	}
}
