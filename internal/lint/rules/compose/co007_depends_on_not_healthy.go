package compose

import (
	"maps"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO007", Name: "depends-on-not-healthy", Severity: lint.Warning,
			Summary: "`depends_on` waits only for a dependency to start, although that dependency has a healthcheck.",
			Rationale: "The short form (and `condition: service_started`) starts the service as soon as the dependency's container exists, " +
				"before the database is ready; the healthcheck is there but nobody waits for it.",
			Fix: "Use the long form: `depends_on: {db: {condition: service_healthy}}`.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			for _, dep := range slices.Sorted(maps.Keys(s.DependsOn)) {
				target, ok := p.Service(dep)
				if !ok || !hasHealthcheck(target) || s.DependsOn[dep].Condition == types.ServiceConditionHealthy {
					continue
				}
				r.AddPos(dependsOnPos(p, name, dep), "%s starts when %s has started, not when it is healthy", name, dep)
			}
		},
	})
}

// dependsOnPos finds a depends_on entry in either the list or the map form.
func dependsOnPos(p *compose.Project, service, dep string) compose.Pos {
	for _, item := range p.Items("services", service, "depends_on") {
		if item.Key == dep || item.Key == "" && item.Node.Value == dep {
			return item.Pos
		}
	}
	return at(p, service, "depends_on")
}
