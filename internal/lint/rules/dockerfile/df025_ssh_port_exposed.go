package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF025", Name: "ssh-port-exposed", Severity: lint.Warning,
			Summary:   "The image exposes port 22 (SSH).",
			Rationale: "An SSH server in an app container is an extra way in that bypasses the orchestrator; use `docker exec` or `kubectl exec` instead.",
			Fix:       "Remove the SSH server and `EXPOSE 22`.",
			Differences: "No hadolint rule; matches trivy DS-0004. Not reported when sshd is the container's own command " +
				"(a git-over-SSH server, a bastion): there SSH is the service, not a side door into an app.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "EXPOSE" || in.Stage != nil && sshIsTheService(in.Stage) {
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

// sshIsTheService reports whether the stage's command is the SSH server
// itself (CMD ["/usr/sbin/sshd", "-D"]), run directly or by an entrypoint script.
func sshIsTheService(st *df.Stage) bool {
	for _, kw := range []string{"CMD", "ENTRYPOINT"} {
		if in := st.Last(kw); in != nil && in.Script != nil {
			for _, c := range in.Script.Commands {
				if c.Is("sshd", "dropbear") {
					return true
				}
			}
		}
	}
	return false
}
