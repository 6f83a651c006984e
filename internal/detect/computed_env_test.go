package detect

import (
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
	files["config.js"] = "const envName = 'PSITRANSFER_' + 'X';\nmodule.exports = { port: 3000 };\n"
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if s.DataDirVar != nil {
		t.Errorf("data directory variable %s from a prefix the code never reads by index", ev(s.DataDirVar))
	}
}
