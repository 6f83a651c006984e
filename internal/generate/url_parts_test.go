package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestProject_VariablesInTheURLTheCodeBuilds: the app builds its
// connection URL from variables, and a variable's part of it says what it
// holds whatever its name. FrancescoXX/study-with-me-fastify-docker puts
// POSTGRES_SERVICE in the host: the run gave it the example's
// "postgres" (no such service) and the app, whose pool connects on first
// use, passed verify and failed every query. A Python f-string names its
// parts the same way; DB_PORT keeps its usual value.
func TestProject_VariablesInTheURLTheCodeBuilds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"a template literal (fastify-docker)", map[string]string{
			"package.json": `{"name": "app", "scripts": {"start": "node app/server.js"}, "dependencies": {"fastify": "^3.29.0", "fastify-postgres": "^3.6.0"}}`,
			"app/server.js": "const fastify = require('fastify')({ logger: true });\n" +
				"fastify.register(require('fastify-postgres'), {\n" +
				"  connectionString: `postgres://${process.env.POSTGRES_USER}:${process.env.POSTGRES_PASSWORD}@${process.env.POSTGRES_SERVICE}:${process.env.POSTGRES_PORT}/${process.env.POSTGRES_DB}`,\n" +
				"});\nfastify.get('/', async () => ({ hello: 'world' }));\nfastify.listen(3000, '0.0.0.0');\n",
			".env-example": "POSTGRES_USER=francesco\nPOSTGRES_PASSWORD=xxxxxxx\nPOSTGRES_DB=fastifydb\nPOSTGRES_SERVICE=postgres\nPOSTGRES_PORT=5432\n",
		}, "POSTGRES_USER=app POSTGRES_PASSWORD=pw POSTGRES_SERVICE=db POSTGRES_PORT=5432 POSTGRES_DB=app"},
		{"an f-string", map[string]string{
			"requirements.txt": "flask\npsycopg2-binary\n",
			"app.py": "import os\nimport psycopg2\nfrom flask import Flask\n\n" +
				"URL = f\"postgresql://{os.environ['PGUSERNAME']}:{os.environ['PGPASS']}@{os.environ['PG_SERVICE_NAME']}:5432/{os.environ['PGSCHEMA']}\"\n" +
				"app = Flask(__name__)\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n",
		}, "PGUSERNAME=app PGPASS=pw PG_SERVICE_NAME=db PGSCHEMA=app"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			p, err := generate.Resolve(s, generate.Options{Name: "app"})
			if err != nil {
				t.Fatal(err)
			}
			_, env := generate.Dependencies(p, "pw")
			if got := strings.Join(env, " "); got != tc.want {
				t.Errorf("the verification run's app gets %q, want %q", got, tc.want)
			}
		})
	}
}
