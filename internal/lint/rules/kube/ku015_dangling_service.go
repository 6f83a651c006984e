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
			KubeLinter: []string{"dangling-service"},
			Summary:    "A Service's selector matches no pod template among the manifests.",
			Rationale:  "The Service has no endpoints: requests time out, and the usual cause is a label typo (`app: web` vs `app: website`).",
			Fix:        "Make the selector match the workload's template labels.",
			Differences: "Judged only when the manifests checked together contain workloads in the Service's namespace that use at least one of the selector's label keys " +
				"(a selector in labels nothing here uses picks pods installed by a chart or an operator). Pods of the workloads in the directories around " +
				"(the one above, its subdirectories, the group's own subdirectories) count as selected. " +
				"A Service without a selector (external endpoints) is fine. Not judged when a file of the group did not load (it is reported as an error, and the target may be in it).",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			workloads := s.Workloads()
			if len(workloads) == 0 {
				return
			}
			if s.Incomplete() {
				return // the target may be in a file that did not load, reported on its own
			}
			for _, o := range s.Find("Service") {
				svc, ok := o.Typed.(*corev1.Service)
				if !ok || len(svc.Spec.Selector) == 0 {
					continue
				}
				matched, sameVocabulary := false, false
				for _, w := range workloads {
					if !sameNamespace(w.Namespace, o.Namespace) {
						continue
					}
					matched = matched || selects(svc.Spec.Selector, w.Labels)
					for k := range svc.Spec.Selector {
						_, uses := w.Labels[k]
						sameVocabulary = sameVocabulary || uses
					}
				}
				// A selector none of whose label keys any pod here carries
				// picks pods installed some other way (a chart, an operator).
				if matched || !sameVocabulary {
					continue
				}
				for _, w := range s.Around().Workloads() { // read only when needed
					matched = matched || sameNamespace(w.Namespace, o.Namespace) && selects(svc.Spec.Selector, w.Labels)
				}
				if !matched {
					r.AddKube(o, o.At("spec", "selector"), "Service %s selects no pods of the workloads here", o.Name)
				}
			}
		},
	})
}
