package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// glanceapp/glance 20672ee30bb2: its Dockerfile runs the program with
// --config /app/config/glance.yml, a file its users mount; docs/glance.yml
// is the sample. Where the repository holds the file the arguments name
// (at that path in /app, or relative to it), the image carries it beside
// the program; where it holds none, a note says so before the build,
// with the sample.
func TestDetect_ArgumentFiles(t *testing.T) {
	gomod := "module example.com/glance\n\ngo 1.24\n"
	main := "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n)\n\nfunc main() {\n\tc := flag.String(\"config\", \"glance.yml\", \"\")\n\tflag.Parse()\n\t_ = c\n\thttp.HandleFunc(\"/api/healthz\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	glanceDockerfile := "FROM golang:1.24 AS builder\nWORKDIR /app\nCOPY . /app\nRUN go build .\n\nFROM alpine:3.21\nWORKDIR /app\nCOPY --from=builder /app/glance .\nENTRYPOINT [\"/app/glance\", \"--config\", \"/app/config/glance.yml\"]\n"
	for _, c := range []struct {
		name    string
		files   map[string]string
		args    []string
		runtime string // RuntimeFiles
		missing string // MissingConfigs: value>repo~sample
	}{
		{"the Dockerfile names a file users mount; a sample in docs/",
			map[string]string{"Dockerfile": glanceDockerfile, "docs/glance.yml": "pages: []\n"},
			nil, "", "/app/config/glance.yml>config/glance.yml~docs/glance.yml@Dockerfile:9"},
		{"the user created it where the Dockerfile names it",
			map[string]string{"Dockerfile": glanceDockerfile, "docs/glance.yml": "pages: []\n", "config/glance.yml": "pages: []\n"},
			nil, "config/glance.yml@Dockerfile:9", ""},
		{"--args names the sample by a relative path",
			map[string]string{"docs/glance.yml": "pages: []\n"},
			[]string{"--config", "docs/glance.yml"}, "docs/glance.yml", ""},
		{"--args, flag=value",
			map[string]string{"conf/app.toml": "a = 1\n"},
			[]string{"--config=./conf/app.toml"}, "conf/app.toml", ""},
		{"a file git ignores is no file of a clone's; the marked copy is its sample",
			map[string]string{"config.yml.example": "a: 1\n", "config.yml": "a: 2\n", ".gitignore": "config.yml\n"},
			[]string{"-config", "config.yml"}, "", "config.yml>config.yml~config.yml.example"},
		{"an absolute path outside /app, no sample",
			map[string]string{},
			[]string{"--config=/etc/app/app.yaml"}, "", "/etc/app/app.yaml>~"},
		{"copied there by the repository's Dockerfile",
			map[string]string{"Dockerfile": "FROM busybox\nCOPY conf/app.yml /etc/app/app.yml\nENTRYPOINT [\"/bin/app\"]\nCMD [\"--config=/etc/app/app.yml\"]\n", "conf/app.yml": "a: 1\n"},
			nil, "", ""},
		{"a value that is no configuration file: a data path",
			map[string]string{},
			[]string{"--db", "/data/app.db", "--config-dir", "/etc/app"}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"go.mod": gomod, "main.go": main}
			for k, v := range c.files {
				files[k] = v
			}
			var opts []Option
			if c.args != nil {
				opts = append(opts, WithArgs(c.args))
			}
			s, err := Detect(testutil.WriteTree(t, files), opts...)
			if err != nil {
				t.Fatal(err)
			}
			var runtime, missing []string
			for _, e := range s.RuntimeFiles {
				if e.Why == "the program's arguments name it" {
					runtime = append(runtime, at(e.Value, e))
				}
			}
			for _, m := range s.MissingConfigs {
				missing = append(missing, at(m.Value+">"+m.Repo+"~"+m.Sample, m.Evidence))
			}
			if got := strings.Join(runtime, " "); got != c.runtime {
				t.Errorf("run-time files %q, want %q", got, c.runtime)
			}
			if got := strings.Join(missing, " "); got != c.missing {
				t.Errorf("missing configurations %q, want %q", got, c.missing)
			}
		})
	}
}

