package compose

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO017", Name: "container-name-set", Severity: lint.Warning,
			Summary:     "A service fixes its `container_name`.",
			Rationale:   "A fixed name allows one container per service: `--scale` fails, and a zero-downtime deploy cannot start the new release next to the old one.",
			Fix:         "Remove `container_name`; refer to the service by its service name, which compose's DNS resolves.",
			Differences: "Development and test files (`*override*`, `*.dev.*`, `*-dev.*`, a test directory), whose stacks are never scaled or rolled, are not judged.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if s.ContainerName != "" && !isDevelopmentFile(p, at(p, name, "container_name").File) {
				r.AddPos(at(p, name, "container_name"), "%s is pinned to the container name %q, which blocks scaling and rolling deploys", name, s.ContainerName)
			}
		},
	})
}
