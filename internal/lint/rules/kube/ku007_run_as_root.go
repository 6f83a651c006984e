package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU007", Name: "may-run-as-root", Severity: lint.Warning, Production: lint.Error,
			KubeLinter: []string{"run-as-non-root"},
			Summary:    "Neither the pod nor the container sets `runAsNonRoot: true` (or a non-zero runAsUser).",
			Rationale:  "Without it the container runs as whatever the image says, root for most images: a container escape is then root on the node.",
			Fix:        "`securityContext: {runAsNonRoot: true, runAsUser: 10001}` on the pod, with an image whose USER is that numeric UID.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainerOrInit(o, func(w *kube.Workload, c kube.Container) {
				if !runAsNonRoot(w.Spec, c) {
					r.AddKube(o, c.At("securityContext"), "%s may run as root", c.Label())
				}
			})
		},
	})
}
