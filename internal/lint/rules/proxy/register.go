package proxy

import (
	"embed"

	"github.com/shipshape/shipshape/internal/lint"
)

//go:embed all:testdata
var fixtures embed.FS

// register adds a rule, with its examples taken from its fixtures.
func register(r *lint.NginxRule) {
	lint.RegisterIn(lint.AreaProxy, "", fixtures, r)
}

// registerCompose adds a proxy rule that reads a compose project: Traefik's
// configuration lives in service labels.
func registerCompose(r *lint.ComposeRule) {
	lint.RegisterIn(lint.AreaProxy, "yaml", fixtures, r)
}

// registerCaddy adds a proxy rule for Caddyfiles.
func registerCaddy(r *lint.CaddyRule) {
	lint.RegisterIn(lint.AreaProxy, "caddyfile", fixtures, r)
}
