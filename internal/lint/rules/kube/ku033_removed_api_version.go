package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU033", Name: "removed-api-version", Severity: lint.Error,
			KubeLinter: []string{"no-extensions-v1beta"},
			Summary:    "An object uses an API version that current Kubernetes no longer serves (extensions/v1beta1, apps/v1beta2, policy/v1beta1, ...).",
			Rationale:  "The API server rejects the manifest outright; it worked only on clusters that have since been upgraded.",
			Fix:        "Move to the served version (apps/v1, policy/v1, networking.k8s.io/v1, autoscaling/v2, batch/v1) and adjust the fields that changed.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			if now, ok := removedAPIs[o.APIVersion+"/"+o.Kind]; ok {
				r.AddKube(o, o.At("apiVersion"), "%s %s uses %s, removed from Kubernetes; use %s", o.Kind, o.Name, o.APIVersion, now)
			} else if now, ok := removedAPIs[o.APIVersion]; ok {
				r.AddKube(o, o.At("apiVersion"), "%s %s uses %s, removed from Kubernetes; use %s", o.Kind, o.Name, o.APIVersion, now)
			}
		},
	})
}

var removedAPIs = map[string]string{
	"extensions/v1beta1/Ingress":           "networking.k8s.io/v1",
	"extensions/v1beta1/PodSecurityPolicy": "Pod Security Admission labels on the namespace (PodSecurityPolicy has no successor kind)",
	"policy/v1beta1/PodSecurityPolicy":     "Pod Security Admission labels on the namespace (PodSecurityPolicy has no successor kind)",
	"extensions/v1beta1":                   "apps/v1",
	"apps/v1beta1":                         "apps/v1",
	"apps/v1beta2":                         "apps/v1",
	"policy/v1beta1":                       "policy/v1",
	"batch/v1beta1":                        "batch/v1",
	"autoscaling/v2beta1":                  "autoscaling/v2",
	"autoscaling/v2beta2":                  "autoscaling/v2",
	"networking.k8s.io/v1beta1":            "networking.k8s.io/v1",
	"rbac.authorization.k8s.io/v1beta1":    "rbac.authorization.k8s.io/v1",
	"apiextensions.k8s.io/v1beta1":         "apiextensions.k8s.io/v1",
	"apiregistration.k8s.io/v1beta1":       "apiregistration.k8s.io/v1",
	"admissionregistration.k8s.io/v1beta1": "admissionregistration.k8s.io/v1",
	"scheduling.k8s.io/v1beta1":            "scheduling.k8s.io/v1",
	"storage.k8s.io/v1beta1/CSIDriver":     "storage.k8s.io/v1",
	"certificates.k8s.io/v1beta1":          "certificates.k8s.io/v1",
	"coordination.k8s.io/v1beta1":          "coordination.k8s.io/v1",
	"discovery.k8s.io/v1beta1":             "discovery.k8s.io/v1",
	"flowcontrol.apiserver.k8s.io/v1beta1": "flowcontrol.apiserver.k8s.io/v1",
	"node.k8s.io/v1beta1":                  "node.k8s.io/v1",
}
