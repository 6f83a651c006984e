package generate_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/cli"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// A Go program without go.mod (GoogleCloudPlatform's hello-app, whose
// own Dockerfile runs `go mod init hello-app`), read with --stack go: it
// imports only the standard library, so the build makes the module, and
// copies no go.mod the repository lacks. One that imports modules stops:
// a build that resolved them would compile whatever is newest that day.
func TestDockerfile_GoWithoutGoMod(t *testing.T) {
	main := "package main\n\nimport (\n\t\"fmt\"\n\t\"log\"\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/\", hello)\n\tport := os.Getenv(\"PORT\")\n\tif port == \"\" {\n\t\tport = \"8080\"\n\t}\n\tlog.Fatal(http.ListenAndServe(\":\"+port, mux))\n}\n\nfunc hello(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, \"Hello, world!\\n\") }\n"
	s, err := detect.DetectAs(testutil.WriteTree(t, map[string]string{"main.go": main}), "go")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Needs) != 0 {
		t.Fatalf("needs %v, want none", s.Needs)
	}
	df := projectFiles(t, s, generate.Options{Name: "hello"})["Dockerfile"]
	if strings.Contains(df, "COPY go.mod") || !strings.Contains(df, "RUN go mod init app\n") || strings.Index(df, "COPY . .") > strings.Index(df, "go mod init") {
		t.Errorf("Dockerfile does not copy the source, then make the module:\n%s", df)
	}

	withModule := strings.Replace(main, "\t\"os\"\n", "\t\"os\"\n\n\t\"github.com/gorilla/mux\"\n", 1)
	s, err = detect.DetectAs(testutil.WriteTree(t, map[string]string{"main.go": withModule}), "go")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "github.com/gorilla/mux") || s.Needs[0].File != "main.go" {
		t.Fatalf("needs %+v, want one naming github.com/gorilla/mux in main.go", s.Needs)
	}
	if _, err := generate.Resolve(s, generate.Options{Name: "hello"}); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("Resolve: %v, want a stop that says to write go.mod", err)
	}
}

// A module that vendors its dependencies builds from vendor/ and
// downloads nothing (umputun/reproxy: the module proxy answers 403 for one
// of the versions it vendors, which go mod download had asked for).
func TestDockerfile_GoVendored(t *testing.T) {
	s, err := detect.DetectAs(testutil.WriteTree(t, map[string]string{
		"go.mod":             "module x\n\ngo 1.26\n\nrequire github.com/go-chi/chi/v5 v5.2.1\n",
		"go.sum":             "",
		"vendor/modules.txt": "# github.com/go-chi/chi/v5 v5.2.1\n## explicit; go 1.20\ngithub.com/go-chi/chi/v5\n",
		"main.go":            "package main\n\nimport \"github.com/go-chi/chi/v5\"\n\nfunc main() {\n\tr := chi.NewRouter()\n\tr.Get(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", r)\n}\n",
	}), "go")
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "x"})["Dockerfile"]
	if strings.Contains(df, "go mod download") || !strings.Contains(df, "go build -mod=vendor -trimpath") || !strings.Contains(df, "# vendor/modules.txt: the dependencies are vendored") {
		t.Errorf("the build downloads, or does not use vendor/:\n%s", df)
	}
}

// A Go program whose own -migrate flag migrates and exits (miniflux)
// gets it as the release step: compose's app-migrate service and the
// Kubernetes Job run the image with it, and the files pass check.
func TestProject_GoMigrateFlagIsTheReleaseStep(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module m\n\ngo 1.26\n\nrequire github.com/lib/pq v1.10.9\n", "go.sum": "",
		"main.go": "package main\n\nimport _ \"github.com/lib/pq\"\n\nfunc main() {\n\tflag.BoolVar(&flagMigrate, \"migrate\", false, \"Run SQL migrations\")\n\tflag.Parse()\n\tif flagMigrate {\n\t\tdatabase.Migrate(db)\n\t\treturn\n\t}\n" +
			"\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "svc"})
	if !strings.Contains(files["compose.yaml"], "  app-migrate:\n") || !strings.Contains(files["compose.yaml"], `entrypoint: ["/app/server", "-migrate"]`) {
		t.Errorf("compose.yaml has no app-migrate service running /app/server -migrate:\n%s", files["compose.yaml"])
	}
	if !strings.Contains(files["deploy/k8s/base/migrate.yaml"], `command: ["/app/server", "-migrate"]`) {
		t.Errorf("no migration Job running /app/server -migrate:\n%s", files["deploy/k8s/base/migrate.yaml"])
	}
	checkProduction(t, dir, files)
}

