package dockerfile

import (
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF036", Name: "empty-label", Severity: lint.Warning,
			Hadolint:  []string{"DL3051"},
			Summary:   "A label has an empty value.",
			Rationale: "An empty label usually means a build arg was not passed; tools that read it get nothing.",
			Fix:       "Give the label a value, or pass the build arg that fills it.",
			Differences: "Every empty label is reported, not only those label-schema names (hadolint's DL3051): an empty value says nothing " +
				"whatever the key. A label whose value is an ARG without a default is reported too, naming the build arg, since it is " +
				"empty unless --build-arg is given; not when the project's own builds pass that arg (a compose build section's args, " +
				"a workflow's build-args or --build-arg, a Makefile's --build-arg) or check is given it with --build-arg.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "LABEL" {
				return
			}
			for i, p := range in.Pairs {
				if p.Value != "" || 2*i+1 >= len(in.Args) {
					continue
				}
				args := buildArgsIn(r.File(), in.Args[2*i+1])
				unset := slices.DeleteFunc(slices.Clone(args), r.PassesArg)
				switch {
				case len(args) == 0:
					r.Add(in, "label %q is empty", p.Key)
				case len(unset) > 0:
					r.Add(in, "label %q is empty unless the build passes --build-arg %s: no default, and no build here (compose, workflow, Makefile) passes it",
						p.Key, strings.Join(unset, ", --build-arg "))
				}
			}
		},
	})
}
