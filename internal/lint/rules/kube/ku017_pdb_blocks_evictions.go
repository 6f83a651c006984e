package kube

import (
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU017", Name: "pdb-blocks-evictions", Severity: lint.Error,
			KubeLinter: []string{"pdb-max-unavailable", "pdb-min-available"},
			Summary:    "A PodDisruptionBudget allows no pod to be evicted (maxUnavailable 0, or minAvailable equal to the replicas or 100%).",
			Rationale:  "Node drains then hang forever: cluster upgrades and autoscaler scale-downs stop until someone deletes the PDB by hand.",
			Fix:        "Allow one: `maxUnavailable: 1` (and run at least two replicas).",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			for _, o := range s.Find("PodDisruptionBudget") {
				pdb, ok := o.Typed.(*policyv1.PodDisruptionBudget)
				if !ok {
					continue
				}
				if mu := pdb.Spec.MaxUnavailable; mu != nil && (mu.Type == intstr.Int && mu.IntVal == 0 || mu.StrVal == "0%") {
					r.AddKube(o, o.At("spec", "maxUnavailable"), "PodDisruptionBudget %s allows no evictions", o.Name)
					continue
				}
				ma := pdb.Spec.MinAvailable
				if ma == nil {
					continue
				}
				if ma.Type == intstr.String && ma.StrVal == "100%" {
					r.AddKube(o, o.At("spec", "minAvailable"), "PodDisruptionBudget %s requires 100%% of pods, so none can be evicted", o.Name)
					continue
				}
				for _, w := range s.Workloads() {
					if w.Replicas == nil || pdb.Spec.Selector == nil || !labelSelects(pdb.Spec.Selector, w.Labels) {
						continue
					}
					if ma.Type == intstr.Int && ma.IntVal >= *w.Replicas {
						r.AddKube(o, o.At("spec", "minAvailable"), "PodDisruptionBudget %s requires %d of %s's %d replicas, so none can be evicted", o.Name, ma.IntVal, w.Name, *w.Replicas)
					}
				}
			}
		},
	})
}

// labelSelects reports whether a LabelSelector's matchLabels match labels.
func labelSelects(sel *metav1.LabelSelector, labels map[string]string) bool {
	return selects(sel.MatchLabels, labels)
}