// checkProduction writes files into dir and runs check --profile
// production on it: zero findings.
func checkProduction(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := cli.Execute(context.Background(), []string{"check", "--no-config", "--profile", "production", "--fail-on", "info", dir}, strings.NewReader(""), &stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), "0 findings") {
		t.Errorf("check exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}

// simplebank's shape: viper reads app.env from the working directory and
// its MIGRATION_URL names db/migration; the image carries both, sets the
// port through HTTP_SERVER_ADDRESS, and compose points DB_SOURCE (its URL
// variable) at the db service.
func TestProject_ViperConfigFileAndItsDirectories(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module sb\n\ngo 1.22\n\nrequire (\n\tgithub.com/spf13/viper v1.18.2\n\tgithub.com/jackc/pgx/v5 v5.5.5\n)\n", "go.sum": "",
		"main.go": "package main\n\nimport _ \"github.com/jackc/pgx/v5\"\n\nfunc main() {\n\tconfig, err := util.LoadConfig(\".\")\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(config.HTTPServerAddress, nil)\n}\n",
		"util/config.go": "package util\n\ntype Config struct {\n\tDBSource          string `mapstructure:\"DB_SOURCE\"`\n\tHTTPServerAddress string `mapstructure:\"HTTP_SERVER_ADDRESS\"`\n}\n\nfunc LoadConfig(path string) (config Config, err error) {\n" +
			"\tviper.AddConfigPath(path)\n\tviper.SetConfigName(\"app\")\n\tviper.SetConfigType(\"env\")\n\tviper.AutomaticEnv()\n\terr = viper.ReadInConfig()\n\tif err != nil {\n\t\treturn\n\t}\n\terr = viper.Unmarshal(&config)\n\treturn\n}\n",
		"app.env":                         "DB_SOURCE=postgresql://root:secret@localhost:5432/simple_bank?sslmode=disable\nMIGRATION_URL=file://db/migration\nHTTP_SERVER_ADDRESS=0.0.0.0:8080\n",
		"db/migration/000001_init.up.sql": "CREATE TABLE accounts (id bigserial);\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "sb"})
	for _, w := range []string{"COPY --from=build /src/app.env /app/app.env\n", "COPY --from=build /src/db/migration /app/db/migration\n", "ENV HTTP_SERVER_ADDRESS=:8080\n"} {
		if !strings.Contains(files["Dockerfile"], w) {
			t.Errorf("Dockerfile lacks %q:\n%s", w, files["Dockerfile"])
		}
	}
	if !strings.Contains(files["compose.yaml"], "DB_SOURCE: postgresql://app:") {
		t.Errorf("compose.yaml does not point DB_SOURCE at the db service:\n%s", files["compose.yaml"])
	}
	checkProduction(t, dir, files)
}

// A data directory the code reads from a variable, which the repository's
// own Dockerfile sets (shiori: envconfig's SHIORI_ prefix and `env:"DIR"`,
// ENV SHIORI_DIR=/shiori; elsewhere it writes under the home directory and
// exits on a read-only root): the image points it at its data volume. A
// variable the code does not read, or a temporary directory, is not one.
func TestProject_DataDirFromTheRepositorysDockerfile(t *testing.T) {
	files := map[string]string{
		"go.mod":  "module example.com/bookmarks\n\ngo 1.26\n",
		"main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\tdir := os.Getenv(\"BOOKMARKS_DIR\")\n\t_ = os.MkdirAll(dir, 0o750)\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"Dockerfile": "FROM golang:1.26 AS build\nENV CACHE_DIR=/cache TMP_DIR=/tmp/b\n" +
			"FROM debian:bookworm-slim\nENV PORT=8080\nENV BOOKMARKS_DIR /bookmarks\nCMD [\"/app\"]\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if v := s.DataDirVar; v == nil || v.Value != "BOOKMARKS_DIR" || v.Where() != "Dockerfile:5" {
		t.Fatalf("data dir variable = %+v, want BOOKMARKS_DIR at Dockerfile:5", v)
	}
	df := projectFiles(t, s, generate.Options{Name: "bookmarks"})["Dockerfile"]
	if !strings.Contains(df, "VOLUME [\"/app/data\"]\n") || !strings.Contains(df, "\nENV BOOKMARKS_DIR=/app/data\n") {
		t.Errorf("the image does not point BOOKMARKS_DIR at its volume:\n%s", df)
	}
	files["main.go"] = strings.Replace(files["main.go"], "BOOKMARKS_DIR", "OTHER", 1)
	if s, err := detect.Detect(testutil.WriteTree(t, files)); err != nil || s.DataDirVar != nil {
		t.Errorf("a variable the code does not read: %+v, %v", s.DataDirVar, err)
	}
}

// gotify's shape: ui/serve.go embeds ui/build, the Vite output of ui/
// (yarn, puppeteer for its tests), which git does not hold. The image
// builds it in a Node stage of its own, with no browser download, and
// go build finds it; a local ui/build and ui/node_modules stay out of the
// build context; the files pass check.
func TestProject_GoEmbeddedFrontEndIsBuilt(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module gotify\n\ngo 1.25\n", "go.sum": "",
		"app.go":            "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/health\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"ui/serve.go":       "package ui\n\nimport \"embed\"\n\n//go:embed build/*\nvar box embed.FS\n",
		"ui/package.json":   "{\n  \"scripts\": {\n    \"build\": \"vite build\"\n  },\n  \"devDependencies\": {\n    \"vite\": \"^8.0.8\",\n    \"puppeteer\": \"^24.0.0\"\n  }\n}\n",
		"ui/yarn.lock":      "# yarn lockfile v1\n",
		"ui/vite.config.ts": "export default defineConfig({ build: { outDir: 'build' } });\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "gotify"})
	df := files["Dockerfile"]
	for _, want := range []string{
		"ARG NODE_IMAGE=node:",
		"FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend\nWORKDIR /src/ui\n",
		"ENV PUPPETEER_SKIP_DOWNLOAD=true\nCOPY ui/ ./\n",
		"corepack enable && yarn install --frozen-lockfile && yarn run build\n",
		"COPY . .\nCOPY --from=frontend /src/ui/build ./ui/build\nRUN",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Index(df, "ARG NODE_IMAGE") > strings.Index(df, "FROM ") {
		t.Errorf("NODE_IMAGE is declared after the first FROM, where a stage cannot use it:\n%s", df)
	}
	di := files[".dockerignore"]
	if !strings.Contains(di, "\n**/node_modules\nui/build/\n") || strings.Contains(di, "!ui/build") {
		t.Errorf(".dockerignore does not keep a local ui/build and node_modules out:\n%s", di)
	}
	checkProduction(t, dir, files)
}

// inbucket's shape: the program serves ui/dist at run time, the default
// of its configuration's UIDir, which ui/'s Parcel build writes and git
// does not hold. The Node stage builds it and the runtime image holds it
// where the program looks, relative to its working directory; go build
// does not need it; the files pass check.
func TestProject_GoRuntimeFrontEndIsBuilt(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module inbucket\n\ngo 1.25\n", "go.sum": "",
		"main.go": "package main\n\nimport \"net/http\"\n\ntype Web struct {\n\tUIDir string `required:\"true\" default:\"ui/dist\"`\n}\n\n" +
			"func main() {\n\tc := Web{}\n\tenvconfig.Process(\"inbucket\", &c)\n\thttp.HandleFunc(\"/health\", ok)\n\thttp.Handle(\"/\", http.FileServer(http.Dir(c.UIDir)))\n\thttp.ListenAndServe(\":9000\", nil)\n}\n",
		"ui/package.json": "{\n  \"scripts\": {\n    \"build\": \"parcel build --public-url ./\"\n  },\n  \"devDependencies\": {\n    \"parcel\": \"^2.16.4\"\n  }\n}\n",
		"ui/yarn.lock":    "# yarn lockfile v1\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "inbucket"})
	df := files["Dockerfile"]
	for _, want := range []string{
		"# The program serves ui/dist at run time (main.go:6: the default of INBUCKET_UIDIR); ui/package.json:3 (\"build\"): Parcel builds",
		"FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend\nWORKDIR /src/ui\n",
		"yarn install --frozen-lockfile && yarn run build\n",
		"COPY --from=build /out/healthcheck /app/healthcheck\nCOPY --from=frontend /src/ui/dist /app/ui/dist\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Contains(df, "COPY --from=frontend /src/ui/dist ./ui/dist") {
		t.Errorf("the build stage gets the front end, which only the runtime reads:\n%s", df)
	}
	checkProduction(t, dir, files)
}

// alertmanager's shape: its Dockerfile copies examples/ha/alertmanager.yml
// to the path its CMD's --config.file names, and passes its VOLUME as
// --storage.path. The image puts the file at that path (the build
// context keeps it) and passes the flag the data volume; the files pass
// check.
func TestProject_RepositoryDockerfileArgumentPaths(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module am\n\ngo 1.25\n", "go.sum": "",
		"main.go":                      "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/-/ready\", ready)\n\thttp.ListenAndServe(\":9093\", nil)\n}\n",
		"examples/ha/alertmanager.yml": "route:\n  receiver: default\n",
		"Dockerfile": "FROM busybox\nCOPY examples/ha/alertmanager.yml /etc/alertmanager/alertmanager.yml\nVOLUME [ \"/alertmanager\" ]\nENTRYPOINT [ \"/bin/alertmanager\" ]\n" +
			"CMD [ \"--config.file=/etc/alertmanager/alertmanager.yml\", \\\n      \"--storage.path=/alertmanager\" ]\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "am"})
	df := files["Dockerfile"]
	for _, want := range []string{
		"# Dockerfile:2: the repository's Dockerfile puts it where its arguments name it.\nCOPY --from=build /src/examples/ha/alertmanager.yml /etc/alertmanager/alertmanager.yml\n",
		`ENTRYPOINT ["/app/server", "--config.file=/etc/alertmanager/alertmanager.yml"]` + "\n" + `CMD ["--storage.path=/app/data"]` + "\n",
		"VOLUME [\"/app/data\"]\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if strings.Contains(df, "=/alertmanager") {
		t.Errorf("the repository's volume path is still passed:\n%s", df)
	}
	checkProduction(t, dir, files)
}

// distribution's shape: the configuration its Dockerfile carries keeps
// the registry's data in /var/lib/registry, a VOLUME of that Dockerfile.
// The image's data volume is there (writable by the app's user), the
// compose service and the Deployment mount it, and the files pass check.
func TestProject_DataVolumeTheCarriedConfigNames(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module registry\n\ngo 1.25\n", "go.sum": "",
		"cmd/registry/main.go":        "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/debug/health\", health)\n\thttp.ListenAndServe(\":5000\", nil)\n}\n",
		"cmd/registry/config-dev.yml": "storage:\n  filesystem:\n    rootdirectory: /var/lib/registry\n",
		"Dockerfile":                  "FROM alpine\nCOPY cmd/registry/config-dev.yml /etc/distribution/config.yml\nVOLUME [\"/var/lib/registry\"]\nENTRYPOINT [\"registry\"]\nCMD [\"serve\", \"/etc/distribution/config.yml\"]\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "registry"})
	df := files["Dockerfile"]
	for _, want := range []string{
		"# The app's data (what cmd/registry/config-dev.yml:3 keeps there) lives on a volume mounted here",
		"COPY --from=build --chown=10001:10001 /out/data /var/lib/registry\nVOLUME [\"/var/lib/registry\"]\n",
		"COPY --from=build /src/cmd/registry/config-dev.yml /etc/distribution/config.yml\n",
		`ENTRYPOINT ["/app/server", "serve", "/etc/distribution/config.yml"]`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if !strings.Contains(files["compose.yaml"], ":/var/lib/registry\n") {
		t.Errorf("compose.yaml mounts no volume at /var/lib/registry:\n%s", files["compose.yaml"])
	}
	checkProduction(t, dir, files)
}

// filebrowser's shape: its flags default to a database file in the
// working directory and a loopback listen address. The image passes both
// (the file on the data volume, every address with the port kept) as its
// CMD, so that arguments a user or a tool passes (a subcommand first:
// shipshape's own proxy image is run with `proxy --listen ...`) replace
// them instead of following them; it says why, and the files pass check.
func TestProject_ServeFlagsThatDoNotWorkInAContainer(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module fb\n\ngo 1.25\n", "go.sum": "",
		"main.go": "package main\n\nfunc main() {\n\tpersistent := rootCmd.PersistentFlags()\n" +
			"\tpersistent.StringP(\"database\", \"d\", \"./filebrowser.db\", \"database path\")\n" +
			"\tflags.StringP(\"address\", \"a\", \"localhost:8080\", \"address to listen on\")\n" +
			"\thttp.HandleFunc(\"/health\", ok)\n\thttp.ListenAndServe(addr, nil)\n}\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "fb", Port: 8080})
	df := files["Dockerfile"]
	for _, want := range []string{
		`VOLUME ["/app/data"]`,
		"# --database (main.go:5): its default \"./filebrowser.db\" is a file in the working directory, on the read-only root.\n",
		"ENTRYPOINT [\"/app/server\"]\nCMD [\"--database=/app/data/filebrowser.db\", \"--address=0.0.0.0:8080\"]\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	checkProduction(t, dir, files)

	// Its real code binds the flags to viper, which reads FB_*: the image
	// sets the variables, which compose or a user can change, and passes
	// no flag.
	viper := "package main\n\nfunc initViper() {\n\tv.SetEnvPrefix(\"FB\")\n\tv.AutomaticEnv()\n\tv.BindPFlags(cmd.Flags())\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "viper.go"), []byte(viper), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err = detect.Detect(dir); err != nil {
		t.Fatal(err)
	}
	df = projectFiles(t, s, generate.Options{Name: "fb", Port: 8080})["Dockerfile"]
	for _, want := range []string{"\nENV FB_DATABASE=/app/data/filebrowser.db\n", "\nENV FB_ADDRESS=0.0.0.0:8080\n", `ENTRYPOINT ["/app/server"]`} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
}

// gotify's shape: the code imports the MySQL, Postgres and SQLite drivers
// and its default configuration says sqlite3. The files run SQLite on the
// data volume and start no database server; a note names the others as
// settings.
func TestProject_TheConfigurationsDefaultDatabaseRuns(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module gotify\n\ngo 1.25\n\nrequire (\n\tgorm.io/driver/mysql v1.5.0\n\tgorm.io/driver/postgres v1.5.0\n\tgorm.io/driver/sqlite v1.5.0\n)\n", "go.sum": "",
		"app.go":               "package main\n\nimport (\n\t_ \"gotify/config\"\n\t_ \"gotify/database\"\n)\n\nfunc main() {\n\thttp.HandleFunc(\"/health\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"database/database.go": "package database\n\nimport (\n\t\"gorm.io/driver/mysql\"\n\t\"gorm.io/driver/postgres\"\n\t\"gorm.io/driver/sqlite\"\n)\n",
		"config/config.go":     "package config\n\nvar defaults = Database{\n\tDialect:    \"sqlite3\",\n\tConnection: \"data/gotify.db\",\n}\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "gotify"})
	if err != nil {
		t.Fatal(err)
	}
	if p.DataDir != "/app/data" || p.Has("postgres") || p.Has("mysql") {
		t.Errorf("plan: data %q, postgres %v, mysql %v; want SQLite on /app/data and no server", p.DataDir, p.Has("postgres"), p.Has("mysql"))
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "config/config.go:4: sqlite is the configuration's default: Dialect: \"sqlite3\"; the code can also use postgres (database/database.go:5), mysql (database/database.go:4)") {
		t.Errorf("notes do not name the default and the alternatives:\n%s", notes)
	}
	files := projectFiles(t, s, generate.Options{Name: "gotify"})
	if c := files["compose.yaml"]; strings.Contains(c, "  db:") || strings.Contains(c, "DATABASE_URL") {
		t.Errorf("compose.yaml runs a database server the default configuration does not use:\n%s", c)
	}
	checkProduction(t, dir, files)
}

// sikozonpc/ecom's shape: the server in cmd/, and cmd/migrate, a program
// of its own that applies golang-migrate's migrations from
// file://cmd/migrate/migrations when given "up". The image builds both and
// carries the migrations; the release step (compose's app-migrate, the
// Kubernetes Job) runs /app/migrate up. Its POST-only gorilla routes
// (.Methods("POST")) are no health candidates.
func TestProject_GoMigrationProgramIsTheReleaseStep(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module ecom\n\ngo 1.22\n\nrequire github.com/go-sql-driver/mysql v1.8.1\n", "go.sum": "",
		"cmd/main.go": "package main\n\nimport _ \"github.com/go-sql-driver/mysql\"\n\nfunc main() {\n\trouter := mux.NewRouter()\n" +
			"\trouter.HandleFunc(\"/login\", h.handleLogin).Methods(\"POST\")\n\trouter.HandleFunc(\"/products\", h.handleGetProducts).Methods(http.MethodGet)\n\thttp.ListenAndServe(\":8080\", router)\n}\n",
		"cmd/migrate/main.go": "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/golang-migrate/migrate/v4\"\n)\n\nfunc main() {\n\tm, _ := migrate.NewWithDatabaseInstance(\n\t\t\"file://cmd/migrate/migrations\",\n\t\t\"mysql\",\n\t\tdriver,\n\t)\n" +
			"\tcmd := os.Args[len(os.Args)-1]\n\tif cmd == \"up\" {\n\t\tm.Up()\n\t}\n}\n",
		"cmd/migrate/migrations/20240101_users.up.sql": "CREATE TABLE users (id INT);\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Ambiguous) != 1 || len(s.Ambiguous[0].Candidates) != 1 || s.Ambiguous[0].Candidates[0].Value != "/products" {
		t.Errorf("health candidates %+v, want /products alone (POST /login is no candidate)", s.Ambiguous)
	}
	files := projectFiles(t, s, generate.Options{Name: "ecom", HealthPath: "/products"})
	df := files["Dockerfile"]
	for _, want := range []string{"-o /out/migrate ./cmd/migrate\n", "COPY --from=build /out/migrate /app/migrate\n", "COPY --from=build /src/cmd/migrate/migrations /app/cmd/migrate/migrations\n"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if !strings.Contains(files["compose.yaml"], `entrypoint: ["/app/migrate", "up"]`) || !strings.Contains(files["deploy/k8s/base/migrate.yaml"], `command: ["/app/migrate", "up"]`) {
		t.Errorf("the release step does not run /app/migrate up:\n%s\n%s", files["compose.yaml"], files["deploy/k8s/base/migrate.yaml"])
	}
	checkProduction(t, dir, files)
}

// ecom keeps its own docker-compose.yml, so init writes no compose.yaml:
// the note no longer sends the user to an app-migrate service that is not
// written (it said so, in a tenth trial), but says the kept project has
// none and what to add; without a kept file it names app-migrate.
func TestPlan_MigrationsWithTheRepositorysOwnCompose(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module ecom\n\ngo 1.22\n\nrequire github.com/go-sql-driver/mysql v1.8.1\n", "go.sum": "",
		"cmd/main.go": "package main\n\nimport _ \"github.com/go-sql-driver/mysql\"\n\nfunc main() {\n\trouter := mux.NewRouter()\n" +
			"\trouter.HandleFunc(\"/products\", h.handleGetProducts).Methods(http.MethodGet)\n\thttp.ListenAndServe(\":8080\", router)\n}\n",
		"cmd/migrate/main.go": "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/golang-migrate/migrate/v4\"\n)\n\nfunc main() {\n\tm, _ := migrate.NewWithDatabaseInstance(\n\t\t\"file://cmd/migrate/migrations\",\n\t\t\"mysql\",\n\t\tdriver,\n\t)\n" +
			"\tcmd := os.Args[len(os.Args)-1]\n\tif cmd == \"up\" {\n\t\tm.Up()\n\t}\n}\n",
		"cmd/migrate/migrations/20240101_users.up.sql": "CREATE TABLE users (id INT);\n",
		"docker-compose.yml":                           "services:\n  api:\n    build: .\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "ecom", HealthPath: "/products"})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "in the compose service app-migrate") {
		t.Fatalf("before compose is kept, the notes do not name app-migrate:\n%s", notes)
	}
	files, err := generate.Project(p)
	if err != nil {
		t.Fatal(err)
	}
	files, kept, name := generate.KeepUserCompose(dir, files)
	if kept == "" || name != "docker-compose.yml" {
		t.Fatalf("the repository's compose is not kept: %q %q", kept, name)
	}
	for _, f := range files {
		if f.Path == "compose.yaml" {
			t.Errorf("compose.yaml written beside docker-compose.yml")
		}
	}
	p.KeepComposeOf(name)
	notes = strings.Join(p.Notes, "\n")
	if strings.Contains(notes, "app-migrate") || !strings.Contains(notes, "docker-compose.yml, kept as it is, has no service that does: add a one-off one that runs `/app/migrate up`") {
		t.Errorf("with the repository's compose kept, the notes:\n%s", notes)
	}
}

// qiangxue/go-rest-api's shape: migrations/ holds golang-migrate's SQL
// files, which its entrypoint.sh applies with the migrate CLI, a tool
// init does not run. init said nothing of them, and init --verify passed
// on /healthcheck, which reads no table, while GET /v1/albums answered
// 500 (relation "album" does not exist). The note says nothing applies
// them, and UnappliedMigrations (the caveat init --verify's pass prints)
// names them; with a release step that runs them, neither.
func TestPlan_MigrationsNothingApplies(t *testing.T) {
	files := map[string]string{
		"go.mod":                                "module example.com/albums\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n",
		"go.sum":                                "",
		"main.go":                               "package main\n\nimport (\n\t\"net/http\"\n\n\t_ \"github.com/lib/pq\"\n)\n\nfunc main() {\n\thttp.HandleFunc(\"/healthcheck\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"migrations/20191217202658_init.up.sql": "CREATE TABLE album (id VARCHAR PRIMARY KEY);\n",
		"migrations/20191217202658_init.down.sql": "DROP TABLE album;\n",
	}
	s, err := detect.Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "albums"})
	if err != nil {
		t.Fatal(err)
	}
	if got := generate.UnappliedMigrations(p); got != "the migrations in migrations/" {
		t.Errorf("UnappliedMigrations = %q", got)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "The migrations in migrations/, which nothing init writes applies") {
		t.Errorf("no note that nothing applies the migrations:\n%s", notes)
	}
	// The same with the program's own -migrate flag (miniflux's shape).
	files["main.go"] = strings.Replace(files["main.go"], "func main() {\n", "var flagMigrate bool\n\nfunc main() {\n\tflag.BoolVar(&flagMigrate, \"migrate\", false, \"apply the migrations and exit\")\n\tflag.Parse()\n\tif flagMigrate {\n\t\tapplyMigrations()\n\t\treturn\n\t}\n", 1)
	files["main.go"] = strings.Replace(files["main.go"], "import (\n", "import (\n\t\"flag\"\n", 1)
	s, err = detect.Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if p, err = generate.Resolve(s, generate.Options{Name: "albums"}); err != nil {
		t.Fatal(err)
	}
	if got := generate.UnappliedMigrations(p); got != "" || strings.Contains(strings.Join(p.Notes, "\n"), "nothing init writes applies") {
		t.Errorf("with a -migrate flag (%v): UnappliedMigrations %q, notes:\n%s", s.Migrate, got, strings.Join(p.Notes, "\n"))
	}
}

// evrone/go-clean-template's shape: its Dockerfile builds the server with
// -tags migrate, which brings in internal/app/migrate.go (//go:build
// migrate), whose init() applies golang-migrate's migrations from
// file://migrations when the app starts. init's image built without the
// tag, so the app ran on a database without its tables and passed verify
// on a health route that reads none. The image builds with the
// repository's tags and carries migrations/, and no note says nothing
// applies them. A make variable as the list, or a build without -tags,
// gives no tags.
func TestProject_GoBuildTagsFromTheRepositorysBuild(t *testing.T) {
	files := map[string]string{
		"go.mod":                  "module example.com/clean\n\ngo 1.22\n\nrequire (\n\tgithub.com/golang-migrate/migrate/v4 v4.18.1\n\tgithub.com/lib/pq v1.10.9\n)\n",
		"go.sum":                  "",
		"cmd/app/main.go":         "package main\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/clean/internal/app\"\n)\n\nfunc main() {\n\tapp.Run()\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"internal/app/app.go":     "package app\n\nimport _ \"github.com/lib/pq\"\n\nfunc Run() {}\n",
		"internal/app/migrate.go": "//go:build migrate\n\npackage app\n\nimport (\n\t\"github.com/golang-migrate/migrate/v4\"\n\t_ \"github.com/golang-migrate/migrate/v4/source/file\"\n)\n\nfunc init() {\n\tm, _ := migrate.New(\"file://migrations\", \"postgres://\")\n\t_ = m.Up()\n}\n",
		"migrations/20210221023242_migrate_name.up.sql": "CREATE TABLE history (id serial);\n",
		"Dockerfile": "FROM golang:1.22-alpine AS builder\nCOPY . /app\nWORKDIR /app\nRUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 \\\n    go build -tags migrate -o /bin/app ./cmd/app\n\nFROM scratch\nCOPY --from=builder /bin/app /app\nCMD [\"/app\"]\n",
	}
	for _, tc := range []struct {
		name, build, tags string
	}{
		{"the Dockerfile's -tags", "", "migrate"},
		{"quoted, several", "    go build -tags \"migrate netgo\" -o /bin/app ./cmd/app\n", "migrate,netgo"},
		{"-tags=", "    go build -tags=migrate,timetzdata -o /bin/app ./cmd/app\n", "migrate,timetzdata"},
		{"a make variable", "    go build -tags $(TAGS) -o /bin/app ./cmd/app\n", ""},
		{"no tags", "    go build -o /bin/app ./cmd/app\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree := map[string]string{}
			for k, v := range files {
				tree[k] = v
			}
			if tc.build != "" {
				tree["Dockerfile"] = strings.Replace(files["Dockerfile"], "    go build -tags migrate -o /bin/app ./cmd/app\n", tc.build, 1)
			}
			dir := testutil.WriteTree(t, tree)
			s, err := detect.Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if s.BuildTags != nil {
				got = s.BuildTags.Value
				if s.BuildTags.Where() != "Dockerfile:5" {
					t.Errorf("tags from %s, want Dockerfile:5", s.BuildTags.Where())
				}
			}
			if got != tc.tags {
				t.Fatalf("build tags %q, want %q", got, tc.tags)
			}
			p, err := generate.Resolve(s, generate.Options{Name: "clean"})
			if err != nil {
				t.Fatal(err)
			}
			out := projectFiles(t, s, generate.Options{Name: "clean"})
			df := out["Dockerfile"]
			unapplied := generate.UnappliedMigrations(p)
			if tc.tags == "" {
				if strings.Contains(df, "-tags") || s.MigratesAtStart != nil || unapplied == "" {
					t.Errorf("no tags: Dockerfile with -tags, or migrations applied at start (%v), unapplied %q:\n%s", s.MigratesAtStart, unapplied, df)
				}
				return
			}
			if !strings.Contains(df, "go build -tags "+tc.tags+" -trimpath") || !strings.Contains(df, "COPY --from=build /src/migrations /app/migrations\n") {
				t.Errorf("the build lacks -tags %s or the image lacks migrations/:\n%s", tc.tags, df)
			}
			if s.MigratesAtStart == nil || s.MigratesAtStart.Value != "internal/app/migrate.go" || unapplied != "" {
				t.Errorf("migrates at start %v, unapplied %q: want internal/app/migrate.go, none", s.MigratesAtStart, unapplied)
			}
			checkProduction(t, dir, out)
		})
	}
}

// evrone/go-clean-template's migrate.go reads PG_URL and appends
// "?sslmode=disable" to it: the URL compose and init --verify's run give
// it carries no query of its own (with one, the app got "…?sslmode=
// disable?sslmode=disable" and retried until it gave up). The password's
// ${…:?…} keeps its ?. A variable the code does not append to keeps it.
func TestProject_URLTheCodeAppendsAQueryTo(t *testing.T) {
	code := "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"github.com/lib/pq\"\n)\n\nfunc main() {\n\tdatabaseURL, ok := os.LookupEnv(\"PG_URL\")\n\tif !ok {\n\t\tpanic(\"PG_URL\")\n\t}\n\n\tdatabaseURL += \"?sslmode=disable\"\n\t_ = databaseURL\n\t_ = os.Getenv(\"DATABASE_URL\")\n" +
		"\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod":  "module example.com/clean\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n",
		"go.sum":  "",
		"main.go": code,
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.QueryAppended) != 1 || s.QueryAppended[0].Value != "PG_URL" || s.QueryAppended[0].Where() != "main.go:16" {
		t.Fatalf("query appended to %+v, want PG_URL at main.go:16", s.QueryAppended)
	}
	compose := projectFiles(t, s, generate.Options{Name: "clean"})["compose.yaml"]
	for _, want := range []string{
		"PG_URL: postgresql://app:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@db:5432/app\n",
		"DATABASE_URL: postgresql://app:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@db:5432/app?sslmode=disable\n",
	} {
		if !strings.Contains(compose, want) {
			t.Errorf("compose.yaml lacks %q:\n%s", want, compose)
		}
	}
}

