package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO009", Name: "no-resource-limits", ProductionOnly: true, Production: lint.Warning,
			Summary:     "A service has no memory or no CPU limit.",
			Rationale:   "One leaking service can take the host's memory and have the kernel kill its neighbours, the database first.",
			Fix:         "Set `deploy.resources.limits` (`memory: 512M`, `cpus: \"1.0\"`), or `mem_limit` and `cpus`.",
			Differences: "Memory and CPU are judged separately; a runaway CPU loop starves the other services as surely as a leak does.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			limits := s.Deploy != nil && s.Deploy.Resources.Limits != nil
			var missing []string
			if s.MemLimit == 0 && !(limits && s.Deploy.Resources.Limits.MemoryBytes > 0) {
				missing = append(missing, "memory")
			}
			if s.CPUS == 0 && !(limits && s.Deploy.Resources.Limits.NanoCPUs > 0) {
				missing = append(missing, "CPU")
			}
			if len(missing) > 0 {
				r.AddPos(at(p, name), "%s has no %s limit", name, strings.Join(missing, " or "))
			}
		},
	})
}
