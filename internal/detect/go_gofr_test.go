package detect

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// gofr-dev/gofr@59010215a383 (v1.56.0), examples/using-migrations: a
// GoFr program whose configs/.env sets HTTP_PORT=9100, DB_DIALECT=mysql
// and REDIS_HOST (configs/.env:2,12,4), and whose main.go calls
// a.Migrate(migrations.All()) before a.Run(). GoFr reads those itself
// (pkg/gofr/factory.go, container.go), serves /.well-known/health and
// /.well-known/alive (gofr.go's httpServerSetup) and stops on SIGTERM
// (run.go). Before, init found no port (8080), no database, no health
// route, and asked for one of the program's routes.
func TestDetect_GoFrConfiguration(t *testing.T) {
	files := map[string]string{
		"go.mod": "module gofr.dev/examples/using-migrations\n\ngo 1.24\n\nrequire gofr.dev v1.56.0\n",
		"main.go": "package main\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n\n\t\"gofr.dev/examples/using-migrations/migrations\"\n\t\"gofr.dev/pkg/gofr\"\n)\n\n" +
			"func main() {\n\t// Create a new application\n\ta := gofr.New()\n\n\t// Add migrations to run\n\ta.Migrate(migrations.All())\n\n" +
			"\t// Add all the routes\n\ta.GET(\"/employee\", GetHandler)\n\ta.POST(\"/employee\", PostHandler)\n\n\t// Run the application\n\ta.Run()\n}\n\n" +
			"func GetHandler(c *gofr.Context) (any, error) {\n\tname := c.Param(\"name\")\n\treturn name, nil\n}\n\nfunc PostHandler(c *gofr.Context) (any, error) { return nil, nil }\n",
		"migrations/all.go": "package migrations\n\nimport \"gofr.dev/pkg/gofr/migration\"\n\nfunc All() map[int64]migration.Migrate {\n\treturn map[int64]migration.Migrate{1722507126: createTableEmployee()}\n}\n",
		"configs/.env":      "APP_NAME=using-migrations\nHTTP_PORT=9100\n\nREDIS_HOST=localhost\nREDIS_PORT=2002\n\nDB_HOST=localhost\nDB_USER=root\nDB_PASSWORD=password\nDB_NAME=test\nDB_PORT=2001\nDB_DIALECT=mysql\n\nTRACE_EXPORTER=zipkin\nTRACER_URL=http://localhost:2005/api/v2/spans\n",
	}
	s, got := goShape(t, files)
	if got["port"] != "9100@configs/.env:2" || got["portvar"] != "HTTP_PORT@main.go:13" {
		t.Errorf("port %s ($%s), want 9100 from configs/.env:2 and HTTP_PORT", got["port"], got["portvar"])
	}
	if got["health"] != "/.well-known/health@main.go:13" || got["ask"] != "" {
		t.Errorf("health %s (asks %q), want GoFr's /.well-known/health", got["health"], got["ask"])
	}
	var dbs []string
	for _, d := range s.Databases {
		dbs = append(dbs, ev(&d))
	}
	if !slices.Equal(dbs, []string{"mysql@configs/.env:12", "redis@configs/.env:4"}) {
		t.Errorf("databases %v, want mysql from DB_DIALECT and redis from REDIS_HOST", dbs)
	}
	for _, v := range []string{"HTTP_PORT", "DB_HOST", "DB_PASSWORD", "DB_DIALECT", "REDIS_HOST", "REDIS_PORT"} {
		if !strings.Contains(got["env"], " "+v+" ") {
			t.Errorf("env %s lacks %s, which GoFr reads", got["env"], v)
		}
	}
	if s.SIGTERM == nil || !strings.Contains(s.SIGTERM.Why, "GoFr") {
		t.Errorf("SIGTERM %v, want GoFr's Run", s.SIGTERM)
	}
	if s.MigratesAtStart == nil || s.MigratesAtStart.File != "main.go" || s.MigratesAtStart.Line != 16 {
		t.Errorf("migrates at start %v, want a.Migrate at main.go:16", s.MigratesAtStart)
	}
	// The file is the example env of the run and of compose's .env: its
	// DB_DIALECT kept, its password left to fill in.
	if s.ExampleEnvFile != "configs/.env" || !slices.ContainsFunc(s.ExampleEnv, func(e Evidence) bool { return e.Why == "DB_DIALECT=mysql" }) ||
		!slices.ContainsFunc(s.ExampleEnv, func(e Evidence) bool { return e.Why == "DB_PASSWORD=" }) {
		t.Errorf("example env %s %v, want configs/.env with DB_DIALECT=mysql and DB_PASSWORD blank", s.ExampleEnvFile, s.ExampleEnv)
	}

	// Before v1.16.0 Run handles no signal; without HTTP_PORT the port
	// is GoFr's 8000; without DB_DIALECT GoFr opens no SQL database.
	old := maps.Clone(files)
	old["go.mod"] = strings.Replace(old["go.mod"], "v1.56.0", "v1.0.2", 1)
	old["configs/.env"] = "APP_NAME=x\nDB_HOST=localhost\n"
	s, got = goShape(t, old)
	if got["port"] != "8000@main.go:13" || s.SIGTERM != nil || len(s.Databases) != 0 {
		t.Errorf("v1.0.2: port %s, SIGTERM %v, databases %v; want 8000, none, none", got["port"], s.SIGTERM, s.Databases)
	}
	// A commented-out Migrate is none; a program of subscribers alone
	// serves no HTTP (GoFr starts its server for a route): no port 8000
	// and no /.well-known/health to probe.
	quiet := maps.Clone(files)
	quiet["main.go"] = strings.Replace(quiet["main.go"], "\ta.Migrate(", "\t// a.Migrate(", 1)
	if s, _ := goShape(t, quiet); s.MigratesAtStart != nil {
		t.Errorf("a commented-out Migrate: migrates at start %v", s.MigratesAtStart)
	}
	quiet["main.go"] = "package main\n\nimport \"gofr.dev/pkg/gofr\"\n\nfunc main() {\n\ta := gofr.New()\n\ta.Subscribe(\"orders\", h)\n\ta.Run()\n}\n"
	if _, got := goShape(t, quiet); strings.HasPrefix(got["health"], "/.well-known") || strings.HasPrefix(got["port"], "9100") {
		t.Errorf("no route: health %s, port %s; want neither of GoFr's HTTP server", got["health"], got["port"])
	}
	// A configuration git ignores is a developer's: a clone lacks it.
	ignored := maps.Clone(files)
	ignored[".gitignore"] = "configs/.env\n"
	if _, got := goShape(t, ignored); got["port"] != "8000@main.go:13" {
		t.Errorf("ignored configs/.env: port %s, want GoFr's 8000", got["port"])
	}
}
