package kube

import (
	"reflect"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU013", Name: "probes-identical", Severity: lint.Warning,
			Summary:     "A container's liveness and readiness probes are the same check.",
			Rationale:   "When a dependency is slow the readiness probe should take the pod out of rotation; an identical liveness probe restarts it too, turning a slow database into a restart storm.",
			Fix:         "Make liveness cheaper and more tolerant: its own endpoint (/livez) that does not check dependencies, and a higher failureThreshold.",
			Differences: "Matches kube-score's pod-probes-identical; probes that differ only in timing still count as identical.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainer(o, func(w *kube.Workload, c kube.Container) {
				if c.LivenessProbe == nil || c.ReadinessProbe == nil {
					return
				}
				if reflect.DeepEqual(c.LivenessProbe.ProbeHandler, c.ReadinessProbe.ProbeHandler) {
					r.AddKube(o, c.At("livenessProbe"), "%s checks liveness and readiness the same way", c.Label())
				}
			})
		},
	})
}
