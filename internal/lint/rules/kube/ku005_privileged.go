package kube

import (
	corev1 "k8s.io/api/core/v1"

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
			eachContainer(o, func(w *kube.Workload, i int, c *corev1.Container) {
				if sc := c.SecurityContext; sc != nil && sc.Privileged != nil && *sc.Privileged {
					r.AddKube(o, w.ContainerAt(i, "securityContext", "privileged"), "container %s runs privileged", c.Name)
				}
			})
		},
	})
}
