package kube

import (
	policyv1 "k8s.io/api/policy/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU031", Name: "pdb-unhealthy-pod-eviction-policy", Severity: lint.Info,
			KubeLinter: []string{"pdb-unhealthy-pod-eviction-policy"},
			Summary:    "A PodDisruptionBudget does not set `unhealthyPodEvictionPolicy: AlwaysAllow`.",
			Rationale:  "By default pods that are crash-looping still count against the budget, so one broken release can block node drains for the whole cluster.",
			Fix:        "`unhealthyPodEvictionPolicy: AlwaysAllow`.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			if pdb, ok := o.Typed.(*policyv1.PodDisruptionBudget); ok && pdb.Spec.UnhealthyPodEvictionPolicy == nil {
				r.AddKube(o, o.At("spec", "unhealthyPodEvictionPolicy"), "PodDisruptionBudget %s lets unhealthy pods block evictions", o.Name)
			}
		},
	})
}
