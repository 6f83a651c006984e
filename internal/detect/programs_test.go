package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// programsOf is what Detect finds the code runs, as "name@file:line".
func programsOf(t *testing.T, files map[string]string, opts ...Option) string {
	t.Helper()
	s, err := Detect(testutil.WriteTree(t, files), opts...)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := range s.Programs {
		out = append(out, ev(&s.Programs[i]))
	}
	return strings.Join(out, " ")
}

const goModEcho = "module example.com/gists\n\ngo 1.25\n\nrequire github.com/labstack/echo/v4 v4.12.0\n"

// The shapes of thomiceli/opengist (internal/git/commands.go:81, git for
// every gist, and its version read at start), a transcoder's
// CommandContext spread over lines, an aliased os/exec, and the calls
// that are no program the image must hold: a browser opened on a
// developer's desktop, the repository's own script, another program's
// call (cmd/importer, not the server), and a test's.
func TestPrograms_Go(t *testing.T) {
	got := programsOf(t, map[string]string{
		"go.mod": goModEcho,
		"main.go": "package main\n\nimport (\n\t\"github.com/labstack/echo/v4\"\n\t\"example.com/gists/internal/git\"\n)\n\n" +
			"func main() {\n\te := echo.New()\n\te.GET(\"/healthcheck\", nil)\n\tgit.Version()\n\te.Start(\":6157\")\n}\n",
		"internal/git/commands.go": "package git\n\nimport (\n\t\"context\"\n\t\"os/exec\"\n\t\"runtime\"\n)\n\n" +
			"func Version() ([]byte, error) { return exec.Command(\"git\", \"--version\").Output() }\n\n" +
			"func Thumb(ctx context.Context, in string) error {\n\tcmd := exec.CommandContext(\n\t\tctx,\n\t\t\"ffmpeg\",\n\t\t\"-i\", in,\n\t)\n\treturn cmd.Run()\n}\n\n" +
			"func Browse(url string) {\n\tif runtime.GOOS == \"linux\" {\n\t\texec.Command(\"xdg-open\", url).Start()\n\t}\n\texec.Command(\"./scripts/hook.sh\").Run()\n}\n",
		"internal/git/backup.go":        "package git\n\nimport osexec \"os/exec\"\n\nfunc Dump() error { return osexec.Command(\"/usr/bin/pg_dump\", \"-Fc\").Run() }\n",
		"internal/git/commands_test.go": "package git\n\nimport \"os/exec\"\n\nfunc setup() { exec.Command(\"docker\", \"run\").Run() }\n",
		"cmd/importer/main.go":          "package main\n\nimport \"os/exec\"\n\nfunc main() { exec.Command(\"kubectl\", \"apply\").Run() }\n",
	}, WithEntrypoint("."))
	if want := "ffmpeg@internal/git/commands.go:12 git@internal/git/commands.go:9 pg_dump@internal/git/backup.go:5"; got != want {
		t.Errorf("programs %s, want %s", got, want)
	}
}

// The shapes of kindliai/pcm2mp3 (`const { exec } = require('child_process')`
// and exec(`ffmpeg ... ${inFile} ...`)), of `var spawn =
// require('child_process').spawn`, and of node: imports; and what is no
// program: a database's exec, a RegExp's, a command line whose program is a
// variable (ffmpeg-static's path), a file the entry point never loads.
func TestPrograms_Node(t *testing.T) {
	got := programsOf(t, map[string]string{
		"package.json": `{"name": "convert", "main": "server.js", "dependencies": {"express": "^4.19.2", "better-sqlite3": "^11.0.0"}}`,
		"server.js": "const express = require('express');\nconst { exec }= require('child_process');\nconst db = require('./db');\nconst thumbs = require('./thumbs');\nconst version = require('./version');\n" +
			"const app = express();\napp.post('/convert', (req, res) => {\n  exec(`ffmpeg -f s16le -i ${req.file.path} out.mp3`, () => res.end());\n});\n" +
			"app.get('/health', (req, res) => res.send('ok'));\napp.listen(3000);\n",
		"db.js": "const Database = require('better-sqlite3');\nconst cp = require('child_process');\nconst db = new Database('app.db');\n" +
			"db.exec('CREATE TABLE IF NOT EXISTS jobs (id INTEGER)');\n/^v(\\d+)/.exec('v1');\nmodule.exports = { db, backup: () => cp.execFileSync('/usr/bin/sqlite3', ['app.db', '.dump']) };\n",
		"thumbs.js": "import { spawn } from 'node:child_process';\nimport ffmpegPath from 'ffmpeg-static';\nimport child_process from 'child_process';\n\n" +
			"export const thumb = (f) => spawn(\n  'convert',\n  [f, '-resize', '64x64', f + '.png'],\n);\nexport const probe = (f) => child_process.exec(`${ffmpegPath} -i ${f}`);\n",
		"tools/release.js": "const { execSync } = require('child_process');\nexecSync('git tag v1');\n",
		"version.js":       "const { execSync } = require('child_process');\nmodule.exports = () => execSync('git rev-parse --short HEAD').toString();\n",
	})
	if want := "convert@thumbs.js:5 ffmpeg@server.js:8 sqlite3@db.js:6"; got != want {
		t.Errorf("programs %s, want %s", got, want)
	}
}

