package compose

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO009", Name: "no-resource-limits", ProductionOnly: true, Production: lint.Warning,
			Summary:   "A service has no memory limit.",
			Rationale: "One leaking service can take the host's memory and have the kernel kill its neighbours, the database first.",
			Fix:       "Set `deploy.resources.limits` (`memory: 512M`, `cpus: \"1.0\"`), or `mem_limit` and `cpus`.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if s.MemLimit > 0 || s.Deploy != nil && s.Deploy.Resources.Limits != nil && s.Deploy.Resources.Limits.MemoryBytes > 0 {
				return
			}
			r.AddPos(at(p, name), "%s has no memory limit", name)
		},
	})
}
