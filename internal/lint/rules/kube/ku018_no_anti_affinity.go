package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU018", Name: "replicas-not-spread", Severity: lint.Info, Production: lint.Warning,
			KubeLinter: []string{"no-anti-affinity"},
			Summary:    "A workload runs several replicas with neither pod anti-affinity nor topology spread constraints.",
			Rationale:  "The scheduler may put every replica on one node: one node failure or drain takes the whole service down, replicas notwithstanding.",
			Fix:        "`topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}]`.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			w, ok := o.Workload()
			if !ok || w.Replicas == nil || *w.Replicas < 2 {
				return
			}
			if len(w.Spec.TopologySpreadConstraints) > 0 || w.Spec.Affinity != nil && w.Spec.Affinity.PodAntiAffinity != nil {
				return
			}
			r.AddKube(o, o.At("spec", "replicas"), "%s %s runs %d replicas that may all land on one node", o.Kind, o.Name, *w.Replicas)
		},
	})
}
