package compose

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO011", Name: "privileged", Severity: lint.Error,
			Summary:   "A service runs privileged.",
			Rationale: "A privileged container has every capability and the host's devices: escaping it is trivial, so it is root on the host.",
			Fix:       "Remove `privileged: true`; add only the capability the service really needs with `cap_add`.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if s.Privileged {
				r.AddPos(at(p, name, "privileged"), "%s runs privileged, which is root on the host", name)
			}
		},
	})
}
