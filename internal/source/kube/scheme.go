package kube

import (
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8sjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
)

// scheme knows the built-in kinds an application deploys.
var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme, policyv1.AddToScheme,
		autoscalingv1.AddToScheme, autoscalingv2.AddToScheme, networkingv1.AddToScheme, rbacv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}()

// strict decodes JSON into typed objects and reports unknown and duplicate fields.
var strict = k8sjson.NewSerializerWithOptions(k8sjson.DefaultMetaFactory, scheme, scheme, k8sjson.SerializerOptions{Strict: true})

// builtin knows every kind the Kubernetes API serves, not only those an
// application deploys: StorageClass, webhook configurations, RBAC.
var builtin = func() map[schema.GroupVersionKind]bool {
	out := map[schema.GroupVersionKind]bool{}
	for gvk := range clientgoscheme.Scheme.AllKnownTypes() {
		out[gvk] = true
	}
	// Served by the API server but kept in modules of their own.
	out[schema.GroupVersionKind{Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"}] = true
	out[schema.GroupVersionKind{Group: "apiregistration.k8s.io", Version: "v1", Kind: "APIService"}] = true
	return out
}()

// builtinGroups are the API groups of Kubernetes itself; every other group
// ("monitoring.coreos.com") belongs to a CRD.
var builtinGroups = func() map[string]bool {
	out := map[string]bool{}
	for gvk := range builtin {
		out[gvk.Group] = true
	}
	return out
}()

// BuiltInGroup reports whether an apiVersion ("apps/v1beta", "v1") names a
// group of the Kubernetes API rather than a CRD's or another tool's.
func BuiltInGroup(apiVersion string) bool {
	gv, err := schema.ParseGroupVersion(apiVersion)
	return err == nil && builtinGroups[gv.Group]
}

// BuiltInKind reports whether the Kubernetes API knows this apiVersion and kind.
func BuiltInKind(apiVersion, kind string) bool {
	gv, err := schema.ParseGroupVersion(apiVersion)
	return err == nil && builtin[gv.WithKind(kind)]
}
