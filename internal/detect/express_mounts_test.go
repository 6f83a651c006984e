package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_ARouterModuleThatMountsItself: bezkoder/nodejs-express-
// sequelize-mysql's route module is a function of the app that makes a
// router, registers POST and GET "/" on it and mounts it with app.use(
// '/api/tutorials', router). Its "/" is /api/tutorials, and the health
// route is server.js's own GET "/" (it had been cited at the module's
// POST line). A module that registers on the app too is left as written.
func TestDetect_ARouterModuleThatMountsItself(t *testing.T) {
	module := "module.exports = app => {\n  const tutorials = require(\"../controllers/tutorial.controller.js\");\n\n  var router = require(\"express\").Router();\n\n" +
		"  // Create a new Tutorial\n  router.post(\"/\", tutorials.create);\n\n  router.get(\"/\", tutorials.findAll);\n\n  router.get(\"/published\", tutorials.findAllPublished);\n\n  app.use('/api/tutorials', router);\n};\n"
	for _, tc := range []struct {
		name, module, health string
	}{
		{"a router module", module, "/@server.js:5"},
		// Its routes keep their paths: the app's /status stays /status.
		{"one that registers on the app too", module + "\nmodule.exports.extra = app => app.get(\"/status\", (req, res) => res.send(\"ok\"));\n", "/status"},
	} {
		s, err := Detect(testutil.WriteTree(t, map[string]string{
			"package.json":                  `{"name": "api", "main": "server.js", "dependencies": {"express": "^4.18.0"}}`,
			"server.js":                     "const express = require(\"express\");\nconst app = express();\napp.use(express.json());\n\napp.get(\"/\", (req, res) => {\n  res.json({ message: \"Welcome.\" });\n});\n\nrequire(\"./app/routes/tutorial.routes\")(app);\napp.listen(8080);\n",
			"app/routes/tutorial.routes.js": tc.module,
		}))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if h := s.HealthPath; h != nil {
			got = h.Value
			if strings.Contains(tc.health, "@") {
				got += "@" + h.Where()
			}
		}
		if got != tc.health {
			t.Errorf("%s: health %q, want %q", tc.name, got, tc.health)
		}
	}
}

// TestDetect_ProductionServesTheBuiltFrontEnd: bradtraversy/mern-
// tutorial's server serves the React build in production and answers
// GET / itself only otherwise (`if (process.env.NODE_ENV ===
// 'production') { app.use(express.static(path.join(__dirname,
// '../frontend/build'))); ... } else { app.get('/', ...) }`). The image
// runs production: / is the built front end's index.html (which git does
// not hold), cited at the static mount, not the development route.
func TestDetect_ProductionServesTheBuiltFrontEnd(t *testing.T) {
	server := "const path = require('path');\nconst express = require('express');\nconst port = process.env.PORT || 5000;\nconst app = express();\n\n" +
		"app.use('/api/goals', require('./routes/goalRoutes'));\n\n" +
		"// Serve frontend\nif (process.env.NODE_ENV === 'production') {\n  app.use(express.static(path.join(__dirname, '../frontend/build')));\n\n" +
		"  app.get('*', (req, res) =>\n    res.sendFile(path.resolve(__dirname, '../', 'frontend', 'build', 'index.html'))\n  );\n} else {\n  app.get('/', (req, res) => res.send('Please set to production'));\n}\n\napp.listen(port);\n"
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":                 `{"name": "mern", "main": "backend/server.js", "scripts": {"start": "node backend/server.js", "build": "npm install --prefix frontend && npm run build --prefix frontend"}, "dependencies": {"express": "^4.17.0"}}`,
		"backend/server.js":            server,
		"backend/routes/goalRoutes.js": "const router = require('express').Router();\nrouter.get('/', protect, getGoals);\nmodule.exports = router;\n",
		"frontend/package.json":        `{"name": "frontend", "scripts": {"build": "react-scripts build"}, "dependencies": {"react": "^17.0.2", "react-scripts": "5.0.0"}}`,
		"frontend/public/index.html":   "<!DOCTYPE html><div id=\"root\"></div>\n",
		"frontend/src/index.js":        "import React from 'react';\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if h := s.HealthPath; h == nil || h.Value+"@"+h.Where() != "/@backend/server.js:10" {
		t.Errorf("health %+v, want / at the static mount, backend/server.js:10", h)
	}
}

