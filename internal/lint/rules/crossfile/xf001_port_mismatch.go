package crossfile

import (
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF001", Name: "port-not-exposed", Severity: lint.Warning,
			Summary: "A compose service publishes a container port its Dockerfile does not EXPOSE.",
			Rationale: "The two disagree on where the app listens (8000 in one, 8080 in the other): one of them is wrong, and the request " +
				"goes to a port nothing listens on.",
			Fix:         "Make them agree: the port the app binds, EXPOSEd in the Dockerfile and published (or proxied) in compose.",
			Differences: "Judged only when the Dockerfile EXPOSEs something; no peer checks across files.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			f, ok := dockerfileOf(p, s)
			if !ok {
				return
			}
			exposed := exposedPorts(f)
			if len(exposed) == 0 {
				return
			}
			for i, port := range s.Ports {
				if !exposed[int(port.Target)] {
					r.AddPos(p.LocateFirst([]string{"services", name, "ports", strconv.Itoa(i)}, []string{"services", name}),
						"%s publishes container port %d, but %s EXPOSEs %s", name, port.Target, f.Path, dockerfile.PortList(exposed))
				}
			}
		},
	})
}
