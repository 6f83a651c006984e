package generate_test

import (
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestWorkflow_SmokeRequestsAPageOnlyWhereOneIsServed: the deploy's smoke
// step asks for the page the code serves beside its health route, and for
// no page where there is none (an API: go-zero, Kratos, Falcon and Hertz
// services of the thirtieth try answer 404 at /, which failed every
// deploy); there a pragma says why WF007 does not apply. Where / may
// serve a page init cannot see, / is asked for as before
// (review63_test.go). Every shape passes check --profile production.
func TestWorkflow_SmokeRequestsAPageOnlyWhereOneIsServed(t *testing.T) {
	for name, tc := range map[string]struct {
		server    string
		want, not []string
	}{
		"an API with a health route": {
			"const app = require('express')();\napp.get('/healthz', ok);\napp.post('/orders', create);\napp.listen(3000);\n",
			[]string{`"${APP_URL}/healthz"`, "# shipshape:ignore WF007 the code serves nothing at / (an API)"},
			[]string{"page.html"},
		},
		"a page beside the health route": {
			"const app = require('express')();\napp.get('/healthz', ok);\napp.get('/', (req, res) => res.render('index'));\napp.listen(3000);\n",
			[]string{`"${APP_URL}/healthz"`, `curl -fsS "${APP_URL}/" -o page.html`, "test -s page.html"},
			[]string{"shipshape:ignore"},
		},
		"the health route is the page": {
			"const app = require('express')();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(3000);\n",
			[]string{`"${APP_URL}/" >/dev/null`},
			[]string{"page.html", "shipshape:ignore"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := testutil.WriteTree(t, map[string]string{
				"package.json": `{"name":"shop","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}`,
				"server.js":    tc.server,
			})
			s, err := detect.Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			got := projectFiles(t, s, generate.Options{Name: "shop"})
			holds(t, "the workflow", got[".github/workflows/container.yml"], tc.want, tc.not)
			checkProduction(t, t.TempDir(), got)
		})
	}
}
