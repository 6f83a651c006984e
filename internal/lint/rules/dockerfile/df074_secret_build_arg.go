package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/credential"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF074", Name: "secret-build-arg", Severity: lint.Warning, Production: lint.Error,
			Hadolint:  []string{"DL3064"},
			Summary:   "A credential is passed as a build arg (`--build-arg NPM_TOKEN=...`) and used by a RUN.",
			Rationale: "Build args used by a RUN are recorded in the image history and in the build cache, where anyone with the image can read them.",
			Fix: "Use a secret mount: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` and build with " +
				"`--secret id=npm_token,env=NPM_TOKEN`.",
			Differences: "With DF072, covers hadolint's DL3064, which flags any ARG or ENV by name alone: this rule flags a credential-named ARG " +
				"without a value only when a RUN uses it (so its value reaches the image history); a declared but unused ARG is harmless.",
		},
		File: func(r *lint.Report, f *df.File) {
			for _, st := range f.Stages {
				for _, arg := range st.All("ARG") {
					for _, p := range arg.Pairs {
						if !credential.LooksSecretName(p.Key) {
							continue
						}
						if run := runUsing(st, arg, p.Key); run != nil {
							r.Add(arg, "build arg %s is used by the RUN on line %d and stays in the image history; use RUN --mount=type=secret", p.Key, run.Line)
						}
					}
				}
			}
		},
	})
}

// runUsing returns the first RUN after arg that refers to the variable.
func runUsing(st *df.Stage, arg *df.Instruction, name string) *df.Instruction {
	for _, in := range st.All("RUN") {
		if in.Line < arg.Line {
			continue
		}
		for _, m := range varRef.FindAllStringSubmatch(in.Raw, -1) {
			if m[1]+m[2] == name {
				return in
			}
		}
		for _, h := range in.Heredocs {
			if strings.Contains(h.Content, "$"+name) || strings.Contains(h.Content, "${"+name) {
				return in
			}
		}
	}
	return nil
}