// qiangxue/go-rest-api's shape: its migrations are golang-migrate's
// NNN_name.up.sql files, which its cmd/server/entrypoint.sh applies with
// golang-migrate's CLI before the server starts (and its Makefile with
// the CLI's image); no program of its own does. The image builds that CLI
// from the module proxy with the Postgres driver and carries the
// migrations; the release step runs it against the URL the app reads
// (APP_DSN): compose puts in the value it gives the app, Kubernetes
// expands $(APP_DSN) from the Job's environment. Before, a note said
// nothing applied them and init --verify passed on a /healthcheck that
// reads no table while GET /v1/albums answered 500.
func TestProject_GolangMigrateCLIIsTheReleaseStep(t *testing.T) {
	tree := map[string]string{
		"go.mod": "module github.com/qiangxue/go-rest-api\n\ngo 1.13\n\nrequire github.com/lib/pq v1.2.0\n", "go.sum": "",
		"cmd/server/main.go": "package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n\n\t\"github.com/qiangxue/go-rest-api/internal/config\"\n\t_ \"github.com/lib/pq\"\n)\n\nfunc main() {\n" +
			"\tcfg, _ := config.Load(\"./config/local.yml\")\n\tdb, _ := sql.Open(\"postgres\", cfg.DSN)\n\t_ = db\n\thttp.HandleFunc(\"/healthcheck\", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(\"OK\")) })\n" +
			"\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"internal/config/config.go": "package config\n\nimport (\n\t\"github.com/qiangxue/go-env\"\n)\n\ntype Config struct {\n\tServerPort int `yaml:\"server_port\" env:\"SERVER_PORT\"`\n" +
			"\tDSN string `yaml:\"dsn\" env:\"DSN,secret\"`\n}\n\nfunc Load(file string) (*Config, error) {\n\tc := Config{ServerPort: 8080}\n\tif err := env.New(\"APP_\", nil).Load(&c); err != nil {\n\t\treturn nil, err\n\t}\n\treturn &c, nil\n}\n",
		"config/local.yml":                        "dsn: \"postgres://127.0.0.1/go_restful?sslmode=disable&user=postgres&password=postgres\"\n",
		"cmd/server/entrypoint.sh":                "#!/bin/bash -e\n\nAPP_ENV=${APP_ENV:-local}\n\necho \"[`date`] Running DB migrations...\"\nmigrate -database \"${APP_DSN}\" -path ./migrations up\n\n./server -config ${CONFIG_FILE}\n",
		"Makefile":                                "APP_DSN ?= $(shell sed -n 's/^dsn:[[:space:]]*\"\\(.*\\)\"/\\1/p' config/local.yml)\nMIGRATE := docker run -v $(shell pwd)/migrations:/migrations --network host migrate/migrate:v4.10.0 -path=/migrations/ -database \"$(APP_DSN)\"\n\nmigrate:\n\t@$(MIGRATE) up\n",
		"migrations/20191217202658_init.up.sql":   "CREATE TABLE album (id VARCHAR PRIMARY KEY);\n",
		"migrations/20191217202658_init.down.sql": "DROP TABLE album;\n",
	}
	dir := testutil.WriteTree(t, tree)
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The Makefile's variable runs the CLI's image without "up" (its
	// targets add it): the entrypoint's line is the evidence.
	if s.Migrate == nil || s.Migrate.Value != detect.GolangMigrate || s.Migrate.Where() != "cmd/server/entrypoint.sh:6" {
		t.Fatalf("release step %+v, want golang-migrate's CLI at cmd/server/entrypoint.sh:6", s.Migrate)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "go-rest-api"})
	if err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(p.Notes, "\n"); strings.Contains(notes, "which nothing init writes applies") {
		t.Errorf("the notes still say nothing applies the migrations:\n%s", notes)
	}
	files, err := generate.Project(p)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, f := range files {
		byName[f.Path] = f.Content
	}
	df := byName["Dockerfile"]
	for _, want := range []string{
		"go install -tags postgres -trimpath -ldflags=\"-s -w\" github.com/golang-migrate/migrate/v4/cmd/migrate@v4.19.1",
		"COPY --from=build /out/migrate /app/migrate\n",
		"COPY --from=build /src/migrations /app/migrations\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	compose := byName["compose.yaml"]
	if !strings.Contains(compose, `entrypoint: ["/app/migrate", "-path", "/app/migrations", "-database", "postgresql://app:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@db:5432/app?sslmode=disable", "up"]`) ||
		!strings.Contains(compose, "app-migrate:\n        condition: service_completed_successfully") {
		t.Errorf("compose's release step does not run the CLI against the app's database before the app:\n%s", compose)
	}
	job := byName["deploy/k8s/base/migrate.yaml"]
	if !strings.Contains(job, `command: ["/app/migrate", "-path", "/app/migrations", "-database", "$(APP_DSN)", "up"]`) || !strings.Contains(job, "- name: APP_DSN") {
		t.Errorf("the Job does not run the CLI with $(APP_DSN) from its environment:\n%s", job)
	}
	checkProduction(t, dir, byName)
	// Its own docker-compose.yml kept: the note's service reads the URL
	// from .env, which compose interpolates (not the app service's
	// environment), and says so.
	p.KeepComposeOf("docker-compose.yml")
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "runs `/app/migrate -path /app/migrations -database ${APP_DSN:?set APP_DSN in .env} up` in the app's image") {
		t.Errorf("with its compose kept, the notes:\n%s", notes)
	}

	// MySQL: golang-migrate's URL is mysql://user:pass@tcp(host:port)/name,
	// which the app's variables do not give: no step, and the note stays.
	tree["go.mod"] = "module example.com/shop\n\ngo 1.22\n\nrequire github.com/go-sql-driver/mysql v1.8.1\n"
	tree["cmd/server/main.go"] = strings.Replace(strings.Replace(tree["cmd/server/main.go"], "github.com/lib/pq", "github.com/go-sql-driver/mysql", 1), `"postgres"`, `"mysql"`, 1)
	s, err = detect.Detect(testutil.WriteTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	p, err = generate.Resolve(s, generate.Options{Name: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	if m := generate.MigrateCommand(p); m != nil {
		t.Errorf("a MySQL app's release step %q, want none", m)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "which nothing init writes applies") {
		t.Errorf("MySQL: the notes do not say nothing applies the migrations:\n%s", notes)
	}
}

// ExpandRefs resolves $(NAME) as Kubernetes does, and leaves a name the
// environment lacks, and what is no reference, as it is.
func TestExpandRefs(t *testing.T) {
	got := generate.ExpandRefs([]string{"/app/migrate", "-database", "$(APP_DSN)", "$(MISSING)", "$APP_DSN", "a$(X)b$(X)"}, []string{"APP_DSN=postgres://u:p@db/app?x=1", "X=y=z"})
	want := []string{"/app/migrate", "-database", "postgres://u:p@db/app?x=1", "$(MISSING)", "$APP_DSN", "ay=zby=z"}
	if !slices.Equal(got, want) {
		t.Errorf("ExpandRefs: %q, want %q", got, want)
	}
}

// zhashkevych/todo-app's go.mod requires lib/pq v1.0.0, which cannot log
// in to Postgres 14's SCRAM passwords: verify's run stopped on "pq:
// unknown authentication response: 10", which nothing named. A note says
// so before the build; v1.1.0 and later get none.
func TestPlan_LibPQBeforeSCRAM(t *testing.T) {
	for _, tc := range []struct {
		version string
		note    bool
	}{{"v1.0.0", true}, {"v0.0.0-20180523175426-90697d60dd84", true}, {"v1.1.0", false}, {"v1.10.9", false}} {
		dir := testutil.WriteTree(t, map[string]string{
			"go.mod": "module todo\n\ngo 1.14\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.6.3\n\tgithub.com/lib/pq " + tc.version + "\n)\n", "go.sum": "",
			"cmd/main.go": "package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"github.com/lib/pq\"\n)\n\nfunc main() {\n\tdb, _ := sql.Open(\"postgres\", os.Getenv(\"DATABASE_URL\"))\n\t_ = db\n" +
				"\thttp.HandleFunc(\"/health\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8000\", nil)\n}\n",
		})
		s, err := detect.Detect(dir)
		if err != nil {
			t.Fatal(err)
		}
		p, err := generate.Resolve(s, generate.Options{Name: "todo"})
		if err != nil {
			t.Fatal(err)
		}
		notes := strings.Join(p.Notes, "\n")
		if got := strings.Contains(notes, "go.mod:7 requires github.com/lib/pq "+tc.version+", which cannot log in with SCRAM-SHA-256"); got != tc.note {
			t.Errorf("lib/pq %s: note %v, want %v:\n%s", tc.version, got, tc.note, notes)
		}
	}
}

// goose's CLI, as olefirenque/brarcher's Makefile runs it (`goose -dir
// migration/sql postgres $(DSN) up` over annotated SQL files): the image
// builds goose with the Postgres driver alone, and the release step runs
// it against the URL the app reads.
func TestProject_GooseCLIIsTheReleaseStep(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module brarcher\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.5.0\n", "go.sum": "",
		"cmd/app/main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\n\t\"github.com/jackc/pgx/v5/pgxpool\"\n)\n\nfunc main() {\n\tpool, _ := pgxpool.New(ctx, os.Getenv(\"DATABASE_URL\"))\n\t_ = pool\n" +
			"\thttp.HandleFunc(\"/health\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"Makefile":                        "DSN=\"postgresql://postgres:password@localhost:5431/db\"\n\n.goose-up:\n\tgoose -dir migration/sql postgres $(DSN) up\n",
		"migration/sql/20230301_init.sql": "-- +goose Up\nCREATE TABLE card (id INT);\n\n-- +goose Down\nDROP TABLE card;\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "brarcher"})
	df := files["Dockerfile"]
	for _, want := range []string{
		"go install -tags no_clickhouse,no_libsql,no_mssql,no_mysql,no_sqlite3,no_vertica,no_ydb -trimpath -ldflags=\"-s -w\" github.com/pressly/goose/v3/cmd/goose@v3.26.0",
		"-name goose -type f -exec cp {} /out/migrate",
		"# Makefile:4: goose's CLI v3.26.0, the release step's.\nCOPY --from=build /out/migrate /app/migrate\n",
		"COPY --from=build /src/migration/sql /app/migration/sql\n",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, df)
		}
	}
	if !strings.Contains(files["deploy/k8s/base/migrate.yaml"], `command: ["/app/migrate", "-dir", "/app/migration/sql", "postgres", "$(DATABASE_URL)", "up"]`) {
		t.Errorf("the Job does not run goose up:\n%s", files["deploy/k8s/base/migrate.yaml"])
	}
	if !strings.Contains(files["compose.yaml"], `entrypoint: ["/app/migrate", "-dir", "/app/migration/sql", "postgres", "postgresql://app:`) {
		t.Errorf("compose's release step does not run goose up:\n%s", files["compose.yaml"])
	}
	checkProduction(t, dir, files)
}

// smutluuuu/go-social's main.go reads DB_ADDR, which its Makefile
// documents as a URL (DB_ADDR=postgres://admin:...@localhost/social) and
// hands to sql.Open: the name reads as a host, and init gave it "db", on
// which the app panicked (missing "=" after "db" in connection info
// string) and its golang-migrate step was refused. It gets the database's
// URL now, and the step runs the CLI with it. A REDIS_ADDR documented as
// host:port keeps its address.
func TestPlan_VariableDocumentedAsAURL(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module social\n\ngo 1.22\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n\tgithub.com/redis/go-redis/v9 v9.5.1\n)\n", "go.sum": "",
		"cmd/api/main.go": "package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n\t\"os\"\n\n\t_ \"github.com/lib/pq\"\n\t\"github.com/redis/go-redis/v9\"\n)\n\nfunc main() {\n" +
			"\tdb, _ := sql.Open(\"postgres\", os.Getenv(\"DB_ADDR\"))\n\t_ = db\n\t_ = redis.NewClient(&redis.Options{Addr: os.Getenv(\"REDIS_ADDR\")})\n" +
			"\thttp.HandleFunc(\"/v1/health\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"Makefile":     "include .env\nMIGRATIONS_PATH = ./cmd/migrate/migrations\nDB_ADDR=postgres://admin:adminpassword@localhost/social?sslmode=disable\n\nmigrate-up:\n\t@migrate -path=$(MIGRATIONS_PATH) -database=$(DB_ADDR) up\n",
		".env.example": "REDIS_ADDR=localhost:6379\n",
		"cmd/migrate/migrations/000001_create_users_table.up.sql": "CREATE TABLE users (id bigserial PRIMARY KEY);\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "social"})
	compose := files["compose.yaml"]
	for _, want := range []string{
		"DB_ADDR: postgresql://app:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@db:5432/app?sslmode=disable\n",
		"REDIS_ADDR: redis:6379\n",
		`entrypoint: ["/app/migrate", "-path", "/app/cmd/migrate/migrations", "-database", "postgresql://app:`,
	} {
		if !strings.Contains(compose, want) {
			t.Errorf("compose.yaml lacks %q:\n%s", want, compose)
		}
	}
	checkProduction(t, dir, files)
}

// A program with generated code and packr boxes (fathom's shape, with a
// go generate step beside it): the build runs the generator, then packs
// the boxes, then compiles, in one RUN; the boxes' directories stay in
// the build context.
func TestDockerfile_GoBoxesPackedAfterGenerate(t *testing.T) {
	s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: ".", File: "main.go", Line: 1}}, HealthPath: &detect.Evidence{Value: "/health", File: "pkg/api/routes.go", Line: 34},
		Generate: &detect.Evidence{Value: "go generate ./...", File: "gen.go", Line: 3, Why: "its directives write the Go code the build needs"},
		Boxes:    []detect.Evidence{{Value: "pkg/datastore/sqlstore/migrations", File: "pkg/datastore/sqlstore/sqlstore.go", Line: 59, Why: "a packr box"}},
		BoxEmbed: &detect.Evidence{Value: "go run github.com/gobuffalo/packr/v2/packr2@v2.8.3", File: "pkg/datastore/sqlstore/sqlstore.go", Line: 59, Why: "packr finds its boxes ..."}}
	files := projectFiles(t, s, generate.Options{Name: "fathom"})
	df := files["Dockerfile"]
	gen, pack, build := strings.Index(df, "go generate ./... && \\\n"), strings.Index(df, "go run github.com/gobuffalo/packr/v2/packr2@v2.8.3 && \\\n"), strings.Index(df, "go build")
	if gen < 0 || pack < gen || build < pack || !strings.Contains(df, "# pkg/datastore/sqlstore/sqlstore.go:59: packr finds its boxes ....\n") {
		t.Errorf("Dockerfile does not generate, pack the boxes, then build:\n%s", df)
	}
	if !strings.Contains(files[".dockerignore"], "\n!pkg/datastore/sqlstore/migrations\n") {
		t.Errorf(".dockerignore does not keep the box:\n%s", files[".dockerignore"])
	}
}

