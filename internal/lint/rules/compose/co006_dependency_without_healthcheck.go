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
			ID: "CO006", Name: "dependency-without-healthcheck", Severity: lint.Warning, Production: lint.Error,
			Summary: "Other services depend on a service that has no healthcheck.",
			Rationale: "Without a healthcheck, `depends_on` can only wait for the container to start, not for the database to accept " +
				"connections: dependents crash-loop on every cold start.",
			Fix: "Give it a healthcheck, e.g. `healthcheck: {test: [\"CMD-SHELL\", \"pg_isready -U postgres\"], interval: 5s, retries: 5}`, " +
				"and make dependents wait with `condition: service_healthy`.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			// A one-off job (migrations) that dependents wait to complete
			// needs no healthcheck: completion is what they wait for.
			var users []string
			for _, u := range dependents(p, name) {
				dep, _ := p.Service(u)
				if dep.DependsOn[name].Condition != types.ServiceConditionCompletedSuccessfully {
					users = append(users, u)
				}
			}
			if len(users) == 0 || hasHealthcheck(s) {
				return
			}
			r.AddPos(at(p, name), "%s is a dependency of %s but has no healthcheck", name, strings.Join(users, ", "))
		},
	})
}
