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
			Fix: "Make them agree: the port the app binds, EXPOSEd in the Dockerfile and published (or proxied) in compose.",
			Differences: "Judged only when the Dockerfile EXPOSEs something; no peer checks across files. A port the service's own command " +
				"binds (compose's command or entrypoint, or the scripts they run: `--port`, `-b`, a debugger's `--inspect`) or sets in a " +
				"PORT variable of its environment counts as listened on.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			m := r.Model()
			f, ok := dockerfileOf(m, p, s)
			if !ok {
				return
			}
			exposed := exposedPorts(f)
			if len(exposed) == 0 {
				return
			}
			listening := commandPorts(m.Launch(contextDir(m, p, s), command(s, f)))
			for k, v := range s.Environment {
				if v != nil && portVar(k) {
					if n, err := strconv.Atoi(*v); err == nil {
						listening[n] = true
					}
				}
			}
			for i, port := range s.Ports {
				if !exposed[int(port.Target)] && !listening[int(port.Target)] {
					r.AddPos(p.LocateFirst([]string{"services", name, "ports", strconv.Itoa(i)}, []string{"services", name}),
						"%s publishes container port %d, but %s EXPOSEs %s", name, port.Target, f.Path, dockerfile.PortList(exposed))
				}
			}
		},
	})
}

// portVar reports whether a variable names the app's listen port: PORT,
// HTTP_PORT, APP_PORT and the like, not a database's.
func portVar(name string) bool {
	switch name {
	case "PORT", "HTTP_PORT", "APP_PORT", "SERVER_PORT", "WEB_PORT", "API_PORT", "LISTEN_PORT":
		return true
	}
	return false
}
