package crossfile

import (
	"embed"

	"github.com/shipshape/shipshape/internal/lint"
)

//go:embed all:testdata
var fixtures embed.FS

// register adds a rule, with its examples taken from its fixtures.
func register(r *lint.ComposeRule) {
	r.Area = lint.AreaCross
	r.Lang = "yaml"
	r.Bad, r.Good = lint.Examples(fixtures, r.ID)
	lint.Register(r)
}

// registerKube adds a cross-file rule that starts from Kubernetes manifests.
func registerKube(r *lint.KubeRule) {
	r.Area = lint.AreaCross
	r.Lang = "yaml"
	r.Bad, r.Good = lint.Examples(fixtures, r.ID)
	lint.Register(r)
}

// registerDockerfile adds a cross-file rule that starts from a Dockerfile
// and reads its build context.
func registerDockerfile(r *lint.DockerfileRule) {
	r.Area = lint.AreaCross
	r.Lang = "dockerfile"
	r.Bad, r.Good = lint.Examples(fixtures, r.ID)
	lint.Register(r)
}
