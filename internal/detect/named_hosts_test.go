package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// namedHostsOf is the named hosts of a tree, as "db=host@file:line".
func namedHostsOf(t *testing.T, files map[string]string) string {
	t.Helper()
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range s.NamedHosts {
		out = append(out, h.Value+"="+h.Why+"@"+h.Where())
	}
	return strings.Join(out, " ")
}

// The names real code gives its database's host, each the name its own
// compose file or Kubernetes Service gave the database, none the name
// init gives it: init's database answered to none of them, so the app
// never reached it (rickding/HelloDocker's compose/app.py, MIT, got
// "warn connects: no connection to redis" under init --verify).
func TestNamedHosts_RealShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{{
		// rickding/HelloDocker compose/app.py (MIT): the service is cache.
		name: "python keyword beside the port",
		files: map[string]string{
			"requirements.txt": "flask\nredis\n",
			"app.py": "from flask import Flask\n\nfrom redis import Redis\n\napp = Flask(__name__)\nredis = Redis(host=\"cache\", port=6379)\n\n\n" +
				"@app.route(\"/\")\ndef hello():\n    return 'count: {}'.format(redis.incr('hits'))\n",
		},
		want: "redis=cache@app.py:6",
	}, {
		// A Node app whose compose file calls MongoDB "mongodb" (the
		// shape of several public Express samples), and a Helm chart's
		// Service with no port (sharon088/Nodejs-mongo-helm's
		// const url = 'mongodb://mongodb').
		name: "node URL with and without a port",
		files: map[string]string{
			"package.json": `{"name": "books", "main": "index.js", "scripts": {"start": "node index.js"}, "dependencies": {"express": "^4.21.0", "mongoose": "^8.7.0"}}`,
			"index.js": "const express = require('express');\nconst mongoose = require('mongoose');\nconst app = express();\n" +
				"setTimeout(() => {\n  mongoose.connect('mongodb://mongodb:27017')\n}, 5000);\napp.listen(process.env.PORT || 3000);\n",
			"src/db.js": "const url = 'mongodb://mongo-svc';\nmodule.exports = url;\n",
		},
		want: "mongodb=mongodb@index.js:5 mongodb=mongo-svc@src/db.js:1",
	}, {
		// kubernetes/examples guestbook-go main.go (Apache-2.0): two
		// names for the one Redis, a primary and its replica.
		name: "go host:port literals",
		files: map[string]string{
			"go.mod": "module example.com/guestbook\n\ngo 1.22\n\nrequire github.com/redis/go-redis/v9 v9.7.0\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/redis/go-redis/v9\"\n)\n\nfunc main() {\n" +
				"\tprimary := redis.NewClient(&redis.Options{Addr: \"redis-master:6379\"})\n\treplica := redis.NewClient(&redis.Options{Addr: \"redis-replica:6379\"})\n" +
				"\t_, _ = primary, replica\n\thttp.ListenAndServe(\":3000\", nil)\n}\n",
		},
		want: "redis=redis-master@main.go:10 redis=redis-replica@main.go:11",
	}, {
		// dockersamples/example-voting-app's result: its host is db,
		// init's own name, which needs no alias but is still the code's.
		name: "userinfo before the host",
		files: map[string]string{
			"package.json": `{"name": "result", "main": "server.js", "dependencies": {"express": "^4.21.0", "pg": "^8.13.0"}}`,
			"server.js":    "var express = require('express');\nvar pg = require('pg');\nvar pool = new pg.Pool({\n  connectionString: 'postgres://postgres:postgres@db/postgres'\n});\nexpress().listen(80);\n",
		},
		want: "postgres=db@server.js:4",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if got := namedHostsOf(t, tc.files); got != tc.want {
				t.Errorf("named hosts %q, want %q", got, tc.want)
			}
		})
	}
}

// What names no host: a placeholder in a usage string (filebrowser's
// "redis://user:pass@host"), a comment, a test file, a development
// block, a dotted name (a real
// host elsewhere, not a service of the project), a port that is another
// database's, and loopback, which LoopbackConfig says.
func TestNamedHosts_NotHosts(t *testing.T) {
	got := namedHostsOf(t, map[string]string{
		"package.json": `{"name": "api", "main": "index.js", "dependencies": {"express": "^4.21.0", "ioredis": "^5.4.0"}}`,
		"index.js": "const Redis = require('ioredis');\nconst usage = 'redis://user:pass@host:6379';\n// const r = new Redis('redis://cache:6379');\n" +
			"const cloud = new Redis('redis://cache.internal.example.com:6379');\nconst odd = 'redis://pg:5432';\nconst local = 'redis://localhost:6379';\n" +
			"if (process.env.NODE_ENV === 'development') {\n  devRedis = 'redis://devcache:6379';\n}\nrequire('express')().listen(3000);\n",
		"test/setup.js": "module.exports = 'redis://testcache:6379';\n",
	})
	if got != "" {
		t.Errorf("named hosts %q, want none", got)
	}
}
