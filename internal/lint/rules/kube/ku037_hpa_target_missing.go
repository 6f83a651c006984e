package kube

import (
	autoscalingv2 "k8s.io/api/autoscaling/v2"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU037", Name: "hpa-target-missing", Severity: lint.Error,
			KubeLinter: []string{"dangling-hpa"},
			Summary:    "A HorizontalPodAutoscaler scales a workload the manifests do not define.",
			Rationale:  "The autoscaler does nothing (and says so only in its status): the app it was meant to scale runs at its fixed replica count under load.",
			Fix:        "Point scaleTargetRef at the workload's kind and name.",
			Differences: "Matches kube-score's horizontalpodautoscaler-has-target; judged only when the manifests define workloads. " +
				"The target is looked for in the manifests checked together and in those of the directories around them (the one above, its subdirectories, and the group's own subdirectories). Not judged when a file of the group did not load (it is reported as an error, and the target may be in it).",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			workloads := s.Workloads()
			if len(workloads) == 0 {
				return
			}
			if s.Incomplete() {
				return // the target may be in a file that did not load, reported on its own
			}
			for _, o := range s.Find("HorizontalPodAutoscaler") {
				hpa, ok := o.Typed.(*autoscalingv2.HorizontalPodAutoscaler)
				if !ok {
					continue
				}
				targets := func(ws []*kube.Workload) bool {
					for _, w := range ws {
						if w.Kind == hpa.Spec.ScaleTargetRef.Kind && w.Name == hpa.Spec.ScaleTargetRef.Name && sameNamespace(w.Namespace, o.Namespace) {
							return true
						}
					}
					return false
				}
				if !targets(workloads) && !targets(s.Around().Workloads()) {
					r.AddKube(o, o.At("spec", "scaleTargetRef", "name"), "HorizontalPodAutoscaler %s scales %s %s, which is not defined here or in the directories around", o.Name, hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name)
				}
			}
		},
	})
}
