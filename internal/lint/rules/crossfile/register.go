package crossfile

import (
	"embed"

	"github.com/shipshape/shipshape/internal/lint"
)

//go:embed all:testdata
var fixtures embed.FS

// register adds a rule, with its examples taken from its fixtures.
func register(r *lint.ComposeRule) {
	lint.RegisterIn(lint.AreaCross, "yaml", fixtures, r)
}

// registerKube adds a cross-file rule that starts from Kubernetes manifests.
func registerKube(r *lint.KubeRule) {
	lint.RegisterIn(lint.AreaCross, "yaml", fixtures, r)
}

// registerDockerfile adds a cross-file rule that starts from a Dockerfile
// and reads its build context.
func registerDockerfile(r *lint.DockerfileRule) {
	lint.RegisterIn(lint.AreaCross, "dockerfile", fixtures, r)
}
