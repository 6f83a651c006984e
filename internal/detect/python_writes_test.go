package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// testdrivenio/flask-on-docker's services/web (MIT), 2026-12-05: its
// config puts STATIC_FOLDER and MEDIA_FOLDER under
// f"{os.getenv('APP_FOLDER')}/project/...", which only its compose files
// (outside the service) set, and POST /upload saves into MEDIA_FOLDER.
// Unset, uploads went to 'None/project/media' (500); set, the directory
// was on the read-only root (500 again). The image sets APP_FOLDER to
// /app, and project/media is the data volume.
func TestPython_BaseVarAndUploadDir(t *testing.T) {
	tree := map[string]string{
		"requirements.txt": "Flask==2.3.2\nFlask-SQLAlchemy==3.0.3\ngunicorn==20.1.0\npsycopg2-binary==2.9.6\n",
		"manage.py":        "from flask.cli import FlaskGroup\n\nfrom project import app, db\n\ncli = FlaskGroup(app)\n",
		"project/config.py": "import os\n\n\nbasedir = os.path.abspath(os.path.dirname(__file__))\n\n\nclass Config(object):\n" +
			"    SQLALCHEMY_DATABASE_URI = os.getenv(\"DATABASE_URL\", \"sqlite://\")\n    STATIC_FOLDER = f\"{os.getenv('APP_FOLDER')}/project/static\"\n    MEDIA_FOLDER = f\"{os.getenv('APP_FOLDER')}/project/media\"\n",
		"project/__init__.py": "import os\n\nfrom flask import Flask, request, send_from_directory\n\napp = Flask(__name__)\napp.config.from_object(\"project.config.Config\")\n\n\n" +
			"@app.route(\"/\")\ndef hello_world():\n    return 'hello'\n\n\n@app.route(\"/upload\", methods=[\"GET\", \"POST\"])\ndef upload_file():\n" +
			"    if request.method == \"POST\":\n        file = request.files[\"file\"]\n        file.save(os.path.join(app.config[\"MEDIA_FOLDER\"], file.filename))\n    return 'ok'\n",
		"project/static/hello.txt": "hi!\n",
		"project/media/.gitkeep":   "",
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.AssetDirs) != 1 || s.AssetDirs[0].Value != "APP_FOLDER" || s.AssetDirs[0].Dir != "." || s.AssetDirs[0].Where() != "project/config.py:9" {
		t.Errorf("asset dirs %+v, want APP_FOLDER as the app's own directory (project/config.py:9)", s.AssetDirs)
	}
	if got := ev(s.WriteDir); got != "project/media@project/config.py:10" {
		t.Errorf("write dir %s, want project/media (MEDIA_FOLDER, saved into)", got)
	}

	// Read with a default, the variable needs nothing; a setting no
	// upload is saved into is no data directory.
	tree["project/config.py"] = "import os\n\nclass Config(object):\n    STATIC_FOLDER = os.getenv('STATIC_FOLDER', 'project/static')\n    MEDIA_FOLDER = 'project/media'\n"
	tree["project/__init__.py"] = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/\")\ndef hello_world():\n    return 'hello'\n"
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if len(s.AssetDirs) != 0 || s.WriteDir != nil {
		t.Errorf("asset dirs %+v, write dir %s: want none", s.AssetDirs, ev(s.WriteDir))
	}
}

// The Node forms, and a variable the code sets itself: the electron-vite
// templates (electron-vite-vue's electron/main/index.ts, MIT) set
// process.env.APP_ROOT = path.join(__dirname, '..') and then read
// path.join(process.env.APP_ROOT, 'dist'): no setting of the
// deployment's. Read alone, the same variable is one.
func TestNode_BaseVar(t *testing.T) {
	tree := map[string]string{
		"package.json": `{"name": "site", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.21.0"}}`,
		"server.js": "const path = require('path');\nconst express = require('express');\nconst app = express();\n" +
			"app.use(express.static(path.join(process.env.APP_ROOT, 'public')));\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(3000);\n",
		"public/index.html": "<h1>hi</h1>\n",
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.AssetDirs) != 1 || s.AssetDirs[0].Value != "APP_ROOT" || s.AssetDirs[0].Dir != "." {
		t.Errorf("asset dirs %+v, want APP_ROOT as the app's own directory", s.AssetDirs)
	}
	tree["server.js"] = "const path = require('path');\nprocess.env.APP_ROOT = path.join(__dirname, '.');\n" + tree["server.js"]
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if len(s.AssetDirs) != 0 {
		t.Errorf("asset dirs %+v: the code sets APP_ROOT itself", s.AssetDirs)
	}
}