// The shape of louislam/dockge: a TypeScript server run from its build's
// output, whose backend runs `docker compose` through
// promisify-child-process, and release scripts beside it (extra/) that
// run git and docker and that the server never loads.
func TestPrograms_NodeCompiledEntryAndAWrapperModule(t *testing.T) {
	got := programsOf(t, map[string]string{
		"package.json":     `{"name": "dockge", "scripts": {"build": "tsc", "start": "node dist/backend/index.js"}, "dependencies": {"express": "~4.21.0", "promisify-child-process": "~4.1.2"}}`,
		"tsconfig.json":    `{"compilerOptions": {"outDir": "dist"}}`,
		"backend/index.ts": "import { DockgeServer } from \"./dockge-server\";\nnew DockgeServer().serve();\n",
		"backend/dockge-server.ts": "import express from \"express\";\nimport childProcessAsync from \"promisify-child-process\";\nimport { Stack } from \"./stack\";\n" +
			"export class DockgeServer {\n  async networks() {\n    let res = await childProcessAsync.spawn(\"docker\", [ \"network\", \"ls\" ], { encoding: \"utf-8\" });\n  }\n  serve() { express().listen(5001); }\n}\n",
		"backend/stack.ts":        "import childProcessAsync from \"promisify-child-process\";\nexport class Stack {\n  ps() { return childProcessAsync.spawn(\"docker\", [\"compose\", \"ps\"]); }\n}\n",
		"extra/update-version.ts": "import childProcess from \"child_process\";\nchildProcess.spawnSync(\"git\", [ \"commit\", \"-m\", msg ]);\n",
		"extra/test-docker.ts":    "import { exec } from \"child_process\";\nexec(\"docker ps\", () => {});\n",
	})
	if want := "docker@backend/dockge-server.ts:6"; got != want {
		t.Errorf("programs %s, want %s", got, want)
	}
}

// The shapes of Shoury-Rana/git2llm (subprocess.run(["git", "clone", ...])),
// a module imported under another name with its list on the next line,
// a function imported by name, os.system; and what runs nothing: Flask's
// app.run, asyncio.run, a test's and a release script's calls.
func TestPrograms_Python(t *testing.T) {
	got := programsOf(t, map[string]string{
		"requirements.txt": "flask==3.0.3\n",
		"app.py": "import subprocess\nimport asyncio\nfrom flask import Flask\nfrom backup import dump\n\napp = Flask(__name__)\n\n" +
			"@app.route('/', methods=['POST'])\ndef index():\n    subprocess.run([\"git\", \"clone\", request.form['url'], 'repo'], check=True)\n    return 'ok'\n\n" +
			"if __name__ == '__main__':\n    asyncio.run(main())\n    app.run(host='0.0.0.0', port=5000)\n",
		"backup.py": "import os\nimport subprocess as sp\nfrom subprocess import check_output as out, Popen\n\n" +
			"def dump():\n    return sp.check_output(\n        ['pg_dump', '--format=custom'])\n\n" +
			"def probe(f):\n    return out(f'ffprobe -show_format {f}', shell=True)\n\ndef render():\n    os.system('clear')\n    os.system('lilypond score.ly')\n",
		"tests/test_app.py":  "import subprocess\n\ndef test_x():\n    subprocess.run(['docker', 'compose', 'up'])\n",
		"scripts/release.py": "import subprocess\nsubprocess.run(['twine', 'upload'])\n",
	})
	if want := "ffprobe@backup.py:10 git@app.py:10 lilypond@backup.py:14 pg_dump@backup.py:6"; got != want {
		t.Errorf("programs %s, want %s", got, want)
	}
}

