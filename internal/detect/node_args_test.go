package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_NodeProgramArgs: what the command that runs the program passes
// it after its file reaches the image, which runs it without a shell. peer
// 1.0.2 as published: `node dist/bin/peerjs.js --port ${PORT:=9000}`; run
// without the flag it printed its usage and exited.
func TestDetect_NodeProgramArgs(t *testing.T) {
	peer := `{"name": "peer", "main": "dist/index.cjs", "bin": {"peerjs": "dist/bin/peerjs.js"},
  "scripts": {
    "start": "node dist/bin/peerjs.js --port ${PORT:=9000}"
  },
  "dependencies": {"express": "4"}}`
	listens := "const app = require('express')();\napp.listen(opts.port);\n"
	for name, tc := range map[string]struct {
		files      map[string]string
		opts       []Option
		args, port string // "" for none; port "-" for not from the arguments
		need       string // a part of the stop, "" for none
	}{
		"peer's start script": {files: map[string]string{"package.json": peer, "dist/bin/peerjs.js": listens},
			args: "--port 9000@package.json:3", port: "9000@package.json:3"},
		"--port=VALUE and other words": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js --port=4000 --db data/db.json"}}`, "server.js": listens, "data/db.json": "{}\n"},
			args: "--port=4000 --db data/db.json@package.json:1", port: "4000@package.json:1"},
		"--args gives the port": {files: map[string]string{"package.json": `{"name": "x"}`, "server.js": listens},
			opts: []Option{WithArgs([]string{"--port", "7000"})}, args: "--port 7000@:0", port: "7000@:0"},
		"a Dockerfile's CMD": {files: map[string]string{
			"package.json": `{"name": "x"}`, "Dockerfile": "FROM node:24\nCMD [\"node\", \"server.js\", \"serve\", \"--verbose\"]\n", "server.js": listens},
			args: "serve --verbose@Dockerfile:2", port: "-"},
		// A file the arguments name that the repository lacks: statsd's
		// Dockerfile makes config.js with a RUN before its ENTRYPOINT.
		"a file the repository lacks": {files: map[string]string{
			"package.json": `{"name": "statsd"}`, "stats.js": listens, "exampleConfig.js": "({port: 8125})\n",
			"Dockerfile": "FROM node:12.8.3\nCOPY . /usr/src/app\nRUN cp -v exampleConfig.js config.js\nENTRYPOINT [ \"node\", \"stats.js\", \"config.js\" ]\n"},
			port: "-", need: "create config.js in the repository, or pass the program's arguments with --args: Dockerfile ENTRYPOINT passes `config.js`"},
		// Heroku's shape: the image passes the port it sets.
		"$PORT": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js --port $PORT"}}`, "server.js": listens},
			args: "--port $PORT@package.json:1", port: "-"},
		"a Procfile's --port=$PORT": {files: map[string]string{
			"package.json": `{"name": "x"}`, "Procfile": "web: node server.js --port=$PORT\n", "server.js": listens},
			args: "--port=$PORT@Procfile:1", port: "-"},
		// The log goes to stdout; a quoted word keeps its space and a
		// quoted * is a word (the image has no shell to expand either).
		"a redirection, a quoted word, a quoted star": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js --title \"my app\" --cors \"*\" > app.log 2>&1"}}`, "server.js": listens},
			args: "--title my app --cors *@package.json:1", port: "-"},
		// nodemon takes its options anywhere; the program's follow --.
		"nodemon's options": {files: map[string]string{
			"package.json": `{"scripts": {"start": "nodemon server.js --watch src -e js,json --config nodemon.json -- --verbose"}}`, "server.js": listens},
			args: "--verbose@package.json:1", port: "-"},
		"npm start -- --port 8000": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js", "prod": "npm start -- --port 8000"}}`, "server.js": listens},
			args: "--port 8000@package.json:1", port: "8000@package.json:1"},
		// yarn and pnpm append every word after the script's name, npm
		// only those after -- (its others are npm's own).
		"yarn start --port 8000": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js", "prod": "yarn start --port 8000"}}`, "server.js": listens, "yarn.lock": ""},
			args: "--port 8000@package.json:1", port: "8000@package.json:1"},
		"pnpm run start -- --port 8000": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js", "prod": "pnpm run start -- --port 8000"}}`, "server.js": listens},
			args: "--port 8000@package.json:1", port: "8000@package.json:1"},
		"npm start --port 8000 passes npm's flag, not the program's": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js", "prod": "npm start --port 8000"}}`, "server.js": listens},
			args: "", port: "-"},
		// Files: one the app writes on its first run (git ignores it),
		// an empty one and a large one that are there, a key=value word.
		"files the app makes, empty and large files, key=value": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node -r dotenv/config server.js db.json routes.json big.json dotenv_config_path=.env.local"}}`,
			".gitignore":   "db.json\n", "routes.json": "", "big.json": strings.Repeat("x", 600<<10), "server.js": listens},
			args: "db.json routes.json big.json dotenv_config_path=.env.local@package.json:1", port: "-"},
		"--config=FILE missing": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js --config=config/prod.json"}}`, "server.js": listens},
			port: "-", need: "create config/prod.json in the repository"},
		// -p may be anything (a profile): only --port is the port.
		"-p is not the port": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js -p 4"}}`, "server.js": "app.listen(8080)\n"},
			args: "-p 4@package.json:1", port: "8080@server.js:1"},
		"nothing after the file": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js"}}`, "server.js": listens}, port: "-"},
		// pm2-runtime's words after the file are its own (-i max).
		"pm2-runtime": {files: map[string]string{
			"package.json": `{"scripts": {"start": "pm2-runtime server.js -i max"}}`, "server.js": listens}, port: "-"},
		// A variable without a default needs a shell the image lacks:
		// init stops and asks for --args.
		"a variable without a default": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js --config $CONFIG_FILE"}}`, "server.js": listens},
			port: "-", need: "pass the program's arguments with --args: package.json scripts.start passes `--config $CONFIG_FILE`"},
		"--args settles it": {files: map[string]string{
			"package.json": `{"scripts": {"start": "node server.js --config $CONFIG_FILE"}}`, "server.js": listens},
			opts: []Option{WithArgs([]string{"--config", "/etc/app.json"})}, args: "--config /etc/app.json@:0", port: "-"},
		"--args with nothing": {files: map[string]string{"package.json": peer, "dist/bin/peerjs.js": listens},
			opts: []Option{WithArgs(nil)}, port: "-"},
		// Another program chosen: the start script's arguments are not its.
		"another entry point": {files: map[string]string{"package.json": peer, "dist/bin/peerjs.js": listens, "other.js": listens},
			opts: []Option{WithEntrypoint("other.js")}, port: "-"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := testutil.WriteTree(t, tc.files)
			s, err := DetectAs(dir, "node", tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			at := func(e *Evidence) string {
				if e == nil {
					return ""
				}
				return fmt.Sprintf("%s@%s:%d", e.Value, e.File, e.Line)
			}
			if got := at(s.Args); got != tc.args {
				t.Errorf("args %q, want %q", got, tc.args)
			}
			if tc.port == "-" {
				if s.Port != nil && strings.Contains(s.Port.Why, " passes ") {
					t.Errorf("port %+v from arguments, want none", s.Port)
				}
			} else if got := at(s.Port); got != tc.port {
				t.Errorf("port %q, want %q", got, tc.port)
			}
			var needs []string
			for _, n := range s.Needs {
				needs = append(needs, n.Value)
			}
			if all := strings.Join(needs, "\n"); tc.need == "" && all != "" || !strings.Contains(all, tc.need) {
				t.Errorf("needs %q, want %q", all, tc.need)
			}
		})
	}
}

