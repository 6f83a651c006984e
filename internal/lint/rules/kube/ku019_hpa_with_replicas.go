package kube

import (
	autoscalingv2 "k8s.io/api/autoscaling/v2"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU019", Name: "hpa-with-fixed-replicas", Severity: lint.Warning,
			Summary:     "A workload scaled by a HorizontalPodAutoscaler also sets `replicas`.",
			Rationale:   "Every `kubectl apply` resets the replicas to the written number, fighting the autoscaler: a deploy at peak scales the app down.",
			Fix:         "Remove `spec.replicas` from the workload and let the HPA's minReplicas decide.",
			Differences: "Matches kube-score's deployment-targeted-by-hpa-does-not-have-replicas-configured.",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			for _, o := range s.Find("HorizontalPodAutoscaler") {
				hpa, ok := o.Typed.(*autoscalingv2.HorizontalPodAutoscaler)
				if !ok {
					continue
				}
				for _, w := range s.Workloads() {
					if w.Kind == hpa.Spec.ScaleTargetRef.Kind && w.Name == hpa.Spec.ScaleTargetRef.Name && w.Replicas != nil {
						r.AddKube(w.Object, w.At("spec", "replicas"), "%s %s sets replicas although HorizontalPodAutoscaler %s scales it", w.Kind, w.Name, o.Name)
					}
				}
			}
		},
	})
}
