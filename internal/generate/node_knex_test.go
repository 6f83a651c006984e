package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// gothinkster/koa-knex-realworld-example declares its migrations as a
// package.json script, "db:migrate": "knex migrate:latest", with a
// JavaScript knexfile and knex among its dependencies: the release step
// runs knex's own CLI from node_modules in the app's image (compose's
// app-migrate, the Kubernetes Job). Without the script, nothing says the
// repository applies them so, and no step is written.
func TestProject_KnexMigrateScriptIsTheReleaseStep(t *testing.T) {
	tree := map[string]string{
		"package.json": `{
  "name": "koa-knex-realworld-example",
  "main": "src/bin/server",
  "scripts": {
    "start": "node src/bin/server",
    "db:migrate": "knex migrate:latest",
    "db:rollback": "knex migrate:rollback"
  },
  "dependencies": {"koa": "2.5.0", "knex": "0.14.6", "pg": "7.4.1"}
}
`,
		"yarn.lock":                             "",
		"knexfile.js":                           "const options = {\n  client: 'pg',\n  connection: process.env.DATABASE_URL,\n  migrations: {\n    directory: \"src/migrations\",\n  },\n}\n\nmodule.exports = { development: options, production: options }\n",
		"src/bin/server.js":                     "const Koa = require('koa')\nconst app = new Koa()\nconst router = require('koa-router')()\nrouter.get('/api/health', ctx => { ctx.body = 'ok' })\napp.use(router.routes())\napp.listen(process.env.PORT || 3000)\nprocess.on('SIGTERM', () => process.exit(0))\n",
		"src/migrations/20170422213822_init.js": "exports.up = knex => knex.schema.createTable('users', t => { t.increments() })\nexports.down = knex => knex.schema.dropTable('users')\n",
	}
	dir := testutil.WriteTree(t, tree)
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Migrate == nil || s.Migrate.Value != "knex" || s.Migrate.Where() != "package.json:6" {
		t.Fatalf("release step %+v, want knex at package.json:6", s.Migrate)
	}
	files := projectFiles(t, s, generate.Options{Name: "conduit"})
	cmd := `["/nodejs/bin/node", "node_modules/knex/bin/cli.js", "migrate:latest"]`
	if !strings.Contains(files["compose.yaml"], "entrypoint: "+cmd) || !strings.Contains(files["deploy/k8s/base/migrate.yaml"], "command: "+cmd) {
		t.Errorf("the release step does not run knex migrate:latest:\n%s\n%s", files["compose.yaml"], files["deploy/k8s/base/migrate.yaml"])
	}
	checkProduction(t, dir, files)

	tree["package.json"] = `{"name": "x", "main": "src/bin/server", "scripts": {"start": "node src/bin/server"}, "dependencies": {"koa": "2.5.0", "knex": "0.14.6", "pg": "7.4.1"}}`
	s, err = detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if s.Migrate != nil {
		t.Errorf("without the script: release step %+v, want none", s.Migrate)
	}
}