// An embedded directory the repository's own build fills with empty
// files (ntfy's server/docs, from its Makefile's cli-deps-static-sites):
// the build makes them before go build, and the comment says what is not
// built.
func TestDockerfile_GoEmbedPlaceholder(t *testing.T) {
	s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: ".", File: "main.go", Line: 1}}, HealthPath: &detect.Evidence{Value: "/v1/health", File: "server/server.go", Line: 441},
		Placeholders: []detect.Evidence{{Value: "mkdir -p server/docs && touch server/docs/index.html", File: "Makefile", Line: 218,
			Why: "its rule cli-deps-static-sites makes server/docs with empty files, as its own build does: what it would hold is not built"}}}
	files := projectFiles(t, s, generate.Options{Name: "ntfy"})
	df := files["Dockerfile"]
	step, build := strings.Index(df, "    mkdir -p server/docs && touch server/docs/index.html && \\\n"), strings.Index(df, "go build")
	if step < 0 || build < step || !strings.Contains(df, "# Makefile:218: its rule cli-deps-static-sites makes server/docs with empty files, as its own build does: what it would hold is not built.\n") {
		t.Errorf("Dockerfile does not make the placeholder before go build, with its reason:\n%s", df)
	}
	checkProduction(t, t.TempDir(), files)
}

