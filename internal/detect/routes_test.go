package detect

import (
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
