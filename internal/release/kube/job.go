package kube

import (
	"context"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// runJob applies a release Job (deleting an earlier run of it first) and
// waits for it: a failed Job stops the deploy.
func runJob(ctx context.Context, c *Client, ns string, u *unstructured.Unstructured) error {
	jobs := c.Typed.BatchV1().Jobs(ns)
	policy := metav1.DeletePropagationBackground
	if err := jobs.Delete(ctx, u.GetName(), metav1.DeleteOptions{PropagationPolicy: &policy}); err != nil && !apierrors.IsNotFound(err) {
		return explain(err, "delete", "jobs", ns+"/"+u.GetName())
	}
	for i := 0; i < 50; i++ { // the old Job is gone once its name is free
		if _, err := jobs.Get(ctx, u.GetName(), metav1.GetOptions{}); apierrors.IsNotFound(err) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := apply(ctx, c, ns, u); err != nil {
		return err
	}
	w, err := jobs.Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=" + u.GetName()})
	if err != nil {
		return explain(err, "watch", "jobs", ns+"/"+u.GetName())
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		j, ok := ev.Object.(*batchv1.Job)
		if !ok {
			continue
		}
		for _, cond := range j.Status.Conditions {
			if cond.Status != corev1.ConditionTrue {
				continue
			}
			switch cond.Type {
			case batchv1.JobComplete:
				return nil
			case batchv1.JobFailed:
				return fmt.Errorf("release job %s failed (%s: %s): the rollout did not start; the running release is unchanged", j.Name, cond.Reason, cond.Message)
			}
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("the watch on job %s ended before it finished", u.GetName())
}