func TestPrograms_Rust(t *testing.T) {
	got := programsOf(t, map[string]string{
		"Cargo.toml": "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\naxum = \"0.7\"\ntokio = { version = \"1\", features = [\"full\"] }\n",
		"src/main.rs": "use std::process::Command;\n\n#[tokio::main]\nasync fn main() {\n    let out = Command::new(\"git\").arg(\"--version\").output();\n" +
			"    let app = axum::Router::new().route(\"/health\", axum::routing::get(|| async { \"ok\" }));\n" +
			"    let l = tokio::net::TcpListener::bind(\"0.0.0.0:3000\").await.unwrap();\n    axum::serve(l, app).await.unwrap();\n}\n",
		"build.rs": "fn main() { std::process::Command::new(\"protoc\").status().unwrap(); }\n",
	})
	if want := "git@src/main.rs:5"; got != want {
		t.Errorf("programs %s, want %s", got, want)
	}
}

// Libraries that run a program themselves (simple-git, pydub, pdf2image,
// ffmpeg-go), a promisified exec (execAsync('git log ...')), and a command
// held in a variable (kis555555/React-Node's `const cmd = `git log ...“
// then execSync(cmd)); a module of the repository's own named git is no
// library, and a variable given two commands says nothing.
func TestPrograms_LibrariesAliasesVariables(t *testing.T) {
	node := programsOf(t, map[string]string{
		"package.json": `{"name": "log", "main": "index.js", "dependencies": {"express": "^4.19.2", "simple-git": "^3.25.0"}}`,
		"index.js": "const express = require('express');\nconst simpleGit = require('simple-git');\nconst log = require('./log');\n" +
			"const app = express();\napp.get('/commits', async (req, res) => res.json(await simpleGit().log()));\napp.listen(3001);\n",
		"log.js": "import { exec, execSync } from 'child_process'\nimport { promisify } from 'util'\nconst execAsync = promisify(exec)\n" +
			"const cmd = `hg log --template '{node}'`\nexport const all = () => execSync(cmd, { encoding: 'utf8' })\n" +
			"export const recent = () => execAsync('svn log -l 20')\nlet which = 'a'\nwhich = 'b'\nexport const odd = () => execSync(which)\n",
	})
	if want := "git@index.js:2 hg@log.js:5 svn@log.js:6"; node != want {
		t.Errorf("node programs %s, want %s", node, want)
	}
	// A TypeScript import of types alone loads nothing (imputnet/cobalt's
	// web/src/lib/libav.ts:5, import type { FfprobeData } from
	// "fluent-ffmpeg"): no ffmpeg to install.
	types := programsOf(t, map[string]string{
		"package.json": `{"name": "web", "main": "dist/index.js", "dependencies": {"express": "^4.19.2", "fluent-ffmpeg": "^2.1.3"}}`,
		"src/index.ts": "import express from 'express';\nimport type { FfprobeData } from \"fluent-ffmpeg\";\nexport type Probe = FfprobeData;\nexpress().listen(3000);\n",
	})
	if types != "" {
		t.Errorf("a type-only import runs %s", types)
	}
	py := programsOf(t, map[string]string{
		"requirements.txt": "flask==3.0.3\npydub==0.25.1\npdf2image==1.17.0\n",
		"app.py": "import os\nfrom flask import Flask\nfrom pydub import AudioSegment\nfrom pdf2image import convert_from_path\nimport git\n\n" +
			"app = Flask(__name__)\nCMD = f\"pg_dump --format=custom {os.environ['DATABASE_URL']}\"\n\n@app.route('/backup')\ndef backup():\n    os.system(CMD)\n    return 'ok'\n",
		"git.py": "def log():\n    return []\n",
	})
	if want := "ffmpeg@app.py:3 pdftoppm@app.py:4 pg_dump@app.py:12"; py != want {
		t.Errorf("python programs %s, want %s", py, want)
	}
	goProg := programsOf(t, map[string]string{
		"go.mod":  "module x\n\ngo 1.25\n\nrequire github.com/u2takey/ffmpeg-go v0.5.0\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\tffmpeg \"github.com/u2takey/ffmpeg-go\"\n)\n\nfunc main() {\n\t_ = ffmpeg.Input(\"in.mp4\")\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
	})
	if want := "ffmpeg@main.go:6"; goProg != want {
		t.Errorf("go programs %s, want %s", goProg, want)
	}
}

