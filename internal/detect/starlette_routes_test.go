package detect

import (
	"strconv"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/testutil"
)

// DmitryBurnaev/podcast-service@6d90d6e: Starlette's routes are lists of
// Route and Mount objects. core/routes.py mounts the podcast module's
// list under /api (names joined by +, imported under other names), the
// auth module writes its Mount("/auth", routes=[...]) inline, and the app
// is a Starlette subclass made with routes=routes. init stopped with "no
// health route"; Route("/health/", views.HealthCheckAPIView) serves
// /api/health/. A Route for POST only is no candidate, and an
// apostrophe in a comment (don't) opens no string.
func TestDetect_StarletteMountedRoutes(t *testing.T) {
	files := map[string]string{
		"Pipfile": "[packages]\nstarlette = \"==0.37.2\"\nuvicorn = \"*\"\n",
		"src/core/routes.py": "from starlette.routing import Mount, Route\n\nfrom common.views import SentryCheckAPIView\nfrom modules.auth.routes import routes as auth_routes\nfrom modules.podcast.routes import routes as podcast_routes\n\n" +
			"routes = [\n    Mount(\"/api\", routes=(auth_routes + podcast_routes)),\n    Route(\"/sentry_check/\", SentryCheckAPIView),\n]\n",
		"src/modules/auth/routes.py":    "from starlette.routing import Route, Mount\nfrom modules.auth import views\n\nroutes = [\n    Mount(\n        \"/auth\",\n        routes=[\n            Route(\"/me/\", views.ProfileApiView),\n            Route(\"/sign-in/\", views.SignInAPIView, methods=[\"POST\"]),\n        ],\n    ),\n]\n",
		"src/modules/podcast/routes.py": "from starlette.routing import Route\nfrom modules.podcast import views\n\nroutes = [\n    # don't put auth routes here\n    # episodes\n    Route(\"/episodes/\", views.EpisodeListCreateAPIView),\n    # system\n    Route(\"/health/\", views.HealthCheckAPIView),\n]\n",
		"src/core/app.py":               "from starlette.applications import Starlette\nfrom core.routes import routes\n\nclass PodcastApp(Starlette):\n    pass\n\ndef get_app():\n    app = PodcastApp(\n        routes=routes,\n        debug=False,\n    )\n    return app\n",
		"src/asgi.py":                   "from core.app import get_app\n\napp = get_app()\n",
	}
	_, got := goShape(t, files)
	if got["health"] != "/api/health/@src/modules/podcast/routes.py:9" {
		t.Errorf("health %s, want /api/health/ at src/modules/podcast/routes.py:9", got["health"])
	}
	dir := testutil.WriteTree(t, files)
	r := &repo{dir: dir, lines: map[string][]string{}, lang: "python"}
	var paths []string
	for _, rt := range r.routesOf(project.Scan(dir), nil) {
		paths = append(paths, rt.Value+"@"+rt.File+":"+strconv.Itoa(rt.Line))
	}
	if want := "/api/auth/me/@src/modules/auth/routes.py:8 /api/episodes/@src/modules/podcast/routes.py:7 /api/health/@src/modules/podcast/routes.py:9 /sentry_check/@src/core/routes.py:9"; strings.Join(paths, " ") != want {
		t.Errorf("routes %s\nwant %s", strings.Join(paths, " "), want)
	}
	// Not mounted by any app: no route of it counts.
	files["src/core/app.py"] = strings.Replace(files["src/core/app.py"], "routes=routes", "routes=[]", 1)
	if _, got := goShape(t, files); got["health"] != "-" {
		t.Errorf("no app mounts the lists: health %s", got["health"])
	}
}

// julienc91/caviardeul@5ad3e66: a Django Ninja API mounted at the root,
// path("", api.urls), was read as a route "/" (a 404: init took it for a
// health route). The mount is no route; the API's decorated routes are
// under it, a router added with api.add_router("/games/", router) under
// that, and Ninja's own /docs page is offered. Mounted at "api/", all of
// them move under /api.
func TestDetect_DjangoNinjaMounts(t *testing.T) {
	files := map[string]string{
		"requirements.txt":  "django==5.0\ndjango-ninja==1.1\n",
		"manage.py":         "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_.settings')\n",
		"site_/settings.py": "ROOT_URLCONF = 'site_.urls'\n",
		"site_/urls.py":     "from django.contrib import admin\nfrom django.urls import path\n\nfrom site_.api import api\n\nurlpatterns = [\n    path(\"admin/\", admin.site.urls),\n    path(\"\", api.urls),\n]\n",
		"site_/api.py":      "from ninja import NinjaAPI\nfrom site_.games import router as games\n\napi = NinjaAPI()\napi.add_router(\"/games/\", games)\n\n@api.get(\"/articles/current\")\ndef current(request):\n    return {}\n",
		"site_/games.py":    "from ninja import Router\n\nrouter = Router()\n\n@router.get(\"/latest\")\ndef latest(request):\n    return {}\n",
		"site_/wsgi.py":     "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
		"site_/__init__.py": "",
	}
	routes := func() string {
		dir := testutil.WriteTree(t, files)
		r := &repo{dir: dir, lines: map[string][]string{}, lang: "python"}
		var out []string
		for _, rt := range r.routesOf(project.Scan(dir), nil) {
			out = append(out, rt.Value)
		}
		return strings.Join(out, " ")
	}
	if got, want := routes(), "/admin/ /articles/current /docs /games/latest"; got != want {
		t.Errorf("routes %q, want %q", got, want)
	}
	files["site_/urls.py"] = strings.Replace(files["site_/urls.py"], `path("", api.urls)`, `path("api/", api.urls)`, 1)
	if got, want := routes(), "/admin/ /api/articles/current /api/docs /api/games/latest"; got != want {
		t.Errorf("under api/: routes %q, want %q", got, want)
	}
}

// Starlette's routes written in the app's own call, and a sub-application
// mounted with Mount("/api", app=api): the review's shapes. The inline
// list is read; the sub-application's routes are under its Mount, not
// at the root (where the probe would get a 404).
func TestDetect_StarletteInlineAndMountedApps(t *testing.T) {
	for _, tc := range []struct{ name, app, want string }{
		{"inline", "app = Starlette(routes=[\n    Route(\"/health\", health),\n])\n", "/health@app.py:9"},
		{"a mounted sub-application", "api_routes = [\n    Route(\"/health\", health),\n]\n\napi = Starlette(routes=api_routes)\n\napp = Starlette(routes=[Mount(\"/api\", app=api)])\n", "/api/health@app.py:9"},
	} {
		_, got := goShape(t, map[string]string{
			"requirements.txt": "starlette==0.37.2\nuvicorn==0.30.0\n",
			"app.py":           "from starlette.applications import Starlette\nfrom starlette.responses import JSONResponse\nfrom starlette.routing import Mount, Route\n\nasync def health(request):\n    return JSONResponse({'ok': True})\n\n" + tc.app,
		})
		if got["health"] != tc.want {
			t.Errorf("%s: health %s, want %s", tc.name, got["health"], tc.want)
		}
	}
}