// A front end the repository's Dockerfile builds in a Node stage with a
// command of its own (fathom's gulp) is built with that command after
// the install; one its Go stage copies elsewhere (statping-ng's
// frontend/dist, at source/dist) is put there before go build.
func TestDockerfile_FrontendByTheRepositorysNodeStage(t *testing.T) {
	node := &detect.Stack{Language: "node", PackageManager: &detect.Evidence{Value: "npm", File: "package-lock.json"}}
	for _, c := range []struct {
		name      string
		fe        detect.Frontend
		run, copy string
	}{
		{"its own command", detect.Frontend{Dir: ".", Out: "assets/build", Run: "NODE_ENV=production ./node_modules/gulp/bin/gulp.js",
			Script: detect.Evidence{Value: "NODE_ENV=production ./node_modules/gulp/bin/gulp.js", File: "Dockerfile", Line: 6, Why: "the repository's Dockerfile builds assets/build so in its Node stage assetbuilder"},
			Embed:  detect.Evidence{Value: "assets/build", File: "pkg/api/routes.go", Line: 37, Why: "a packr box"}},
			"WORKDIR /src\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund\nCOPY . ./\nRUN NODE_ENV=production ./node_modules/gulp/bin/gulp.js\n", "COPY --from=frontend /src/assets/build ./assets/build\n"},
		{"put elsewhere", detect.Frontend{Dir: "frontend", Out: "frontend/dist", Dest: "source/dist",
			Script: detect.Evidence{Value: "build", File: "Dockerfile", Line: 7, Why: "the repository's Dockerfile builds frontend/dist so in its Node stage frontend"},
			Embed:  detect.Evidence{Value: "source/dist", File: "source/source.go", Line: 43, Why: "a go.rice box"}},
			"npm ci --no-audit --no-fund && npm run build\n", "COPY --from=frontend /src/frontend/dist ./source/dist\n"},
		// A Makefile rule's recipe, run from the root as make runs it:
		// hound's at the root's package, ntfy's after the install in web.
		{"a Makefile rule, at the root", detect.Frontend{Dir: ".", Out: "ui/.build/ui", FromRoot: true, Run: "mkdir -p ui/.build/ui && cp -r ui/assets/* ui/.build/ui && npx webpack --mode production",
			Script: detect.Evidence{Value: "mkdir -p ui/.build/ui && cp -r ui/assets/* ui/.build/ui && npx webpack --mode production", File: "Makefile", Line: 27, Why: "its rule ui/.build/ui makes ui/.build/ui with Node alone"},
			Embed:  detect.Evidence{Value: "ui/.build/ui", File: "ui/bindata.go", Line: 11}},
			"WORKDIR /src\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund\nCOPY . ./\nRUN mkdir -p ui/.build/ui && cp -r ui/assets/* ui/.build/ui && npx webpack --mode production\n", "COPY --from=frontend /src/ui/.build/ui ./ui/.build/ui\n"},
		{"a Makefile rule, in a directory", detect.Frontend{Dir: "web", Out: "server/site", FromRoot: true, Run: "cd web && npm run build && mv build ../server/site",
			Script: detect.Evidence{Value: "cd web && npm run build && mv build ../server/site", File: "Makefile", Line: 136, Why: "its rule web-build makes server/site with Node alone"},
			Embed:  detect.Evidence{Value: "server/site", File: "server/server.go", Line: 114}},
			"WORKDIR /src/web\nCOPY web/package.json web/package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund\nWORKDIR /src\nCOPY . ./\n# shipshape:ignore DF061 the Makefile rule's recipe, run as make runs it\nRUN cd web && npm run build && mv build ../server/site\n", "COPY --from=frontend /src/server/site ./server/site\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fe := c.fe
			fe.Stack = node
			s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: ".", File: "main.go", Line: 1}}, HealthPath: &detect.Evidence{Value: "/health", File: "main.go", Line: 5}, Frontend: &fe}
			files := projectFiles(t, s, generate.Options{Name: "app"})
			df := files["Dockerfile"]
			if !strings.Contains(df, c.run) || !strings.Contains(df, c.copy) || strings.Index(df, c.copy) > strings.Index(df, "go build") {
				t.Errorf("Dockerfile does not build with %q and copy %q before go build:\n%s", c.run, c.copy, df)
			}
			checkProduction(t, t.TempDir(), files) // the install before the tree (DF075)
		})
	}
}

