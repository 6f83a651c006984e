package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU025", Name: "mismatching-selector", Severity: lint.Error,
			KubeLinter: []string{"mismatching-selector"},
			Summary:    "A workload's selector does not match its own pod template's labels.",
			Rationale:  "The API server rejects the Deployment (`selector does not match template labels`), and the selector cannot be changed later without deleting it.",
			Fix:        "Make `spec.selector.matchLabels` a subset of `spec.template.metadata.labels`.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			w, ok := o.Workload()
			if !ok || w.Selector == nil || len(w.Selector.MatchLabels) == 0 {
				return
			}
			if !selects(w.Selector.MatchLabels, w.Labels) {
				r.AddKube(o, o.At("spec", "selector", "matchLabels"), "%s %s selects labels its own pod template does not have", o.Kind, o.Name)
			}
		},
	})
}
