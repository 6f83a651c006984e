package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU015", Name: "dangling-service", Severity: lint.Warning,
			KubeLinter:  []string{"dangling-service"},
			Summary:     "A Service's selector matches no pod template among the manifests.",
			Rationale:   "The Service has no endpoints: requests time out, and the usual cause is a label typo (`app: web` vs `app: website`).",
			Fix:         "Make the selector match the workload's template labels.",
			Differences: "Judged only when the manifests checked together contain workloads; a Service without a selector (external endpoints) is fine.",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			workloads := s.Workloads()
			if len(workloads) == 0 {
				return
			}
			for _, o := range s.Find("Service") {
				svc, ok := o.Typed.(*corev1.Service)
				if !ok || len(svc.Spec.Selector) == 0 {
					continue
				}
				matched := false
				for _, w := range workloads {
					matched = matched || selects(svc.Spec.Selector, w.Labels)
				}
				if !matched {
					r.AddKube(o, o.At("spec", "selector"), "Service %s selects no pods of the workloads here", o.Name)
				}
			}
		},
	})
}
