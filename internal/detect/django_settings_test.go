package detect

import (
	"maps"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// The twenty-second try's Django projects that start only with a settings
// module their served module does not default to: babybuddy's wsgi.py sets
// none (its DigitalOcean template sets babybuddy.settings.base), pinry's
// manage.py defaults to its development settings (its
// Dockerfile.autobuild sets pinry.settings.docker). A project's own
// default is kept; a project with none anywhere stops, naming its
// settings modules.
func TestDetect_DjangoSettingsModule(t *testing.T) {
	base := map[string]string{
		"requirements.txt":        "django\ngunicorn\n",
		"Procfile":                "web: gunicorn site1.wsgi:application\n",
		"site1/__init__.py":       "",
		"site1/settings/base.py":  "SECRET_KEY = 'x'\n",
		"site1/settings/local.py": "from .base import *\n",
	}
	for _, tc := range []struct {
		name     string
		files    map[string]string
		settings string // value@file:line, "-" for none
		need     string // a need that holds it, "" for none
	}{
		{"a platform template's key and value (babybuddy)", map[string]string{
			"site1/wsgi.py":            "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
			".do/deploy.template.yaml": "envs:\n  - key: DEBUG\n    value: \"0\"\n  - key: DJANGO_SETTINGS_MODULE\n    scope: RUN_AND_BUILD_TIME\n    value: \"site1.settings.base\"\n",
			".devcontainer.json":       "{\"DJANGO_SETTINGS_MODULE\": \"site1.settings.local\"}\n",
			"docker-compose.dev.yml":   "services:\n  web:\n    environment:\n      - DJANGO_SETTINGS_MODULE=site1.settings.local\n",
		}, "site1.settings.base@.do/deploy.template.yaml:4", ""},
		{"a development default, and a Dockerfile's ENV (pinry)", map[string]string{
			"site1/wsgi.py":        "application = get_wsgi_application()\n",
			"manage.py":            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site1.settings.local\")\n",
			"Dockerfile.autobuild": "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE site1.settings.base\n",
		}, "site1.settings.base@Dockerfile.autobuild:2", ""},
		{"a module the project does not hold is no evidence", map[string]string{
			"site1/wsgi.py": "application = get_wsgi_application()\n",
			"manage.py":     "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site1.settings.local\")\n",
			"Dockerfile":    "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=site1.settings.prod\n",
		}, "site1.settings.local@manage.py:2", ""},
		// The review's cases. pinry's settings/docker.py imports
		// local_settings, which its start script writes at run time: no
		// evidence, and manage.py's default serves.
		{"a deployed module whose sibling the repository lacks (pinry)", map[string]string{
			"site1/wsgi.py":            "application = get_wsgi_application()\n",
			"manage.py":                "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site1.settings.local\")\n",
			"site1/settings/docker.py": "from .base import *\nfrom .local_settings import *\n",
			"Dockerfile.autobuild":     "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE site1.settings.docker\n",
		}, "site1.settings.local@manage.py:2", ""},
		{"manage.py's production default, the served module none", map[string]string{
			"site1/wsgi.py": "application = get_wsgi_application()\n",
			"manage.py":     "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site1.settings.base\")\n",
		}, "site1.settings.base@manage.py:2", ""},
		{"black's wrapped setdefault", map[string]string{
			"site1/wsgi.py": "import os\n\nos.environ.setdefault(\n    \"DJANGO_SETTINGS_MODULE\", \"site1.settings.base\"\n)\napplication = get_wsgi_application()\n",
		}, "-", ""},
		{"an assignment", map[string]string{
			"site1/wsgi.py": "import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'site1.settings.base'\napplication = get_wsgi_application()\n",
		}, "-", ""},
		{"the served module's own default", map[string]string{
			"site1/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings.base')\napplication = get_wsgi_application()\n",
			"Dockerfile":    "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=site1.settings.local\n",
		}, "-", ""},
		{"none anywhere", map[string]string{
			"site1/wsgi.py": "application = get_wsgi_application()\n",
		}, "-", "site1/wsgi.py sets none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := maps.Clone(base)
			maps.Copy(files, tc.files)
			s, err := Detect(testutil.WriteTree(t, files))
			if err != nil {
				t.Fatal(err)
			}
			if got := ev(s.DjangoSettings); got != tc.settings {
				t.Errorf("settings = %q, want %q", got, tc.settings)
			}
			var needs []string
			for _, n := range s.Needs {
				needs = append(needs, n.Value)
			}
			got := strings.Join(needs, "\n")
			if tc.need == "" && got != "" || !strings.Contains(got, tc.need) {
				t.Errorf("needs = %q, want %q", got, tc.need)
			}
			if tc.need != "" && !strings.Contains(got, "site1.settings.base, site1.settings.local") {
				t.Errorf("the need names no settings modules: %q", got)
			}
		})
	}
}
