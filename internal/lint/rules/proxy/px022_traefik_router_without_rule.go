package proxy

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	registerCompose(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "PX022", Name: "traefik-router-without-rule", Severity: lint.Error,
			Summary:   "A Traefik router has labels but no `rule`.",
			Rationale: "Traefik cannot route to a router without a rule (a typo such as `.rules=` is the usual cause): the app is unreachable and Traefik only logs an error.",
			Fix:       "Add the rule: `traefik.http.routers.app.rule=Host(`app.example.com`)`.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			for _, rt := range routers(s) {
				if _, ok := rt.labels["rule"]; !ok {
					r.AddPos(labelPos(p, name, rt.name, "rule"), "Traefik router %s of %s has no rule", rt.name, name)
				}
			}
		},
	})
}
