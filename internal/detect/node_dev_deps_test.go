package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// w3tecch/express-typescript-boilerplate: TypeORM loads its driver by
// URL, pg and mysql are dependencies, and sqlite3 is a devDependency its
// tests use (.env.test's TYPEORM_CONNECTION=sqlite): no SQLite volume.
func TestDetect_DevDependencyDriversAreNoDatabase(t *testing.T) {
	pkg := func(dev string) string {
		return "{\n  \"main\": \"dist/app.js\",\n  \"dependencies\": {\n    \"express\": \"^4.16.0\",\n    \"mysql\": \"^2.16.0\",\n    \"pg\": \"^7.4.3\",\n    \"typeorm\": \"^0.2.0\"\n  },\n  \"devDependencies\": {\n    \"jest\": \"23.6.0\",\n" + dev + "    \"ts-jest\": \"23.10.1\"\n  }\n}\n"
	}
	for dev, want := range map[string]string{
		"    \"sqlite3\": \"^4.0.0\",\n": "postgres@package.json:6 mysql@package.json:5",
		"":                               "postgres@package.json:6 mysql@package.json:5",
	} {
		s, err := Detect(testutil.WriteTree(t, map[string]string{
			"package.json": pkg(dev),
			"src/app.ts":   "import { createConnection } from 'typeorm';\nimport express from 'express';\nconst app = express();\napp.get('/healthz', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if got := evs(s.Databases); got != want {
			t.Errorf("devDependencies %q: databases %q, want %q", dev, got, want)
		}
	}
	s, err := Detect(testutil.WriteTree(t, map[string]string{
		"package.json": "{\n  \"main\": \"app.js\",\n  \"dependencies\": {\n    \"sqlite3\": \"^5.0.0\",\n    \"typeorm\": \"^0.3.0\"\n  }\n}\n",
		"app.js":       "const { DataSource } = require('typeorm');\nrequire('http').createServer((q, r) => r.end('ok')).listen(3000);\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := evs(s.Databases); got != "sqlite@package.json:4" {
		t.Errorf("sqlite3 among the dependencies: databases %q, want sqlite@package.json:4", got)
	}
}
