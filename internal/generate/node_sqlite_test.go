package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestProject_NodeSQLiteOnTheVolume: where the code reads its SQLite
// file's path from a variable (docker/getting-started-app's
// SQLITE_DB_LOCATION, default /etc/todos/todo.db), the image and compose
// set it to a file on the data volume; Kubernetes keeps the image's value
// (no Secret key for it). With a fixed path, the volume is where the file
// is.
func TestProject_NodeSQLiteOnTheVolume(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json":              `{"main": "index.js", "dependencies": {"express": "^4.18.2", "sqlite3": "^5.1.2"}}`,
		"yarn.lock":                 "# yarn lockfile v1\n",
		"src/index.js":              "const app = require('express')();\nconst db = require('./persistence/sqlite');\napp.get('/items', getItems);\ndb.init().then(() => app.listen(3000));\n",
		"src/persistence/sqlite.js": "const sqlite3 = require('sqlite3').verbose();\nconst location = process.env.SQLITE_DB_LOCATION || '/etc/todos/todo.db';\nfunction init() {\n    db = new sqlite3.Database(location, err => {});\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := projectFiles(t, s, generate.Options{Name: "x", HealthPath: "/items"})
	for _, w := range []string{"VOLUME [\"/app/data\"]\n", "ENV SQLITE_DB_LOCATION=/app/data/todo.db\n"} {
		if !strings.Contains(got["Dockerfile"], w) {
			t.Errorf("Dockerfile lacks %q:\n%s", w, got["Dockerfile"])
		}
	}
	for _, w := range []string{"      SQLITE_DB_LOCATION: /app/data/todo.db\n", "      - data:/app/data\n"} {
		if !strings.Contains(got["compose.yaml"], w) {
			t.Errorf("compose.yaml lacks %q:\n%s", w, got["compose.yaml"])
		}
	}
	for f, content := range got {
		if strings.HasPrefix(f, "deploy/k8s/") && strings.Contains(content, "key: SQLITE_DB_LOCATION") {
			t.Errorf("%s takes SQLITE_DB_LOCATION from the Secret, over the image's value", f)
		}
	}

	s, err = detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "4", "better-sqlite3": "11"}}`,
		"server.js":    "const Database = require('better-sqlite3');\nconst db = new Database('/var/lib/app/app.db');\napp.get('/healthz', ok);\napp.listen(3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	got = projectFiles(t, s, generate.Options{Name: "x"})
	if w := "VOLUME [\"/var/lib/app\"]\n"; !strings.Contains(got["Dockerfile"], w) || strings.Contains(got["Dockerfile"], "SQLITE") {
		t.Errorf("Dockerfile: want %q and no variable:\n%s", w, got["Dockerfile"])
	}
}
