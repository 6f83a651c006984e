package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/testutil"
)

// TestProject_CarriesTheRepositorysDatabaseSetup: a repository whose own
// compose mounts a schema into MySQL's init directory (go-echo-clean-arch)
// gets a compose.yaml that mounts the same file, read-only, into db, and
// names the database the file is written for; the app's variables, the
// verification run's database and the notes say the same.
func TestProject_CarriesTheRepositorysDatabaseSetup(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, stacks["go mysql with its own schema"]))
	if err != nil {
		t.Fatal(err)
	}
	p, err := generate.Resolve(s, generate.Options{Name: "articles"})
	if err != nil {
		t.Fatal(err)
	}
	got := projectFiles(t, s, generate.Options{Name: "articles"})
	compose := got["compose.yaml"]
	for _, want := range []string{
		"      - ./article.sql:/docker-entrypoint-initdb.d/init.sql:ro\n",
		"      MYSQL_DATABASE: article\n",
		"      DATABASE_NAME: article\n",
	} {
		if !strings.Contains(compose, want) {
			t.Errorf("compose.yaml lacks %q:\n%s", want, compose)
		}
	}
	deps, env := generate.Dependencies(p, "pw")
	if len(deps) != 1 || len(deps[0].Files) != 1 || deps[0].Files[0] != (generate.DependencyFile{Source: "article.sql", Target: "/docker-entrypoint-initdb.d/init.sql"}) {
		t.Errorf("the run's database gets %+v, want article.sql at /docker-entrypoint-initdb.d/init.sql", deps)
	}
	if !strings.Contains(strings.Join(deps[0].Env, " "), "MYSQL_DATABASE=article") || !strings.Contains(strings.Join(env, " "), "DATABASE_NAME=article") {
		t.Errorf("the run's database %v and the app's %v should both name article", deps[0].Env, env)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "the repository sets up its database with article.sql (mounted at compose.yaml:5)") {
		t.Errorf("the notes do not say what was carried:\n%s", notes)
	}
}

// Without a set-up of its own, the database is app, as before.
func TestProject_DatabaseWithoutSetupIsApp(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, stacks["go cmd/api gin postgres"]))
	if err != nil {
		t.Fatal(err)
	}
	compose := projectFiles(t, s, generate.Options{Name: "x"})["compose.yaml"]
	if !strings.Contains(compose, "POSTGRES_DB: app\n") || strings.Contains(compose, "docker-entrypoint-initdb.d") {
		t.Errorf("compose.yaml:\n%s", compose)
	}
}

// TestResolve_StopsOnALoopbackListen: an app that binds 127.0.0.1 by a
// literal stops init before it writes anything, with the file, the line
// and the change to make, even where a choice is also open.
func TestResolve_StopsOnALoopbackListen(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"go.mod":  "module x\n\ngo 1.26\n",
		"main.go": "package main\n\nfunc main() {\n\tr := echo.New()\n\tr.GET(\"/api/tags\", tags)\n\tr.Logger.Fatal(r.Start(\"127.0.0.1:8585\"))\n}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = generate.Resolve(s, generate.Options{Name: "x"})
	if err == nil || !strings.Contains(err.Error(), `main.go:6: the server listens on 127.0.0.1:8585 only`) || !strings.Contains(err.Error(), `listen on ":8585"`) {
		t.Fatalf("Resolve: %v", err)
	}
}

// A Fastify app whose listen reads its host from a variable gets that
// variable set to every address in the image, as the port's is.
func TestDockerfile_SetsTheHostVariable(t *testing.T) {
	s, err := detect.Detect(testutil.WriteTree(t, map[string]string{
		"package.json": `{"name":"x","scripts":{"start":"node server.js"},"dependencies":{"fastify":"^5.0.0"}}`,
		"server.js":    "app.get('/health', async () => 'ok')\napp.listen({\n  port: Number(process.env.PORT ?? 3000),\n  host: process.env.FASTIFY_ADDRESS ?? 'localhost',\n})\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	df := projectFiles(t, s, generate.Options{Name: "x"})["Dockerfile"]
	if !strings.Contains(df, "ENV FASTIFY_ADDRESS=0.0.0.0\n") {
		t.Errorf("the Dockerfile does not set FASTIFY_ADDRESS:\n%s", df)
	}
}
