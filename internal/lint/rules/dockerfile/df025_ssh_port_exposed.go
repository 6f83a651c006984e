package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF025", Name: "ssh-port-exposed", Severity: lint.Warning,
			Summary:     "The image exposes port 22 (SSH).",
			Rationale:   "An SSH server in an app container is an extra way in that bypasses the orchestrator; use `docker exec` or `kubectl exec` instead.",
			Fix:         "Remove the SSH server and `EXPOSE 22`.",
			Differences: "No hadolint rule; matches trivy DS-0004.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "EXPOSE" {
				return
			}
			for _, p := range in.ExposedPorts() {
				if p.Err == "" && p.Low <= 22 && 22 <= p.Hi && p.Protocol == "tcp" {
					r.Add(in, "port 22 is exposed; containers should not run an SSH server")
				}
			}
		},
	})
}
