package generate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/source/ignorefile"
)

// TestChanges_ForceKeepsSecretPatterns: init --force replaces a
// .dockerignore of the repository's (its lines were written for its own
// Dockerfile: memos' keeps out web/, the front end init's image builds),
// but the lines that keep a secret out stay, and init's exceptions still
// win. One init wrote is replaced as it is.
func TestChanges_ForceKeepsSecretPatterns(t *testing.T) {
	gen := generate.DockerIgnore(&generate.Plan{Stack: &detect.Stack{Language: "node",
		KeyFiles: []detect.Evidence{{Value: "certs/rds-bundle.pem", File: "db.js", Line: 3}}}})
	dir := t.TempDir()
	write := func(content string) {
		if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("# ours\nweb\n*.md\nsecrets/\nconfig/credentials.json\n*.pem\n.npmrc\n.venv\n!secrets/README\n**/.env\n.env*\n.env.example\n")
	changes, err := generate.Changes(dir, []generate.File{gen}, true)
	if err != nil {
		t.Fatal(err)
	}
	c := changes[0]
	if c.Status != generate.Overwrite {
		t.Fatalf("%s, want overwrite", c.Status)
	}
	kept := c.Content[strings.Index(c.Content, "# Kept from"):]
	kept, _, _ = strings.Cut(kept, "\n# Certificates")
	if want := "# Kept from the repository's .dockerignore (shipshape init --force): they keep secrets out.\nsecrets/\nconfig/credentials.json\n*.pem\n.npmrc\n.env*\n!**/.env.example"; kept != want {
		t.Errorf("kept %q, want %q", kept, want)
	}
	ignore := ignorefile.Parse("", []byte(c.Content), ignorefile.Dockerignore)
	for path, want := range map[string]bool{"secrets": true, "config/credentials.json": true, ".npmrc": true,
		"web": false, "README.md": false, ".venv": false, "certs/rds-bundle.pem": false, "certs/other.pem": true,
		".env.local": true, ".env.example": false} {
		if got, _ := ignore.Match(path, path == "secrets" || path == "web" || path == ".venv"); got != want {
			t.Errorf("%s ignored %v, want %v\n%s", path, got, want, c.Content)
		}
	}
	// The next init keeps them: unchanged without --force, kept with it.
	write(c.Content)
	for _, force := range []bool{false, true} {
		again, _ := generate.Changes(dir, []generate.File{gen}, force)
		if again[0].Status != generate.Unchanged || again[0].Content != c.Content {
			t.Errorf("the next init, force %v: %s\n%s", force, again[0].Status, again[0].Content)
		}
	}
	// init's own file, changed: replaced as it is.
	write(strings.Replace(gen.Content, "tmp/\n", "tmp/\nsecrets/\n", 1))
	changes, _ = generate.Changes(dir, []generate.File{gen}, true)
	if changes[0].Content != gen.Content {
		t.Errorf("init's own file:\n%s", changes[0].Content)
	}
}
