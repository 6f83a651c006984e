package kube

import (
	"context"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes/fake"
)

func jobPod(name string, at time.Time, exit int32, labels map[string]string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop", Labels: labels, CreationTimestamp: metav1.NewTime(at)},
		Status: corev1.PodStatus{Phase: corev1.PodFailed, ContainerStatuses: []corev1.ContainerStatus{{
			Name: "migrate", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: exit, Reason: "Error"}},
		}}},
	}
}

// TestJobWhy: a failed release Job is explained by its first pod (the
// cause) and its last (what the retries met), each with its exit and its
// log's last lines; one pod is named once; another Job's pods, and the
// earlier run's of the same name, are not read; no pod, no words.
func TestJobWhy(t *testing.T) {
	mine := map[string]string{"job-name": "shop-migrate", "controller-uid": "u2"}
	t0 := time.Date(2026, 12, 3, 4, 0, 0, 0, time.UTC)
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "shop-migrate", Namespace: "shop", UID: "u2"}}
	c := &Client{Typed: fake.NewSimpleClientset(job,
		jobPod("shop-migrate-c", t0.Add(30*time.Second), 1, mine),
		jobPod("shop-migrate-a", t0, 1, mine),
		jobPod("shop-migrate-b", t0.Add(10*time.Second), 1, mine),
		jobPod("other-migrate-x", t0.Add(-time.Minute), 3, map[string]string{"job-name": "other-migrate", "controller-uid": "u9"}),
		// The last release's run, deleted in the background, still there.
		jobPod("shop-migrate-old", t0.Add(-time.Hour), 1, map[string]string{"job-name": "shop-migrate", "controller-uid": "u1"}),
	)}
	why := jobWhy(context.Background(), c, "shop", "shop-migrate")
	// The fake clientset's logs are "fake logs".
	for _, want := range []string{
		"\n  its first pod of 3, shop-migrate-a: migrate exited 1; its last log lines:\n    fake logs\n",
		"\n  its last pod, shop-migrate-c: migrate exited 1; its last log lines:\n    fake logs",
	} {
		if !strings.Contains(why, want) {
			t.Errorf("jobWhy lacks %q:\n%s", want, why)
		}
	}
	if strings.Contains(why, "shop-migrate-b") || strings.Contains(why, "other") || strings.Contains(why, "shop-migrate-old") || strings.Index(why, "shop-migrate-a") > strings.Index(why, "shop-migrate-c") {
		t.Errorf("jobWhy names the wrong pods or in the wrong order:\n%s", why)
	}
	c = &Client{Typed: fake.NewSimpleClientset(jobPod("shop-migrate-a", t0, 2, mine))}
	if why := jobWhy(context.Background(), c, "shop", "shop-migrate"); why != "\n  its pod, shop-migrate-a: migrate exited 2; its last log lines:\n    fake logs" {
		t.Errorf("one pod: %q", why)
	}
	if why := jobWhy(context.Background(), &Client{Typed: fake.NewSimpleClientset()}, "shop", "shop-migrate"); why != "" {
		t.Errorf("no pod: %q, want nothing", why)
	}
}

// TestProbePath: the smoke check's health route is the one the pods are
// probed on: readiness first, then liveness, HTTP only, the first
// container's, on the port it serves (by number or name).
func TestProbePath(t *testing.T) {
	w := func(containers ...any) *unstructured.Unstructured {
		return &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{"template": map[string]any{"spec": map[string]any{"containers": containers}}}}}
	}
	http := func(path string) map[string]any {
		return map[string]any{"httpGet": map[string]any{"path": path, "port": int64(8080)}}
	}
	for _, tc := range []struct {
		w    *unstructured.Unstructured
		want string
	}{
		{w(map[string]any{"name": "app", "readinessProbe": http("/healthz"), "livenessProbe": http("/livez")}), "/healthz"},
		{w(map[string]any{"name": "app", "livenessProbe": http("/livez")}), "/livez"},
		{w(map[string]any{"name": "app"}, map[string]any{"name": "sidecar", "readinessProbe": http("/ready")}), ""},
		{w(map[string]any{"name": "app", "readinessProbe": map[string]any{"tcpSocket": map[string]any{"port": int64(8080)}}}), ""},
		{w(map[string]any{"name": "app", "ports": []any{map[string]any{"containerPort": int64(8080), "name": "http"}},
			"readinessProbe": map[string]any{"httpGet": map[string]any{"path": "/ready", "port": int64(9090)}}, "livenessProbe": http("/livez")}), "/livez"},
		{w(map[string]any{"name": "app", "ports": []any{map[string]any{"containerPort": int64(8080), "name": "http"}},
			"readinessProbe": map[string]any{"httpGet": map[string]any{"path": "/healthz", "port": "http"}}}), "/healthz"},
		{w(), ""},
	} {
		if got := probePath(tc.w); got != tc.want {
			t.Errorf("probePath(%v) = %q, want %q", tc.w.Object, got, tc.want)
		}
	}
}
