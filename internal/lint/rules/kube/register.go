package kube

import (
	"embed"

	"github.com/shipshape/shipshape/internal/lint"
)

//go:embed all:testdata
var fixtures embed.FS

// register adds a rule, with its examples taken from its fixtures.
func register(r *lint.KubeRule) {
	lint.RegisterIn(lint.AreaKube, "", fixtures, r)
}
