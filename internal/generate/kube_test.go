package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestKube_DataVolumeRecreates: a release of an app with a data volume
// (ReadWriteOnce) stops the old pod before starting the new, and says why
// in words true of any data: hackathon-starter's rag_input directory, of
// no SQLite, was said to be "the SQLite file". An app without one rolls.
func TestKube_DataVolumeRecreates(t *testing.T) {
	for name, tc := range map[string]struct {
		app  string
		want string
	}{
		"uploads":   {"const multer = require('multer');\nconst upload = multer({ dest: 'uploads/' });\n", "type: Recreate"},
		"stateless": {"", "type: RollingUpdate"},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
				"package.json": `{"name": "site", "scripts": {"start": "node app.js"}, "dependencies": {"express": "^4.18.2", "multer": "^1.4.5"}}`,
				"app.js":       "const express = require('express');\n" + tc.app + "const app = express();\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 8080);\n",
			}))
			if err != nil {
				t.Fatal(err)
			}
			var deployment string
			for path, content := range projectFiles(t, s, generate.Options{Name: "site"}) {
				if strings.HasSuffix(path, "deployment.yaml") {
					deployment = content
				}
			}
			if !strings.Contains(deployment, tc.want) || strings.Contains(deployment, "SQLite") {
				t.Errorf("the Deployment should say %q, and nothing of SQLite:\n%s", tc.want, deployment)
			}
		})
	}
}
