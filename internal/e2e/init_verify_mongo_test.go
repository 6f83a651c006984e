package e2e

import (
	"os"
	"path/filepath"
	"regexp"
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
	const standIn = "ferretdb:1.24"
	if _, err := try("image", "inspect", standIn); err != nil {
		t.Fatalf("the engine has no %s: scripts/engine.sh builds it", standIn)
	}
	dir := filepath.Join(t.TempDir(), "notes")
	copyTree(t, filepath.Join(repoRoot(t), "testdata", "init-mongo"), dir)
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com", "commit", "-qm", "source")
	t.Cleanup(func() {
		if left, _ := try("ps", "-aq", "--filter", "label=dev.shipshape.verify=accessory"); left != "" {
			t.Errorf("init --verify left its database running: %s", left)
		}
	})
	c, out, errOut := initVerify(t, dir, "--verify-image", "mongo="+standIn)
	if c != 0 {
		t.Fatalf("init --verify: exit %d\n%s\nstderr:\n%s", c, out, lastLines(errOut, 30))
	}
	compose, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mongo := regexp.MustCompile(`image: (mongo:\S+)`).FindStringSubmatch(string(compose))
	if mongo == nil || strings.Contains(string(compose), "ferretdb") ||
		!strings.Contains(string(compose), "MONGODB_URI: mongodb://mongo:27017/") || !strings.Contains(string(compose), `"mongosh"`) {
		t.Fatalf("compose.yaml should run mongo with its mongosh check and point MONGODB_URI at it, and name nothing of the stand-in:\n%s", compose)
	}
	for _, want := range []string{
		"database     mongodb",
		"--verify-image: mongo (" + mongo[1] + ") runs from " + standIn + " for this run only",
		"The app talks to mongo (" + standIn + "): started for the run",
		"GET /healthz on port 8080: 200",
		"passed verify",
		"Verified with " + standIn + " standing in for " + mongo[1] + " (--verify-image, this run only)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
}
