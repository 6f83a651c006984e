package compose

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO012", Name: "docker-socket-mounted", Severity: lint.Error,
			Summary: "A service mounts the Docker socket.",
			Rationale: "Whoever can talk to /var/run/docker.sock can start a privileged container and own the host; read-only does not " +
				"help, since the API is used over the socket, not by writing the file.",
			Fix:         "Give such tools a socket proxy that allows only the API calls they need, or run them outside the app's compose project.",
			Differences: "Proxies such as Traefik legitimately read the socket; suppress with `# shipshape:ignore CO012 <reason>` after review.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			for _, item := range p.Items("services", name, "volumes") {
				if src, _, _ := volumeSpec(item); src == "/var/run/docker.sock" || src == "/run/docker.sock" || src == "/run/podman/podman.sock" {
					r.AddPos(item.Pos, "%s mounts the container engine socket %s, which gives root on the host", name, src)
				}
			}
		},
	})
}
