package dockerfile

import (
	"path"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF078", Name: "system-workdir", Severity: lint.Warning,
			Summary:     "WORKDIR is a system directory such as /usr/bin, /etc or /proc.",
			Rationale:   "Copying an app into a system directory mixes it with the distribution's files, where a later package install can overwrite it and where a volume mount would hide the system.",
			Fix:         "Use a directory of your own: `WORKDIR /app`.",
			Differences: "No hadolint rule; matches trivy DS-0030.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "WORKDIR" || len(in.Args) == 0 {
				return
			}
			dir, _ := in.Expand(in.Args[0])
			switch path.Clean(dir) {
			case "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/lib", "/lib", "/lib64", "/etc", "/proc", "/sys", "/dev", "/boot":
				r.Add(in, "WORKDIR %s is a system directory", dir)
			}
		},
	})
}
