package compose

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO013", Name: "host-namespace", Severity: lint.Warning, Production: lint.Error,
			Summary:   "A service shares the host's network, PID or IPC namespace.",
			Rationale: "`network_mode: host` exposes every port the app opens and bypasses the compose network; host PID and IPC let it see and signal the host's processes.",
			Fix:       "Use the compose network and publish only the ports needed (on 127.0.0.1 behind a proxy).",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if s.NetworkMode == "host" {
				r.AddPos(at(p, name, "network_mode"), "%s uses the host network", name)
			}
			if s.Pid == "host" {
				r.AddPos(at(p, name, "pid"), "%s shares the host's PID namespace", name)
			}
			if s.Ipc == "host" {
				r.AddPos(at(p, name, "ipc"), "%s shares the host's IPC namespace", name)
			}
		},
	})
}
