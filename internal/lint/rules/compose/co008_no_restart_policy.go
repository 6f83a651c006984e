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
				"for one session or one test run, are not flagged; nor are one-off services (a `command` that migrates, seeds or only prepares files such as `chown -R`, or `restart: \"no\"` written on purpose).",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if s.Restart != "" || s.Deploy != nil && s.Deploy.RestartPolicy != nil || p.Written("services", name, "restart") ||
				isDevelopmentFile(p, at(p, name).File) || oneOff(s.Command) {
				return
			}
			r.AddPos(at(p, name), "%s has no restart policy", name)
		},
	})
}

// oneOff reports whether a command does its job and exits: it migrates or
// seeds, or it only prepares files for the others (n8n's busybox
// `sh -c 'chown -R 1000:1000 /home/node/.n8n'`).
func oneOff(command []string) bool {
	line := strings.Join(command, " ")
	if oneOffCommand.MatchString(line) {
		return true
	}
	if len(command) > 2 && (command[0] == "sh" || command[0] == "bash") && command[1] == "-c" {
		line = strings.Join(command[2:], " ")
	}
	steps := strings.FieldsFunc(line, func(r rune) bool { return r == ';' || r == '&' || r == '|' })
	for _, step := range steps {
		if f := strings.Fields(step); len(f) > 0 && !setupCommand[f[0]] {
			return false
		}
	}
	return len(steps) > 0
}

// oneOffCommand is a command that does its job and exits.
var oneOffCommand = regexp.MustCompile(`\b(migrate|migrations?|seed|db:setup|db:migrate|createsuperuser|collectstatic|upgrade\s+head)\b`)

// setupCommand are commands that prepare files and exit.
var setupCommand = map[string]bool{"chown": true, "chmod": true, "mkdir": true, "cp": true, "touch": true, "true": true}
