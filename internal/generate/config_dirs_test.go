package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestDockerfile_ViperPathsOnTheVolume: mikestefanello/pagoda's shape.
// Its viper configuration puts SQLite at dbs/main.db (with URI
// parameters) and uploads in uploads/, both in the working directory, on
// the read-only root; the code creates both. The image points the
// variables viper reads over those keys at the data volume, the URI
// parameters kept.
func TestDockerfile_ViperPathsOnTheVolume(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"go.mod": "module example.com/pagoda\n\ngo 1.25\n\nrequire (\n\tgithub.com/labstack/echo/v4 v4.13.4\n\tgithub.com/mattn/go-sqlite3 v1.14.28\n\tgithub.com/spf13/viper v1.20.1\n)\n",
		"main.go": "package main\n\nimport (\n\t\"github.com/labstack/echo/v4\"\n\t_ \"github.com/mattn/go-sqlite3\"\n)\n\nfunc main() {\n\tc, _ := GetConfig()\n\tif err := fs.MkdirAll(c.Config.Files.Directory, 0755); err != nil {\n\t\tpanic(err)\n\t}\n" +
			"\te := echo.New()\n\te.GET(\"/healthz\", ok)\n\te.Start(\":8000\")\n}\n",
		"config.go":          "package main\n\nfunc GetConfig() (Config, error) {\n\tviper.SetConfigName(\"config\")\n\tviper.AddConfigPath(\"config\")\n\tviper.SetEnvPrefix(\"pagoda\")\n\tviper.AutomaticEnv()\n\tviper.SetEnvKeyReplacer(strings.NewReplacer(\".\", \"_\"))\n\treturn c, viper.ReadInConfig()\n}\n",
		"config/config.yaml": "database:\n  driver: \"sqlite3\"\n  connection: \"dbs/main.db?_journal=WAL&_fk=true\"\n\nfiles:\n  directory: \"uploads\"\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	dockerfileHolds(t, s, "pagoda",
		"VOLUME [\"/app/data\"]\n",
		"ENV PAGODA_DATABASE_CONNECTION=/app/data/main.db?_journal=WAL&_fk=true\n",
		"# The app creates uploads (files.directory in config/config.yaml:6) in its working directory, on the read-only root: a directory on the volume.\nENV PAGODA_FILES_DIRECTORY=/app/data/uploads\n")
}

// dockerfileHolds resolves a plan for s and fails t for each text the
// Dockerfile generated from it lacks; it returns the Dockerfile.
func dockerfileHolds(t *testing.T, s *detect.Stack, name string, wants ...string) string {
	t.Helper()
	p, err := generate.Resolve(s, generate.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	f, err := generate.Dockerfile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range wants {
		if !strings.Contains(f.Content, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, f.Content)
		}
	}
	return f.Content
}
