package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// Azure-Samples/msdocs-django-postgresql-sample-app (MIT), 2026-12-05:
//   - wsgi.py chooses its settings module by a condition on App Service's
//     WEBSITE_HOSTNAME and passes the name to setdefault: init read no
//     default and stopped, saying the repository needed a change. The
//     module taken without the variable is the default.
//   - that module, settings.py, sets no STATIC_ROOT (production.py does,
//     after `from .settings import *`): collectstatic stopped the build
//     with ImproperlyConfigured. It is said, and not run.
//   - its sessions live in a django_redis cache, named in CACHES by its
//     dotted path and never imported: Redis was not seen.
func TestDjango_AzureSampleShape(t *testing.T) {
	tree := map[string]string{
		"requirements.txt":         "Django==5.1.6\npsycopg2-binary==2.9.10\npython-dotenv==1.0.1\nwhitenoise==6.9.0\ndjango-redis==5.4.0\n",
		"manage.py":                "import os\nimport sys\n\n\ndef main():\n    settings_module = 'azureproject.production' if 'WEBSITE_HOSTNAME' in os.environ else 'azureproject.settings'\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', settings_module)\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == '__main__':\n    main()\n",
		"azureproject/__init__.py": "",
		"azureproject/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n" +
			"settings_module = 'azureproject.production' if 'WEBSITE_HOSTNAME' in os.environ else 'azureproject.settings'\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', settings_module)\n\napplication = get_wsgi_application()\n",
		"azureproject/settings.py": "import os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nSECRET_KEY = os.getenv('SECRET_KEY')\nROOT_URLCONF = 'azureproject.urls'\nWSGI_APPLICATION = 'azureproject.wsgi.application'\n" +
			"SESSION_ENGINE = \"django.contrib.sessions.backends.cache\"\n\nCACHES = {\n        \"default\": {\n            \"BACKEND\": \"django_redis.cache.RedisCache\",\n            \"LOCATION\": os.environ.get('CACHELOCATION'),\n        },\n}\n\n" +
			"STATICFILES_DIRS = (str(BASE_DIR.joinpath('static')),)\nSTATIC_URL = 'static/'\n",
		"azureproject/production.py": "import os\n\nfrom .settings import *  # noqa\nfrom .settings import BASE_DIR\n\nSTATICFILES_STORAGE = 'whitenoise.storage.CompressedManifestStaticFilesStorage'\nSTATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles')\n",
		"azureproject/urls.py":       "from django.urls import include, path\n\nurlpatterns = [\n    path('', include('restaurant_review.urls')),\n]\n",
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Needs) > 0 {
		t.Errorf("needs %s: wsgi.py's default is azureproject.settings", evs(s.Needs))
	}
	if got := ev(s.DjangoNoStaticRoot); got != "azureproject.settings@azureproject/settings.py:0" {
		t.Errorf("no STATIC_ROOT in %s, want azureproject.settings", got)
	}
	redis := false
	for _, db := range s.Databases {
		redis = redis || db.Value == "redis"
	}
	if !redis {
		t.Errorf("databases %s: its sessions are in a django_redis cache", evs(s.Databases))
	}

	// Run with the module that sets it, collectstatic runs; so it does
	// where that module takes it whole from another (from .base import *).
	tree["azureproject/wsgi.py"] = "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'azureproject.production')\n\napplication = get_wsgi_application()\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.DjangoNoStaticRoot != nil {
		t.Errorf("no STATIC_ROOT said of %s, which sets it", ev(s.DjangoNoStaticRoot))
	}
	tree["azureproject/production.py"] = "from .base import *\n"
	tree["azureproject/base.py"] = "STATIC_ROOT = '/srv/static'\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.DjangoNoStaticRoot != nil {
		t.Errorf("no STATIC_ROOT said of %s, whose base.py sets it", ev(s.DjangoNoStaticRoot))
	}
}

// Every startproject urls.py opens with a docstring whose examples are
// routes (`path(”, views.home, name='home')`, `path('blog/',
// include('blog.urls'))`): init read them, and took / for the health
// route of AbeerAbuKhalaf/Django-Deploy-on-Azure and of msdocs-django
// (urls.py:8, a docstring line).
func TestDjango_DocstringRoutesAreNoRoutes(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt":  "Django==4.2.30\ngunicorn\n",
		"manage.py":         "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
		"site1/__init__.py": "",
		"site1/settings.py": "ROOT_URLCONF = 'site1.urls'\nSTATIC_ROOT = 'static'\n",
		"site1/wsgi.py":     "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\napplication = get_wsgi_application()\n",
		"site1/urls.py": "\"\"\"\nURL configuration for site1 project.\n\nFunction views\n    1. Add an import:  from my_app import views\n    2. Add a URL to urlpatterns:  path('', views.home, name='home')\n" +
			"Including another URLconf\n    2. Add a URL to urlpatterns:  path('blog/', include('blog.urls'))\n\"\"\"\nfrom django.contrib import admin\nfrom django.urls import path\n\nurlpatterns = [\n    path('admin/', admin.site.urls),\n    path('healthz/', lambda r: None),\n]\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.HealthPath); got != "/healthz/@site1/urls.py:15" {
		t.Errorf("health %s, want /healthz/ (site1/urls.py:15), not the docstring's /", got)
	}
	if s.Page != nil {
		t.Errorf("page %s: the docstring's path('', views.home) serves nothing", ev(s.Page))
	}
}
