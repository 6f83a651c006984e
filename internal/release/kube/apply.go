package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
)

// apply sends u with server-side apply, owned by shipshape.
func apply(ctx context.Context, c *Client, ns string, u *unstructured.Unstructured) error {
	gvk := u.GroupVersionKind()
	mapping, err := c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return fmt.Errorf("%s %s: the cluster does not serve %s (%v)", u.GetKind(), u.GetName(), gvk, err)
	}
	var ri dynamic.ResourceInterface = c.Dynamic.Resource(mapping.Resource)
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		if u.GetNamespace() == "" {
			u.SetNamespace(ns)
		}
		ri = c.Dynamic.Resource(mapping.Resource).Namespace(u.GetNamespace())
	}
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	force := true
	_, err = ri.Patch(ctx, u.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{FieldManager: FieldManager, Force: &force})
	if err != nil {
		return explain(err, "patch", mapping.Resource.Resource, u.GetNamespace()+"/"+u.GetName())
	}
	return nil
}

// explain words the API errors a deploy meets so that they say what to do.
func explain(err error, verb, resource, name string) error {
	var status apierrors.APIStatus
	msg := err.Error()
	if errors.As(err, &status) {
		msg = status.Status().Message
	}
	switch {
	case apierrors.IsForbidden(err) && strings.Contains(msg, "exceeded quota"):
		return fmt.Errorf("%s %s: the namespace's ResourceQuota refuses it: %s; raise the quota or lower the requests", resource, name, msg)
	case apierrors.IsForbidden(err):
		return fmt.Errorf("%s %s: RBAC denies %q on %s: %s; ask for a Role that grants it", resource, name, verb, resource, msg)
	case apierrors.IsInvalid(err) && strings.Contains(msg, "field is immutable"):
		return fmt.Errorf("%s %s: %s; the change needs the object deleted and created again (a selector never changes in place)", resource, name, msg)
	case apierrors.IsNotFound(err) && strings.Contains(msg, "namespaces"):
		return fmt.Errorf("%s %s: %s; create it, or pass --create-namespace", resource, name, msg)
	}
	return fmt.Errorf("%s %s: %v", resource, name, err)
}
