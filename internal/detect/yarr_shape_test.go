package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/project"
)

// nkanaev/yarr d1f33e219857: its makefile builds ./cmd/yarr with
// `go build $(GO_FLAGS)`, GO_FLAGS = -tags "$(GO_TAGS)" and GO_TAGS =
// sqlite_foreign_keys sqlite_json sqlite_fts5 (without fts5 its migration
// fails: "no such module: fts5"); with no -db it keeps storage.db in
// os.UserConfigDir()/yarr (mkdir /.config on the read-only root), so the
// image's $HOME is its volume; storage.New takes Postgres for a path that
// starts postgres:// and SQLite for any other, so no Postgres is started.
func TestDetect_YarrShape(t *testing.T) {
	s, got := goShape(t, yarrFiles("\"\""))
	if s.BuildTags == nil || s.BuildTags.Value != "sqlite_foreign_keys,sqlite_json,sqlite_fts5" || s.BuildTags.Line != 12 {
		t.Errorf("build tags %s, want sqlite_foreign_keys,sqlite_json,sqlite_fts5 from makefile:12", ev(s.BuildTags))
	}
	if s.HomeDir == nil || s.HomeDir.Value != ".config" || s.HomeDir.File != "cmd/yarr/main.go" {
		t.Errorf("home %s, want .config from cmd/yarr/main.go", ev(s.HomeDir))
	}
	if dbs := evs(s.Databases); dbs != "sqlite@src/storage/sqlite/storage.go:6" {
		t.Errorf("databases %s, want SQLite alone (Postgres only for a postgres:// path); unconfigured %s", dbs, evs(s.Unconfigured))
	}
	if len(s.Unconfigured) != 1 || s.Unconfigured[0].Value != "postgres" {
		t.Errorf("unconfigured %s, want postgres", evs(s.Unconfigured))
	}
	_ = got
	// A postgres:// URL the program defaults to: Postgres stays.
	s, _ = goShape(t, yarrFiles("\"postgres://localhost/yarr\""))
	if len(s.Unconfigured) != 0 {
		t.Errorf("unconfigured %s with a postgres:// default", evs(s.Unconfigured))
	}
}

func yarrFiles(dbDefault string) map[string]string {
	return map[string]string{
		"go.mod": "module github.com/nkanaev/yarr\n\ngo 1.23\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.7\n\tgithub.com/lib/pq v1.10.9\n)\n",
		"makefile": "VERSION=$(shell git describe --exact-match --tags HEAD 2>/dev/null || echo bleeding)\n\nGO_TAGS    = sqlite_foreign_keys sqlite_json sqlite_fts5\n" +
			"GO_LDFLAGS = -s -w -X 'main.Version=$(VERSION)'\n\nGO_FLAGS         = -tags \"$(GO_TAGS)\"     -ldflags=\"$(GO_LDFLAGS)\"\nGO_FLAGS_GUI     = -tags \"$(GO_TAGS) gui\"\n\n" +
			"default: host\n\nhost:\n\tgo build $(GO_FLAGS) -o out/yarr ./cmd/yarr\n\nwindows_gui:\n\tgo build $(GO_FLAGS_GUI) -o out/yarr.exe ./cmd/yarr\n",
		"cmd/yarr/main.go": "package main\n\nimport (\n\t\"flag\"\n\t\"os\"\n\t\"path/filepath\"\n\n\t\"github.com/nkanaev/yarr/src/server\"\n\t\"github.com/nkanaev/yarr/src/storage\"\n)\n\n" +
			"func main() {\n\tvar addr, db string\n\tflag.StringVar(&addr, \"addr\", \"0.0.0.0:7070\", \"address\")\n\tflag.StringVar(&db, \"db\", " + dbDefault + ", \"storage file\")\n\tflag.Parse()\n" +
			"\tif db == \"\" {\n\t\tconfigPath, _ := os.UserConfigDir()\n\t\tstoragePath := filepath.Join(configPath, \"yarr\")\n\t\tos.MkdirAll(storagePath, 0755)\n\t\tdb = filepath.Join(storagePath, \"storage.db\")\n\t}\n" +
			"\tstore, _ := storage.New(db)\n\tserver.New(store, addr).Start()\n}\n",
		"src/server/server.go": "package server\n\nimport \"net/http\"\n\ntype Server struct{ addr string }\n\nfunc New(s any, addr string) *Server { return &Server{addr} }\n\nfunc (s *Server) Start() {\n\thttp.HandleFunc(\"/api/status\", nil)\n\thttp.ListenAndServe(s.addr, nil)\n}\n",
		"src/storage/storage.go": "package storage\n\nimport (\n\t\"strings\"\n\n\t\"github.com/nkanaev/yarr/src/storage/postgres\"\n\t\"github.com/nkanaev/yarr/src/storage/sqlite\"\n)\n\n" +
			"func New(path string) (any, error) {\n\tif strings.HasPrefix(path, \"postgres://\") || strings.HasPrefix(path, \"postgresql://\") {\n\t\treturn postgres.New(path)\n\t}\n\treturn sqlite.New(path)\n}\n",
		"src/storage/postgres/storage.go": "package postgres\n\nimport (\n\t\"database/sql\"\n\n\t_ \"github.com/lib/pq\"\n)\n\nfunc New(path string) (any, error) { return sql.Open(\"postgres\", path) }\n",
		"src/storage/sqlite/storage.go":   "package sqlite\n\nimport (\n\t\"database/sql\"\n\n\t_ \"github.com/mattn/go-sqlite3\"\n)\n\nfunc New(path string) (any, error) { return sql.Open(\"sqlite3\", path) }\n",
	}
}

// A hostile Makefile whose variables name each other many times does
// not grow a line past a few KiB (nor take the memory its full expansion
// would: 1,000 × 1,000 × 1,000 bytes).
func TestMakeExpand_Bounded(t *testing.T) {
	lines := []string{"A = " + strings.Repeat("$(B)", 1000), "B = " + strings.Repeat("$(C)", 1000), "C = " + strings.Repeat("x", 1000)}
	if got := makeExpand(lines, "go build $(A) ./cmd/x"); len(got) > project.MaxMakeLine {
		t.Errorf("expanded to %d bytes", len(got))
	}
	if got := makeExpand([]string{"T = a b", "F = -tags \"$(T)\""}, "go build $(F) ."); got != `go build -tags "a b" .` {
		t.Errorf("expanded to %q", got)
	}
}