// at is value, and where it comes from when a file gives it.
func at(value string, e Evidence) string {
	if e.File == "" {
		return value
	}
	return fmt.Sprintf("%s@%s:%d", value, e.File, e.Line)
}

// The port of an app whose code gives none that init follows comes from
// how the repository's own Dockerfile runs it, before a framework's usual
// port: parse-server 8.x sets ENV PORT=1337 and exposes $PORT (its
// port's default sits in a table of options, Definitions.js); Unleash
// exposes 4242 (parseEnvVarNumber(process.env.HTTP_PORT ||
// process.env.PORT, 4242)); an ENV of a variable the code does not read
// is no port.
func TestDetect_InterpretedPortFromTheRepositorysDockerfile(t *testing.T) {
	pkg := `{"name": "p", "main": "server.js", "dependencies": {"express": "^4.18.0"}}`
	for _, c := range []struct {
		name, server, dockerfile, port, portVar string
	}{
		{"ENV PORT, read through a table", "const options = { port: { env: 'PORT', default: 1337 } };\nconst app = require('express')();\napp.get('/health', h);\napp.listen(options.port.value);\n",
			"FROM node:20\nWORKDIR /parse-server\nCOPY . .\nENV PORT=1337\nEXPOSE $PORT\nCMD [\"node\", \"server.js\"]\n", "1337@Dockerfile:4", "PORT"},
		{"EXPOSE alone", "const app = require('express')();\napp.get('/health', h);\napp.listen(config.port);\n",
			"FROM node:20\nCOPY . .\nEXPOSE 4242\nCMD [\"node\", \"server.js\"]\n", "4242@Dockerfile:3", ""},
		{"an ENV the code does not read, no EXPOSE", "const app = require('express')();\napp.get('/health', h);\napp.listen(config.port);\n",
			"FROM node:20\nCOPY . .\nENV PORT=1337\nCMD [\"node\", \"server.js\"]\n", "-", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, map[string]string{"package.json": pkg, "server.js": c.server, "Dockerfile": c.dockerfile}))
			if err != nil {
				t.Fatal(err)
			}
			got := "-"
			if s.Port != nil {
				got = at(s.Port.Value, *s.Port)
			}
			pv := ""
			if s.PortVar != nil {
				pv = s.PortVar.Value
			}
			if got != c.port || pv != c.portVar {
				t.Errorf("port %s, variable %q; want %s, %q", got, pv, c.port, c.portVar)
			}
		})
	}
}

// screego/server eab15068a1cd: envconfig.Process("screego", &config) over
// `ServerAddress string `default:":5050" split_words:"true"“, which
// envconfig reads from SCREEGO_SERVER_ADDRESS (without split_words it
// would be SCREEGO_SERVERADDRESS); its TURN server's address follows.
// flipped-aurora/gin-vue-admin 02f37833255e: config.yaml's email.port
// (465) is a mail server's, system.addr (8888) the app's.
func TestDetect_SplitWordsAndAnEmailSection(t *testing.T) {
	_, got := goShape(t, map[string]string{
		"go.mod":  "module github.com/screego/server\n\ngo 1.24\n\nrequire github.com/kelseyhightower/envconfig v1.4.0\n",
		"main.go": "package main\n\nimport \"github.com/screego/server/config\"\n\nfunc main() {\n\tconf := config.Get()\n\thttp.ListenAndServe(conf.ServerAddress, nil)\n}\n",
		"config/config.go": "package config\n\nvar (\n\tprefix = \"screego\"\n)\n\ntype Config struct {\n\tLogLevel string `default:\"info\" split_words:\"true\"`\n" +
			"\tServerAddress string `default:\":5050\" split_words:\"true\"`\n\tTurnAddress string `default:\":3478\" required:\"true\" split_words:\"true\"`\n}\n\n" +
			"func Get() Config {\n\tconfig := Config{}\n\tenvconfig.Process(prefix, &config)\n\treturn config\n}\n",
	})
	if got["port"] != "5050@config/config.go:9" || got["portvar"] != "SCREEGO_SERVER_ADDRESS@config/config.go:9" {
		t.Errorf("port %s, variable %s; want 5050 from SCREEGO_SERVER_ADDRESS, config/config.go:9", got["port"], got["portvar"])
	}
	key, e := configPortKey(strings.Split("system:\n  env: local\nemail:\n  host: smtp.qq.com\n  port: 465\nsystem2:\n  addr: 8888\n", "\n"))
	if e == nil || e.Value != "8888" || strings.Join(key, ".") != "system2.addr" {
		t.Errorf("config port %v %+v, want system2.addr 8888 (email.port is a mail server's)", key, e)
	}
}

