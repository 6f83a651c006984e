package verify

import (
	"slices"
	"testing"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
)

// TestHealthTest_ImagesOwnCheckWins: the official mongo image declares no
// HEALTHCHECK and keeps compose.yaml's mongosh check; the FerretDB
// stand-in declares its own (it has no mongosh), which the run uses; a
// HEALTHCHECK NONE or an image without a config changes nothing.
func TestHealthTest_ImagesOwnCheckWins(t *testing.T) {
	mongosh := []string{"mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"}
	standIn := []string{"CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8088"}
	withCheck := func(test ...string) *dockerspec.DockerOCIImageConfig {
		return &dockerspec.DockerOCIImageConfig{DockerOCIImageConfigExt: dockerspec.DockerOCIImageConfigExt{Healthcheck: &dockerspec.HealthcheckConfig{Test: test}}}
	}
	for _, tc := range []struct {
		name   string
		health []string
		img    *dockerspec.DockerOCIImageConfig
		want   []string
	}{
		{"official image, no check of its own", mongosh, &dockerspec.DockerOCIImageConfig{}, append([]string{"CMD"}, mongosh...)},
		{"stand-in with its own check", mongosh, withCheck(standIn...), standIn},
		{"HEALTHCHECK NONE", mongosh, withCheck("NONE"), append([]string{"CMD"}, mongosh...)},
		{"no config", mongosh, nil, append([]string{"CMD"}, mongosh...)},
		{"no check anywhere", nil, &dockerspec.DockerOCIImageConfig{}, nil},
		{"only the image's", nil, withCheck("CMD-SHELL", "redis-cli ping"), []string{"CMD-SHELL", "redis-cli ping"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := healthTest(tc.health, tc.img); !slices.Equal(got, tc.want) {
				t.Errorf("healthTest = %q, want %q", got, tc.want)
			}
		})
	}
}
