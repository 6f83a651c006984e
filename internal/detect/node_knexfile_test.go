package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// A knexfile keyed by environment without production (mjhea0/node-koa-
// api's test and development) is evidence; one with production, one not
// keyed by environment (gothinkster/koa-knex-realworld-example's
// module.exports = options) and a TypeScript one with quoted keys that
// has production are not.
func TestKnexWithoutProduction(t *testing.T) {
	koa := "const path = require('path');\n\nconst BASE_PATH = path.join(__dirname, 'src', 'server', 'db');\n\nmodule.exports = {\n  test: {\n    client: 'pg',\n    connection: 'postgres://localhost:5432/koa_api_test',\n    migrations: {\n      directory: path.join(BASE_PATH, 'migrations')\n    }\n  },\n  development: {\n    client: 'pg',\n    connection: 'postgres://localhost:5432/koa_api'\n  }\n};\n"
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"test and development", "knexfile.js", koa, "development, test@knexfile.js:5"},
		{"with production", "knexfile.js", koa[:len(koa)-3] + ",\n  production: {\n    client: 'pg',\n    connection: process.env.DATABASE_URL\n  }\n};\n", ""},
		{"not keyed by environment", "knexfile.js", "const options = {\n  client: dbClient,\n  migrations: {\n    directory: \"src/migrations\",\n  },\n}\n\nmodule.exports = options\n", ""},
		{"a single configuration", "knexfile.js", "module.exports = {\n  client: 'pg',\n  connection: process.env.DATABASE_URL,\n  migrations: {\n    directory: './migrations'\n  }\n};\n", ""},
		{"TypeScript, quoted, with production", "knexfile.ts", "export default {\n  'development': {\n    client: 'sqlite3'\n  },\n  'production': {\n    client: 'pg'\n  }\n}\n", ""},
		{"TypeScript, quoted, without", "knexfile.ts", "export default {\n  \"development\": {\n    client: 'sqlite3'\n  }\n}\n", "development@knexfile.ts:1"},
	} {
		r := &repo{dir: testutil.WriteTree(t, map[string]string{tc.file: tc.content}), lines: map[string][]string{}, lang: "node"}
		got := ""
		if e := r.knexWithoutProduction(); e != nil {
			got = e.Value + "@" + e.Where()
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The migrations' directory is the migrations block's, knex's default
// migrations/ without one: 1314ivan/social-express-knax-postgres names
// ./seeds in its seeds block only; a block naming src/db/migrations
// wins; TypeScript migrations need a loader and are none.
func TestKnexMigrate(t *testing.T) {
	pkg := packageJSON{Dependencies: map[string]string{"knex": "^3.1.0", "pg": "^8"}, Scripts: map[string]string{"db:migrate:run": "knex migrate:latest"}}
	social := "require('dotenv').config()\nmodule.exports = {\n  client: 'pg',\n  migrations: {\n    tableName: 'knex_migrations'\n  },\n  seeds: {\n    directory: './seeds'\n}\n}\n"
	named := "module.exports = {\n  production: {\n    client: 'pg',\n    migrations: { tableName: 'm',\n      directory: './src/db/migrations',\n    },\n    seeds: { directory: './seeds' },\n  },\n}\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // where dir
	}{
		{"seeds named, migrations default", map[string]string{"knexfile.js": social, "migrations/1_users.js": "exports.up = k => k\n", "seeds/1.js": ""}, "package.json:1 migrations"},
		{"the block's directory", map[string]string{"knexfile.js": named, "src/db/migrations/1_users.js": "exports.up = k => k\n", "migrations/x.js": ""}, "package.json:1 src/db/migrations"},
		{"TypeScript migrations", map[string]string{"knexfile.js": social, "migrations/1_users.ts": "export async function up() {}\n"}, ""},
		// A block on one line; a path cleaned, and one that leaves the
		// repository refused (knex's default then).
		{"a one-line block", map[string]string{"knexfile.js": "module.exports = {\n  client: 'pg',\n  migrations: { directory: './db/migrations' },\n}\n", "db/migrations/1.js": "", "migrations/1.js": ""}, "package.json:1 db/migrations"},
		{"a path out of the repository", map[string]string{"knexfile.js": "module.exports = {\n  migrations: { directory: 'db/../../x' },\n}\n", "migrations/1.js": ""}, "package.json:1 migrations"},
		{"no migrations", map[string]string{"knexfile.js": social, "seeds/1.js": ""}, ""},
	} {
		tc.files["package.json"] = `{"scripts": {"db:migrate:run": "knex migrate:latest"}}`
		r := &repo{dir: testutil.WriteTree(t, tc.files), lines: map[string][]string{}, lang: "node"}
		got := ""
		if e, _, dir := r.knexMigrate(pkg); e != nil {
			got = e.Where() + " " + dir.Value
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The script's options: a knexfile elsewhere is read (its migrations from
// its own directory, where knex's CLI runs); another environment or a
// migrations directory of its own is no step, nor a fallback to the
// knexfile's.
func TestKnexMigrate_ScriptOptions(t *testing.T) {
	files := map[string]string{
		"src/knexfile.js":              "module.exports = {\n  production: {\n    client: 'pg',\n    migrations: { directory: 'db/migrations' },\n  },\n}\n",
		"src/db/migrations/1_users.js": "exports.up = k => k\n",
		"knexfile.js":                  "module.exports = { client: 'pg' }\n", "migrations/1.js": "",
	}
	for _, tc := range []struct{ script, want string }{
		{"knex migrate:latest --knexfile src/knexfile.js", "src/knexfile.js src/db/migrations"},
		{"knex migrate:latest --knexfile ./src/knexfile.js --env production", "src/knexfile.js src/db/migrations"},
		{"knex migrate:latest --env development", ""},
		{"knex migrate:latest --migrations-directory other", ""},
	} {
		pkg := packageJSON{Dependencies: map[string]string{"knex": "^3"}, Scripts: map[string]string{"migrate": tc.script}}
		files["package.json"] = `{"scripts": {"migrate": "x"}}`
		r := &repo{dir: testutil.WriteTree(t, files), lines: map[string][]string{}, lang: "node"}
		got := ""
		if e, f, dir := r.knexMigrate(pkg); e != nil {
			got = f.Value + " " + dir.Value
		}
		if got != tc.want {
			t.Errorf("%q: %q, want %q", tc.script, got, tc.want)
		}
	}
}
