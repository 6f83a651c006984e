package detect

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/testutil"
)

// A one-line handler (`def health(): return {...}`, common in compact
// FastAPI code) has no signature line ending in ':'; the guard scan runs
// on into the next route's signature and takes its Depends for /health's.
func TestReview62_OneLineHandlerNotGuardedByNextRoute(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"auth.py":          "def get_current_user():\n    return None\n",
		"main.py": "from fastapi import Depends, FastAPI\nfrom auth import get_current_user\n\napp = FastAPI()\n\n\n" +
			"@app.get(\"/health\")\ndef health(): return {\"status\": \"ok\"}\n\n\n" +
			"@app.get(\"/me\")\ndef me(user=Depends(get_current_user)):\n    return user\n",
	}
	dir := testutil.WriteTree(t, files)
	r := &repo{dir: dir, lines: map[string][]string{}, lang: "python"}
	for _, rt := range r.routesOf(project.Scan(dir), nil) {
		if rt.Value == "/health" && rt.guarded != "" {
			t.Errorf("/health guarded %q: its handler takes no dependency", rt.guarded)
		}
	}
	_, facts := goShape(t, files)
	if facts["health"] != "/health@main.py:7" {
		t.Errorf("health %s, want /health@main.py:7", facts["health"])
	}
}

// The app made twice by environment (the Grapefruits Duo API's main.py:
// `if getenv("env") == "prod": app = FastAPI(docs_url=None, redoc_url=None)
// else: app = FastAPI()`): production has no /docs, so /docs is no probe
// there; init takes the last constructor's docs, so the answer depends on
// the branches' order.
func TestReview62_DocsDisabledInOneBranchIsNoProbe(t *testing.T) {
	for _, app := range []string{
		"if getenv(\"env\") == \"prod\":\n    app = FastAPI(docs_url=None, redoc_url=None)\nelse:\n    app = FastAPI()",
		"if getenv(\"env\") != \"prod\":\n    app = FastAPI()\nelse:\n    app = FastAPI(docs_url=None, redoc_url=None)",
	} {
		files := todoAPI(app)
		files["Procfile"] = "web: uvicorn app.main:app --host 0.0.0.0 --port $PORT\n"
		s, facts := goShape(t, files)
		if len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != "app.main:app" {
			t.Fatalf("entry points %v, want app.main:app", s.Entrypoints)
		}
		if got := facts["health"]; got != "-" {
			t.Errorf("%q: health %s, want none (asked): production serves no /docs", app, got)
		}
	}
}

