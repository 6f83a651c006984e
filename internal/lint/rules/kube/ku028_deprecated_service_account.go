package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU028", Name: "deprecated-service-account-field", Severity: lint.Warning,
			KubeLinter: []string{"deprecated-service-account-field"},
			Summary:    "A pod spec uses the deprecated `serviceAccount` instead of `serviceAccountName`.",
			Rationale:  "`serviceAccount` is a deprecated alias; tools and policies read serviceAccountName, and the two can disagree.",
			Fix:        "Rename it to `serviceAccountName`.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			w, ok := o.Workload()
			if ok && w.Spec.DeprecatedServiceAccount != "" && w.Object.Has(append(w.SpecPath, "serviceAccount")...) {
				r.AddKube(o, w.SpecAt("serviceAccount"), "%s %s uses the deprecated serviceAccount field", o.Kind, o.Name)
			}
		},
	})
}
