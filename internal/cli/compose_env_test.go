package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
)

// TestWithComposeEnv: the run gets what the repository's compose gives
// the app (go-url-shortener's REDIS_DB "2") for the variables neither the
// example file nor the image sets: the image's PORT stays the image's,
// so the run proves the port the image is probed on.
func TestWithComposeEnv(t *testing.T) {
	compose := []detect.Evidence{
		{Value: "PORT", File: "docker-compose.yml", Line: 7, Why: "PORT=8080"},
		{Value: "REDIS_DB", File: "docker-compose.yml", Line: 9, Why: "REDIS_DB=2"},
		{Value: "LOG_LEVEL", File: "docker-compose.yml", Line: 10, Why: "LOG_LEVEL=debug"},
	}
	var out bytes.Buffer
	env := withComposeEnv(&out, []string{"LOG_LEVEL=info"}, compose, map[string]bool{"PORT": true, "NODE_ENV": true})
	if got := strings.Join(env, " "); got != "LOG_LEVEL=info REDIS_DB=2" {
		t.Errorf("env %q, want the example's LOG_LEVEL and compose's REDIS_DB only", got)
	}
	if !strings.Contains(out.String(), "REDIS_DB=2 (docker-compose.yml:9)") || strings.Contains(out.String(), "PORT") {
		t.Errorf("output: %q", out.String())
	}
}
