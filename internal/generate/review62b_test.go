package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/generate"
)

// mbnan/flaskapiapp's shape (WORKDIR /code, COPY src/ ., CMD python
// ./app.py) with Flask-Migrate's migrations beside the app in src/: the
// image now runs in /app/src, where the release step's
// `flask --app src.app:app db upgrade --directory src/migrations` finds
// neither the module src nor src/migrations.
func TestReview62_FlaskMigrateWhereTheAppRuns(t *testing.T) {
	p := resolved(t, map[string]string{
		"requirements.txt":                  "Flask\nFlask-SQLAlchemy\nFlask-Migrate\npsycopg2-binary\n",
		"Dockerfile":                        "FROM python\nWORKDIR /code\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY src/ .\nEXPOSE 5000\nCMD [\"python\", \"./app.py\"]\n",
		"src/app.py":                        "import os\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom flask_migrate import Migrate\n\napp = Flask(__name__)\napp.config[\"SQLALCHEMY_DATABASE_URI\"] = os.environ[\"DATABASE_URL\"]\ndb = SQLAlchemy(app)\nmigrate = Migrate(app, db)\n\n\n@app.route('/health')\ndef health():\n    return 'ok'\n\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n",
		"src/migrations/env.py":             "from alembic import context\n",
		"src/migrations/alembic.ini":        "[alembic]\n",
		"src/migrations/versions/1_init.py": "revision = '1'\n",
	}, generate.Options{Name: "x"})
	f, err := generate.Dockerfile(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd := strings.Join(generate.MigrateCommand(p), " ")
	t.Logf("entry %q rundir %v migrate %q", p.Entrypoint, p.Stack.RunDir, cmd)
	if strings.Contains(f.Content, "WORKDIR /app/src\n") && strings.Contains(cmd, "src.app:app") {
		t.Errorf("the image runs in /app/src, where the migrate step's module src.app is not importable: %q", cmd)
	}
	if !strings.Contains(f.Content, "PYTHONPATH=/opt/deps:/app/src ") {
		t.Errorf("run from /app, the app's modules must still import each other as they do in src/:\n%s", f.Content)
	}
}
