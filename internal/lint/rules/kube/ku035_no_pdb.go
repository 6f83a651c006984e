package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU035", Name: "no-disruption-budget", ProductionOnly: true, Production: lint.Warning,
			Summary:     "A Deployment or StatefulSet with several replicas has no PodDisruptionBudget.",
			Rationale:   "Without one, a node drain or cluster upgrade may evict every replica at once: the replicas buy no availability during maintenance.",
			Fix:         "Add `kind: PodDisruptionBudget` with `maxUnavailable: 1` and the workload's selector.",
			Differences: "Matches kube-score's deployment-has-poddisruptionbudget; a workload scaled by an HPA counts as having several replicas.",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			pdbs := s.Find("PodDisruptionBudget")
			scaled := map[string]bool{}
			for _, o := range s.Find("HorizontalPodAutoscaler") {
				scaled[o.Name] = true
			}
			for _, w := range s.Workloads() {
				if w.Kind != "Deployment" && w.Kind != "StatefulSet" {
					continue
				}
				if (w.Replicas == nil || *w.Replicas < 2) && !scaled[w.Name] {
					continue
				}
				covered := false
				for _, o := range pdbs {
					if sel := s.PDBSelector(o); sel != nil && selects(sel, w.Labels) {
						covered = true
					}
				}
				if !covered {
					r.AddKube(w.Object, w.At("spec", "replicas"), "%s %s has no PodDisruptionBudget, so maintenance may evict every replica at once", w.Kind, w.Name)
				}
			}
		},
	})
}
