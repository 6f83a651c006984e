package generate_test

import (
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/source/ignorefile"
)

// TestDockerIgnore_SecretsAtAnyDepth: the secrets init keeps out of the
// build context are kept out wherever they are. cors-anywhere's npm
// package holds test/key.pem; a bare *.pem left it in the image, and
// verify's secret scan failed the image init had written.
func TestDockerIgnore_SecretsAtAnyDepth(t *testing.T) {
	for _, lang := range []string{"go", "node", "python", "rust"} {
		f := generate.DockerIgnore(&generate.Plan{Stack: &detect.Stack{Language: lang}})
		ignore := ignorefile.Parse("", []byte(f.Content), ignorefile.Dockerignore)
		for path, want := range map[string]bool{
			".env": true, "api/.env": true, ".env.production": true, "web/.env.local": true,
			".env.example": false, "api/.env.example": false,
			"key.pem": true, "test/key.pem": true, "deploy/tls/server.key": true,
			"server.js": false, "lib/keys.js": false,
		} {
			if got, _ := ignore.Match(path, false); got != want {
				t.Errorf("%s: .dockerignore ignores %s: %v, want %v\n%s", lang, path, got, want, f.Content)
			}
		}
	}
}
