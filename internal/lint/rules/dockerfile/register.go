package dockerfile

import (
	"embed"

	"github.com/shipshape/shipshape/internal/lint"
)

//go:embed all:testdata
var fixtures embed.FS

// register adds a rule, with its examples taken from its fixtures.
func register(r *lint.DockerfileRule) {
	lint.RegisterIn(lint.AreaDockerfile, "", fixtures, r)
}
