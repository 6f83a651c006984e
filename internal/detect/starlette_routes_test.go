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
// /api/health/. A Route for POST only is no candidate.
func TestDetect_StarletteMountedRoutes(t *testing.T) {
	files := map[string]string{
		"Pipfile": "[packages]\nstarlette = \"==0.37.2\"\nuvicorn = \"*\"\n",
		"src/core/routes.py": "from starlette.routing import Mount, Route\n\nfrom common.views import SentryCheckAPIView\nfrom modules.auth.routes import routes as auth_routes\nfrom modules.podcast.routes import routes as podcast_routes\n\n" +
			"routes = [\n    Mount(\"/api\", routes=(auth_routes + podcast_routes)),\n    Route(\"/sentry_check/\", SentryCheckAPIView),\n]\n",
		"src/modules/auth/routes.py":    "from starlette.routing import Route, Mount\nfrom modules.auth import views\n\nroutes = [\n    Mount(\n        \"/auth\",\n        routes=[\n            Route(\"/me/\", views.ProfileApiView),\n            Route(\"/sign-in/\", views.SignInAPIView, methods=[\"POST\"]),\n        ],\n    ),\n]\n",
		"src/modules/podcast/routes.py": "from starlette.routing import Route\nfrom modules.podcast import views\n\nroutes = [\n    # episodes\n    Route(\"/episodes/\", views.EpisodeListCreateAPIView),\n    # system\n    Route(\"/health/\", views.HealthCheckAPIView),\n]\n",
		"src/core/app.py":               "from starlette.applications import Starlette\nfrom core.routes import routes\n\nclass PodcastApp(Starlette):\n    pass\n\ndef get_app():\n    app = PodcastApp(\n        routes=routes,\n        debug=False,\n    )\n    return app\n",
		"src/asgi.py":                   "from core.app import get_app\n\napp = get_app()\n",
	}
	_, got := goShape(t, files)
	if got["health"] != "/api/health/@src/modules/podcast/routes.py:8" {
		t.Errorf("health %s, want /api/health/ at src/modules/podcast/routes.py:8", got["health"])
	}
	dir := testutil.WriteTree(t, files)
	r := &repo{dir: dir, lines: map[string][]string{}, lang: "python"}
	var paths []string
	for _, rt := range r.routesOf(project.Scan(dir), nil) {
		paths = append(paths, rt.Value+"@"+rt.File+":"+strconv.Itoa(rt.Line))
	}
	if want := "/api/auth/me/@src/modules/auth/routes.py:8 /api/episodes/@src/modules/podcast/routes.py:6 /api/health/@src/modules/podcast/routes.py:8 /sentry_check/@src/core/routes.py:9"; strings.Join(paths, " ") != want {
		t.Errorf("routes %s\nwant %s", strings.Join(paths, " "), want)
	}
	// Not mounted by any app: no route of it counts.
	files["src/core/app.py"] = strings.Replace(files["src/core/app.py"], "routes=routes", "routes=[]", 1)
	if _, got := goShape(t, files); got["health"] != "-" {
		t.Errorf("no app mounts the lists: health %s", got["health"])
	}
}
