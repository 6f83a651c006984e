package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// resolved detects the tree files and resolves its plan.
func resolved(t *testing.T, files map[string]string, o generate.Options) *generate.Plan {
	t.Helper()
	s, err := detect.Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// An app that appends ?sslmode=disable to the URL it reads (evrone/go-
// clean-template's shape) is given a URL without a query; golang-
// migrate's driver, lib/pq, would then require TLS, which the database
// beside it does not serve: the step adds the query the app adds.
func TestMigrateCommand_QueryTheAppAppends(t *testing.T) {
	p := resolved(t, map[string]string{
		"go.mod": "module x\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n", "go.sum": "",
		"main.go": "package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"github.com/lib/pq\"\n)\n\nfunc main() {\n\tdatabaseURL, _ := os.LookupEnv(\"PG_URL\")\n\tdatabaseURL += \"?sslmode=disable\"\n\tdb, _ := sql.Open(\"postgres\", databaseURL)\n\t_ = db\n" +
			"\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"Makefile":                 "migrate-up:\n\tmigrate -path migrations -database '$(PG_URL)?sslmode=disable' up\n",
		"migrations/1_init.up.sql": "CREATE TABLE t (id INT);\n",
	}, generate.Options{Name: "x"})
	if got := strings.Join(generate.MigrateCommand(p), " "); got != "/app/migrate -path /app/migrations -database $(PG_URL)?sslmode=disable up" {
		t.Errorf("release step %q, want the app's query after $(PG_URL)", got)
	}
}

// A knexfile with no production entry: knex's CLI under the image's
// NODE_ENV=production finds no configuration ("Required configuration
// option 'client' is missing"), so no step is written (compose's app
// would wait on one that fails), and the notes say why.
func TestMigrateCommand_KnexfileWithoutProduction(t *testing.T) {
	p := resolved(t, map[string]string{
		"package.json":      `{"name": "x", "main": "server.js", "scripts": {"start": "node server.js", "migrate": "knex migrate:latest"}, "dependencies": {"express": "4", "knex": "3", "pg": "8"}}`,
		"package-lock.json": "{}\n",
		"knexfile.js":       "module.exports = {\n  development: {\n    client: 'pg',\n    connection: process.env.DATABASE_URL\n  },\n  test: {\n    client: 'pg'\n  }\n};\n",
		"migrations/1.js":   "exports.up = k => k\n",
		"server.js":         "const app = require('express')();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\nprocess.on('SIGTERM', () => process.exit(0));\n",
	}, generate.Options{Name: "x"})
	if m := generate.MigrateCommand(p); m != nil {
		t.Errorf("release step %q, want none", m)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "which nothing init writes applies: knex's CLI runs the knexfile's production configuration") {
		t.Errorf("the notes do not say why no step applies them:\n%s", notes)
	}
}

// A variable documented as a Postgres URL whose name reads as none of
// Postgres's (TEST_DATABASE_URL, a knexfile's test block) is not given
// the production database; DB_ADDR, which reads as an address, is.
func TestPlan_DocumentedURLsOfOtherKinds(t *testing.T) {
	p := resolved(t, map[string]string{
		"go.mod": "module x\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n", "go.sum": "",
		"main.go": "package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"github.com/lib/pq\"\n)\n\nfunc main() {\n\tdb, _ := sql.Open(\"postgres\", os.Getenv(\"DB_ADDR\"))\n\t_ = db\n\t_ = os.Getenv(\"TEST_DATABASE_URL\")\n" +
			"\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		".env.example": "DB_ADDR=postgres://u:p@localhost/app?sslmode=disable\nTEST_DATABASE_URL=postgres://u:p@localhost/app_test?sslmode=disable\n",
	}, generate.Options{Name: "x"})
	files, err := generate.Project(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path != "compose.yaml" {
			continue
		}
		if !strings.Contains(f.Content, "      DB_ADDR: postgres://app:") || strings.Contains(f.Content, "TEST_DATABASE_URL: postgres") {
			t.Errorf("compose.yaml: DB_ADDR should get the URL, TEST_DATABASE_URL not:\n%s", f.Content)
		}
	}
}

// A variable read through a wrapper and documented as the service's URL
// under the app's own prefix gets it: mongo-express reads
// getFileEnv('ME_CONFIG_MONGODB_URL') (config.default.js:38), a function
// that reads process.env[name], and its .env.example documents a
// mongodb:// URL. init gave it a MONGODB_URI it never reads. The prefix
// is the app's since it reads other variables under it; a prefixed URL
// read alone (STAGING_MONGODB_URL) is another deployment's.
func TestPlan_PrefixedURLThroughAWrapper(t *testing.T) {
	p := resolved(t, map[string]string{
		"package.json": `{"name": "admin", "scripts": {"start": "node app.js"}, "dependencies": {"express": "^4.19.2", "mongodb": "^6.8.0"}}`,
		"app.js": "const express = require('express');\nconst { MongoClient } = require('mongodb');\nconst config = require('./config.default');\n" +
			"const app = express();\napp.set('trust proxy', 1);\napp.get('/status', (req, res) => res.send('ok'));\nMongoClient.connect(config.url);\napp.listen(process.env.PORT || 8081);\n",
		"config.default.js": "function getFileEnv(envVariable) {\n  const origVar = process.env[envVariable];\n  return origVar;\n}\n\nmodule.exports = { url: getFileEnv('ME_CONFIG_MONGODB_URL'), base: getFileEnv('ME_CONFIG_SITE_BASEURL') };\n",
		".env.example":      "ME_CONFIG_MONGODB_URL=mongodb://localhost:27017\n",
	}, generate.Options{Name: "x"})
	files, err := generate.Project(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path == "compose.yaml" && (!strings.Contains(f.Content, "      ME_CONFIG_MONGODB_URL: mongodb://mongo:27017/") ||
			strings.Contains(f.Content, "MONGODB_URI")) {
			t.Errorf("compose.yaml: ME_CONFIG_MONGODB_URL should get the URL, and nothing else:\n%s", f.Content)
		}
	}
}

// Flask-Migrate's directory below the root (Azure-Samples/flask-db-quiz-
// example's flaskapp/migrations, which its startup.sh passes): `flask db
// upgrade` reads migrations/ unless told, and the step failed on "Path
// doesn't exist: '/app/migrations'". The step passes --directory; at the
// root it passes none.
func TestMigrateCommand_FlaskMigrateDirectory(t *testing.T) {
	files := map[string]string{
		"requirements.txt":                "flask\nflask-migrate\nflask-sqlalchemy\npsycopg2-binary\ngunicorn\n",
		"app.py":                          "from flaskapp import create_app\n\napp = create_app()\n",
		"flaskapp/__init__.py":            "import os\nfrom flask import Flask\nfrom flask_migrate import Migrate\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config['SQLALCHEMY_DATABASE_URI'] = os.environ['DATABASE_URL']\n    Migrate(app)\n    return app\n",
		"flaskapp/migrations/env.py":      "from alembic import context\n",
		"flaskapp/migrations/alembic.ini": "[alembic]\n",
	}
	p := resolved(t, files, generate.Options{Name: "quiz", HealthPath: "/"})
	if got := strings.Join(generate.MigrateCommand(p), " "); got != "/usr/bin/python3 -m flask --app app:app db upgrade --directory flaskapp/migrations" {
		t.Errorf("release step %q", got)
	}
	files["migrations/env.py"], files["migrations/alembic.ini"] = files["flaskapp/migrations/env.py"], "[alembic]\n"
	p = resolved(t, files, generate.Options{Name: "quiz", HealthPath: "/"})
	if got := strings.Join(generate.MigrateCommand(p), " "); got != "/usr/bin/python3 -m flask --app app:app db upgrade" {
		t.Errorf("release step %q, want none of --directory with migrations/ at the root", got)
	}
}