// A Redis URL whose client the code names only by a dotted path in a
// setting, or opens through a library not on pyClients' list, is still
// the app's database: Django's own Redis cache (Django's docs:
// "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION":
// "redis://127.0.0.1:6379"), Channels' layer named by its module path,
// LangChain's RedisChatMessageHistory(url=...). No file imports redis.
func TestReview62_RedisURLOfAFrameworkSettingIsADatabase(t *testing.T) {
	django := func(settings string) map[string]string {
		return map[string]string{
			"requirements.txt":   "Django\nredis\nchannels\nchannels-redis\ndjango-redis\ndjongo\ngunicorn\n",
			"manage.py":          "import os\nimport sys\n\nif __name__ == \"__main__\":\n    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n",
			"mysite/__init__.py": "",
			"mysite/wsgi.py":     "import os\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\napplication = get_wsgi_application()\n",
			"mysite/urls.py":     "from django.urls import path\nfrom . import views\n\nurlpatterns = [path(\"health/\", views.health)]\n",
			"mysite/views.py":    "from django.http import HttpResponse\n\n\ndef health(request):\n    return HttpResponse(\"ok\")\n",
			"mysite/settings.py": "SECRET_KEY = \"x\"\nROOT_URLCONF = \"mysite.urls\"\nINSTALLED_APPS = [\"django.contrib.contenttypes\"]\n\n" + settings,
		}
	}
	for name, files := range map[string]map[string]string{
		"django cache": django("CACHES = {\n    \"default\": {\n        \"BACKEND\": \"django.core.cache.backends.redis.RedisCache\",\n        \"LOCATION\": \"redis://127.0.0.1:6379\",\n    }\n}\n"),
		"channels":     django("CHANNEL_LAYERS = {\n    \"default\": {\n        \"BACKEND\": \"channels_redis.core.RedisChannelLayer\",\n        \"CONFIG\": {\"hosts\": [\"redis://127.0.0.1:6379/1\"]},\n    }\n}\n"),
		"django_redis": django("CACHES = {\n    \"default\": {\n        \"BACKEND\": \"django_redis.cache.RedisCache\",\n        \"LOCATION\": \"redis://127.0.0.1:6379/1\",\n    }\n}\n"),
		"djongo":       django("DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"djongo\",\n        \"NAME\": \"db\",\n        \"CLIENT\": {\"host\": \"mongodb://localhost:27017\"},\n    }\n}\n"),
		"langchain": {
			"requirements.txt": "fastapi\nuvicorn\nlangchain-community\nredis\n",
			"main.py": "from fastapi import FastAPI\nfrom langchain_community.chat_message_histories import RedisChatMessageHistory\n\napp = FastAPI()\n\n\n" +
				"@app.get(\"/health\")\ndef health():\n    return {}\n\n\n@app.get(\"/history/{sid}\")\ndef history(sid: str):\n    h = RedisChatMessageHistory(sid, url=\"redis://localhost:6379/0\")\n    return h.messages\n",
		},
	} {
		s, _ := goShape(t, files)
		var got []string
		for _, db := range s.Databases {
			got = append(got, db.Value)
		}
		want := "redis"
		if name == "djongo" {
			want = "mongodb"
		}
		if !slices.Contains(got, want) {
			t.Errorf("%s: databases %q, want %s", name, got, want)
		}
	}
}

// The docs route FastAPI(...) adds sits on the constructor's line;
// constantRoute reads the handler "right under" a route's line, so the
// constructor followed by a constant handler (/version) makes /docs the
// constant route, said to answer the other handler's constant. Before,
// /version itself was the probe; the docs page was meant only where no
// health route and no GET / exist.
func TestReview62_DocsRouteIsNotTheNextHandlersConstant(t *testing.T) {
	s, facts := goShape(t, map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"main.py":          "from fastapi import FastAPI\n\napp = FastAPI(title=\"svc\")\n\n\n@app.get(\"/version\")\ndef version():\n    return {\"version\": \"1.0\"}\n\n\n@app.get(\"/items/{id}\")\ndef item(id: int):\n    return {}\n",
	})
	if facts["health"] != "/version@main.py:6" {
		t.Errorf("health %s (%s), want /version@main.py:6 (its handler answers a constant)", facts["health"], s.HealthPath.Why)
	}
}

// A mail service kept in a directory named email/ (a package: its
// __init__.py) sends mail with the standard library's email package:
// `from email.mime.text import MIMEText` is no import of its own
// directory. init names the package `email`, and the image puts
// /pkgroot (email → /app) on PYTHONPATH, ahead of the standard library,
// so `import email` (http.client's, urllib's, the code's) finds /app.
func TestReview62_StdlibImportIsNoOwnPackage(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		"email/__init__.py":      "",
		"email/requirements.txt": "fastapi\nuvicorn\n",
		"email/main.py": "import smtplib\nfrom email.mime.text import MIMEText\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {}\n\n\n" +
			"@app.post(\"/send\")\ndef send(to: str, body: str):\n    msg = MIMEText(body)\n    msg[\"To\"] = to\n    with smtplib.SMTP(\"localhost\") as s:\n        s.send_message(msg)\n    return {}\n",
	})
	s, err := Detect(filepath.Join(root, "email"))
	if err != nil {
		t.Fatal(err)
	}
	if s.PackageRoot != nil {
		t.Errorf("package root %s (%s:%d), want none: email.mime is the standard library's", s.PackageRoot.Value, s.PackageRoot.File, s.PackageRoot.Line)
	}
}
