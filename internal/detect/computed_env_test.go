package detect

import (
	"maps"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// psi-4ward/psitransfer reads each config key from a variable whose name
// it computes ('PSITRANSFER_' + the key in upper snake case, config.js:80)
// and its Dockerfile sets PSITRANSFER_UPLOAD_DIR=/data, a VOLUME: that
// is the data directory's variable (the app had failed on EROFS mkdir
// '/app/data'). A prefix the code does not read by index, or a variable
// of another prefix, is no read.
func TestDetect_ComputedEnvNameRead(t *testing.T) {
	files := map[string]string{
		"package.json": `{"name":"psitransfer","main":"app.js","scripts":{"start":"node app.js"},"dependencies":{"express":"4"}}`,
		"app.js":       "const config = require('./config');\nconst app = require('express')();\napp.get('/', (req, res) => res.end());\napp.listen(config.port);\n",
		"config.js": "const path = require('path');\nconst config = {\n  uploadDir: path.resolve(__dirname + '/data'),\n  port: 3000,\n};\nlet envName;\nfor (let k in config) {\n" +
			"  envName = 'PSITRANSFER_' + k.replace(/([A-Z])/g, $1 => \"_\" + $1).toUpperCase();\n  if (process.env[envName]) {\n    config[k] = process.env[envName];\n  }\n}\nmodule.exports = config;\n",
		"Dockerfile": "FROM node:20\nENV PSITRANSFER_UPLOAD_DIR=/data \\\n    NODE_ENV=production \\\n    OTHER_DIR=/other\nWORKDIR /app\nCOPY . .\nVOLUME [\"/data\"]\nCMD [\"node\", \"app.js\"]\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev(s.DataDirVar); got != "PSITRANSFER_UPLOAD_DIR@Dockerfile:2" {
		t.Errorf("data directory variable %s, want PSITRANSFER_UPLOAD_DIR@Dockerfile:2", got)
	}
	for _, e := range s.Env {
		if e.Value == "OTHER_DIR" {
			t.Errorf("a variable of another prefix taken for a read: %s", ev(&e))
		}
	}
	// A prefix with an underscore inside, and a template literal.
	for _, code := range []string{
		"const c = { uploadDir: '/x' };\nfor (const k in c) {\n  const n = 'PSI_TRANSFER_' + k.toUpperCase();\n  if (process.env[n]) c[k] = process.env[n];\n}\nmodule.exports = c;\n",
		"const c = { uploadDir: '/x' };\nfor (const k in c) {\n  const n = `PSI_TRANSFER_${k.toUpperCase()}`;\n  if (process.env[n]) c[k] = process.env[n];\n}\nmodule.exports = c;\n",
	} {
		f := maps.Clone(files)
		f["config.js"] = code
		f["Dockerfile"] = strings.Replace(f["Dockerfile"], "PSITRANSFER_UPLOAD_DIR", "PSI_TRANSFER_UPLOAD_DIR", 1)
		s, err := Detect(testutil.WriteTree(t, f))
		if err != nil {
			t.Fatal(err)
		}
		if got := ev(s.DataDirVar); got != "PSI_TRANSFER_UPLOAD_DIR@Dockerfile:2" {
			t.Errorf("data directory variable %s, want PSI_TRANSFER_UPLOAD_DIR@Dockerfile:2 from %q", got, code)
		}
	}
	files["config.js"] = "const envName = 'PSITRANSFER_' + 'X';\nmodule.exports = { port: 3000 };\n"
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if s.DataDirVar != nil {
		t.Errorf("data directory variable %s from a prefix the code never reads by index", ev(s.DataDirVar))
	}
}

// psitransfer's server serves public/app (lib/endpoints.js:96,
// express.static(path.join(__dirname, '../public/app'))), where git keeps
// only a .gitignore; app/'s build runs webpack, whose webpack.config.js
// puts its output there (output.path ../public/app). That is the front
// end, built in a stage of its own (the verify run had passed with the
// page's bundles answering 404).
func TestDetect_NodeFrontendByWebpack(t *testing.T) {
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json":          `{"name":"psitransfer","main":"app.js","scripts":{"start":"node app.js"},"dependencies":{"express":"4"}}`,
		"app.js":                "const app = require('./lib/endpoints');\napp.listen(3000);\n",
		"lib/endpoints.js":      "const path = require('path');\nconst express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.end());\napp.use('/app', express.static(path.join(__dirname, '../public/app')));\nmodule.exports = app;\n",
		"public/app/.gitignore": "*\n!.gitignore\n",
		"public/robots.txt":     "User-agent: *\n",
		"app/package.json":      "{\n  \"name\": \"psitransfer-app\",\n  \"scripts\": {\n    \"dev\": \"webpack-dev-server\",\n    \"build\": \"cross-env NODE_ENV=production webpack\"\n  },\n  \"devDependencies\": {\n    \"webpack\": \"^5.99.9\"\n  }\n}\n",
		"app/package-lock.json": "{\"lockfileVersion\": 3}\n",
		"app/webpack.config.js": "const path = require('path');\nmodule.exports = {\n  entry: { upload: './src/upload.js' },\n  output: {\n    path: path.resolve(__dirname, '../public/app'),\n    filename: '[name].js'\n  },\n};\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	f := s.Frontend
	if f == nil || f.Dir != "app" || f.Out != "public/app" || !f.Runtime || f.Script.File != "app/package.json" || f.Script.Line != 5 ||
		!strings.Contains(f.Script.Why, `app/webpack.config.js:5: output.path "../public/app"`) {
		t.Errorf("front end %+v, want app/'s webpack build into public/app", f)
	}
}
