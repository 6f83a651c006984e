package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_ApolloServerHealth: electerious/Ackee serves Apollo Server's
// own health route, /.well-known/apollo/server-health (its Dockerfile's
// HEALTHCHECK probes it), beside its dashboard at /: the health route is
// Apollo's, not the page.
func TestDetect_ApolloServerHealth(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":  `{"name": "ackee", "scripts": {"server": "node src/index.js"}, "main": "src/index.js", "dependencies": {"micro": "^9.3.4", "microrouter": "^3.1.3"}}`,
		"src/index.js":  "const server = require('./server')\nserver.listen(process.env.PORT || 3000)\n",
		"src/server.js": "const { router, get, post } = require('microrouter')\nmodule.exports = micro(router(\n\tget('/', async () => index),\n\tget('/.well-known/apollo/server-health', apollo),\n))\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.HealthPath == nil || s.HealthPath.Value != "/.well-known/apollo/server-health" || s.HealthPath.Where() != "src/server.js:4" {
		t.Errorf("health %+v, want /.well-known/apollo/server-health at src/server.js:4", s.HealthPath)
	}
}

// actualbudget/actual-server 7bd499c5be75: its SimpleFIN router registers
// app.post( with '/status' on the next line, a write no probe sends, and
// the app mounts express-actuator, which answers GET /health: that is
// the health route. A basePath option moves it.
func TestDetect_ExpressActuatorOverAWrittenStatus(t *testing.T) {
	files := map[string]string{
		"package.json":         `{"name": "actual-sync", "type": "module", "main": "app.js", "dependencies": {"express": "4.18.2", "express-actuator": "1.8.4"}}`,
		"app.js":               "import express from 'express';\nimport actuator from 'express-actuator';\nimport * as simpleFinApp from './src/app-simplefin.js';\n\nconst app = express();\napp.use('/simplefin', simpleFinApp.handlers);\napp.use(actuator()); // Provides /health, /metrics, /info\napp.listen(5006);\n",
		"src/app-simplefin.js": "import express from 'express';\n\nconst app = express();\nexport { app as handlers };\n\napp.post(\n  '/status',\n  async (req, res) => { res.send({}); },\n);\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.HealthPath == nil || s.HealthPath.Value != "/health" || s.HealthPath.Where() != "app.js:7" {
		t.Errorf("health %+v, want express-actuator's /health at app.js:7", s.HealthPath)
	}
	files["app.js"] = strings.Replace(files["app.js"], "actuator()", "actuator({ basePath: '/management' })", 1)
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil || s.HealthPath == nil || s.HealthPath.Value != "/management/health" {
		t.Errorf("health %+v (%v), want /management/health", s.HealthPath, err)
	}
}
