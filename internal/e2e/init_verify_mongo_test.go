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
	dir := filepath.Join(t.TempDir(), "notes")
	copyTree(t, filepath.Join(repoRoot(t), "testdata", "init-mongo"), dir)
	commitAll(t, dir, "source")
	t.Cleanup(func() {
		if left, _ := try("ps", "-aq", "--filter", "label=dev.shipshape.verify=accessory"); left != "" {
			t.Errorf("init --verify left its database running: %s", left)
		}
	})
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
