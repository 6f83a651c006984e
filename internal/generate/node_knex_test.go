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
	cmd := `["/nodejs/bin/node", "node_modules/knex/bin/cli.js", "migrate:latest", "--knexfile", "knexfile.js"]`
	if !strings.Contains(files["compose.yaml"], "entrypoint: "+cmd) || !strings.Contains(files["deploy/k8s/base/migrate.yaml"], "command: "+cmd) {
		t.Errorf("the release step does not run knex migrate:latest:\n%s\n%s", files["compose.yaml"], files["deploy/k8s/base/migrate.yaml"])
	}
	checkProduction(t, dir, files)

	tree["package.json"] = `{"name": "x", "main": "src/bin/server", "scripts": {"start": "node src/bin/server"}, "dependencies": {"koa": "2.5.0", "knex": "0.14.6", "pg": "7.4.1"}}`
	s, err = detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	// Without the script, the knexfile's migrations directory holding
	// JavaScript migrations is the evidence (aldrichvalentino/node-
	// postgres, whose README says to run them); TypeScript ones, which
	// knex's CLI needs a loader for, are none.
	if s.Migrate == nil || s.Migrate.Where() != "knexfile.js:5" {
		t.Errorf("without the script: release step %+v, want knex at knexfile.js:5", s.Migrate)
	}
	delete(tree, "src/migrations/20170422213822_init.js")
	tree["src/migrations/20170422213822_init.ts"] = "export async function up() {}\n"
	s, err = detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if s.Migrate != nil {
		t.Errorf("TypeScript migrations: release step %+v, want none", s.Migrate)
	}
}

// 0xvoider42/CMWAPP-API, a NestJS build, runs "knex migrate:latest
// --knexfile knexfile.js" with a JavaScript knexfile and migrations at its
// root, which its image (dist/, node_modules, package.json) did not carry:
// the step was not written, and init --verify passed while
// POST /api-v1/auth/register answered 500 (relation "users" does not
// exist). The image now carries both beside the build's output, and the
// step runs knex's CLI with them.
func TestProject_KnexInATypeScriptBuild(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"package.json": `{
  "name": "cmwapp-api",
  "scripts": {
    "build": "nest build",
    "start:prod": "node dist/main",
    "migrate": "knex migrate:latest --knexfile knexfile.js"
  },
  "dependencies": {"@nestjs/core": "^10.0.0", "@nestjs/common": "^10.0.0", "knex": "^3.1.0", "pg": "^8.13.1"},
  "devDependencies": {"typescript": "^5.1.3", "@nestjs/cli": "^10.0.0"}
}
`,
		"package-lock.json":     "{}\n",
		"tsconfig.json":         `{"compilerOptions": {"outDir": "./dist"}}` + "\n",
		"src/main.ts":           "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.enableShutdownHooks();\n  await app.listen(process.env.PORT ?? 3000);\n}\nbootstrap();\n",
		"src/app.controller.ts": "@Controller()\nexport class AppController {\n  @Get('health')\n  health() { return 'ok'; }\n}\n",
		"knexfile.js":           "require('dotenv').config();\n\nmodule.exports = {\n  production: {\n    client: 'postgresql',\n    connection: process.env.DATABASE_URL,\n    migrations: {\n      tableName: 'migrations',\n      directory: 'migrations',\n    },\n  },\n};\n",
		"migrations/20241220131741_create_campaigns_table.js": "exports.up = async function (knex) {}\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Migrate == nil || s.Migrate.Where() != "package.json:6" {
		t.Fatalf("release step %+v, want knex at package.json:6", s.Migrate)
	}
	files := projectFiles(t, s, generate.Options{Name: "cmwapp"})
	for _, want := range []string{"COPY --from=build /app/knexfile.js /app/knexfile.js\n", "COPY --from=build /app/migrations /app/migrations\n"} {
		if !strings.Contains(files["Dockerfile"], want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, files["Dockerfile"])
		}
	}
	if !strings.Contains(files["deploy/k8s/base/migrate.yaml"], `command: ["/nodejs/bin/node", "node_modules/knex/bin/cli.js", "migrate:latest", "--knexfile", "knexfile.js"]`) {
		t.Errorf("the Job does not run knex's CLI:\n%s", files["deploy/k8s/base/migrate.yaml"])
	}
	checkProduction(t, dir, files)
}
