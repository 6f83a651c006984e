package crossfile

import (
	"path/filepath"
	"testing"
)

func TestScriptBuilds_ContextAfterBooleanOptions(t *testing.T) {
	dir := filepath.FromSlash("/repo")
	tests := []struct{ name, script, file, context string }{
		{"--quiet takes no value", "docker build --quiet -t ghcr.io/a/b -f web/Dockerfile .", "web/Dockerfile", "."},
		{"nor does --pull", "docker buildx build --pull --tag ghcr.io/a/b api", "api/Dockerfile", "api"},
		{"a log is no context", "docker build -t ghcr.io/a/b -f web/Dockerfile . 2>&1 | tee build.log", "web/Dockerfile", "."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scriptBuilds(tt.script, dir)
			if len(got) != 1 {
				t.Fatalf("scriptBuilds = %+v, want one build", got)
			}
			b := got[0]
			if b.image.Short() != "b" || b.file != filepath.Join(dir, tt.file) || b.context != filepath.Join(dir, tt.context) {
				t.Fatalf("scriptBuilds = %s from %s in %s, want b from %s in %s", b.image.Short(), b.file, b.context, tt.file, tt.context)
			}
		})
	}
}
