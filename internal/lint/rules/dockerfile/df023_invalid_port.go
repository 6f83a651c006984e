package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF023", Name: "invalid-port", Severity: lint.Error,
			Hadolint:  []string{"DL3011"},
			Summary:   "EXPOSE names a port outside 1-65535 or an unknown protocol.",
			Rationale: "Docker rejects the image at build or run time.",
			Fix:       "Expose a port from 1 to 65535, optionally with /tcp or /udp.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "EXPOSE" {
				return
			}
			for _, p := range in.ExposedPorts() {
				if p.Err != "" {
					r.Add(in, "EXPOSE %s: %s", p.Raw, p.Err)
				}
			}
		},
	})
}
