package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/shipshape/shipshape/internal/release"

	"k8s.io/apimachinery/pkg/types"
)

// Revision is one rollout of a Deployment: a ReplicaSet it owns.
type Revision struct {
	Number  int64     `json:"revision"`
	Images  []string  `json:"images"`
	Created time.Time `json:"created"`
	Current bool      `json:"current"`
}

// Revisions lists a Deployment's revisions, newest first.
func Revisions(ctx context.Context, c *Client, ns, name string) ([]Revision, []appsv1.ReplicaSet, error) {
	d, err := c.Typed.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, nil, explain(err, "get", "deployments", ns+"/"+name)
	}
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return nil, nil, err
	}
	list, err := c.Typed.AppsV1().ReplicaSets(ns).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return nil, nil, explain(err, "list", "replicasets", ns)
	}
	current := revision(d.Annotations)
	var revs []Revision
	var sets []appsv1.ReplicaSet
	for _, rs := range list.Items {
		if !metav1.IsControlledBy(&rs, d) {
			continue
		}
		r := Revision{Number: revision(rs.Annotations), Created: rs.CreationTimestamp.Time}
		r.Current = r.Number == current
		for _, ct := range rs.Spec.Template.Spec.Containers {
			r.Images = append(r.Images, ct.Image)
		}
		revs = append(revs, r)
		sets = append(sets, rs)
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i].Number > revs[j].Number })
	sort.Slice(sets, func(i, j int) bool { return revision(sets[i].Annotations) > revision(sets[j].Annotations) })
	return revs, sets, nil
}

// Undo restores the pod template of revision (0: the one before the
// current) as `kubectl rollout undo` does, and returns the revision
// restored. The Deployment then rolls out as a new revision.
func Undo(ctx context.Context, c *Client, ns, name string, to int64) (int64, error) {
	revs, sets, err := Revisions(ctx, c, ns, name)
	if err != nil {
		return 0, err
	}
	var target *appsv1.ReplicaSet
	current := int64(0)
	for _, r := range revs {
		if r.Current {
			current = r.Number
		}
	}
	images := func(rs *appsv1.ReplicaSet) string {
		var list []string
		for _, ct := range rs.Spec.Template.Spec.Containers {
			list = append(list, ct.Image)
		}
		return strings.Join(list, ",")
	}
	currentImages := ""
	for i := range sets {
		if revision(sets[i].Annotations) == current {
			currentImages = images(&sets[i])
		}
	}
	for i := range sets { // newest first
		n := revision(sets[i].Annotations)
		if to != 0 && n == to {
			target = &sets[i]
			break
		}
		// The previous release: older, another image, not one shipshape undid.
		if to == 0 && n < current && images(&sets[i]) != currentImages && sets[i].Annotations[AnnotationFailed] == "" {
			target = &sets[i]
			break
		}
	}
	if target == nil {
		if to != 0 {
			return 0, fmt.Errorf("deployment %s has no revision %d (shipshape releases --target kubernetes lists them)", name, to)
		}
		return 0, fmt.Errorf("deployment %s has no revision before %d to undo to", name, current)
	}
	tmpl := target.Spec.Template.DeepCopy()
	delete(tmpl.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	patch, err := json.Marshal([]map[string]any{{"op": "replace", "path": "/spec/template", "value": tmpl}})
	if err != nil {
		return 0, err
	}
	if _, err := c.Typed.AppsV1().Deployments(ns).Patch(ctx, name, types.JSONPatchType, patch, metav1.PatchOptions{FieldManager: FieldManager + "-undo"}); err != nil {
		return 0, explain(err, "patch", "deployments", ns+"/"+name)
	}
	return revision(target.Annotations), nil
}

// markFailed annotates the ReplicaSet of the Deployment's current
// revision, the one that failed, so that a later rollback skips it.
func markFailed(ctx context.Context, c *Client, ns, name string, cause error) {
	_, sets, err := Revisions(ctx, c, ns, name)
	if err != nil || len(sets) == 0 {
		return
	}
	msg := cause.Error()
	if len(msg) > 200 {
		msg = msg[:200]
	}
	patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]string{AnnotationFailed: msg}}})
	_, _ = c.Typed.AppsV1().ReplicaSets(ns).Patch(ctx, sets[0].Name, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: FieldManager})
}

// Records lists a Deployment's revisions as release records, newest
// first, with why shipshape undid a revision where it did.
func Records(ctx context.Context, c *Client, ns, name string) ([]release.Record, error) {
	revs, sets, err := Revisions(ctx, c, ns, name)
	if err != nil {
		return nil, err
	}
	out := make([]release.Record, len(revs))
	for i, r := range revs {
		rec := release.Record{Release: strconv.FormatInt(r.Number, 10), Revision: r.Number, Images: r.Images,
			Image: strings.Join(r.Images, ", "), Created: r.Created, Running: r.Current, State: release.Stopped}
		if r.Current {
			rec.State = release.Running
		}
		if why := sets[i].Annotations[AnnotationFailed]; why != "" {
			rec.State, rec.Undone = release.Undone, why
		}
		out[i] = rec
	}
	return out, nil
}
