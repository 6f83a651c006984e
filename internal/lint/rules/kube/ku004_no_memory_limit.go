package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU004", Name: "no-memory-limit", Severity: lint.Warning, Production: lint.Error,
			KubeLinter:  []string{"unset-memory-requirements"},
			Summary:     "A container has no memory limit.",
			Rationale:   "A leaking container grows until the node runs out of memory and the kernel kills whatever it picks, other teams' pods included.",
			Fix:         "Set `resources.limits.memory` (often equal to the request, for the Guaranteed QoS class).",
			Differences: "CPU limits are not required: they throttle latency-sensitive apps, and requests already share CPU fairly.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainer(o, func(w *kube.Workload, c kube.Container) {
				if _, ok := c.Resources.Limits[corev1.ResourceMemory]; !ok {
					r.AddKube(o, c.At("resources", "limits"), "%s has no memory limit", c.Label())
				}
			})
		},
	})
}