// zincsearch/zincsearch 13d6c8c184b4: `DataPath string
// `env:"ZINC_DATA_PATH,default=./data"“, which its index library writes
// (the code makes no directory of it itself): a variable named for the
// data, defaulting to a directory in the working directory, on the
// read-only root. The image points it at the volume. A path named for
// something else (a template directory) with no mkdir stays as it is.
func TestDetect_ADataPathByItsName(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod":               "module github.com/zincsearch/zincsearch\n\ngo 1.24\n\nrequire github.com/sethvargo/go-envconfig v1.0.0\n",
		"main.go":              "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/zincsearch/zincsearch/pkg/config\"\n)\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", nil)\n\thttp.ListenAndServe(\":\"+config.Global.ServerPort, nil)\n}\n",
		"pkg/config/config.go": "package config\n\ntype config struct {\n\tServerPort string `env:\"ZINC_SERVER_PORT,default=4080\"`\n\tDataPath string `env:\"ZINC_DATA_PATH,default=./data\"`\n\tTemplatePath string `env:\"ZINC_TEMPLATE_PATH,default=./templates\"`\n}\n\nvar Global config\n",
	})
	if got := configDirs(s.ConfigWriteDirs); got != "ZINC_DATA_PATH=data@pkg/config/config.go:5" {
		t.Errorf("write dirs %q, want ZINC_DATA_PATH=data@pkg/config/config.go:5", got)
	}
}

// bradtraversy/devconnector_2.0 0da5372c1f26 reads its settings with
// node-config (config.get('mongoURI') in config/db.js), and git ignores
// config/default.json: the image's app throws at start. Said before the
// build; nothing when the repository holds config/default.* or
// config/production.*, or the code never requires the package.
func TestDetect_NodeConfigWithoutItsFile(t *testing.T) {
	files := map[string]string{
		"package.json": `{"name": "devconnector", "main": "server.js", "dependencies": {"config": "^3.3.3", "express": "^4.17.1", "mongoose": "^5.10.16"}}`,
		"server.js":    "const express = require('express');\nconst connectDB = require('./config/db');\nconst app = express();\nconnectDB();\napp.listen(process.env.PORT || 5000);\n",
		"config/db.js": "const mongoose = require('mongoose');\nconst config = require('config');\nconst db = config.get('mongoURI');\nmodule.exports = () => mongoose.connect(db);\n",
		".gitignore":   "node_modules/\nconfig/default.json\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.MissingConfigs) != 1 || s.MissingConfigs[0].Where() != "config/db.js:2" || s.MissingConfigs[0].Repo != "config/default.json" || !strings.Contains(s.MissingConfigs[0].Why, "git ignores it") {
		t.Fatalf("missing configs %+v, want node-config's config/default.json, from config/db.js:2", s.MissingConfigs)
	}
	files["config/production.json"] = "{\"mongoURI\": \"mongodb://mongo/app\"}\n"
	if s, _ = Detect(testutil.WriteTree(t, files)); len(s.MissingConfigs) != 0 {
		t.Errorf("missing configs %+v with config/production.json in the tree", s.MissingConfigs)
	}
}
