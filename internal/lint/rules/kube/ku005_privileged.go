package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU005", Name: "privileged-container", Severity: lint.Error,
			KubeLinter: []string{"privileged-container"},
			Summary:    "A container runs privileged.",
			Rationale:  "A privileged container has every capability and the node's devices: it is root on the node.",
			Fix:        "Remove `privileged: true`; add only the capability needed.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainerOrInit(o, func(w *kube.Workload, c kube.Container) {
				if sc := c.SecurityContext; sc != nil && sc.Privileged != nil && *sc.Privileged {
					r.AddKube(o, c.At("securityContext", "privileged"), "%s runs privileged", c.Label())
				}
			})
		},
	})
}
