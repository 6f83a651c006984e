package proxy

import (
	"embed"

	"github.com/shipshape/shipshape/internal/lint"
)

//go:embed all:testdata
var fixtures embed.FS

// register adds a rule, with its examples taken from its fixtures.
func register(r *lint.NginxRule) {
	r.Area = lint.AreaProxy
	r.Bad, r.Good = lint.Examples(fixtures, r.ID)
	lint.Register(r)
}

// registerCompose adds a proxy rule that reads a compose project: Traefik's
// configuration lives in service labels.
func registerCompose(r *lint.ComposeRule) {
	r.Area = lint.AreaProxy
	r.Lang = "yaml"
	r.Bad, r.Good = lint.Examples(fixtures, r.ID)
	lint.Register(r)
}

// registerCaddy adds a proxy rule for Caddyfiles.
func registerCaddy(r *lint.CaddyRule) {
	r.Area = lint.AreaProxy
	r.Lang = "caddyfile"
	r.Bad, r.Good = lint.Examples(fixtures, r.ID)
	lint.Register(r)
}
