package generate_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestSetupCommand: Flask's tutorial (pallets/flask examples/tutorial,
// flaskr) declares `flask init-db`, which creates its SQLite tables in
// the instance folder. The command in the image is the one init --verify
// runs on its new database before the app starts, and the note tells the
// user to run it once: the two are the same command. A project without
// one gets none.
func TestSetupCommand(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"pyproject.toml": "[project]\nname = \"flaskr\"\nversion = \"1.0.0\"\ndependencies = [\n    \"flask\",\n]\n",
		"flaskr/__init__.py": "import os\n\nfrom flask import Flask\n\n\ndef create_app(test_config=None):\n    app = Flask(__name__, instance_relative_config=True)\n" +
			"    app.config.from_mapping(\n        SECRET_KEY=\"dev\",\n        DATABASE=os.path.join(app.instance_path, \"flaskr.sqlite\"),\n    )\n\n" +
			"    @app.route(\"/hello\")\n    def hello():\n        return \"Hello, World!\"\n\n    from . import db\n\n    db.init_app(app)\n\n    from . import blog\n\n    app.register_blueprint(blog.bp)\n    return app\n",
		"flaskr/db.py":   "import sqlite3\n\nimport click\nfrom flask import current_app\n\n\n@click.command(\"init-db\")\ndef init_db_command():\n    init_db()\n\n\ndef init_app(app):\n    app.cli.add_command(init_db_command)\n",
		"flaskr/blog.py": "from flask import Blueprint\n\nbp = Blueprint(\"blog\", __name__)\n\n\n@bp.route(\"/\")\ndef index():\n    db = get_db()\n    return render_template(\"blog/index.html\", posts=db.execute(\"SELECT * FROM post\").fetchall())\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "flaskr"})
	if err != nil {
		t.Fatal(err)
	}
	cmd := generate.SetupCommand(p)
	want := []string{"/usr/bin/python3", "-m", "flask", "--app", "flaskr:create_app", "init-db"}
	if !slices.Equal(cmd, want) {
		t.Fatalf("SetupCommand = %q, want %q", cmd, want)
	}
	if p.DataDir != "/app/instance" {
		t.Errorf("DataDir = %q: the run's volume must be where the database is", p.DataDir)
	}
	note := "docker compose run --rm --entrypoint /usr/bin/python3 app -m flask --app flaskr:create_app init-db"
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, note) }) {
		t.Errorf("no note says %q: %q", note, p.Notes)
	}

	s.SetupCommand = nil
	if cmd := generate.SetupCommand(p); cmd != nil {
		t.Errorf("SetupCommand without a declared command = %q", cmd)
	}
}
