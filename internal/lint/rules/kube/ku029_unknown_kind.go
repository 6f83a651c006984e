package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU029", Name: "kind-not-checked", Severity: lint.Info,
			Summary:   "An object's kind is outside the built-in API (a CRD such as ServiceMonitor or Certificate), so it is not checked.",
			Rationale: "Saying so beats silence: a typo in apiVersion (`apps/v1beta`) also lands here, and such an object is then not validated at all.",
			Fix:       "Nothing, for CRDs; for built-in kinds, fix the apiVersion.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			_, removedKind := removedAPIs[o.APIVersion+"/"+o.Kind]
			_, removed := removedAPIs[o.APIVersion]
			if o.Typed == nil && !removedKind && !removed { // KU033 says more about removed APIs
				r.AddKube(o, o.At("apiVersion"), "%s %s (%s) is not a built-in kind and was skipped", o.Kind, o.Name, o.APIVersion)
			}
		},
	})
}
