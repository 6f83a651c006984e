package compose

import (
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO008", Name: "no-restart-policy", Severity: lint.Info, Production: lint.Warning,
			Summary:   "A long-running service has no restart policy.",
			Rationale: "Without one, a crash or a host reboot leaves the service down until someone notices.",
			Fix:       "Add `restart: unless-stopped` (or `deploy.restart_policy` for Swarm).",
			Differences: "Services written in a development or test file (`*override*`, `*.dev.*`, `*.test.*`, `*.ci.*`), whose containers live " +
				"for one session or one test run, are not flagged; nor are one-off services (a `command` that migrates or seeds, or `restart: \"no\"` written on purpose).",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if s.Restart != "" || s.Deploy != nil && s.Deploy.RestartPolicy != nil || p.Written("services", name, "restart") ||
				isDevelopmentFile(p, at(p, name).File) || oneOffCommand.MatchString(strings.Join(s.Command, " ")) {
				return
			}
			r.AddPos(at(p, name), "%s has no restart policy", name)
		},
	})
}

// oneOffCommand is a command that does its job and exits.
var oneOffCommand = regexp.MustCompile(`\b(migrate|migrations?|seed|db:setup|db:migrate|createsuperuser|collectstatic|upgrade\s+head)\b`)
