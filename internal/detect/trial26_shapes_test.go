package detect

import (
	"slices"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// localtunnel/server (MIT), 2026-12-05: its Dockerfile runs `node -r esm
// ./bin/server`, and bin/server declares optimist's --port with default
// '80'. init ran bin/server without the preload (Node 24 read it as an ES
// module: "Cannot find module '/app/server'") and assumed port 3000,
// which nothing listened on.
func TestNode_PreloadAndPortOption(t *testing.T) {
	tree := map[string]string{
		"package.json": `{"name": "localtunnel-server", "dependencies": {"esm": "3.0.34", "koa": "2.5.1", "optimist": "0.6.1"}, "devDependencies": {"mocha": "5.1.1"}, "scripts": {"test": "mocha --require esm './**/*.test.js'"}}`,
		"Dockerfile":   "FROM node:10.1.0-alpine\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"node\", \"-r\", \"esm\", \"./bin/server\"]\n",
		"bin/server": "#!/usr/bin/env node -r esm\n\nimport optimist from 'optimist';\nimport CreateServer from '../server';\n\nconst argv = optimist\n    .usage('Usage: $0 --port [num]')\n" +
			"    .options('secure', {\n        default: false,\n    })\n    .options('port', {\n        default: '80',\n        describe: 'listen on this port for outside requests'\n    })\n" +
			"    .options('max-sockets', {\n        default: 10,\n    })\n    .argv;\n\nconst server = CreateServer({});\nserver.listen(argv.port, argv.address);\n",
		"server.js": "import Koa from 'koa';\nexport default function(opt) {\n  const app = new Koa();\n  return require('http').createServer(app.callback());\n}\n",
	}
	s, err := Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.NodeFlagWords, " "); got != "-r esm" {
		t.Errorf("node's options %q, want -r esm", got)
	}
	if ev(s.Port) != "80@bin/server:11" || strings.Join(s.ArgWords, " ") != "--port 80" {
		t.Errorf("port %s, args %q: its --port option defaults to 80", ev(s.Port), s.ArgWords)
	}

	// A preload of a development dependency, an --env-file and
	// --inspect are left out and said; a production dependency's and a
	// plain option are kept.
	tree["Dockerfile"] = "FROM node:22\nCMD [\"node\", \"--env-file=.env\", \"--inspect\", \"-r\", \"ts-node/register\", \"-r\", \"esm\", \"--max-old-space-size=512\", \"bin/server\"]\n"
	tree["package.json"] = strings.Replace(tree["package.json"], `"mocha": "5.1.1"`, `"mocha": "5.1.1", "ts-node": "10.9.2"`, 1)
	if s, err = Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.NodeFlagWords, " "); got != "-r esm --max-old-space-size=512" {
		t.Errorf("node's options %q, want -r esm --max-old-space-size=512", got)
	}
	if s.NodeFlagsDropped == nil || s.NodeFlagsDropped.Value != "--env-file=.env --inspect -r ts-node/register" {
		t.Errorf("left out %v", s.NodeFlagsDropped)
	}
}

// h2non/imaginary v1.2.4 (MIT) registers every route through a function
// of its own, join(o, "/health") = path.Join(o.PathPrefix, route): the
// routes were not read, and init asked for a health route.
func TestGo_RouteThroughAPathJoiner(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod": "module example.com/imaginary\n\ngo 1.22\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"path\"\n)\n\ntype ServerOptions struct{ PathPrefix string }\n\n" +
			"func join(o ServerOptions, route string) string {\n\treturn path.Join(o.PathPrefix, route)\n}\n\n" +
			"func main() {\n\to := ServerOptions{}\n\tmux := http.NewServeMux()\n\tmux.Handle(join(o, \"/health\"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(\"ok\")) }))\n" +
			"\thttp.ListenAndServe(\":8088\", mux)\n}\n",
	})
	if got := ev(s.HealthPath); got != "/health@main.go:17" {
		t.Errorf("health %s, want /health (main.go:17, through join)", got)
	}
}

