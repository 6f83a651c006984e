package kube

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
)

// The pods' own states and events say why a rollout failed: the shapes
// kubelet really reports (CrashLoopBackOff with the last exit,
// ImagePullBackOff, a readiness probe answering 500).
func TestDeploymentStatus_Problems(t *testing.T) {
	ctrl := true
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "shop", Namespace: "prod", UID: "d1", Annotations: map[string]string{"deployment.kubernetes.io/revision": "3"}},
		Spec:       appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "shop"}}},
		Status:     appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 3, UpdatedReplicas: 2, ReadyReplicas: 1},
	}
	rs := func(name, rev string) *appsv1.ReplicaSet {
		return &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "prod", Labels: map[string]string{"app": "shop"},
			Annotations:     map[string]string{"deployment.kubernetes.io/revision": rev},
			OwnerReferences: []metav1.OwnerReference{{Kind: "Deployment", Name: "shop", UID: "d1", Controller: &ctrl}}}}
	}
	pod := func(name, set string, ready bool, cs corev1.ContainerStatus) *corev1.Pod {
		status := corev1.ConditionFalse
		if ready {
			status = corev1.ConditionTrue
		}
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "prod", Labels: map[string]string{"app": "shop"},
			OwnerReferences: []metav1.OwnerReference{{Kind: "ReplicaSet", Name: set, Controller: &ctrl}}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: status}},
				ContainerStatuses: []corev1.ContainerStatus{cs}}}
	}
	pendingPod := func(name string, status corev1.PodStatus) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "prod", Labels: map[string]string{"app": "shop"},
			OwnerReferences: []metav1.OwnerReference{{Kind: "ReplicaSet", Name: "shop-new", Controller: &ctrl}}}, Status: status}
	}
	now := metav1.NewTime(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	objs := []runtime.Object{d, rs("shop-old", "2"), rs("shop-new", "3"),
		pod("shop-old-a", "shop-old", true, corev1.ContainerStatus{Name: "app", Ready: true}),
		pod("shop-new-crash", "shop-new", false, corev1.ContainerStatus{Name: "app", RestartCount: 4,
			State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 40s restarting failed container"}},
			LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error", Message: "ModuleNotFoundError: No module named 'app'"}}}),
		pod("shop-new-probe", "shop-new", false, corev1.ContainerStatus{Name: "app", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}),
		pod("shop-new-pull", "shop-new", false, corev1.ContainerStatus{Name: "app",
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: `Back-off pulling image "shop:v3"`}}}),
		pendingPod("shop-new-unscheduled", corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{Type: corev1.PodScheduled,
			Status: corev1.ConditionFalse, Reason: "Unschedulable",
			Message: "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."}}}),
		pendingPod("shop-new-evicted", corev1.PodStatus{Phase: corev1.PodFailed, Reason: "Evicted",
			Message: "The node was low on resource: ephemeral-storage. Threshold quantity: 2641320806, available: 1759480Ki. "}),
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e1", Namespace: "prod"}, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "shop-new-probe"},
			Type: "Warning", Reason: "Unhealthy", Message: "Readiness probe failed: HTTP probe failed with statuscode: 500", LastTimestamp: now, Count: 7},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e2", Namespace: "prod"}, InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "someone-else"},
			Type: "Warning", Reason: "Unhealthy", Message: "not ours", LastTimestamp: now},
	}
	c := &Client{Typed: fake.NewSimpleClientset(objs...)}
	st, err := DeploymentStatus(context.Background(), c, "prod", "shop")
	if err != nil {
		t.Fatal(err)
	}
	problems := map[string]string{}
	for _, p := range st.Pods {
		problems[p.Name] = p.Problem
	}
	want := map[string]string{
		"shop-old-a":     "",
		"shop-new-crash": "app: CrashLoopBackOff (last exit 1: ModuleNotFoundError: No module named 'app')",
		"shop-new-probe": "Readiness probe failed: HTTP probe failed with statuscode: 500",
		"shop-new-pull":  `app: ImagePullBackOff: Back-off pulling image "shop:v3"`,
		"shop-new-unscheduled": "not scheduled: 0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }. " +
			"preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
		"shop-new-evicted": "Evicted: The node was low on resource: ephemeral-storage. Threshold quantity: 2641320806, available: 1759480Ki.",
	}
	for name, w := range want {
		if problems[name] != w {
			t.Errorf("%s: %q, want %q", name, problems[name], w)
		}
	}
	if st.Pods[0].Revision != 3 || st.Pods[len(st.Pods)-1].Name != "shop-old-a" {
		t.Errorf("pods not newest revision first: %+v", st.Pods)
	}
	if len(st.Events) != 1 || st.Events[0].Object != "Pod/shop-new-probe" {
		t.Errorf("events %+v, want the one about our pod", st.Events)
	}
	reason := why(context.Background(), c, "prod", "shop")
	// The first three pods of the new revision, by name.
	for _, part := range []string{"shop-new-crash: app: CrashLoopBackOff", "shop-new-evicted: Evicted: The node was low", "shop-new-probe: Readiness probe failed"} {
		if !strings.Contains(reason, part) {
			t.Errorf("why %q lacks %q", reason, part)
		}
	}
	if strings.Contains(reason, "shop-old") || strings.Contains(reason, "shop-new-pull") {
		t.Errorf("why %q speaks of the old revision's pods or of more than three", reason)
	}
}
