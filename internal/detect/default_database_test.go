package detect

import (
	"strings"
	"testing"
)

// The SQL database a Go program's configuration uses by default, among the
// several its code can talk to: gotify's default config struct, memos'
// viper default and flag, a struct tag; none when the configuration names
// none, or the code talks to one database only.
func TestDetect_DefaultSQL(t *testing.T) {
	gomod := "module example.com/app\n\ngo 1.25\n\nrequire (\n\tgorm.io/driver/mysql v1.5.0\n\tgorm.io/driver/postgres v1.5.0\n\tgorm.io/driver/sqlite v1.5.0\n)\n"
	drivers := "package database\n\nimport (\n\t\"gorm.io/driver/mysql\"\n\t\"gorm.io/driver/postgres\"\n\t\"gorm.io/driver/sqlite\"\n)\n"
	// The program imports its configuration: only its own packages' code
	// says what it runs with.
	main := "package main\n\nimport (\n\t_ \"example.com/app/config\"\n\t_ \"example.com/app/database\"\n)\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"
	for _, c := range []struct {
		name, config, want string
	}{
		{"gotify", "package config\n\nfunc defaults() Configuration {\n\treturn Configuration{\n\t\tDatabase: Database{\n\t\t\tDialect:    \"sqlite3\",\n\t\t\tConnection: \"data/gotify.db\",\n\t\t},\n\t}\n}\n", "sqlite@config/config.go:6"},
		{"memos", "package config\n\nfunc init() {\n\tviper.SetDefault(\"driver\", \"sqlite\")\n}\n", "sqlite@config/config.go:4"},
		{"flag", "package config\n\nvar driver = flag.String(\"db-driver\", \"postgres\", \"database driver\")\n", "postgres@config/config.go:3"},
		{"struct tag", "package config\n\ntype DB struct {\n\tDriver string `env:\"DB_DRIVER\" envDefault:\"mysql\"`\n}\n", "mysql@config/config.go:4"},
		{"none named", "package config\n\ntype DB struct {\n\tDriver string `env:\"DB_DRIVER\"`\n}\n", "-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := goShape(t, map[string]string{"go.mod": gomod, "main.go": main, "database/database.go": drivers, "config/config.go": c.config})
			if got := ev(s.DefaultSQL); got != c.want {
				t.Errorf("default %s, want %s", got, c.want)
			}
		})
	}
	s, _ := goShape(t, map[string]string{"go.mod": gomod, "main.go": main, "database/database.go": "package database\n\nimport \"gorm.io/driver/sqlite\"\n",
		"config/config.go": "package config\n\nfunc init() {\n\tviper.SetDefault(\"driver\", \"sqlite\")\n}\n"})
	if s.DefaultSQL != nil {
		t.Errorf("one database, yet a default %s", ev(s.DefaultSQL))
	}
}

// go-chi-myapp's shape: cmd/migrate hands goose the command from its
// arguments, so the release step runs it with "up"; a migrate-named
// program that imports no migration library is no release step.
func TestDetect_GooseMigrationProgram(t *testing.T) {
	gomod := "module myapp\n\ngo 1.22\n"
	server := "package main\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"
	goose := "package main\n\nimport \"github.com/pressly/goose/v3\"\n\nfunc main() {\n\tcommand := flags.Args()[0]\n\tgoose.RunContext(ctx, command, db, \"migrations\")\n}\n"
	s, _ := goShape(t, map[string]string{"go.mod": gomod, "cmd/app/main.go": server, "cmd/migrate/main.go": goose})
	if got := ev(s.Migrate); got != "./cmd/migrate up@cmd/migrate/main.go:3" {
		t.Errorf("release step %s, want ./cmd/migrate up@cmd/migrate/main.go:3", got)
	}
	s, _ = goShape(t, map[string]string{"go.mod": gomod, "cmd/app/main.go": server, "cmd/migrate/main.go": "package main\n\nfunc main() { fmt.Println(\"hi\") }\n"})
	if s.Migrate != nil {
		t.Errorf("release step %s from a program that migrates nothing", ev(s.Migrate))
	}
	// wpcodevo/golang-gorm-postgres's migrate/migrate.go: gorm's
	// AutoMigrate makes the models' tables, which nothing else makes.
	gorm := "package main\n\nfunc main() {\n\tinitializers.DB.Exec(\"CREATE EXTENSION IF NOT EXISTS \\\"uuid-ossp\\\"\")\n\tinitializers.DB.AutoMigrate(&models.User{}, &models.Post{})\n}\n"
	s, _ = goShape(t, map[string]string{"go.mod": gomod, "main.go": server, "migrate/migrate.go": gorm})
	if got := ev(s.Migrate); got != "./migrate@migrate/migrate.go:5" || !strings.Contains(s.Migrate.Why, "AutoMigrate") {
		t.Errorf("release step %s (%v), want ./migrate@migrate/migrate.go:5 by gorm's AutoMigrate", got, s.Migrate)
	}
}

// qiangxue/go-rest-api's shape: ozzo-routing registers its health route
// as r.To("GET,HEAD", "/healthcheck", h), and go-env loads the config
// struct's env tags under the prefix env.New("APP_", ...) gives.
func TestDetect_OzzoRoutesAndGoEnvPrefix(t *testing.T) {
	s, _ := goShape(t, map[string]string{
		"go.mod":                      "module github.com/qiangxue/go-rest-api\n\ngo 1.13\n",
		"cmd/server/main.go":          "package main\n\nimport \"github.com/qiangxue/go-rest-api/internal/healthcheck\"\n\nfunc main() {\n\trouter := routing.New()\n\thealthcheck.RegisterHandlers(router, \"1\")\n\thttp.ListenAndServe(\":8080\", router)\n}\n",
		"internal/healthcheck/api.go": "package healthcheck\n\nfunc RegisterHandlers(r *routing.Router, version string) {\n\tr.To(\"GET,HEAD\", \"/healthcheck\", healthcheck(version))\n\tr.To(\"POST\", \"/reset\", reset)\n}\n",
		"internal/config/config.go": "package config\n\ntype Config struct {\n\tServerPort int `yaml:\"server_port\" env:\"SERVER_PORT\"`\n\tDSN string `yaml:\"dsn\" env:\"DSN,secret\"`\n}\n\n" +
			"func Load() {\n\tif err := env.New(\"APP_\", logger.Infof).Load(&c); err != nil {\n\t\tpanic(err)\n\t}\n}\n",
	})
	if got := ev(s.HealthPath); got != "/healthcheck@internal/healthcheck/api.go:4" {
		t.Errorf("health %s, want /healthcheck@internal/healthcheck/api.go:4", got)
	}
	names := envNamesOf(s)
	if !strings.Contains(" "+strings.Join(names, " ")+" ", " APP_DSN ") {
		t.Errorf("variables %v, want APP_DSN (go-env's prefix)", names)
	}
}

// envNamesOf are the variables the stack reads.
func envNamesOf(s *Stack) []string {
	var out []string
	for _, e := range s.Env {
		out = append(out, e.Value)
	}
	return out
}
