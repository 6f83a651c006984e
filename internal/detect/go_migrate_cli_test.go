package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// golang-migrate's CLI as real repositories run it: qiangxue/go-rest-api's
// entrypoint script (./migrations), techschool/simplebank's Makefile
// (db/migration, -verbose), komangsu/golangblog's script running the CLI's
// image on database/migrations mounted at /migrations, julioc98/starkbank's
// Makefile mounting ./migrations, and -source file://. Not: the CLI's
// create (no database), Django's migrate --database, a directory without
// up migrations, a comment.
func TestGoMigrateCLI(t *testing.T) {
	up := "CREATE TABLE t (id INT);\n"
	goose := "-- +goose Up\nCREATE TABLE t (id INT);\n\n-- +goose Down\nDROP TABLE t;\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // value@where dir
	}{
		{"go-rest-api's entrypoint", map[string]string{
			"cmd/server/entrypoint.sh":              "#!/bin/bash -e\necho \"[`date`] Running DB migrations...\"\nmigrate -database \"${APP_DSN}\" -path ./migrations up\n",
			"migrations/20191217202658_init.up.sql": up,
		}, "golang-migrate@cmd/server/entrypoint.sh:3 migrations"},
		{"simplebank's Makefile", map[string]string{
			"Makefile":                               "DB_URL=postgresql://root:secret@localhost:5432/simple_bank?sslmode=disable\n\nmigrateup:\n\tmigrate -path db/migration -database \"$(DB_URL)\" -verbose up\n",
			"db/migration/000001_init_schema.up.sql": up,
		}, "golang-migrate@Makefile:4 db/migration"},
		{"golangblog's image, a mounted directory", map[string]string{
			"scripts/migrate.sh":                        "#!/usr/bin/env bash\ndocker run -v $(pwd)/database/migrations:/migrations --network host migrate/migrate -path=/migrations/ -database \"postgres://golangblog:123@localhost:7557/golangblog?sslmode=disable\" up\n",
			"database/migrations/1_create_users.up.sql": up,
		}, "golang-migrate@scripts/migrate.sh:2 database/migrations"},
		{"starkbank's Makefile, ./ mounted", map[string]string{
			"Makefile":                      ".PHONY: migrate-up\nmigrate-up:\n\tdocker run -v ./migrations:/migrations --network host migrate/migrate -path=/migrations/ -database 'postgres://postgres:postgres@localhost:5432/postgres?sslmode=disable' up\n",
			"migrations/000001_init.up.sql": up,
		}, "golang-migrate@Makefile:3 migrations"},
		{"-source file://, on two lines", map[string]string{
			"Makefile":                  "migrate:\n\tmigrate -source file://migrations \\\n\t\t-database postgresql://postgres:postgres@localhost:5432/conduit?sslmode=disable up\n",
			"migrations/1_users.up.sql": up,
		}, "golang-migrate@Makefile:2 migrations"},
		{"a make variable's directory", map[string]string{
			"Makefile": "MIGRATIONS_PATH = ./cmd/migrate/migrations\n\nmigrate-up:\n\t@migrate -path=$(MIGRATIONS_PATH) -database=$(DB_ADDR) up\n",
			"cmd/migrate/migrations/000001_users.up.sql": up,
		}, "golang-migrate@Makefile:4 cmd/migrate/migrations"},
		// goose: olefirenque/brarcher's Makefile, a variable's directory
		// (export MIGRATIONS_DIR=...), the driver in GOOSE_DRIVER.
		{"goose, brarcher's Makefile", map[string]string{
			"Makefile":                        "DSN=\"postgresql://postgres:password@localhost:5431/db\"\n\n.goose-up:\n\tgoose -dir migration/sql postgres $(DSN) up\n\n.goose-reset:\n\tgoose -dir migration/sql postgres $(DSN) reset\n",
			"migration/sql/20230301_init.sql": goose,
		}, "goose@Makefile:4 migration/sql"},
		{"goose, an exported make variable", map[string]string{
			"Makefile": "export MIGRATIONS_DIR=./db/postgresql/migrations\n\nup:\n\tgoose -dir $(MIGRATIONS_DIR) postgres \"$(DATABASE_URL)\" up\n",
			"db/postgresql/migrations/00001_users.sql": goose,
		}, "goose@Makefile:4 db/postgresql/migrations"},
		{"goose, GOOSE_DRIVER", map[string]string{
			"Makefile":               "migration-up:\n\t@GOOSE_DBSTRING=$(PSQL_DSN) GOOSE_DRIVER=postgres goose -dir ./migrations up\n",
			"migrations/1_users.sql": goose,
		}, "goose@Makefile:2 migrations"},
		{"goose's Go migrations", map[string]string{
			"Makefile":               "up:\n\tgoose -dir migrations postgres \"$(DB)\" up\n",
			"migrations/1_users.sql": goose, "migrations/2_backfill.go": "package migrations\n",
		}, ""},
		{"goose, unannotated SQL", map[string]string{
			"Makefile":               "up:\n\tgoose -dir migrations postgres \"$(DB)\" up\n",
			"migrations/1_users.sql": up,
		}, ""},
		// A version table of its own: the step's defaults would apply
		// every migration again.
		{"goose's own table", map[string]string{
			"Makefile":               "up:\n\tgoose -dir migrations -table goose_db_version_x postgres \"$(DB)\" up\n",
			"migrations/1_users.sql": goose,
		}, ""},
		{"golang-migrate's own table", map[string]string{
			"Makefile":                  "up:\n\tmigrate -path migrations -database \"$(DB)&x-migrations-table=versions\" up\n",
			"migrations/1_users.up.sql": up,
		}, ""},
		{"goose's status", map[string]string{
			"Makefile":               "status:\n\tgoose -dir migrations postgres \"$(DB)\" status\n",
			"migrations/1_users.sql": goose,
		}, ""},
		{"create only", map[string]string{
			"Makefile":                  "migrate-create:\n\tmigrate create -ext sql -dir migrations $(name)\n",
			"migrations/1_users.up.sql": up,
		}, ""},
		{"Django's migrate --database", map[string]string{
			"run.sh":                     "python manage.py migrate --database=default\n",
			"migrations/0001_initial.py": "from django.db import migrations\n",
		}, ""},
		{"no up migrations", map[string]string{
			"Makefile":                "migrateup:\n\tmigrate -path db/migration -database \"$(DB_URL)\" up\n",
			"db/migration/schema.sql": up,
		}, ""},
		{"a comment", map[string]string{
			"Makefile":                  "# migrate -path migrations -database $(DB_URL) up\n",
			"migrations/1_users.up.sql": up,
		}, ""},
	} {
		r := &repo{dir: testutil.WriteTree(t, tc.files), lines: map[string][]string{}, lang: "go"}
		got := ""
		if e, dir := r.goMigrateCLI(); e != nil {
			got = e.Value + "@" + e.Where() + " " + dir.Value
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// techschool/simplebank runs golang-migrate's CLI from its Makefile, and
// its main.go applies the migrations itself at start (runDBMigration:
// migrate.New, then Up()): the app migrates at start, and the CLI is no
// release step. Without the call in main, the Makefile's CLI is.
func TestGoMigratesInMain(t *testing.T) {
	main := "package main\n\nimport (\n\t\"github.com/golang-migrate/migrate/v4\"\n\t_ \"github.com/golang-migrate/migrate/v4/database/postgres\"\n)\n\nfunc main() {\n\trunDBMigration(\"file://db/migration\", config.DBSource)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n\n" +
		"func runDBMigration(migrationURL string, dbSource string) {\n\tmigration, err := migrate.New(migrationURL, dbSource)\n\tif err = migration.Up(); err != nil && err != migrate.ErrNoChange {\n\t\tlog.Fatal()\n\t}\n}\n"
	files := map[string]string{
		"go.mod":   "module github.com/techschool/simplebank\n\ngo 1.22\n\nrequire github.com/golang-migrate/migrate/v4 v4.17.0\n",
		"Makefile": "migrateup:\n\tmigrate -path db/migration -database \"$(DB_URL)\" -verbose up\n\nmigratedown:\n\tmigrate -path db/migration -database \"$(DB_URL)\" -verbose down\n",
		"main.go":  main, "db/migration/000001_init_schema.up.sql": "CREATE TABLE accounts (id INT);\n",
	}
	s, _ := goShape(t, files)
	if s.MigratesAtStart == nil || s.MigratesAtStart.Where() != "main.go:15" || s.Migrate != nil {
		t.Errorf("migrates at start %+v, release step %+v; want main.go:15 and none", s.MigratesAtStart, s.Migrate)
	}
	files["main.go"] = "package main\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	s, _ = goShape(t, files)
	if s.MigratesAtStart != nil || s.Migrate == nil || s.Migrate.Where() != "Makefile:2" {
		t.Errorf("without the call: migrates at start %+v, release step %+v; want none and Makefile:2", s.MigratesAtStart, s.Migrate)
	}
}

// P8ace/sampleGoApi's shape: the code reads goose's own GOOSE_DBSTRING
// through a getter of its own (env.GetString(key, fallback)) and
// internal/adapters/postgres/migrations holds goose-annotated SQL, which
// only its README runs: goose's CLI is the release step, and the image
// carries the directory. Without the variable, or with migrations goose
// does not annotate, there is none.
func TestDetect_GooseFromItsOwnVariable(t *testing.T) {
	files := map[string]string{
		"go.mod":                       "module github.com/p8ace/sampleGoApi\n\ngo 1.25\n\nrequire github.com/jackc/pgx/v5 v5.7.6\n",
		"internal/adapters/env/env.go": "package env\n\nimport \"os\"\n\nfunc GetString(key, fallback string) string {\n\tif val := os.Getenv(key); val != \"\" {\n\t\treturn val\n\t}\n\treturn fallback\n}\n",
		"cmd/main.go":                  "package main\n\nimport (\n\t\"github.com/p8ace/sampleGoApi/internal/adapters/env\"\n\t\"github.com/jackc/pgx/v5\"\n)\n\nfunc main() {\n\tdsn := env.GetString(\"GOOSE_DBSTRING\", \"host=localhost user=postgres\")\n\tconn, _ := pgx.Connect(ctx, dsn)\n\thttp.ListenAndServe(\":8080\", r)\n}\n",
		"internal/adapters/postgres/migrations/00001_create_products.sql": "-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE products (id BIGSERIAL PRIMARY KEY);\n-- +goose StatementEnd\n\n-- +goose Down\nDROP TABLE products;\n",
	}
	s, _ := goShape(t, files)
	if got := ev(s.Migrate); got != "goose@cmd/main.go:9" || s.Migrations == nil || s.Migrations.Value != "internal/adapters/postgres/migrations" {
		t.Errorf("release step %s, migrations %v; want goose@cmd/main.go:9 over internal/adapters/postgres/migrations", got, s.Migrations)
	}
	files["cmd/main.go"] = strings.Replace(files["cmd/main.go"], "GOOSE_DBSTRING", "DATABASE_DSN", 1)
	if s, _ = goShape(t, files); s.Migrate != nil {
		t.Errorf("without goose's variable: release step %s, want none", ev(s.Migrate))
	}
	files["cmd/main.go"] = strings.Replace(files["cmd/main.go"], "DATABASE_DSN", "GOOSE_DBSTRING", 1)
	files["internal/adapters/postgres/migrations/00001_create_products.sql"] = "CREATE TABLE products (id BIGSERIAL PRIMARY KEY);\n"
	if s, _ = goShape(t, files); s.Migrate != nil {
		t.Errorf("SQL goose does not annotate: release step %s, want none", ev(s.Migrate))
	}
}

// muety/wakapi's migrations/ is a Go package of its own (functions and
// gorm's AutoMigrate), which main.go calls at start: the app migrates at
// start, and no note says nothing applies them. Migrations that are SQL
// files, or a package only a CLI command calls, are no such thing.
func TestGoMigrationsPackage(t *testing.T) {
	files := func(main string, extra map[string]string) map[string]string {
		m := map[string]string{
			"go.mod":                      "module github.com/muety/wakapi\n\ngo 1.24\n",
			"main.go":                     main,
			"migrations/migrations.go":    "package migrations\n\nfunc Run(db *gorm.DB, cfg *config.Config) {\n\tdb.AutoMigrate(&models.User{})\n}\n",
			"migrations/20210411_drop.go": "package migrations\n\nfunc init() {}\n",
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	const main = "package main\n\nimport (\n\t\"github.com/muety/wakapi/migrations\"\n)\n\nfunc main() {\n\tdb := open()\n\tif !config.SkipMigrations {\n\t\tmigrations.Run(db, config)\n\t}\n\thttp.ListenAndServe(\":3000\", nil)\n}\n"
	s, _ := goShape(t, files(main, nil))
	if s.MigratesAtStart == nil || s.MigratesAtStart.Where() != "main.go:10" || !strings.Contains(s.MigratesAtStart.Why, "migrations.Run") {
		t.Errorf("migrates at start = %+v, want main.go:10 naming migrations.Run", s.MigratesAtStart)
	}
	s, _ = goShape(t, files(main, map[string]string{"migrations/0001_init.up.sql": "CREATE TABLE users (id INT);\n"}))
	if s.MigratesAtStart != nil {
		t.Errorf("with SQL files: migrates at start = %+v, want none", s.MigratesAtStart)
	}
	s, _ = goShape(t, files("package main\n\nfunc main() {\n\thttp.ListenAndServe(\":3000\", nil)\n}\n", nil))
	if s.MigratesAtStart != nil {
		t.Errorf("not called: migrates at start = %+v, want none", s.MigratesAtStart)
	}
}
