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
		// gorm's keyword DSN, built with fmt.Sprintf from local variables
		// (the shape code search finds most), names no list knows.
		{"a Go Sprintf", map[string]string{
			"go.mod": "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgorm.io/driver/postgres v1.5.9\n\tgorm.io/gorm v1.25.12\n)\n",
			"main.go": "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n\n\t\"gorm.io/driver/postgres\"\n\t\"gorm.io/gorm\"\n)\n\n" +
				"func main() {\n\thost := os.Getenv(\"PG_SERVICE\")\n\tif host == \"\" {\n\t\thost = \"localhost\"\n\t}\n" +
				"\tdsn := fmt.Sprintf(\"host=%s user=%s password=%s dbname=%s port=5432 sslmode=disable\",\n\t\thost, os.Getenv(\"APP_DB_LOGIN\"), os.Getenv(\"APP_DB_SECRET\"), os.Getenv(\"APP_DB\"))\n" +
				"\tif _, err := gorm.Open(postgres.Open(dsn), &gorm.Config{}); err != nil {\n\t\tpanic(err)\n\t}\n" +
				"\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		}, "PG_SERVICE=db APP_DB_LOGIN=app APP_DB_SECRET=pw APP_DB=app"},
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