// What a fresh-eyes review found running nothing: clap's builder
// (Command::new("srv")), a file for another platform (mem_darwin.go's
// sysctl, a //go:build windows file), git asked for the repository's own
// commit as a list of arguments, and a service manager a self-install
// subcommand calls.
func TestPrograms_ReviewedFalsePositives(t *testing.T) {
	rust := programsOf(t, map[string]string{
		"Cargo.toml":  "[package]\nname = \"srv\"\nversion = \"0.1.0\"\n\n[dependencies]\nclap = \"4\"\naxum = \"0.7\"\n",
		"src/main.rs": "use clap::{Arg, Command};\n\nfn main() {\n    let m = Command::new(\"srv\")\n        .arg(Arg::new(\"port\"))\n        .get_matches();\n}\n",
	})
	if rust != "" {
		t.Errorf("clap's Command::new read as a program: %s", rust)
	}
	goProg := programsOf(t, map[string]string{
		"go.mod":          "module x\n\ngo 1.25\n",
		"main.go":         "package main\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc install() { exec.Command(\"systemctl\", \"daemon-reload\").Run() }\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"mem_darwin.go":   "package main\n\nimport \"os/exec\"\n\nfunc mem() { exec.Command(\"sysctl\", \"hw.memsize\").Output() }\n",
		"info_windows.go": "package main\n\nimport \"os/exec\"\n\nfunc info() { exec.Command(\"systeminfo\").Output() }\n",
		"tagged.go":       "//go:build windows\n\npackage main\n\nimport \"os/exec\"\n\nfunc ver() { exec.Command(\"wmic2\").Output() }\n",
		"linux.go":        "package main\n\nimport \"os/exec\"\n\nfunc head() { exec.Command(\"git\", \"rev-parse\", \"--short\", \"HEAD\").Output() }\n",
	})
	if goProg != "" {
		t.Errorf("programs %q, want none", goProg)
	}
	py := programsOf(t, map[string]string{
		"requirements.txt": "flask==3.0.3\n",
		"app.py": "import subprocess\nfrom flask import Flask\napp = Flask(__name__)\n" +
			"VERSION = subprocess.check_output([\"git\", \"rev-parse\", \"--short\", \"HEAD\"]).decode()\n@app.get('/health')\ndef health():\n    return VERSION\n",
	})
	if py != "" {
		t.Errorf("git rev-parse as a list read as a program: %s", py)
	}
}

// Common Python shapes the review found missed, and a dependency's own
// command: `import os, subprocess`; Black's call with its list on the
// lines below; a list held in a variable that opens on its line; alembic,
// which requirements.txt brings, is no Debian program.
func TestPrograms_PythonShapesAndDependencyCommands(t *testing.T) {
	got := programsOf(t, map[string]string{
		"requirements.txt": "flask==3.0.3\nalembic==1.13.2\n",
		"app.py": "import os, subprocess\nfrom flask import Flask\napp = Flask(__name__)\n\n" +
			"def dump():\n    subprocess.run(\n        [\n            \"pg_dump\",\n            \"--format=custom\",\n        ],\n        check=True,\n    )\n\n" +
			"CMD = [\n    \"ffmpeg\",\n    \"-i\",\n]\n\ndef convert():\n    subprocess.run(CMD)\n\ndef migrate():\n    subprocess.run([\"alembic\", \"upgrade\", \"head\"])\n",
	})
	if want := "ffmpeg@app.py:20 pg_dump@app.py:6"; got != want {
		t.Errorf("programs %s, want %s", got, want)
	}
}
