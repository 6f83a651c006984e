package kube

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/shipshape/shipshape/internal/release"
)

// Logs writes the output of the pods of a Deployment's current revision
// to w, each line prefixed with its pod when there are several; with
// Follow it streams them all until ctx ends. Logs come through the API
// server from each node's kubelet.
func Logs(ctx context.Context, c *Client, ns, name string, o release.LogOptions, w io.Writer) error {
	since, err := o.SinceTime(time.Now())
	if err != nil {
		return err
	}
	st, err := DeploymentStatus(ctx, c, ns, name)
	if err != nil {
		return err
	}
	var pods []string
	for _, p := range st.Pods {
		if p.Revision == st.Revision {
			pods = append(pods, p.Name)
		}
	}
	if len(pods) == 0 {
		return fmt.Errorf("deployment %s/%s has no pods of its current revision %d (shipshape status --target kubernetes %s says why)", ns, name, st.Revision, name)
	}
	sort.Strings(pods)
	opts := corev1.PodLogOptions{Follow: o.Follow}
	if o.Tail > 0 {
		n := int64(o.Tail)
		opts.TailLines = &n
	}
	if !since.IsZero() {
		t := metav1.NewTime(since)
		opts.SinceTime = &t
	}
	errs := make([]error, len(pods))
	var wg sync.WaitGroup
	for i, pod := range pods {
		prefix := ""
		if len(pods) > 1 {
			prefix = "[" + pod + "] "
		}
		read := func() {
			errs[i] = podLogs(ctx, c, ns, pod, opts, w, prefix)
		}
		if !o.Follow {
			read() // one pod after the other, in order
			continue
		}
		wg.Add(1)
		go func() { defer wg.Done(); read() }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && ctx.Err() == nil {
			return err
		}
	}
	return nil
}

func podLogs(ctx context.Context, c *Client, ns, pod string, opts corev1.PodLogOptions, w io.Writer, prefix string) error {
	rc, err := c.Typed.CoreV1().Pods(ns).GetLogs(pod, &opts).Stream(ctx)
	if err != nil {
		return explain(err, "get", "pods/log", ns+"/"+pod)
	}
	defer rc.Close()
	out := release.Prefixed(w, prefix)
	_, err = io.Copy(out, rc)
	out.Close()
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("logs of %s: %v", pod, err)
	}
	return nil
}
