package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// agno-agi/agent-api's db/url.py shape (yxu173/agent-api fork): the
// SQLAlchemy URL is built as f"{DB_DRIVER}://..." with DB_DRIVER defaulting
// to "postgresql+psycopg". DB_DRIVER=postgres makes "postgres://...",
// which SQLAlchemy 1.4+/2.0 rejects (NoSuchModuleError:
// sqlalchemy.dialects:postgres); unset, the default works.
func TestReview61_SQLAlchemyDriverVariable(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"requirements.txt": "fastapi\nuvicorn\nsqlalchemy\npsycopg[binary]\n",
		"db/url.py":        "from os import getenv\n\n\ndef get_db_url() -> str:\n    db_driver = getenv(\"DB_DRIVER\", \"postgresql+psycopg\")\n    db_user = getenv(\"DB_USER\")\n    db_pass = getenv(\"DB_PASS\")\n    db_host = getenv(\"DB_HOST\")\n    db_port = getenv(\"DB_PORT\")\n    db_database = getenv(\"DB_DATABASE\")\n    return \"{}://{}{}@{}:{}/{}\".format(\n        db_driver,\n        db_user,\n        f\":{db_pass}\" if db_pass else \"\",\n        db_host,\n        db_port,\n        db_database,\n    )\n",
		"db/session.py":    "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\nfrom db.url import get_db_url\n\ndb_engine = create_engine(get_db_url(), pool_pre_ping=True)\nSessionLocal = sessionmaker(bind=db_engine)\n",
		"main.py":          "from fastapi import FastAPI\nimport db.session\n\napp = FastAPI()\n\n@app.get('/health')\ndef health():\n    return {'ok': True}\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("databases %v", s.Databases)
	files := projectFiles(t, s, generate.Options{Name: "agent"})
	if strings.Contains(files["compose.yaml"], "DB_DRIVER: postgres\n") {
		t.Errorf("compose.yaml sets DB_DRIVER=postgres, a SQLAlchemy drivername (postgresql+psycopg by default) that SQLAlchemy rejects:\n%s", files["compose.yaml"])
	}
}

// Go with pgx's database/sql driver, registered as "pgx":
// sql.Open(os.Getenv("DB_DRIVER"), os.Getenv("DB_SOURCE")). DB_DRIVER=postgres
// is `sql: unknown driver "postgres"`.
func TestReview61_GoPgxDriverVariable(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module bank\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.7.6\n", "go.sum": "",
		"main.go": "package main\n\nimport (\n\t\"database/sql\"\n\t\"log\"\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"github.com/jackc/pgx/v5/stdlib\"\n)\n\nfunc main() {\n\tdb, err := sql.Open(os.Getenv(\"DB_DRIVER\"), os.Getenv(\"DB_SOURCE\"))\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\t_ = db\n\thttp.HandleFunc(\"/health\", h)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "bank"})
	if strings.Contains(files["compose.yaml"], "DB_DRIVER: postgres\n") {
		t.Errorf("compose.yaml sets DB_DRIVER=postgres for a program whose only database/sql driver is pgx's (registered as \"pgx\"):\n%s", files["compose.yaml"])
	}
}

// A goose project configured the way goose's README suggests: the app reads
// DATABASE_URL, the Makefile runs `goose -dir sql/schema postgres
// $(DATABASE_URL) up`, and the code reads GOOSE_DBSTRING as well. The release step
// passes the URL as an argument; if the step's environment also holds
// GOOSE_DBSTRING, goose inserts it after the driver and takes the URL
// argument for the command ("no such command").
func TestReview61_GooseURLArgAndItsVariable(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module chirpy\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n", "go.sum": "",
		"main.go":                  "package main\n\nimport (\n\t\"database/sql\"\n\t\"log\"\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"github.com/lib/pq\"\n)\n\nfunc main() {\n\tdb, err := sql.Open(\"postgres\", os.Getenv(\"DATABASE_URL\"))\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\t_ = db\n\tgooseDSN := os.Getenv(\"GOOSE_DBSTRING\") // goose.Up's own connection\n\t_ = gooseDSN\n\thttp.HandleFunc(\"/health\", h)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"Makefile":                 "migrate:\n\tgoose -dir sql/schema postgres $(DATABASE_URL) up\n",
		"sql/schema/001_users.sql": "-- +goose Up\nCREATE TABLE users (id UUID PRIMARY KEY);\n\n-- +goose Down\nDROP TABLE users;\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("migrate %+v env %v", s.Migrate, s.Env)
	files := projectFiles(t, s, generate.Options{Name: "chirpy"})
	c := files["compose.yaml"]
	_, mig, _ := strings.Cut(c, "app-migrate:")
	mig, _, _ = strings.Cut(mig, "depends_on")
	// The step's environment holds GOOSE_DBSTRING (the app's): its
	// command is then the driver and up alone.
	if !strings.Contains(mig, "GOOSE_DBSTRING: postgresql://") || !strings.Contains(mig, `entrypoint: ["/app/migrate", "-dir", "/app/sql/schema", "postgres", "up"]`) {
		t.Errorf("the release step gives goose the URL both as an argument and in GOOSE_DBSTRING:\n%s", mig)
	}
}
