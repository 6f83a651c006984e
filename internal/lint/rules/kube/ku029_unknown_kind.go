package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU029", Name: "unknown-kind", Severity: lint.Warning,
			Summary: "An object names a Kubernetes API group but a version or kind that group does not have (`apps/v1beta`, `kind: Deploymnet`).",
			Rationale: "The API server rejects it, and nothing here can check it: it is not decoded, so none of the other rules look at it. " +
				"A typo in apiVersion or kind is the usual cause.",
			Fix: "Fix the apiVersion or kind: `kubectl api-resources` lists what the cluster serves.",
			Differences: "Kinds of other API groups (CRDs such as ServiceMonitor, or configs of other tools such as skaffold's) are not reported: " +
				"they are not checked, and not knowing them is not a defect. Removed versions (extensions/v1beta1) are KU033's.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			_, removedKind := removedAPIs[o.APIVersion+"/"+o.Kind]
			_, removed := removedAPIs[o.APIVersion]
			if removedKind || removed || !kube.BuiltInGroup(o.APIVersion) || kube.BuiltInKind(o.APIVersion, o.Kind) {
				return
			}
			r.AddKube(o, o.At("apiVersion"), "%s %s: the Kubernetes API has no kind %s in %s, so it was not checked", o.Kind, o.Name, o.Kind, o.APIVersion)
		},
	})
}
