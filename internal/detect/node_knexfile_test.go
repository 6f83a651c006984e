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
