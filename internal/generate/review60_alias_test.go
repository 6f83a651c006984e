package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// A module docstring's example DSN (export APP_DB_DSN="postgresql://
// user:pass@dbhost:5432/placement") becomes a network alias of init's
// database, and the database is made with the example's login.
func TestReview_DocstringDSNMakesAliasAndLogin(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"requirements.txt": "fastapi\nuvicorn\npsycopg2-binary\n",
		"db.py": "\"\"\"Storage.\n\nConnects with the PG* variables, or set APP_DB_DSN to a full connection string, e.g.::\n\n" +
			"    export APP_DB_DSN=\"postgresql://user:pass@dbhost:5432/placement\"\n\"\"\"\n\nimport os\n\nimport psycopg2\n\n\n\n\n\ndef connect():\n    return psycopg2.connect(os.environ.get('APP_DB_DSN', ''))\n",
		"main.py": "from fastapi import FastAPI\n\nimport db\n\napp = FastAPI()\n\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	compose := projectFiles(t, s, generate.Options{Name: "placement"})["compose.yaml"]
	t.Logf("codeLogin %+v", s.CodeLogin)
	if strings.Contains(compose, "aliases: [dbhost]") || strings.Contains(compose, "POSTGRES_USER: user") {
		t.Errorf("a docstring's example DSN shapes compose.yaml:\n%s", compose)
	}
}