// TestDetect_NodeProgramArgs_Peer: peer 1.0.2 as npm serves it
// (testdata/npm): the program its start script runs, the arguments with
// the port, and the health route in the dist/ it ships. Before, its image
// ran dist/bin/peerjs.js without --port and it exited with its usage.
func TestDetect_NodeProgramArgs_Peer(t *testing.T) {
	dir := t.TempDir() // outside this repository's git, which ignores dist/
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "testdata", "npm", "peer-1.0.2"))); err != nil {
		t.Fatal(err)
	}
	s, err := DetectAs(dir, "node")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for k, e := range map[string]*Evidence{"port": s.Port, "args": s.Args, "health": s.HealthPath} {
		if e != nil {
			got[k] = fmt.Sprintf("%s@%s:%d", e.Value, e.File, e.Line)
		}
	}
	if len(s.Entrypoints) > 0 {
		got["entry"] = s.Entrypoints[0].Value
	}
	want := map[string]string{"entry": "dist/bin/peerjs.js", "port": "9000@package.json:71", "args": "--port 9000@package.json:71",
		"health": "/@dist/bin/peerjs.js:2"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
	if len(s.Needs) > 0 || len(s.Ambiguous) > 0 {
		t.Errorf("needs %+v, open choices %+v", s.Needs, s.Ambiguous)
	}
}