// Modules replaced by directories of the repository: their go.mod and
// go.sum are copied before go mod download, which reads them.
func TestDockerfile_GoLocalReplacesCopiedBeforeTheDownload(t *testing.T) {
	s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: "cmd/dex", File: "cmd/dex/main.go", Line: 1}}, HealthPath: &detect.Evidence{Value: "/healthz", File: "main.go", Line: 5},
		LocalReplaces: []detect.Evidence{{Value: "api/v2", File: "go.mod", Line: 156}}}
	df := projectFiles(t, s, generate.Options{Name: "dex"})["Dockerfile"]
	cp, dl := strings.Index(df, "COPY api/v2/go.mod api/v2/go.sum* ./api/v2/\n"), strings.Index(df, "go mod download")
	if cp < 0 || dl < cp || !strings.Contains(df, "# go.mod:156 replaces a module with ./api/v2") {
		t.Errorf("Dockerfile does not copy the replacement's go.mod before the download:\n%s", df)
	}
}

// A front end without a lock file of its own (bradtraversy/
// devconnector_2.0's client/, whose package manager is read from
// client/package.json) installs with npm install: npm ci refuses.
func TestDockerfile_FrontendWithoutALockFile(t *testing.T) {
	fe := &detect.Frontend{Dir: "client", Out: "client/build", Script: detect.Evidence{Value: "build", File: "client/package.json", Line: 18},
		Embed: detect.Evidence{Value: "client/build", File: "main.go", Line: 3},
		Stack: &detect.Stack{Language: "node", PackageManager: &detect.Evidence{Value: "npm", File: "client/package.json"}}}
	s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: ".", File: "main.go", Line: 1}}, HealthPath: &detect.Evidence{Value: "/health", File: "main.go", Line: 5}, Frontend: fe}
	df := projectFiles(t, s, generate.Options{Name: "app"})["Dockerfile"]
	if !strings.Contains(df, "npm install --no-audit --no-fund && npm run build\n") || strings.Contains(df, "npm ci") {
		t.Errorf("the front end's stage does not install without a lock file:\n%s", df)
	}
}

