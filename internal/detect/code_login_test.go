package detect

import (
	"fmt"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDetect_CodeLogin: a SQL database's URL the code holds whole, with
// its user and password. The voting app's result (a template's string in
// a Pool's options), a Go handler's DSN (the shape a code search finds in
// several repositories), and MySQL as root; not one beside an environment
// read (a default), on loopback (LoopbackConfig's), in a test file, or of
// a database the app does not talk to.
func TestDetect_CodeLogin(t *testing.T) {
	node := func(code string) map[string]string {
		return map[string]string{
			"package.json": `{"name": "result", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.18.0", "pg": "^8.0.0"}}`,
			"server.js":    "const express = require('express');\nconst { Pool } = require('pg');\nconst app = express();\n" + code + "app.get('/', (req, res) => res.send('ok'));\napp.listen(4000);\n",
		}
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"the voting app's result", node("var pool = new Pool({\n  connectionString: 'postgres://postgres:postgres@db/postgres'\n});\n"),
			"postgres://postgres:***@db/postgres@server.js:5 postgres db postgres postgres postgres"},
		{"a default beside a read", node("var pool = new Pool({ connectionString: process.env.DATABASE_URL || 'postgres://postgres:postgres@db/postgres' });\n"), "none"},
		{"on loopback", node("var pool = new Pool({ connectionString: 'postgres://app:secret@localhost:5432/app' });\n"), "none"},
		{"a Go handler's DSN", map[string]string{
			"go.mod":  "module example.com/users\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n",
			"main.go": "package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n\n\t_ \"github.com/lib/pq\"\n)\n\nfunc getUser(w http.ResponseWriter, r *http.Request) {\n\tconn := \"postgres://postgres:s3cret@database:5432/users?sslmode=disable\"\n\tdb, _ := sql.Open(\"postgres\", conn)\n\t_ = db\n}\n\nfunc main() {\n\thttp.HandleFunc(\"/users\", getUser)\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n",
		}, "postgres://postgres:***@database/users@main.go:11 postgres database postgres s3cret users"},
		// A database name with a hyphen, a password the URL encodes (the
		// driver logs in with it decoded).
		{"a hyphen and an encoded password", node("var pool = new Pool({ connectionString: 'postgres://app:p%40ss@db:5432/my-app?sslmode=disable' });\n"),
			"postgres://app:***@db/my-app@server.js:4 postgres db app p@ss my-app"},
		{"MySQL as root", map[string]string{
			"package.json": `{"name": "api", "scripts": {"start": "node app.js"}, "dependencies": {"express": "^4.18.0", "mysql2": "^3.0.0"}}`,
			"app.js":       "const mysql = require('mysql2');\nconst pool = mysql.createPool('mysql://root:123456@db:3306/testdb');\nrequire('express')().listen(8080);\n",
		}, "mysql://root:***@db/testdb@app.js:2 mysql db root 123456 testdb"},
		{"a test file", map[string]string{
			"package.json":        `{"name": "result", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.18.0", "pg": "^8.0.0"}}`,
			"server.js":           "const { Pool } = require('pg');\nnew Pool();\nrequire('express')().listen(4000);\n",
			"test/server.test.js": "const url = 'postgres://postgres:postgres@db/postgres';\n",
		}, "none"},
	} {
		s, err := Detect(testutil.WriteTree(t, tc.files))
		if err != nil {
			t.Fatal(err)
		}
		got := "none"
		if l := s.CodeLogin; l != nil {
			got = fmt.Sprintf("%s@%s %s %s %s %s %s", l.Value, l.Where(), l.Kind, l.Host, l.User, l.Password, l.Database)
		}
		if got != tc.want {
			t.Errorf("%s: code login %q, want %q", tc.name, got, tc.want)
		}
	}
}
