package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU030", Name: "service-account-missing", Severity: lint.Warning,
			KubeLinter:  []string{"non-existent-service-account"},
			Summary:     "A pod uses a ServiceAccount that the manifests do not define.",
			Rationale:   "Pods referencing a missing ServiceAccount are rejected by the API server: the ReplicaSet never creates them, and the rollout hangs.",
			Fix:         "Add the ServiceAccount to the manifests (or the chart), or fix the name.",
			Differences: "Judged only when the manifests define at least one ServiceAccount, so accounts created elsewhere are not flagged; `default` is always there.",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			accounts := map[string]bool{"default": true}
			for _, o := range s.Find("ServiceAccount") {
				accounts[o.Name] = true
			}
			if len(accounts) == 1 {
				return
			}
			for _, w := range s.Workloads() {
				if name := w.Spec.ServiceAccountName; name != "" && !accounts[name] {
					r.AddKube(w.Object, w.SpecAt("serviceAccountName"), "%s %s uses ServiceAccount %q, which is not defined here", w.Kind, w.Name, name)
				}
			}
		},
	})
}