// A front end in the root's pnpm workspace (gogs' web/) installs from the
// root, with the workspace's files and patches and what the build reads
// beside it (the whole tree), then builds in its directory.
func TestDockerfile_FrontendInAPnpmWorkspace(t *testing.T) {
	fe := &detect.Frontend{Dir: "web", Out: "public/dist", Script: detect.Evidence{Value: "build", File: "web/package.json", Line: 10, Why: "Vite builds a static single-page app, into public/dist"},
		Embed:     detect.Evidence{Value: "public/dist", File: "public/web_prod.go", Line: 7},
		Stack:     &detect.Stack{Language: "node", PackageManager: &detect.Evidence{Value: "pnpm", File: "pnpm-lock.yaml"}},
		Workspace: &detect.Evidence{Value: "web", File: "pnpm-workspace.yaml", Line: 2, Why: "a member of the root's pnpm workspace, whose lock file is the root's"}}
	s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: "cmd/gogs", File: "cmd/gogs/main.go", Line: 1}}, HealthPath: &detect.Evidence{Value: "/healthcheck", File: "Dockerfile", Line: 54}, Frontend: fe}
	files := projectFiles(t, s, generate.Options{Name: "gogs"})
	checkProduction(t, t.TempDir(), files)
	df := files["Dockerfile"]
	want := "WORKDIR /src\nCOPY . ./\n# shipshape:ignore DF075 a pnpm workspace installs from every member's package.json: the tree comes first\nRUN --mount=type=cache,target=/root/.local/share/pnpm/store corepack enable && pnpm install --frozen-lockfile\nWORKDIR /src/web\nRUN pnpm run build\n"
	if !strings.Contains(df, want) || !strings.Contains(df, "COPY --from=frontend /src/public/dist ./public/dist\n") {
		t.Errorf("the front end's stage does not install the workspace from the root:\n%s", df)
	}
}

// The generated nginx passes a WebSocket handshake on (Upgrade, and
// Connection "upgrade" for it) and keeps other requests' upstream
// connections alive (Connection ""): snapdrop's `ws` server answered 426
// through the old configuration, which cleared Connection always, and
// 101 through this one (nginx 1.22, by hand).
func TestProxy_WebSocketsUpgradeAndKeepAliveOtherwise(t *testing.T) {
	s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: ".", File: "main.go", Line: 1}}, HealthPath: &detect.Evidence{Value: "/healthz", File: "main.go", Line: 5}}
	conf := projectFiles(t, s, generate.Options{Name: "app"})["deploy/proxy/nginx.conf"]
	for _, want := range []string{
		"    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      '';\n    }\n",
		"            proxy_http_version 1.1;\n",
		"            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("nginx.conf lacks %q:\n%s", want, conf)
		}
	}
	if strings.Contains(conf, `Connection "";`) {
		t.Errorf("nginx.conf clears Connection for every request, WebSocket handshakes too:\n%s", conf)
	}
}

// A Makefile rule's front end whose package is a member of the root's
// pnpm workspace installs at the root and runs the recipe from there,
// its own cd once (from a review: the workspace form had cd'd twice).
func TestDockerfile_MakefileFrontendInAWorkspace(t *testing.T) {
	pnpm := &detect.Stack{Language: "node", PackageManager: &detect.Evidence{Value: "pnpm", File: "pnpm-lock.yaml"}}
	fe := detect.Frontend{Dir: "web", Out: "static", FromRoot: true, Run: "cd web && pnpm build && mv dist ../static", Stack: pnpm,
		Script:    detect.Evidence{Value: "cd web && pnpm build && mv dist ../static", File: "Makefile", Line: 1, Why: "its rule static makes static with Node alone"},
		Embed:     detect.Evidence{Value: "static", File: "main.go", Line: 3},
		Workspace: &detect.Evidence{Value: "web", File: "pnpm-workspace.yaml", Line: 2, Why: "a member of the root's workspace"}}
	s := &detect.Stack{Language: "go", Entrypoints: []detect.Evidence{{Value: ".", File: "main.go", Line: 1}}, HealthPath: &detect.Evidence{Value: "/health", File: "main.go", Line: 5}, Frontend: &fe}
	df := projectFiles(t, s, generate.Options{Name: "app"})["Dockerfile"]
	if strings.Contains(df, "cd web && cd web") || strings.Contains(df, "(cd web && corepack") || !strings.Contains(df, "&& cd web && pnpm build && mv dist ../static\n") {
		t.Errorf("Dockerfile does not install at the root and run the recipe once:\n%s", df)
	}
}

// tus/tusd (v2.9.1, the twenty-fifth try) behind init's nginx answered
// 413 to a 20 MB upload (client_max_body_size 10m; Caddy's max_size
// 10MB). Where the code takes file uploads (tusd's handler package, a
// multer middleware, request.files) the app's location has no limit and
// streams the body; by hand, a 20 MB tus PATCH through compose's nginx
// 1.22 then answered 204 with the whole offset. Other apps keep 10m.
func TestProxy_UploadsAreTheAppsToLimit(t *testing.T) {
	for _, c := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{
			"go.mod":                   "module github.com/tus/tusd/v2\n\ngo 1.23\n",
			"cmd/tusd/main.go":         "package main\n\nimport \"github.com/tus/tusd/v2/cmd/tusd/cli\"\n\nfunc main() { cli.Serve() }\n",
			"cmd/tusd/cli/composer.go": "package cli\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/tus/tusd/v2/pkg/handler\"\n)\n\nfunc Serve() {\n\th, _ := handler.NewHandler(handler.Config{BasePath: \"/files/\"})\n\thttp.Handle(\"/files/\", h)\n\thttp.HandleFunc(\"/healthz\", ok)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
			"pkg/handler/handler.go":   "package handler\n",
		}, "cmd/tusd/cli/composer.go:6"},
		{map[string]string{
			"package.json":      `{"name": "up", "main": "server.js", "dependencies": {"express": "4", "multer": "1"}}`,
			"package-lock.json": `{"lockfileVersion": 3}`,
			"server.js":         "const express = require('express');\nconst multer = require('multer');\nconst app = express();\napp.post('/upload', multer({ dest: 'uploads/' }).single('f'), (q, r) => r.send('ok'));\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(3000, '0.0.0.0');\n",
		}, "server.js:2"},
		{map[string]string{
			"package.json":      `{"name": "plain", "main": "server.js", "dependencies": {"express": "4"}}`,
			"package-lock.json": `{"lockfileVersion": 3}`,
			"server.js":         "const app = require('express')();\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(3000, '0.0.0.0');\n",
		}, ""},
	} {
		s, err := detect.Detect(testutil.WriteTree(t, c.files))
		if err != nil {
			t.Fatal(err)
		}
		files := projectFiles(t, s, generate.Options{Name: "app"})
		conf, caddy := files["deploy/proxy/nginx.conf"], files["deploy/proxy/Caddyfile"]
		if c.want == "" {
			if strings.Contains(conf, "client_max_body_size 0") || !strings.Contains(caddy, "max_size 10MB") {
				t.Errorf("an app that takes no uploads lost the proxy's limit:\n%s\n%s", conf, caddy)
			}
			continue
		}
		testutil.Contains(t, "nginx.conf", conf, "            # "+c.want+" takes file uploads: their size is the app's to limit,\n",
			"            client_max_body_size 0;\n            proxy_request_buffering off;\n")
		testutil.Contains(t, "Caddyfile", caddy, "\t# "+c.want+" takes file uploads: their size is the app's to limit.\n")
		if strings.Contains(caddy, "max_size") {
			t.Errorf("Caddy still limits the body:\n%s", caddy)
		}
	}
}

