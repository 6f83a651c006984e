package kube

import (
	"bufio"
	"context"
	"fmt"
	"sort"
	"strings"
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
				return fmt.Errorf("release job %s failed (%s: %s): the rollout did not start; the running release is unchanged%s", j.Name, cond.Reason, cond.Message, jobWhy(ctx, c, ns, j.Name))
			}
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("the watch on job %s ended before it finished", u.GetName())
}

// jobWhy says what the Job's pods did, for the error that stops the
// deploy: the first pod's container exit (or why it waits, podProblem) and
// its last log lines, then the last pod's when the Job retried, since a
// migration's own words are what the user needs and the Job's condition
// only says the backoff limit was reached. The first attempt holds the
// cause (golang-migrate's "relation already exists"); a retry may only
// say what the first left behind ("Dirty database version 2"). "" when
// there is no pod to read.
func jobWhy(ctx context.Context, c *Client, ns, job string) string {
	// The Job's deadline may be what ended it: the pods are still read.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	// This run's pods: an earlier run's, deleted in the background, may
	// still carry the Job's name (its controller's UID is another).
	sel := "job-name=" + job
	if j, err := c.Typed.BatchV1().Jobs(ns).Get(rctx, job, metav1.GetOptions{}); err == nil && j.UID != "" {
		sel = "controller-uid=" + string(j.UID)
	}
	list, err := c.Typed.CoreV1().Pods(ns).List(rctx, metav1.ListOptions{LabelSelector: sel})
	if err != nil || len(list.Items) == 0 {
		return ""
	}
	pods := list.Items
	sort.Slice(pods, func(i, j int) bool {
		a, b := pods[i].CreationTimestamp, pods[j].CreationTimestamp
		return a.Before(&b) || a.Equal(&b) && pods[i].Name < pods[j].Name
	})
	why := ""
	for i, p := range []*corev1.Pod{&pods[0], &pods[len(pods)-1]} {
		switch {
		case i == 1 && len(pods) == 1:
			continue
		case i == 0 && len(pods) > 1:
			why += fmt.Sprintf("\n  its first pod of %d, %s", len(pods), p.Name)
		case i == 0:
			why += fmt.Sprintf("\n  its pod, %s", p.Name)
		default:
			why += fmt.Sprintf("\n  its last pod, %s", p.Name)
		}
		why += podWhy(rctx, c, ns, p)
	}
	return why
}

// podWhy is a finished or stuck pod's container exits and last log lines.
func podWhy(ctx context.Context, c *Client, ns string, p *corev1.Pod) string {
	var parts []string
	for _, cs := range p.Status.ContainerStatuses {
		if t := cs.State.Terminated; t != nil {
			parts = append(parts, fmt.Sprintf("%s exited %d%s", cs.Name, t.ExitCode, reasonOf(t)))
		}
	}
	if problem := podProblem(p, nil); problem != "" && len(parts) == 0 {
		parts = append(parts, problem)
	}
	why := ""
	if len(parts) > 0 {
		why = ": " + strings.Join(parts, "; ")
	}
	n, limit := int64(10), int64(4096)
	opts := &corev1.PodLogOptions{TailLines: &n, LimitBytes: &limit}
	if len(p.Spec.Containers) > 1 {
		opts.Container = p.Spec.Containers[0].Name // the Job's own, not an injected sidecar
	}
	data, err := c.Typed.CoreV1().Pods(ns).GetLogs(p.Name, opts).DoRaw(ctx)
	if err != nil || len(strings.TrimSpace(string(data))) == 0 {
		return why
	}
	why += "; its last log lines:"
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		if line := strings.TrimRight(sc.Text(), " \t\r"); line != "" {
			why += "\n    " + line
		}
	}
	return why
}
