package detect

import (
	"slices"
	"testing"
)

// TestUnwrap_EnvLoaders: a start script that loads an env file first
// runs the command after it (fastify/fastify-example-twitter's
// "env-cmd local.env fastify start index.js", env-cmd 7's form).
func TestUnwrap_EnvLoaders(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want []string
	}{
		{"env-cmd local.env fastify start index.js", []string{"fastify", "start", "index.js"}},
		{"env-cmd -f .env.production node server.js", []string{"node", "server.js"}},
		{"env-cmd --file ./config/.env -- node server.js", []string{"node", "server.js"}},
		{"env-cmd node server.js", []string{"node", "server.js"}},
		{"dotenv -e .env -- node dist/main.js", []string{"node", "dist/main.js"}},
		{"dotenv -e .env.local -c -- next start", []string{"next", "start"}},
		{"cross-env NODE_ENV=production node app.js", []string{"node", "app.js"}},
	} {
		if got := unwrap(words(c.cmd)); !slices.Equal(got, c.want) {
			t.Errorf("unwrap(%q) = %q, want %q", c.cmd, got, c.want)
		}
	}
}
