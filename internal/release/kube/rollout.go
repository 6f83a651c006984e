package kube

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

func revision(annotations map[string]string) int64 {
	n, _ := strconv.ParseInt(annotations["deployment.kubernetes.io/revision"], 10, 64)
	return n
}

// Wait watches a workload until its rollout completes, the way `kubectl
// rollout status` decides it, or fails when a Deployment reports
// ProgressDeadlineExceeded. progress gets each new state, once.
func Wait(ctx context.Context, c *Client, ns, kind, name string, progress func(string)) error {
	return wait(ctx, c, ns, kind, name, false, progress)
}

// WaitRestored waits for a Deployment whose template was just restored
// (an undo, a rollback). The controller keeps the failed rollout's
// ProgressDeadlineExceeded until the restored ReplicaSet makes progress,
// so the condition is not believed here; the wait is bounded instead by
// twice the progress deadline (at least a minute).
func WaitRestored(ctx context.Context, c *Client, ns, name string, progress func(string)) error {
	limit := time.Minute
	if d, err := c.Typed.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{}); err == nil {
		limit = max(limit, 2*time.Duration(ptrOr(d.Spec.ProgressDeadlineSeconds, 600))*time.Second)
	}
	wctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	err := wait(wctx, c, ns, "Deployment", name, true, progress)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("the restored template has not rolled out after %v", limit)
	}
	return err
}

func wait(ctx context.Context, c *Client, ns, kind, name string, restored bool, progress func(string)) error {
	last := ""
	report := func(msg string) {
		if msg != last && progress != nil {
			progress(msg)
		}
		last = msg
	}
	for {
		w, err := watchOne(ctx, c, ns, kind, name)
		if err != nil {
			return err
		}
		for ev := range w.ResultChan() {
			if ev.Type == watch.Error {
				break
			}
			if ev.Type == watch.Deleted {
				w.Stop()
				return fmt.Errorf("%s/%s was deleted while rolling out", kind, name)
			}
			msg, done, err := status(ev.Object)
			if err != nil && restored && errors.Is(err, errDeadline) {
				msg, err = "waiting for the new ReplicaSet to make progress (the Deployment still says ProgressDeadlineExceeded from before)", nil
			}
			if err != nil {
				w.Stop()
				return err
			}
			report(msg)
			if done {
				w.Stop()
				return nil
			}
		}
		w.Stop()
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

func watchOne(ctx context.Context, c *Client, ns, kind, name string) (watch.Interface, error) {
	opts := metav1.ListOptions{FieldSelector: "metadata.name=" + name}
	var w watch.Interface
	var err error
	switch kind {
	case "Deployment":
		w, err = c.Typed.AppsV1().Deployments(ns).Watch(ctx, opts)
	case "StatefulSet":
		w, err = c.Typed.AppsV1().StatefulSets(ns).Watch(ctx, opts)
	case "DaemonSet":
		w, err = c.Typed.AppsV1().DaemonSets(ns).Watch(ctx, opts)
	default:
		return nil, fmt.Errorf("cannot wait for a %s", kind)
	}
	if err != nil {
		return nil, explain(err, "watch", strings.ToLower(kind)+"s", ns+"/"+name)
	}
	return w, nil
}

// status is kubectl's rollout status for one object: a message, whether
// the rollout is complete, and an error when it has failed.
func status(obj any) (string, bool, error) {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		if o.Generation > o.Status.ObservedGeneration {
			return "waiting for the controller to see the new spec", false, nil
		}
		for _, c := range o.Status.Conditions {
			if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
				return "", false, fmt.Errorf("%w (%ds): %s", errDeadline, ptrOr(o.Spec.ProgressDeadlineSeconds, 600), c.Message)
			}
		}
		want := ptrOr(o.Spec.Replicas, 1)
		switch {
		case o.Status.UpdatedReplicas < want:
			return fmt.Sprintf("%d of %d new replicas updated", o.Status.UpdatedReplicas, want), false, nil
		case o.Status.Replicas > o.Status.UpdatedReplicas:
			return fmt.Sprintf("%d old replicas pending termination", o.Status.Replicas-o.Status.UpdatedReplicas), false, nil
		case o.Status.AvailableReplicas < o.Status.UpdatedReplicas:
			return fmt.Sprintf("%d of %d updated replicas available", o.Status.AvailableReplicas, o.Status.UpdatedReplicas), false, nil
		}
		return fmt.Sprintf("%d of %d replicas available: rolled out", o.Status.AvailableReplicas, want), true, nil
	case *appsv1.StatefulSet:
		if o.Generation > o.Status.ObservedGeneration {
			return "waiting for the controller to see the new spec", false, nil
		}
		want := ptrOr(o.Spec.Replicas, 1)
		if o.Status.ReadyReplicas < want {
			return fmt.Sprintf("%d of %d pods ready", o.Status.ReadyReplicas, want), false, nil
		}
		if o.Status.UpdateRevision != o.Status.CurrentRevision && o.Status.UpdatedReplicas < want {
			return fmt.Sprintf("%d of %d pods updated", o.Status.UpdatedReplicas, want), false, nil
		}
		return fmt.Sprintf("%d of %d pods ready: rolled out", o.Status.ReadyReplicas, want), true, nil
	case *appsv1.DaemonSet:
		if o.Generation > o.Status.ObservedGeneration {
			return "waiting for the controller to see the new spec", false, nil
		}
		if o.Status.UpdatedNumberScheduled < o.Status.DesiredNumberScheduled {
			return fmt.Sprintf("%d of %d pods updated", o.Status.UpdatedNumberScheduled, o.Status.DesiredNumberScheduled), false, nil
		}
		if o.Status.NumberAvailable < o.Status.DesiredNumberScheduled {
			return fmt.Sprintf("%d of %d updated pods available", o.Status.NumberAvailable, o.Status.DesiredNumberScheduled), false, nil
		}
		return fmt.Sprintf("%d of %d pods available: rolled out", o.Status.NumberAvailable, o.Status.DesiredNumberScheduled), true, nil
	}
	return "", false, fmt.Errorf("unexpected object %T in the watch", obj)
}

var errDeadline = errors.New("rollout exceeded its progress deadline")

// timedOut: the Deployment's Progressing condition says
// ProgressDeadlineExceeded.
func timedOut(d *appsv1.Deployment) bool {
	for _, c := range d.Status.Conditions {
		if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
			return true
		}
	}
	return false
}

func ptrOr(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}