// h2non/imaginary v1.2.4's shape: bimg links libvips through cgo. The
// build installs libvips' development files and builds with cgo, and the
// runtime is Debian's slim image with the library (a distroless one has
// no libvips, and no apt to add it); init --verify's run of the real
// repository resized a PNG with the image so written. gosseract's
// tesseract gets its English data, which it reads by default.
func TestProject_GoCLibraryBuildAndRuntime(t *testing.T) {
	for _, tc := range []struct {
		name, imp, dev, run string
	}{
		{"bimg", "github.com/h2non/bimg", "pkg-config libvips-dev", "ca-certificates libvips42 tzdata"},
		{"gosseract", "github.com/otiai10/gosseract/v2", "pkg-config libtesseract-dev", "ca-certificates libtesseract5 tesseract-ocr-eng tzdata"},
	} {
		dir := testutil.WriteTree(t, map[string]string{
			"go.mod": "module imaginary\n\ngo 1.22\n", "go.sum": "",
			"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"" + tc.imp + "\"\n)\n\nfunc main() {\n\thttp.HandleFunc(\"/health\", health)\n\thttp.ListenAndServe(\":8088\", nil)\n}\n",
		})
		s, err := detect.Detect(dir)
		if err != nil {
			t.Fatal(err)
		}
		files := projectFiles(t, s, generate.Options{Name: "imaginary"})
		df := files["Dockerfile"]
		build, runtime, ok := strings.Cut(df, "\nFROM ${RUNTIME_IMAGE}\n")
		if !ok {
			t.Fatalf("%s: no runtime stage:\n%s", tc.name, df)
		}
		for _, want := range []string{"apt-get install -y --no-install-recommends " + tc.dev + " &&", "CGO_ENABLED=1 "} {
			if !strings.Contains(build, want) {
				t.Errorf("%s: the build stage lacks %q:\n%s", tc.name, want, df)
			}
		}
		if !strings.Contains(runtime, "apt-get install -y --no-install-recommends "+tc.run+" &&") || !strings.Contains(df, "ARG RUNTIME_IMAGE=debian:12.15-slim\n") {
			t.Errorf("%s: the runtime is not Debian's with %s:\n%s", tc.name, tc.run, df)
		}
		checkProduction(t, dir, files)
	}
}

// testdrivenio/django-celery's settings.py:29 (MIT): ALLOWED_HOSTS =
// os.environ.get("DJANGO_ALLOWED_HOSTS").split(" "), no default, so the
// settings fail at import while it is unset, and the build's collectstatic
// stopped on AttributeError. The image sets it, before collectstatic and
// in the runtime, to the local names joined by its separator, and
// .env.example says to add the site's. A comma-split os.getenv with a
// default is left to its default.
func TestProject_DjangoHostsFromAVariable(t *testing.T) {
	tree := map[string]string{
		"requirements.txt": "Django==4.2\ngunicorn\n",
		"manage.py":        "import os\nimport sys\n\nif __name__ == '__main__':\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n",
		"core/__init__.py": "",
		"core/wsgi.py":     "import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\napplication = get_wsgi_application()\n",
		"core/settings.py": "import os\n\nSECRET_KEY = os.environ.get(\"SECRET_KEY\")\nALLOWED_HOSTS = os.environ.get(\"DJANGO_ALLOWED_HOSTS\").split(\" \")\nROOT_URLCONF = 'core.urls'\nSTATIC_URL = '/static/'\nSTATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles')\n",
		"core/urls.py":     "from django.urls import path\nfrom . import views\n\nurlpatterns = [\n    path('healthz/', views.health),\n]\n",
	}
	dir := testutil.WriteTree(t, tree)
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if v := s.DjangoHostsVar; v == nil || v.Value != "DJANGO_ALLOWED_HOSTS" || v.Why != " " || v.Where() != "core/settings.py:4" {
		t.Fatalf("hosts variable %+v, want DJANGO_ALLOWED_HOSTS split by a space at core/settings.py:4", s.DjangoHostsVar)
	}
	files := projectFiles(t, s, generate.Options{Name: "celery"})
	df := files["Dockerfile"]
	set := "ENV DJANGO_ALLOWED_HOSTS=\"localhost 127.0.0.1 [::1]\"\n"
	build, runtime, _ := strings.Cut(df, "\nFROM ${RUNTIME_IMAGE}\n")
	if i, j := strings.Index(build, set), strings.Index(build, "collectstatic"); i < 0 || j < 0 || i > j || !strings.Contains(runtime, set) {
		t.Errorf("the Dockerfile does not set %q before collectstatic and in the runtime:\n%s", set, df)
	}
	if !strings.Contains(files[".env.example"], "# DJANGO_ALLOWED_HOSTS=\"localhost 127.0.0.1 [::1] example.com\"\n") {
		t.Errorf(".env.example does not say to add the site's name:\n%s", files[".env.example"])
	}
	if strings.Contains(files["compose.yaml"], "DJANGO_ALLOWED_HOSTS") {
		t.Errorf("compose.yaml passes DJANGO_ALLOWED_HOSTS, which would replace the image's with an empty one:\n%s", files["compose.yaml"])
	}
	tree["core/settings.py"] = strings.Replace(tree["core/settings.py"], `os.environ.get("DJANGO_ALLOWED_HOSTS").split(" ")`, `os.getenv("DJANGO_ALLOWED_HOSTS", "localhost").split(",")`, 1)
	if s, err = detect.Detect(testutil.WriteTree(t, tree)); err != nil {
		t.Fatal(err)
	}
	if s.DjangoHostsVar != nil {
		t.Errorf("with a default: hosts variable %+v, want none", s.DjangoHostsVar)
	}
}

// P8ace/sampleGoApi's shape: GOOSE_DBSTRING, goose's own variable, is the
// Postgres URL the app gets, and goose's CLI, which reads it from the
// environment too, runs with the driver and the command alone (given the
// URL as well, goose v3.26 took it for the command: "no such command").
func TestProject_GooseReadsItsOwnVariable(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"go.mod": "module sample\n\ngo 1.25\n\nrequire github.com/jackc/pgx/v5 v5.7.6\n", "go.sum": "",
		"internal/env/env.go": "package env\n\nimport \"os\"\n\nfunc GetString(key, fallback string) string {\n\tif val := os.Getenv(key); val != \"\" {\n\t\treturn val\n\t}\n\treturn fallback\n}\n",
		"cmd/main.go":         "package main\n\nimport (\n\t\"sample/internal/env\"\n\t\"github.com/jackc/pgx/v5\"\n)\n\nfunc main() {\n\tconn, _ := pgx.Connect(ctx, env.GetString(\"GOOSE_DBSTRING\", \"host=localhost\"))\n\thttp.HandleFunc(\"/health\", h)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"internal/db/migrations/00001_products.sql": "-- +goose Up\nCREATE TABLE products (id BIGSERIAL PRIMARY KEY);\n",
	})
	s, err := detect.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := projectFiles(t, s, generate.Options{Name: "sample"})
	if !strings.Contains(files["compose.yaml"], "GOOSE_DBSTRING: postgresql://app:") {
		t.Errorf("compose.yaml does not give GOOSE_DBSTRING the Postgres URL:\n%s", files["compose.yaml"])
	}
	if !strings.Contains(files["compose.yaml"], `entrypoint: ["/app/migrate", "-dir", "/app/internal/db/migrations", "postgres", "up"]`) {
		t.Errorf("the release step is not goose's CLI with the driver and the command alone:\n%s", files["compose.yaml"])
	}
	checkProduction(t, dir, files)
}

// buraktabakoglu/TODO_APP's shape: server.Initialize(os.Getenv("DB_DRIVER"),
// os.Getenv("DB_USER"), ...) and `if Dbdriver == "postgres"` open the
// database; unset, none was opened and the app panicked on a nil pointer
// (init had set every DB_ variable but the driver). The kind's name is
// set, as for MySQL.
func TestProject_DatabaseDriverVariable(t *testing.T) {
	for _, tc := range []struct{ driver, imp, want string }{
		{"postgres", "github.com/lib/pq", "DB_DRIVER: postgres\n"},
		{"mysql", "github.com/go-sql-driver/mysql", "DB_DRIVER: mysql\n"},
	} {
		dir := testutil.WriteTree(t, map[string]string{
			"go.mod": "module todo\n\ngo 1.22\n", "go.sum": "",
			"main.go": "package main\n\nimport (\n\t\"os\"\n\t_ \"" + tc.imp + "\"\n)\n\nfunc main() {\n\tInitialize(os.Getenv(\"DB_DRIVER\"), os.Getenv(\"DB_USER\"), os.Getenv(\"DB_PASSWORD\"), os.Getenv(\"DB_HOST\"), os.Getenv(\"DB_NAME\"))\n" +
				"\thttp.HandleFunc(\"/health\", h)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n\nfunc Initialize(driver, user, password, host, name string) {\n\tif driver == \"" + tc.driver + "\" {\n\t\tdb, _ = sql.Open(driver, dsn)\n\t}\n}\n",
		})
		s, err := detect.Detect(dir)
		if err != nil {
			t.Fatal(err)
		}
		files := projectFiles(t, s, generate.Options{Name: "todo"})
		if !strings.Contains(files["compose.yaml"], tc.want) {
			t.Errorf("%s: compose.yaml lacks %q:\n%s", tc.driver, tc.want, files["compose.yaml"])
		}
	}
}
