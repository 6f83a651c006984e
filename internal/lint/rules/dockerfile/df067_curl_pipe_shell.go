package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF067", Name: "curl-pipe-shell", Severity: lint.Warning, Production: lint.Error,
			Summary: "A RUN pipes a download straight into a shell or interpreter (`curl ... | sh`).",
			Rationale: "The script is executed unverified: whatever the server (or anyone between) sends runs as root in the build, " +
				"and a truncated download runs half a script.",
			Fix:         "Download to a file, verify its checksum (`echo \"<sha256>  install.sh\" | sha256sum -c -`), then run it; or use the distribution's package.",
			Differences: "No hadolint rule. Also catches `sh -c \"$(curl ...)\"`.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if c.Is("curl", "wget") && c.PipeTo != nil && isInterpreter(c.PipeTo) {
				r.AddCommand(c, "the output of %s is run by %s without verification", c.Name, c.PipeTo.Name)
				return
			}
			if isInterpreter(c) && c.PipeFrom == nil {
				for _, a := range c.Args {
					if strings.Contains(a, "$(...)") && runHas(c, func(o *df.Command) bool { return o.Is("curl", "wget") }) {
						r.AddCommand(c, "%s runs a downloaded script without verification", c.Name)
						return
					}
				}
			}
		},
	})
}

func isInterpreter(c *df.Command) bool {
	return c.Is("sh", "bash", "ash", "dash", "zsh", "ksh", "python", "python3", "perl", "ruby", "node", "php")
}
