package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestInitVerify_MongoDBThroughTheFerretDBStandIn: testdata/init-mongo is
// a Go app whose health route writes a document to MongoDB and counts
// them back. init detects MongoDB from its import and writes mongo:8.x,
// which this engine does not have (no registry here, MongoDB is not in
// Debian); with --verify-image mongo=ferretdb:1.24 the run starts the
// FerretDB stand-in (scripts/engine.sh) under the alias MONGODB_URI
// names, checked by the image's own health check (it has no mongosh),
// the app's writes reach it and it passes. compose.yaml still names
// mongo with its mongosh check: the substitution is the run's only.
func TestInitVerify_MongoDBThroughTheFerretDBStandIn(t *testing.T) {
	dir := mongoApp(t, nil)
	out, compose := verifyWithStandIn(t, dir, "mongo", "mongo", "mongo", "ferretdb:1.24")
	if !strings.Contains(compose, "MONGODB_URI: mongodb://mongo:27017/") || !strings.Contains(compose, `"mongosh"`) {
		t.Errorf("compose.yaml should run mongo with its mongosh check and point MONGODB_URI at it:\n%s", compose)
	}
	for _, want := range []string{"database     mongodb", "GET /healthz on port 8080: 200"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
}

// TestInitVerify_PassesALoopbackFlag: the same app reading its database
// from a flag whose default is localhost (as microservices-docker-go-
// mongodb's movies reads -mongoURI) and no variable. In a container that
// default is the container itself, so the app would exit on its ping:
// init --verify passes --mongoURI with the stand-in's service address,
// as compose.yaml's command: does, and the run passes.
func TestInitVerify_PassesALoopbackFlag(t *testing.T) {
	dir := mongoApp(t, [][2]string{
		{"\t\"log\"\n", "\t\"flag\"\n\t\"log\"\n"},
		{"\turi := os.Getenv(\"MONGODB_URI\")\n\tif uri == \"\" {\n\t\tlog.Fatal(\"MONGODB_URI is required\")\n\t}\n",
			"\tmongoURI := flag.String(\"mongoURI\", \"mongodb://localhost:27017\", \"the database\")\n\tflag.Parse()\n\turi := *mongoURI\n"},
	})
	out, compose := verifyWithStandIn(t, dir, "mongo", "mongo", "mongo", "ferretdb:1.24")
	if !strings.Contains(compose, `    command: ["--mongoURI=mongodb://mongo:27017"]`) {
		t.Errorf("compose.yaml should pass the flag with mongo's address:\n%s", compose)
	}
	for _, want := range []string{"The run passes --mongoURI=mongodb://mongo:27017", "GET /healthz on port 8080: 200"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
}

// mongoApp is testdata/init-mongo in a git repository of its own, with
// each edit (old, new) made to its main.go.
func mongoApp(t *testing.T, edits [][2]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "notes")
	copyTree(t, filepath.Join(repoRoot(t), "testdata", "init-mongo"), dir)
	editFile(t, filepath.Join(dir, "main.go"), "testdata/init-mongo/main.go", edits)
	commitAllNoLeftovers(t, dir, "source")
	return dir
}
