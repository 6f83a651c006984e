package proxy

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	registerCompose(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "PX021", Name: "traefik-router-without-entrypoints", Severity: lint.Warning,
			Summary:   "A Traefik router names no entrypoints, so it listens on all of them.",
			Rationale: "A router without `entrypoints` is attached to every entrypoint, plain-HTTP and internal ones included: the app answers where it was never meant to.",
			Fix:       "Name them: `traefik.http.routers.app.entrypoints=websecure`.",
			Differences: "Not reported when the project's own Traefik declares at most one entrypoint in its command or environment " +
				"(and reads no static configuration file): every entrypoint is then the one the router is meant for.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if singleEntrypoint(p) {
				return
			}
			for _, rt := range routers(s) {
				if _, ok := rt.labels["entrypoints"]; !ok {
					r.AddPos(labelPos(p, name, rt.name, "rule"), "Traefik router %s of %s listens on every entrypoint", rt.name, name)
				}
			}
		},
	})
}
