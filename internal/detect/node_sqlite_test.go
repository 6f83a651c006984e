package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// gettingStarted is the shape of docker/getting-started-app (corpus
// node-express-getting-started-app): MySQL when MYSQL_HOST is set, else a
// SQLite file whose path the code reads from $SQLITE_DB_LOCATION, and a
// static directory with index.html served at the root.
var gettingStarted = map[string]string{
	"package.json": `{"name": "101-app", "main": "index.js", "scripts": {"dev": "nodemon -L src/index.js"},
  "dependencies": {"express": "^4.18.2", "mysql2": "^2.3.3", "sqlite3": "^5.1.2", "uuid": "^9.0.0"}}`,
	"yarn.lock": "# yarn lockfile v1\n",
	"src/index.js": "const express = require('express');\nconst app = express();\nconst db = require('./persistence');\nconst getItems = require('./routes/getItems');\n\n" +
		"app.use(express.json());\napp.use(express.static(__dirname + '/static'));\n\napp.get('/items', getItems);\napp.post('/items', addItem);\n\n" +
		"db.init().then(() => {\n    app.listen(3000, () => console.log('Listening on port 3000'));\n});\nprocess.on('SIGTERM', gracefulShutdown);\n",
	"src/static/index.html":     "<!DOCTYPE html>\n",
	"src/persistence/index.js":  "if (process.env.MYSQL_HOST) module.exports = require('./mysql');\nelse module.exports = require('./sqlite');\n",
	"src/persistence/mysql.js":  "const waitPort = require('wait-port');\nconst mysql = require('mysql2');\nconst { MYSQL_HOST: HOST } = process.env;\n",
	"src/persistence/sqlite.js": "const sqlite3 = require('sqlite3').verbose();\nconst fs = require('fs');\nconst location = process.env.SQLITE_DB_LOCATION || '/etc/todos/todo.db';\n\nlet db;\n\nfunction init() {\n    return new Promise((acc, rej) => {\n        db = new sqlite3.Database(location, err => {\n            if (err) return rej(err);\n        });\n    });\n}\n",
	"src/routes/getItems.js":    "const db = require('../persistence');\nmodule.exports = async (req, res) => res.send(await db.getItems());\n",
}

// TestDetect_NodeSQLiteFileAndItsVariable: the SQLite file is where the
// code opens it, and the variable its path comes from is known, so the
// image can put the file on its volume.
func TestDetect_NodeSQLiteFileAndItsVariable(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, gettingStarted))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Databases); got != "mysql@src/persistence/mysql.js:2 sqlite:/etc/todos/todo.db@src/persistence/sqlite.js:3" {
		t.Errorf("databases %s", got)
	}
	if got := ev(s.SQLiteVar); got != "SQLITE_DB_LOCATION@src/persistence/sqlite.js:3" {
		t.Errorf("SQLite variable %s", got)
	}
	// A fixed path, in a string the call is given: no variable.
	files := map[string]string{
		"package.json": `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "4", "better-sqlite3": "11"}}`,
		"server.js":    "const Database = require('better-sqlite3');\nconst db = new Database('/var/lib/app/app.db', { verbose: console.log });\napp.get('/healthz', ok);\napp.listen(3000);\n",
	}
	s, err = Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Databases) + " " + ev(s.SQLiteVar); got != "sqlite:/var/lib/app/app.db@server.js:2 -" {
		t.Errorf("fixed path: %s", got)
	}
	// :memory: names no file.
	files["server.js"] = "const Database = require('better-sqlite3');\nconst db = new Database(':memory:');\napp.listen(3000);\n"
	s, err = Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Databases) + " " + ev(s.SQLiteVar); got != "sqlite@server.js:1 -" {
		t.Errorf(":memory: %s", got)
	}
}

// TestDetect_NodeStaticIndex: a static directory served at the root with
// an index.html answers GET /, so no health route is asked for; mounted
// under a path, without index.html, or with index: false, it does not.
func TestDetect_NodeStaticIndex(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, gettingStarted))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.HealthPath); got != "/@src/index.js:7" || len(s.Ambiguous) != 0 {
		t.Errorf("health %s, ambiguous %+v; want / from express.static at src/index.js:7", got, s.Ambiguous)
	}
	for name, line := range map[string]string{
		"under a path":    "app.use('/assets', express.static(__dirname + '/static'));",
		"index: false":    "app.use(express.static(path.join(__dirname, 'static'), { index: false }));",
		"no index.html":   "app.use(express.static(__dirname + '/public'));",
		"a variable path": "app.use(express.static(config.staticDir));",
	} {
		files := map[string]string{}
		for k, v := range gettingStarted {
			files[k] = v
		}
		files["src/index.js"] = "const app = require('express')();\n" + line + "\napp.get('/items', getItems);\napp.listen(3000);\n"
		s, err := Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		if s.HealthPath != nil {
			t.Errorf("%s: health %s, want a question", name, ev(s.HealthPath))
		}
	}
	// A string is relative to the working directory (the repository's root).
	files := map[string]string{
		"package.json":      `{"scripts": {"start": "node server.js"}, "dependencies": {"express": "4"}}`,
		"server.js":         "const app = require('express')();\napp.use(express.static('public', { maxAge: 3600 }));\napp.post('/vote', vote);\napp.listen(8080);\n",
		"public/index.html": "<html></html>\n",
	}
	s, err = Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.HealthPath); got != "/@server.js:2" {
		t.Errorf("cwd-relative static: health %s", got)
	}
}