// TestDetect_TheElseOfADevelopmentTestIsProduction: the else of `if
// (process.env.NODE_ENV !== 'production')` runs in production, and its
// routes stay.
func TestDetect_TheElseOfADevelopmentTestIsProduction(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "api", "main": "server.js", "dependencies": {"express": "^4.18.0"}}`,
		"server.js": "const express = require('express');\nconst app = express();\nif (process.env.NODE_ENV !== 'production') {\n  app.use(require('morgan')('dev'));\n} else {\n" +
			"  app.get('/status', (req, res) => res.send('ok'));\n}\napp.listen(8080);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if h := s.HealthPath; h == nil || h.Value != "/status" {
		t.Errorf("health %+v, want /status", h)
	}
}

// Koa's and Fastify's ways of putting routes under a prefix, each in the
// shape of the repository that showed it: koa-router's chain
// (gothinkster/koa-knex-realworld-example 602e234139c4: routes/index.js
// mounts api at "/api" with router.use("/api", api.routes()), and api
// mounts the tags router with api.use(tags)); a koa-router made with a
// prefix; Fastify's register(plugin, { prefix }) (hmake98/fastify-
// typescript's server.register(userRouter, { prefix: '/api/user' }));
// @fastify/autoload, whose directories are prefixes (fastify/demo's
// routes/api/index.ts serves /api, routes/home.ts serves /, its GET
// written over two lines); and a table of routers mounted in development
// only (hagopj13/node-express-boilerplate's devRoutes), whose routes the
// image, which runs production, does not serve.
func TestDetect_KoaAndFastifyPrefixes(t *testing.T) {
	for _, c := range []struct {
		name   string
		pkg    string
		files  map[string]string
		routes string
	}{
		{"koa-router's chain", `{"name": "koa", "main": "src/server.js", "dependencies": {"koa": "^2.0.0", "koa-router": "^7.0.0"}}`, map[string]string{
			"src/server.js":             "const Koa = require(\"koa\")\nconst routes = require(\"./routes\")\nconst app = new Koa()\napp.use(routes.routes())\napp.listen(3000)\n",
			"src/routes/index.js":       "const Router = require(\"koa-router\")\nconst router = new Router()\nconst api = new Router()\n\nconst tags = require(\"./tags-router\")\n\napi.use(tags)\n\nrouter.use(\"/api\", api.routes())\n\nmodule.exports = router\n",
			"src/routes/tags-router.js": "const Router = require(\"koa-router\")\nconst router = new Router()\n\nrouter.get(\"/tags\", ctrl.get)\n\nmodule.exports = router.routes()\n",
		}, "/api/tags@src/routes/tags-router.js:4"},
		{"a koa-router made with a prefix", `{"name": "koa", "main": "server.js", "dependencies": {"koa": "^2.0.0", "@koa/router": "^12.0.0"}}`, map[string]string{
			"server.js": "const Koa = require('koa')\nconst users = require('./users')\nconst app = new Koa()\napp.use(users.routes())\napp.listen(3000)\n",
			"users.js":  "const Router = require('@koa/router')\nconst router = new Router({ prefix: '/users' })\nrouter.get('/', list)\nrouter.get('/:id', one)\nmodule.exports = router\n",
		}, "/users@users.js:3 /users/:id@users.js:4"},
		{"Fastify's register with a prefix", `{"name": "f", "main": "src/main.js", "dependencies": {"fastify": "^4.0.0"}}`, map[string]string{
			"src/main.js":               "import fastify from 'fastify';\nimport userRouter from './routes/user.router';\nconst server = fastify();\nserver.register(userRouter, { prefix: '/api/user' });\nserver.get('/health', async () => ({ ok: true }));\nserver.listen({ port: 5001, host: '0.0.0.0' });\n",
			"src/routes/user.router.js": "export default async function userRouter(fastify) {\n  fastify.get('/', list);\n  fastify.post('/login', login);\n}\n",
		}, "/api/user@src/routes/user.router.js:2 /api/user/login@src/routes/user.router.js:3 /health@src/main.js:5"},
		{"@fastify/autoload's directories", `{"name": "demo", "main": "src/server.js", "type": "module", "dependencies": {"fastify": "^5.0.0", "@fastify/autoload": "^6.0.0"}}`, map[string]string{
			"src/server.js":                 "import Fastify from 'fastify'\nimport app from './app.js'\nconst server = Fastify()\nserver.register(app)\nserver.listen({ port: 3000, host: '0.0.0.0' })\n",
			"src/app.js":                    "import path from 'node:path'\nimport fastifyAutoload from '@fastify/autoload'\n\nexport default async function serviceApp (fastify, opts) {\n  fastify.register(fastifyAutoload, {\n    dir: path.join(import.meta.dirname, 'routes'),\n    autoHooks: true,\n    options: { ...opts }\n  })\n}\n",
			"src/routes/home.js":            "const plugin = async (fastify) => {\n  fastify.get(\n    '/',\n    async function () {\n      return { message: 'Welcome' }\n    }\n  )\n}\nexport default plugin\n",
			"src/routes/api/index.js":       "export default async function (fastify) {\n  fastify.get('/', ({ session }) => session.user)\n}\n",
			"src/routes/api/tasks/index.js": "export default async function (fastify) {\n  fastify.get('/', list)\n}\n",
		}, "/@src/routes/home.js:2 /api@src/routes/api/index.js:2 /api/tasks@src/routes/api/tasks/index.js:2"},
		{"a table mounted in development only", `{"name": "b", "main": "src/index.js", "dependencies": {"express": "^4.17.0"}}`, map[string]string{
			"src/index.js":                "const express = require('express');\nconst routes = require('./routes/v1');\nconst app = express();\napp.use('/v1', routes);\napp.listen(3000);\n",
			"src/routes/v1/index.js":      "const express = require('express');\nconst authRoute = require('./auth.route');\nconst docsRoute = require('./docs.route');\nconst config = require('../../config');\n\nconst router = express.Router();\n\nconst defaultRoutes = [\n  {\n    path: '/auth',\n    route: authRoute,\n  },\n];\n\nconst devRoutes = [\n  {\n    path: '/docs',\n    route: docsRoute,\n  },\n];\n\ndefaultRoutes.forEach((route) => {\n  router.use(route.path, route.route);\n});\n\nif (config.env === 'development') {\n  devRoutes.forEach((route) => {\n    router.use(route.path, route.route);\n  });\n}\n\nmodule.exports = router;\n",
			"src/routes/v1/auth.route.js": "const express = require('express');\nconst router = express.Router();\nrouter.post('/login', login);\nmodule.exports = router;\n",
			"src/routes/v1/docs.route.js": "const express = require('express');\nconst router = express.Router();\nrouter.get(\n  '/',\n  setup\n);\nmodule.exports = router;\n",
		}, "/v1/auth/login@src/routes/v1/auth.route.js:3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"package.json": c.pkg}
			for k, v := range c.files {
				files[k] = v
			}
			dir := testutil.WriteTree(t, files)
			r := &repo{dir: dir, lines: map[string][]string{}, lang: "node"}
			var got []string
			for _, rt := range r.routesOf(project.Scan(dir), nil) {
				got = append(got, rt.Value+"@"+rt.Where())
			}
			if g := strings.Join(got, " "); g != c.routes {
				t.Errorf("routes %q, want %q", g, c.routes)
			}
		})
	}
}
