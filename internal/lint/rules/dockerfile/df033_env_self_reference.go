package dockerfile

import (
	"regexp"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF033", Name: "env-self-reference", Severity: lint.Error,
			Hadolint:    []string{"DL3044"},
			Summary:     "An ENV value refers to a variable set earlier in the same ENV instruction.",
			Rationale:   "Within one ENV instruction, `$VAR` still means the value from before the instruction, so `ENV A=1 B=$A` sets B to empty.",
			Fix:         "Split it into two ENV instructions.",
			Differences: "`ENV PATH=/x:$PATH` refers to the old value on purpose and is fine, as in hadolint.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "ENV" {
				return
			}
			defined := map[string]bool{}
			for i := 0; i+1 < len(in.Args); i += 2 {
				key, raw := in.Args[i], in.Args[i+1]
				for _, m := range varRef.FindAllStringSubmatch(raw, -1) {
					name := m[1] + m[2]
					if defined[name] {
						r.Add(in, "%s refers to %s, which this same ENV sets; split it into two ENV instructions", key, name)
					}
				}
				defined[key] = true
			}
		},
	})
}

var varRef = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))`)
