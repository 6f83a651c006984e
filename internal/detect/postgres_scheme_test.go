package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// shiori's shape: its code switches on the URL's scheme "postgres" and
// stops on postgresql://; its compose file (a comment) and docs write
// postgres://, so the URLs init gives it do too. A repository that
// writes postgresql:// anywhere (simplebank's app.env) keeps the default,
// which SQLAlchemy needs.
func TestDetect_PostgresSchemeFollowsTheRepository(t *testing.T) {
	base := map[string]string{
		"go.mod":                        "module x\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.5.5\n",
		"internal/database/database.go": "package database\n\nimport _ \"github.com/jackc/pgx/v5/stdlib\"\n\nfunc Connect(u *url.URL) {\n\tswitch u.Scheme {\n\tcase \"postgres\":\n\t\tOpenPG(u.String())\n\tdefault:\n\t\tpanic(\"unsupported database scheme: \" + u.Scheme)\n\t}\n}\n",
		"main.go":                       "package main\n\nfunc main() {\n\thttp.HandleFunc(\"/health\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"docker-compose.yaml":           "services:\n  shiori:\n    environment:\n      # SHIORI_DATABASE_URL: postgres://shiori:shiori@postgres/shiori?sslmode=disable\n",
		"docs/Configuration.md":         "PostgreSQL example: `SHIORI_DATABASE_URL=\"postgres://u:p@hostname/database\"`\n",
	}
	for _, tc := range []struct {
		name  string
		extra map[string]string
		want  string
	}{
		{"postgres:// only", nil, "postgres@docker-compose.yaml:4"},
		{"postgresql:// too", map[string]string{"app.env": "DB_SOURCE=postgresql://root:secret@localhost:5432/simple_bank\n"}, ""},
		{"no URL written", map[string]string{"docker-compose.yaml": "services: {}\n", "docs/Configuration.md": "none\n"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range tc.extra {
				files[k] = v
			}
			s, err := Detect(testutil.WriteTree(t, files))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if s.PostgresScheme != nil {
				got = s.PostgresScheme.Value + "@" + s.PostgresScheme.Where()
			}
			if got != tc.want {
				t.Errorf("postgres scheme %q, want %q", got, tc.want)
			}
		})
	}
}
