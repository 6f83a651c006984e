package compose

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO003", Name: "database-port-published", Severity: lint.Error,
			Summary:   "A database or cache publishes its port on every interface.",
			Rationale: "Postgres, Redis or MongoDB on 0.0.0.0 is reachable from the network (Docker bypasses host firewalls); scanners find such ports within minutes.",
			Fix:       "Drop the `ports:` (other services reach it by name on the compose network), or bind to loopback for local tools: `127.0.0.1:5432:5432`.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if !isDatabase(s) {
				return
			}
			for i, port := range s.Ports {
				if allInterfaces(port) {
					r.AddPos(at(p, name, "ports", itoa(i)), "database %s publishes port %s on all interfaces", name, port.Published)
				}
			}
		},
	})
}
