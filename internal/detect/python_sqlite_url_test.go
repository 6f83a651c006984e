package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// rtzll/flask-todolist's config.py (MIT): ProductionConfig reads
// DATABASE_URL, or falls back to create_sqlite_uri("todolist.db"), a
// helper returning "sqlite:///" + os.path.join(BASEDIR, db_name), over
// two lines. The URL variable is where the SQLite file comes from
// (the image sets it to a file on the volume); its development config's
// own call, with no variable, and a Postgres beside it (the variable is
// then that server's) give none.
func TestDetect_SQLiteURLVariable(t *testing.T) {
	config := "import os\n\nBASEDIR = os.path.abspath(os.path.dirname(__file__))\n\n\ndef create_sqlite_uri(db_name):\n    return \"sqlite:///\" + os.path.join(BASEDIR, db_name)\n\n\n" +
		"class DevelopmentConfig:\n    SQLALCHEMY_DATABASE_URI = create_sqlite_uri(\"todolist-dev.db\")\n\n\n" +
		"class ProductionConfig:\n    SQLALCHEMY_DATABASE_URI = os.environ.get(\"DATABASE_URL\") or create_sqlite_uri(\n        \"todolist.db\"\n    )\n"
	tree := map[string]string{
		"requirements.txt": "flask\nflask-sqlalchemy\nflask-migrate\ngunicorn\n",
		"todolist.py":      "import os\nfrom app import create_app\n\napp = create_app(os.environ.get(\"APP_CONFIG\", \"production\"))\n",
		"app/__init__.py":  "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom config import config\n\ndb = SQLAlchemy()\n\ndef create_app(config_name):\n    app = Flask(__name__)\n    app.config.from_object(config[config_name])\n    return app\n",
		"config.py":        config,
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if v := s.SQLiteVar; v == nil || !s.SQLiteVarURL || v.Value != "DATABASE_URL" || v.Where() != "config.py:15" {
		t.Fatalf("SQLite variable %+v (URL %v), want DATABASE_URL at config.py:15, a URL", s.SQLiteVar, s.SQLiteVarURL)
	}
	if got := evs(s.Databases); got != "sqlite:todolist.db@config.py:7" {
		t.Errorf("databases %s, want sqlite:todolist.db@config.py:7", got)
	}
	// Its development config alone: no variable moves the file.
	tree["config.py"] = "import os\n\nBASEDIR = os.path.abspath(os.path.dirname(__file__))\n\ndef create_sqlite_uri(db_name):\n    return \"sqlite:///\" + os.path.join(BASEDIR, db_name)\n\nclass DevelopmentConfig:\n    SQLALCHEMY_DATABASE_URI = create_sqlite_uri(\"todolist-dev.db\")\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.SQLiteVar != nil {
		t.Errorf("no variable: SQLite variable %+v, want none", s.SQLiteVar)
	}
	// A Postgres driver beside it: DATABASE_URL is Postgres's.
	tree["config.py"] = config
	tree["requirements.txt"] += "psycopg2-binary\n"
	tree["app/models.py"] = "from sqlalchemy import create_engine\nengine = create_engine('postgresql://app@db/app')\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.SQLiteVar != nil {
		t.Errorf("with Postgres: SQLite variable %+v, want none", s.SQLiteVar)
	}
}