// A file the program's arguments name goes into the image with it
// (json-server's `--args fixtures/db.json`: its compiled image holds
// lib/ alone otherwise, and it stopped on "File fixtures/db.json not
// found"); a flag's value too; a word that names nothing is no file, and
// an env file or a key stays out.
func TestDetect_ArgumentFilesAreCarried(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"package.json":     `{"scripts": {"start": "node dist/server.js"}, "devDependencies": {"typescript": "5"}}`,
		"tsconfig.json":    `{"compilerOptions": {"outDir": "dist"}}`,
		"src/server.ts":    "require('http').createServer(h).listen(3000)\n",
		"fixtures/db.json": "{}\n", "conf/app.json": "{}\n", ".env.local": "A=1\n", "certs/tls.key": "k\n",
	})
	s, err := DetectAs(dir, "node", WithArgs([]string{"fixtures/db.json", "--config=conf/app.json", "--watch", "nothing.json", "--env-file=.env.local", "certs/tls.key"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range s.RuntimeFiles {
		got = append(got, e.Value)
	}
	if strings.Join(got, " ") != "fixtures/db.json conf/app.json" {
		t.Errorf("run-time files %v, want fixtures/db.json conf/app.json", got)
	}
}

// The lines .env.example gets from the repository's example file are
// NAME=value, as kubectl create secret --from-env-file reads them too
// (no quotes, no comment), and a secret or an address that holds a
// password is left to fill in.
func TestExampleEnv_LinesAndSecrets(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"package.json": `{"scripts": {"start": "node server.js"}}`,
		"server.js":    "require('http').createServer(h).listen(3000)\n",
		".env.sample": "FEED_URL=postgres://reader:s3cret@db/feeds\nFEED_NAME=\"News today\" # shown in the title\nexport LOG_LEVEL=info\n" +
			"STRIPE_KEY=sk_live_51HxQ2eLkdIwHu7ixTS1q7m\nSESSION_SECRET=changeme\n",
	})
	s, err := DetectAs(dir, "node")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range s.ExampleEnv {
		lines = append(lines, e.Why)
	}
	if got, want := strings.Join(lines, "\n"), "FEED_URL=\nFEED_NAME=News today\nLOG_LEVEL=info\nSTRIPE_KEY=\nSESSION_SECRET="; got != want {
		t.Errorf("lines:\n%s\nwant:\n%s", got, want)
	}
}

// TestSecretPath: paths a rule of init's never puts in an image, and the
// .dockerignore lines init --force keeps, are one pattern; what either
// of the two patterns it replaced matched, it matches.
func TestSecretPath(t *testing.T) {
	for _, p := range []string{
		".env", ".env.local", "config/.env", "env.production", "app.env", "**/.env*", ".envrc",
		"certs/tls.pem", "*.pem", "server.key", "server.key.bak", "store.p12", "keystore.jks", "release.keystore",
		"secrets/", "config/secrets.yml", "credentials.json", "**/credentials", "passwords.txt", ".htpasswd", "token.txt",
		"id_rsa", "id_ed25519.pub", ".npmrc", ".pypirc", ".netrc", ".aws/", ".ssh/config", ".gnupg", ".docker/config.json",
		"service-account.json", "serviceaccount.json",
	} {
		if !SecretPath.MatchString(p) {
			t.Errorf("SecretPath does not match %q", p)
		}
	}
	for _, p := range []string{
		"src/app.ts", "public/index.html", "fixtures/db.json", ".dockerignore", "docker-compose.yml", "src/environment.ts",
		"docs/keys.md", "environments/", "node_modules", "dist/", "conf/app.ini",
	} {
		if SecretPath.MatchString(p) {
			t.Errorf("SecretPath matches %q, no secret", p)
		}
	}
}

// TestGitIgnored: what git ignores is read as git reads it, from every
// .gitignore that applies: a nested one (fixtures/.gitignore), the
// repository's root above a service in a subdirectory, git's own exclude
// file, a directory's re-inclusion of a file; outside git, the service's
// own files only.
func TestGitIgnored(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		".git/HEAD":               "ref: refs/heads/main\n",
		".git/info/exclude":       "*.swp\n",
		".gitignore":              "*.local.json\n/api/tmp/\n",
		"api/.gitignore":          "db.sqlite\n",
		"api/fixtures/.gitignore": "generated.json\n!keep.local.json\n",
		"api/fixtures/db.json":    "{}\n",
		"api/tmp/x":               "1\n",
	})
	r := &repo{dir: filepath.Join(root, "api"), lines: map[string][]string{}, lang: "node"}
	for p, want := range map[string]bool{
		"fixtures/db.json":         false,
		"fixtures/generated.json":  true,  // the nested .gitignore
		"fixtures/a.local.json":    true,  // the repository's root, above the service
		"fixtures/keep.local.json": false, // re-included by the deeper file
		"db.sqlite":                true,  // the service's own
		"tmp/x":                    true,  // the root's anchored /api/tmp/, a directory above it
		"main.js.swp":              true,  // .git/info/exclude
		"main.js":                  false,
	} {
		if got := r.gitIgnored(p); got != want {
			t.Errorf("gitIgnored(%q) = %v, want %v", p, got, want)
		}
	}
	// Outside git, a .gitignore above the service is not the service's.
	outside := testutil.WriteTree(t, map[string]string{".gitignore": "*.json\n", "svc/.gitignore": "db.sqlite\n", "svc/a.json": "{}\n"})
	r = &repo{dir: filepath.Join(outside, "svc"), lines: map[string][]string{}, lang: "node"}
	if r.gitIgnored("a.json") || !r.gitIgnored("db.sqlite") {
		t.Errorf("outside git: a.json ignored %v (want false), db.sqlite %v (want true)", r.gitIgnored("a.json"), r.gitIgnored("db.sqlite"))
	}
}
