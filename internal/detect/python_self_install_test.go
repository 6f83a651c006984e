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
