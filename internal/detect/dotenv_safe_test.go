package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// danielfsousa/express-rest-boilerplate's shape: dotenv-safe loads .env
// and exits unless every key of .env.example is set, the empty EMAIL_*
// ones too, so each is a variable the app requires; without dotenv-safe
// the example's keys are documentation only.
func TestDetect_DotenvSafeRequiresTheExamplesKeys(t *testing.T) {
	files := map[string]string{
		"package.json": `{"main": "src/index.js", "dependencies": {"express": "^4.16.0", "dotenv-safe": "^5.0.1"}}`,
		"src/index.js": "const { port } = require('./config/vars');\nconst app = require('express')();\napp.get('/v1/status', (req, res) => res.send('OK'));\napp.listen(port);\n",
		"src/config/vars.js": "const path = require('path');\n\n// import .env variables\nrequire('dotenv-safe').config({\n  path: path.join(__dirname, '../../.env'),\n" +
			"  example: path.join(__dirname, '../../.env.example'),\n});\n\nmodule.exports = {\n  port: process.env.PORT,\n  jwtSecret: process.env.JWT_SECRET,\n};\n",
		".env.example": "NODE_ENV=development\nPORT=3000\nJWT_SECRET=bA2xcjpf8y5aSUFsNB2qN5yymUBSs6es3qHoFpGkec75RCeBb8cpKauGefw5qy4\nEMAIL_PORT=\nEMAIL_HOST=\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range s.Required {
		got = append(got, e.Value+"@"+e.Where())
	}
	want := "NODE_ENV@.env.example:1 PORT@.env.example:2 JWT_SECRET@.env.example:3 EMAIL_PORT@.env.example:4 EMAIL_HOST@.env.example:5"
	if strings.Join(got, " ") != want {
		t.Errorf("required %q, want %q", strings.Join(got, " "), want)
	}
	files["src/config/vars.js"] = strings.Replace(files["src/config/vars.js"], "dotenv-safe", "dotenv", 1)
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if len(s.Required) != 0 {
		t.Errorf("plain dotenv: required %v, want none", s.Required)
	}
}
