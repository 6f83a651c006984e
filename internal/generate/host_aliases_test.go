package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestProject_HostAliases: the names the code gives its databases' hosts
// (rickding/HelloDocker's Redis(host="cache"), a sample's
// 'mongodb://mongodb:27017') become network aliases of init's services in
// compose.yaml and in the verification run, and the note that the code
// reads no variable for them gives way to one that says so.
func TestProject_HostAliases(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "books", "main": "index.js", "scripts": {"start": "node index.js"}, "dependencies": {"express": "^4.21.0", "mongoose": "^8.7.0", "redis": "^4.7.0"}}`,
		"index.js": "const express = require('express');\nconst mongoose = require('mongoose');\nconst { createClient } = require('redis');\n" +
			"mongoose.connect('mongodb://mongodb:27017/books');\nconst cache = createClient({ url: 'redis://cache:6379' });\n" +
			"const app = express();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	o := generate.Options{Name: "books"}
	compose := projectFiles(t, s, o)["compose.yaml"]
	for _, want := range []string{
		"  mongo:\n    image: ",
		"      - mongo_data:/data/db\n    networks:\n      default:\n        aliases: [mongodb]\n    healthcheck:",
		"      - redis_data:/data\n    networks:\n      default:\n        aliases: [cache]\n    healthcheck:",
	} {
		if !strings.Contains(compose, want) {
			t.Errorf("compose.yaml lacks %q:\n%s", want, compose)
		}
	}
	p, err := generate.Resolve(s, o)
	if err != nil {
		t.Fatal(err)
	}
	deps, _ := generate.Dependencies(p, "pw")
	var names []string
	for _, d := range deps {
		names = append(names, d.Alias+"="+strings.Join(d.Names, ","))
	}
	if got := strings.Join(names, " "); got != "mongo=mongodb redis=cache" {
		t.Errorf("the verification run's services answer to %q, want mongo=mongodb redis=cache", got)
	}
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, `index.js:4 names mongodb's host "mongodb": compose.yaml and init --verify's run give the service "mongo" that name too`) ||
		strings.Contains(notes, "reads no variable init knows") {
		t.Errorf("notes:\n%s", notes)
	}
}

// TestProject_HostAliasTaken: a name that is another service's in
// compose.yaml is no alias; the note says the app will not reach the
// database. bkochman5/flask-docker-app's Redis(host='db') is an alias
// where the project has no SQL database, and not where it has one.
func TestProject_HostAliasTaken(t *testing.T) {
	for _, tc := range []struct {
		name, requirements, imports, want string
		alias                             bool
	}{
		{"redis alone", "flask\nredis\n", "", "aliases: [db]", true},
		{"beside postgres", "flask\nredis\npsycopg2-binary\n", "import psycopg2\n", `names redis's host "db", which is another service's name in compose.yaml`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
				"requirements.txt": tc.requirements,
				"app.py": "import os\n" + tc.imports + "from flask import Flask\nfrom redis import Redis\n\napp = Flask(__name__)\n" +
					"db = Redis(host='db', port=6379, decode_responses=True)\n\n@app.route('/healthz')\ndef health():\n    return 'ok'\n",
			}))
			if err != nil {
				t.Fatal(err)
			}
			p, err := generate.Resolve(s, generate.Options{Name: "hits"})
			if err != nil {
				t.Fatal(err)
			}
			compose := projectFiles(t, s, generate.Options{Name: "hits"})["compose.yaml"]
			notes := strings.Join(p.Notes, "\n")
			if got := strings.Contains(compose, "aliases: [db]"); got != tc.alias {
				t.Errorf("alias db given: %v, want %v:\n%s", got, tc.alias, compose)
			}
			if !strings.Contains(compose+notes, tc.want) {
				t.Errorf("neither compose.yaml nor the notes say %q:\n%s\n%s", tc.want, compose, notes)
			}
		})
	}
}

// node's own options in the start command come before the preload init
// adds for SIGTERM and the file (dotenv's documented `node -r
// dotenv/config index.js`; localtunnel/server's `node -r esm`), and the
// note says which were left out.
func TestProject_NodeOptions(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "api", "scripts": {"start": "node --env-file=.env -r dotenv/config index.js"}, "dependencies": {"express": "^4.21.0", "dotenv": "^16.4.0"}}`,
		"index.js":     "const app = require('express')();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "api"})
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "api"})["Dockerfile"]
	if !strings.Contains(df, `ENTRYPOINT ["/nodejs/bin/node", "-r", "dotenv/config", "--import", "data:text/javascript,process.once('SIGTERM', () => process.exit(0))", "index.js"]`) {
		t.Errorf("Dockerfile:\n%s", df)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "package.json:1 passes node --env-file=.env, which the image leaves out") {
		t.Errorf("notes:\n%s", notes)
	}
}