// A joiner whose parameter is the route and whose prefix is a string of
// the code's, or a parameter's field: the route is read under it; one
// that does anything else is no joiner.
func TestGo_PathJoinerPrefixes(t *testing.T) {
	for _, tc := range []struct{ joiner, want string }{
		{"func join(o Opts, route string) string {\n\treturn path.Join(o.PathPrefix, route)\n}\n", "/health"},
		{"func join(o Opts, route string) string {\n\treturn \"/api/v1\" + route\n}\n", "/api/v1/health"},
		{"func join(o Opts, route string) string {\n\treturn path.Join(\"/api\", o.PathPrefix, route)\n}\n", "/api/health"},
		{"func join(o Opts, route string) string {\n\treturn strings.ToLower(route)\n}\n", ""},
		{"func join(o Opts, route string) string {\n\treturn route + \"/\"\n}\n", ""},
	} {
		got := goRoutePaths(t, map[string]string{
			"go.mod": "module example.com/x\n\ngo 1.22\n",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"path\"\n\t\"strings\"\n)\n\ntype Opts struct{ PathPrefix string }\n\n" + tc.joiner +
				"\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(join(Opts{}, \"/health\"), nil)\n\thttp.ListenAndServe(\":8088\", mux)\n}\n",
		})
		if got != tc.want {
			t.Errorf("%s: routes %q, want %q", tc.joiner, got, tc.want)
		}
	}
}

// The twenty-seventh try's (2026-12-05), each a real repository's shape:
//   - fescipioni/docker-compose-node-redis: createClient({ / host:
//     'redis-server', / port: 6379 }) over three lines, missed (verify:
//     ENOTFOUND redis-server);
//   - brendanlong/page-stash: yargs' .option("p", { alias: "port",
//     default: 8000 }), missed (port 3000 assumed), and commander's
//     .option('-p, --port <port>', 'Port', parseInt, 3456);
//   - jeehyuni18/DataNet-api: require('mariadb'), no database;
//   - a mail host beside a Redis client is no Redis host.
func TestTrial27_NodeShapes(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name": "visits", "scripts": {"start": "node index.js"}, "dependencies": {"express": "^4.17.1", "redis": "^3.1.2", "mariadb": "^3.2.0", "nodemailer": "^6.9.0"}}`,
		"index.js": "const express = require('express');\nconst redis = require('redis');\nconst mariadb = require('mariadb');\n\nconst app = express();\nconst client = redis.createClient({\n    host: 'redis-server',\n    port: 6379\n});\n" +
			"const cache = redis.createClient(process.env.REDIS_URL);\nconst mailer = nodemailer.createTransport({\n    host: 'mailhog',\n    secure: false\n});\n" +
			"app.get('/healthz', (q, r) => r.send('ok'));\napp.listen(8081);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var hosts, dbs []string
	for _, h := range s.NamedHosts {
		hosts = append(hosts, h.Value+"="+h.Why+"@"+h.Where())
	}
	for _, d := range s.Databases {
		dbs = append(dbs, d.Value)
	}
	if got := strings.Join(hosts, " "); got != "redis=redis-server@index.js:7" {
		t.Errorf("named hosts %q, want redis=redis-server@index.js:7 alone", got)
	}
	if !slices.Contains(dbs, "mysql") {
		t.Errorf("databases %v: mariadb is MySQL's kind", dbs)
	}

	for _, tc := range []struct{ option, want string }{
		{"    .option(\"p\", {\n        alias: \"port\",\n        default: 8000,\n        type: \"number\",\n    })\n", "8000"},
		{"    .option('-p, --port <port>', 'the port', parseInt, 3456)\n", "3456"},
		{"    .option(\"p\", {\n        alias: \"parallel\",\n        default: 4,\n    })\n", ""},
	} {
		s, err := Detect(testutil.WriteTree(t, map[string]string{
			"package.json": `{"name": "stash", "scripts": {"start": "node index.js"}, "dependencies": {"express": "^4.17.1", "yargs": "^17.0.0"}}`,
			"index.js":     "const express = require('express');\nconst argv = require('yargs')\n" + tc.option + "    .argv;\nconst app = express();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(argv.port);\n",
		}))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if s.Port != nil {
			got = s.Port.Value
		}
		if got != tc.want {
			t.Errorf("%s: port %q, want %q", tc.option, got, tc.want)
		}
	}
}
