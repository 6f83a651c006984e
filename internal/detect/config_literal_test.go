package detect

import (
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// pocket-id/pocket-id's backend sets its config's defaults in a literal of
// the struct caarlos0/env then reads the environment over
// (internal/common/env_config.go: defaultConfig() returns
// EnvConfigSchema{Port: "1411", DbProvider: "sqlite"}): the port is 1411,
// and SQLite is the default of the SQL databases it can use, so no
// Postgres is started. Two literals that differ give no default.
func TestDetect_GoConfigLiteralDefaults(t *testing.T) {
	config := func(lits string) string {
		return "package common\n\nimport \"github.com/caarlos0/env/v11\"\n\ntype EnvConfigSchema struct {\n\tDbProvider string `env:\"DB_PROVIDER\"`\n\tPort       string `env:\"PORT\"`\n}\n\n" +
			"var EnvConfig = defaultConfig()\n\nfunc defaultConfig() EnvConfigSchema {\n" + lits + "}\n\nfunc Parse() { env.ParseWithOptions(&EnvConfig, env.Options{}) }\n"
	}
	files := map[string]string{
		"go.mod":                        "module github.com/pocket-id/pocket-id/backend\n\ngo 1.25\n\nrequire (\n\tgithub.com/caarlos0/env/v11 v11.3.1\n\tgorm.io/driver/postgres v1.5.0\n\tgithub.com/glebarez/sqlite v1.11.0\n)\n",
		"cmd/main.go":                   "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/pocket-id/pocket-id/backend/internal/bootstrap\"\n\t\"github.com/pocket-id/pocket-id/backend/internal/common\"\n)\n\nfunc main() {\n\tcommon.Parse()\n\tbootstrap.DB()\n\thttp.ListenAndServe(\":\"+common.EnvConfig.Port, nil)\n}\n",
		"internal/bootstrap/db.go":      "package bootstrap\n\nimport (\n\t\"github.com/glebarez/sqlite\"\n\t\"gorm.io/driver/postgres\"\n)\n\nfunc DB() { _ = sqlite.Open; _ = postgres.Open }\n",
		"internal/common/env_config.go": config("\treturn EnvConfigSchema{\n\t\tDbProvider: \"sqlite\",\n\t\tPort:       \"1411\",\n\t}\n"),
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.Port == nil || s.Port.Value != "1411" || s.PortVar == nil || s.PortVar.Value != "PORT" {
		t.Errorf("port %s from %s, want 1411 from $PORT's literal default", ev(s.Port), ev(s.PortVar))
	}
	if s.DefaultSQL == nil || s.DefaultSQL.Value != "sqlite" {
		t.Errorf("default SQL %s, want sqlite (DbProvider: \"sqlite\")", ev(s.DefaultSQL))
	}
	files["internal/common/env_config.go"] = config("\tif true {\n\t\treturn EnvConfigSchema{Port: \"1411\"}\n\t}\n\treturn EnvConfigSchema{Port: \"8080\"}\n")
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if s.Port != nil && s.Port.File == "internal/common/env_config.go" {
		t.Errorf("port %s from two literals that differ", ev(s.Port))
	}
}
