package detect

import (
	"strings"
	"testing"

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
