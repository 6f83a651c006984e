package kube

import (
	"context"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// prune deletes objects labelled for app that the rendered set no longer
// holds, among the kinds the set holds (and the usual workload kinds).
func prune(ctx context.Context, c *Client, ns, app string, objs []*unstructured.Unstructured) ([]string, error) {
	keep := map[string]bool{}
	kinds := map[schema.GroupVersionKind]bool{
		{Group: "apps", Version: "v1", Kind: "Deployment"}: true, {Version: "v1", Kind: "Service"}: true,
		{Version: "v1", Kind: "ConfigMap"}: true, {Group: "policy", Version: "v1", Kind: "PodDisruptionBudget"}: true,
	}
	for _, u := range objs {
		keep[u.GetKind()+"/"+u.GetName()] = true
		kinds[u.GroupVersionKind()] = true
	}
	var pruned []string
	selector := LabelManagedBy + "=shipshape," + LabelApp + "=" + app
	for gvk := range kinds {
		mapping, err := c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil || mapping.Scope.Name() != meta.RESTScopeNameNamespace {
			continue
		}
		ri := c.Dynamic.Resource(mapping.Resource).Namespace(ns)
		list, err := ri.List(ctx, metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			return pruned, explain(err, "list", mapping.Resource.Resource, ns)
		}
		for _, item := range list.Items {
			if keep[item.GetKind()+"/"+item.GetName()] || keep[gvk.Kind+"/"+item.GetName()] {
				continue
			}
			policy := metav1.DeletePropagationBackground
			if err := ri.Delete(ctx, item.GetName(), metav1.DeleteOptions{PropagationPolicy: &policy}); err != nil && !apierrors.IsNotFound(err) {
				return pruned, explain(err, "delete", mapping.Resource.Resource, ns+"/"+item.GetName())
			}
			pruned = append(pruned, gvk.Kind+"/"+item.GetName())
		}
	}
	sort.Strings(pruned)
	return pruned, nil
}
