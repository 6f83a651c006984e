package kube

import (
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU003", Name: "no-resource-requests", Severity: lint.Warning,
			KubeLinter:  []string{"unset-cpu-requirements", "unset-memory-requirements"},
			Differences: "A limit without a request counts as the request, as the API server defaults it.",
			Summary:     "A container requests no CPU or no memory.",
			Rationale:   "Without requests the scheduler packs pods onto nodes that cannot run them, and the pod is first in line for eviction under pressure.",
			Fix:         "Set `resources.requests` (`cpu: 100m`, `memory: 128Mi`) from what the app uses at steady state.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainer(o, func(w *kube.Workload, c kube.Container) {
				var missing []string
				for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
					_, requested := c.Resources.Requests[res]
					_, limited := c.Resources.Limits[res] // the API server defaults the request to the limit
					if !requested && !limited {
						missing = append(missing, string(res))
					}
				}
				if len(missing) > 0 {
					r.AddKube(o, c.At("resources", "requests"), "%s requests no %s", c.Label(), strings.Join(missing, " or "))
				}
			})
		},
	})
}
