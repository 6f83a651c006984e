package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDockerfile_GunicornKeepsTheRepositorysWorkerClass: the worker class
// the repository runs gunicorn with is kept, from its command or from its
// gunicorn configuration (julienc91/caviardeul's start.sh serves Django's
// ASGI handler with -k uvicorn.workers.UvicornWorker; demidov91/mogiminsk
// serves an aiohttp factory with --worker-class
// aiohttp.GunicornUVLoopWebWorker): under the sync worker neither answers.
func TestDockerfile_GunicornKeepsTheRepositorysWorkerClass(t *testing.T) {
	app := map[string]string{
		"requirements.txt": "aiohttp\ngunicorn\nuvloop\n",
		"shop/__init__.py": "",
		"shop/server.py":   "from aiohttp import web\n\nasync def init_async():\n    app = web.Application()\n    app.router.add_get('/health', health)\n    return app\n",
	}
	for name, tc := range map[string]struct {
		files map[string]string
		want  string
		why   string
	}{
		"-k in the start script": {map[string]string{
			"start.sh": "#!/bin/sh\nexec gunicorn shop.server:init_async -k aiohttp.GunicornUVLoopWebWorker --bind 0.0.0.0:8090\n",
		}, `"--worker-class", "aiohttp.GunicornUVLoopWebWorker"`, "start.sh:2"},
		"--worker-class= in a Procfile": {map[string]string{
			"Procfile": "web: gunicorn --worker-class=aiohttp.GunicornWebWorker --bind 0.0.0.0:$PORT shop.server:init_async\n",
		}, `"--worker-class", "aiohttp.GunicornWebWorker"`, "Procfile:1"},
		"worker_class in gunicorn.conf.py": {map[string]string{
			"Procfile":         "web: gunicorn shop.server:init_async\n",
			"gunicorn.conf.py": "bind = '0.0.0.0:8090'\nworker_class = 'aiohttp.GunicornWebWorker'\n",
		}, `"--worker-class", "aiohttp.GunicornWebWorker"`, "gunicorn.conf.py:2"},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range app {
				files[k] = v
			}
			for k, v := range tc.files {
				files[k] = v
			}
			s, err := detect.Detect(testutil.WriteTree(t, files))
			if err != nil {
				t.Fatal(err)
			}
			if s.WorkerClass == nil || s.WorkerClass.Where() != tc.why {
				t.Fatalf("worker class %+v, want one from %s", s.WorkerClass, tc.why)
			}
			got := projectFiles(t, s, generate.Options{Name: "shop"})
			if !strings.Contains(got["Dockerfile"], tc.want) || !strings.Contains(got["Dockerfile"], `"-m", "gunicorn"`) {
				t.Errorf("the Dockerfile lacks %s:\n%s", tc.want, got["Dockerfile"])
			}
		})
	}
	// Without one, gunicorn's own default (no flag).
	files := map[string]string{"Procfile": "web: gunicorn shop.server:init_async\n"}
	for k, v := range app {
		files[k] = v
	}
	s, err := detect.Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := projectFiles(t, s, generate.Options{Name: "shop"}); strings.Contains(got["Dockerfile"], "--worker-class") {
		t.Errorf("a worker class nobody chose:\n%s", got["Dockerfile"])
	}
}

// TestDockerfile_ASGIFrameworksGetAnASGIServer: an app the code makes
// with Quart, Sanic, Litestar or Falcon's ASGI App is served by uvicorn,
// not gunicorn's sync worker, even where a dependency file names flask
// beside it (ai-cfia/nachet-backend); a repository that runs hypercorn
// keeps it.
func TestDockerfile_ASGIFrameworksGetAnASGIServer(t *testing.T) {
	for name, tc := range map[string]struct {
		files     map[string]string
		framework string
		want      string
	}{
		"Quart beside a leftover flask line": {map[string]string{
			"requirements.txt": "flask==3.0.3\nquart==0.19.6\n",
			"app.py":           "from quart import Quart\n\napp = Quart(__name__)\n\n\n@app.route('/health')\nasync def health():\n    return 'ok'\n",
		}, "quart", `"-m", "uvicorn", "app:app"`},
		"Quart under the repository's hypercorn": {map[string]string{
			"requirements.txt": "quart==0.19.6\nhypercorn==0.17.3\n",
			"app.py":           "from quart import Quart\n\napp = Quart(__name__)\n\n\n@app.route('/health')\nasync def health():\n    return 'ok'\n",
			"Dockerfile":       "FROM python:3.11\nCOPY . .\nCMD hypercorn -b :$PORT app:app\n",
		}, "quart", `"-m", "hypercorn", "--bind", "0.0.0.0:8000", "--graceful-timeout", "20", "app:app"`},
		"Falcon's ASGI app": {map[string]string{
			"requirements.txt": "falcon\nuvicorn\n",
			"main.py":          "import falcon.asgi\n\napp = falcon.asgi.App()\napp.add_route('/health', Health())\n",
		}, "falcon-asgi", `"-m", "uvicorn", "main:app"`},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			if s.Framework == nil || s.Framework.Value != tc.framework {
				t.Fatalf("framework %+v, want %s", s.Framework, tc.framework)
			}
			got := projectFiles(t, s, generate.Options{Name: "shop"})
			if !strings.Contains(got["Dockerfile"], tc.want) {
				t.Errorf("the Dockerfile lacks %s:\n%s", tc.want, got["Dockerfile"])
			}
		})
	}
}
