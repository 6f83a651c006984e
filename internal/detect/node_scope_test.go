package detect

import (
	"slices"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// koaExamples is the shape of koajs/examples (corpus node-koa-examples):
// one package.json with no start script and no main, each example a
// <dir>/app.js that listens when run directly, its test.js loading it and
// listening on a random port. One sibling here listens elsewhere and
// serves a health route, so that a fact taken from another program's
// file shows.
var koaExamples = map[string]string{
	"package.json": `{"name": "koa-examples", "dependencies": {"koa": "^2.2.0", "@koa/router": "^8.0.5", "koa-views": "^6.0.2"},
  "scripts": {"test": "NODE_ENV=test mocha --harmony --reporter spec --require should */test.js"}, "engines": {"node": ">= 7.6"}}`,
	"404/app.js":  "const Koa = require('koa');\n\nconst app = module.exports = new Koa();\n\napp.use(async function pageNotFound(ctx) {\n  ctx.status = 404;\n});\n\nif (!module.parent) app.listen(3000);\n",
	"404/test.js": "const app = require('./app');\nconst server = app.listen();\n",
	"blog/app.js": "const render = require('./lib/render');\nconst router = require('@koa/router')();\n\nconst Koa = require('koa');\nconst app = module.exports = new Koa();\n\n" +
		"router.get('/', list)\n  .get('/post/new', add)\n  .get('/post/:id', show)\n  .post('/post', create);\n\napp.use(router.routes());\n\n// listen\n\nif (!module.parent) app.listen(3000);\n",
	"blog/lib/render.js": "const views = require('koa-views');\nmodule.exports = views(path.join(__dirname, '/../views'), { map: { html: 'swig' } });\n",
	"blog/test.js":       "require('should');\nconst app = require('./app');\nconst server = app.listen();\n",
	"status/app.js":      "const Koa = require('koa');\nconst router = require('@koa/router')();\nconst app = module.exports = new Koa();\nrouter.get('/healthz', ok);\napp.use(router.routes());\nif (!module.parent) app.listen(4000);\n",
	"vhost/app.js":       "const compose = require('koa-compose');\nconst wwwSubdomain = composer(require('./apps/koa'));\nconst app = module.exports = new Koa();\napp.listen(3000);\n",
	"vhost/apps/koa.js":  "const Koa = require('koa');\nconst app = new Koa();\nmodule.exports = app;\n",
}

// TestDetect_NodeProgramsToChooseFrom: with nothing naming the program,
// the files that start a server are the candidates (tests and loaded
// modules are not), and init asks instead of reporting no entry point.
func TestDetect_NodeProgramsToChooseFrom(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, koaExamples))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s.Ambiguous {
		if c.Flag == "--entrypoint" {
			for _, e := range c.Candidates {
				got = append(got, e.Value+"@"+e.Where())
			}
		}
	}
	want := []string{"404/app.js@404/app.js:9", "blog/app.js@blog/app.js:16", "status/app.js@status/app.js:6", "vhost/app.js@vhost/app.js:4"}
	if !slices.Equal(got, want) {
		t.Errorf("entry point candidates %v, want %v", got, want)
	}
}

// TestDetect_NodeFactsOfTheChosenProgram: once a program is chosen, its
// port and health route come from its own files (blog/app.js and what it
// requires), not from a sibling's (404/app.js's listen, status/'s
// /healthz on 4000).
func TestDetect_NodeFactsOfTheChosenProgram(t *testing.T) {
	dir := testutil.WriteTree(t, koaExamples)
	s, err := Detect(dir, WithEntrypoint("blog/app.js"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Ambiguous) != 0 {
		t.Errorf("still asks: %+v", s.Ambiguous)
	}
	if got := ev(&s.Entrypoints[0]); got != "blog/app.js@blog/app.js:16" {
		t.Errorf("entry %q", got)
	}
	if got := ev(s.Port); got != "3000@blog/app.js:16" {
		t.Errorf("port %q, want 3000 from blog/app.js:16", got)
	}
	if got := ev(s.HealthPath); got != "/@blog/app.js:7" {
		t.Errorf("health %q, want blog's own / (blog/app.js:7), not status/'s /healthz", got)
	}
	s, err = Detect(dir, WithEntrypoint("status/app.js"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.Port) + " " + ev(s.HealthPath); got != "4000@status/app.js:6 /healthz@status/app.js:4" {
		t.Errorf("status/app.js: port and health %q", got)
	}
}

// TestDetect_NodeOneServer: a single file that starts a server, with no
// usual name, is the entry point; a module another file loads is not.
func TestDetect_NodeOneServer(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":     `{"dependencies": {"express": "4"}}`,
		"lib/www.js":       "const app = require('./app');\nconst http = require('http');\nhttp.createServer(app).listen(process.env.PORT || 8000);\n",
		"lib/app.js":       "const app = require('express')();\napp.get('/', (req, res) => res.send('hi'));\nmodule.exports = app;\n",
		"lib/server.js":    "module.exports = (app) => app.listen(9000);\n",
		"lib/index.js":     "const start = require('./server.js');\n",
		"test/api.test.js": "app.listen(0);\n",
		"test/helper.js":   "app.listen(0);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Ambiguous) != 0 || len(s.Entrypoints) != 1 {
		t.Fatalf("entry %s, ambiguous %+v", evs(s.Entrypoints), s.Ambiguous)
	}
	if got := ev(&s.Entrypoints[0]); got != "lib/www.js@lib/www.js:3" {
		t.Errorf("entry %q, want lib/www.js (lib/server.js is loaded by lib/index.js)", got)
	}
}

// RobinLinus/snapdrop's server/index.js listens through the ws package
// alone, new WebSocket.Server({ port: port }): it starts a server, so
// init no longer says it starts none (and to pass --entrypoint); only its
// health route is left to choose.
func TestDetect_WebSocketServerWithItsOwnPort(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "snapdrop-node", "main": "index.js", "dependencies": {"ws": "^7.4.6"}}`,
		"index.js":     "class SnapdropServer {\n    constructor(port) {\n        const WebSocket = require('ws');\n        this._wss = new WebSocket.Server({ port: port });\n    }\n}\n\nconst server = new SnapdropServer(process.env.PORT || 3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Ambiguous) != 1 || s.Ambiguous[0].What != "health route" || s.Ambiguous[0].Hint != "" {
		t.Errorf("questions %+v, want the health route alone, with no hint that it starts no server", s.Ambiguous)
	}
}
