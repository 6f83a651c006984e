package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU023", Name: "duplicate-env-var", Severity: lint.Warning,
			KubeLinter: []string{"duplicate-env-var"},
			Summary:    "A container sets the same environment variable twice.",
			Rationale:  "Only the last one counts; the earlier value, often the one someone just edited, silently does nothing.",
			Fix:        "Keep one entry per variable.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainerOrInit(o, func(w *kube.Workload, c kube.Container) {
				seen := map[string]bool{}
				for j, env := range c.Env {
					if seen[env.Name] {
						r.AddKube(o, c.At("env", itoa(j)), "%s sets %s more than once", c.Label(), env.Name)
					}
					seen[env.Name] = true
				}
			})
		},
	})
}
