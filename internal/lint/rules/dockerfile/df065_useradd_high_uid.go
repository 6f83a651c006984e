package dockerfile

import (
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF065", Name: "useradd-high-uid", Severity: lint.Warning,
			Hadolint:  []string{"DL3046"},
			Summary:   "useradd with a large UID and without -l (--no-log-init).",
			Rationale: "useradd writes the UID's slot into the sparse /var/log/faillog and lastlog; Docker stores the file fully, adding gigabytes to the layer.",
			Fix:       "Add `-l` (`--no-log-init`), or use a UID below 100000.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("useradd") || c.HasOption([]string{"--no-log-init"}, "l") {
				return
			}
			uid, ok := c.OptionValue("--uid")
			if !ok {
				uid, ok = c.OptionValue("-u")
			}
			if !ok {
				for _, a := range c.Args {
					if v, found := strings.CutPrefix(a, "-u"); found && v != "" {
						uid, ok = v, true
					}
				}
			}
			if n, err := strconv.Atoi(uid); ok && err == nil && n > 99999 {
				r.AddCommand(c, "useradd -u %d without -l bloats the image with a sparse lastlog", n)
			}
		},
	})
}
