package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/credential"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU022", Name: "secret-in-env-value", Severity: lint.Error,
			KubeLinter: []string{"env-var-secret"},
			Summary:    "A container's env sets a credential as a literal value.",
			Rationale:  "The manifest is committed and readable by anyone who can read the Deployment; the value belongs in a Secret.",
			Fix:        "`valueFrom: {secretKeyRef: {name: db, key: password}}`.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainerOrInit(o, func(w *kube.Workload, c kube.Container) {
				for j, env := range c.Env {
					if env.Value == "" || env.ValueFrom != nil {
						continue
					}
					if credential.LooksSecretName(env.Name) || credential.LooksSecretValue(env.Value) || credential.URLHasPassword(env.Value) {
						r.AddKube(o, c.At("env", itoa(j), "value"), "%s sets %s to a literal credential", c.Label(), env.Name)
					}
				}
			})
		},
	})
}
