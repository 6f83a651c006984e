package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_LoopbackInARequiredJSON: cornflourblue/node-mysql-signup-
// verification-api's _helpers/db.js requires config.json, whose
// "database" block holds "host": "localhost" beside "port": 3306. The run
// stopped on ECONNREFUSED 127.0.0.1:3306 with no note naming the file, as
// one is named for a config module in code. A JSON file only a test loads,
// and package.json, are not the app's settings.
func TestDetect_LoopbackInARequiredJSON(t *testing.T) {
	config := "{\n    \"database\": {\n        \"host\": \"localhost\",\n        \"port\": 3306,\n        \"user\": \"root\"\n    },\n    \"smtpOptions\": {\n        \"host\": \"localhost\",\n        \"port\": 587\n    }\n}\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"a bare name from a helper", map[string]string{"_helpers/db.js": "const config = require('config.json');\nconst mysql = require('mysql2/promise');\nmodule.exports = config;\n", "config.json": config}, "mysql@config.json:3"},
		{"a relative path, imported", map[string]string{"src/db.js": "import settings from '../settings/db.json'\nimport mysql from 'mysql2'\n", "settings/db.json": config}, "mysql@settings/db.json:3"},
		// sequelize-cli's config/config.json (the review's case): the
		// development block's loopback host is not the deployed app's.
		{"sequelize-cli's development block", map[string]string{"models/index.js": "const config = require('../config/config.json')[env];\nconst mysql = require('mysql2');\n", "config/config.json": "{\n  \"development\": {\n    \"username\": \"root\",\n    \"host\": \"127.0.0.1\",\n    \"dialect\": \"mysql\"\n  },\n  \"production\": {\n    \"use_env_variable\": \"DATABASE_URL\"\n  }\n}\n"}, ""},
		{"a test's fixture", map[string]string{"test/db.test.js": "const config = require('../config.json');\n", "src/db.js": "const mysql = require('mysql2');\n", "config.json": config}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.files["package.json"] = `{"name": "x", "main": "server.js", "dependencies": {"express": "^4.18.0", "mysql2": "^3.0.0"}}`
			tc.files["server.js"] = "const app = require('express')();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(4000);\n"
			s, err := Detect(testutil.WriteTree(t, tc.files))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range s.LoopbackConfig {
				got = append(got, e.Value+"@"+e.Where())
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("loopback settings %q, want %q", g, tc.want)
			}
		})
	}
}
