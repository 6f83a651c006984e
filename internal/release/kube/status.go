package kube

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Status is a Deployment as `shipshape status --target kubernetes` shows
// it: its rollout, its pods and the events that explain them.
type Status struct {
	Name      string      `json:"name"`
	Namespace string      `json:"namespace"`
	Revision  int64       `json:"revision"`
	Rollout   string      `json:"rollout"` // as kubectl rollout status words it
	Complete  bool        `json:"complete"`
	Replicas  int32       `json:"replicas"`
	Ready     int32       `json:"ready"`
	Updated   int32       `json:"updated"`
	Pods      []PodStatus `json:"pods"`
	Events    []Event     `json:"events,omitempty"`
}

// PodStatus is one pod and, when it is not ready, why.
type PodStatus struct {
	Name     string `json:"name"`
	Revision int64  `json:"revision"`
	Phase    string `json:"phase"`
	Ready    bool   `json:"ready"`
	Restarts int32  `json:"restarts"`
	// Problem says why it is not ready or keeps restarting, from its
	// containers' states (CrashLoopBackOff and the last exit,
	// ImagePullBackOff, OOMKilled) and its probes' events.
	Problem string `json:"problem,omitempty"`
}

// Event is a recent event about the Deployment, its ReplicaSets or pods.
type Event struct {
	Time    time.Time `json:"time"`
	Type    string    `json:"type"`
	Object  string    `json:"object"`
	Reason  string    `json:"reason"`
	Message string    `json:"message"`
	Count   int32     `json:"count,omitempty"`
}

// DeploymentStatus reads a Deployment's rollout, pods and recent events.
func DeploymentStatus(ctx context.Context, c *Client, ns, name string) (*Status, error) {
	d, err := c.Typed.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, explain(err, "get", "deployments", ns+"/"+name)
	}
	msg, done, serr := status(d)
	if serr != nil {
		msg = serr.Error()
	}
	s := &Status{Name: name, Namespace: ns, Revision: revision(d.Annotations), Rollout: msg, Complete: done,
		Replicas: ptrOr(d.Spec.Replicas, 1), Ready: d.Status.ReadyReplicas, Updated: d.Status.UpdatedReplicas}
	pods, events, err := podsOf(ctx, c, d)
	if err != nil {
		return nil, err
	}
	s.Pods, s.Events = pods, events
	return s, nil
}

// podsOf lists the Deployment's pods with their problems, and the recent
// events about it, its ReplicaSets and its pods, oldest first.
func podsOf(ctx context.Context, c *Client, d *appsv1.Deployment) ([]PodStatus, []Event, error) {
	ns := d.Namespace
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return nil, nil, err
	}
	list, err := c.Typed.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return nil, nil, explain(err, "list", "pods", ns)
	}
	evs, err := c.Typed.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, nil, explain(err, "list", "events", ns)
	}
	sets := map[string]int64{} // ReplicaSet → revision
	if rs, err := c.Typed.AppsV1().ReplicaSets(ns).List(ctx, metav1.ListOptions{LabelSelector: sel.String()}); err == nil {
		for _, r := range rs.Items {
			sets[r.Name] = revision(r.Annotations)
		}
	}
	mine := map[string]bool{"Deployment/" + d.Name: true}
	for name := range sets {
		mine["ReplicaSet/"+name] = true
	}
	var pods []PodStatus
	for _, p := range list.Items {
		mine["Pod/"+p.Name] = true
		ps := PodStatus{Name: p.Name, Phase: string(p.Status.Phase), Ready: podReady(&p)}
		for _, o := range p.OwnerReferences {
			if o.Kind == "ReplicaSet" {
				ps.Revision = sets[o.Name]
			}
		}
		for _, cs := range p.Status.ContainerStatuses {
			ps.Restarts += cs.RestartCount
		}
		ps.Problem = podProblem(&p, evs.Items)
		pods = append(pods, ps)
	}
	sort.Slice(pods, func(i, j int) bool {
		if pods[i].Revision != pods[j].Revision {
			return pods[i].Revision > pods[j].Revision
		}
		return pods[i].Name < pods[j].Name
	})
	var events []Event
	for _, e := range evs.Items {
		obj := e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name
		if !mine[obj] {
			continue
		}
		events = append(events, Event{Time: eventTime(&e), Type: e.Type, Object: obj, Reason: e.Reason, Message: strings.TrimSpace(e.Message), Count: e.Count})
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
	if len(events) > 20 {
		events = events[len(events)-20:]
	}
	return pods, events, nil
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// podProblem says why a pod is not ready or keeps restarting: evicted or
// not scheduled by the node, a container waiting (CrashLoopBackOff with the last exit, ImagePullBackOff), one that
// was OOMKilled, or the last failed probe in its events. "" for a ready,
// steady pod.
func podProblem(p *corev1.Pod, events []corev1.Event) string {
	var out []string
	// The node's word comes first: a pod it evicted (low on disk or
	// memory) or one no node would take (a taint such as disk-pressure,
	// too little CPU) has no container state that explains it.
	if p.Status.Reason != "" {
		msg := p.Status.Reason
		if m := strings.TrimSpace(p.Status.Message); m != "" {
			msg += ": " + trimMessage(m)
		}
		out = append(out, msg)
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse {
			msg := "not scheduled"
			if c.Message != "" {
				msg += ": " + trimMessage(c.Message)
			}
			out = append(out, msg)
		}
	}
	for _, cs := range p.Status.ContainerStatuses {
		if w := cs.State.Waiting; w != nil && w.Reason != "" && w.Reason != "ContainerCreating" {
			msg := cs.Name + ": " + w.Reason
			if t := cs.LastTerminationState.Terminated; t != nil {
				msg += fmt.Sprintf(" (last exit %d%s)", t.ExitCode, reasonOf(t))
			} else if w.Message != "" {
				msg += ": " + trimMessage(w.Message)
			}
			out = append(out, msg)
		} else if t := cs.LastTerminationState.Terminated; t != nil && t.Reason == "OOMKilled" {
			out = append(out, cs.Name+": OOMKilled (raise its memory limit)")
		}
	}
	if podReady(p) && len(out) == 0 {
		return ""
	}
	var probe *corev1.Event
	for i := range events {
		e := &events[i]
		if e.InvolvedObject.Kind == "Pod" && e.InvolvedObject.Name == p.Name && e.Reason == "Unhealthy" &&
			(probe == nil || eventTime(e).After(eventTime(probe))) {
			probe = e
		}
	}
	if probe != nil {
		out = append(out, trimMessage(probe.Message))
	}
	return strings.Join(out, "; ")
}

func reasonOf(t *corev1.ContainerStateTerminated) string {
	s := ""
	if t.Reason != "" && t.Reason != "Error" {
		s = ", " + t.Reason
	}
	if m := strings.TrimSpace(t.Message); m != "" {
		s += ": " + trimMessage(m)
	}
	return s
}

func trimMessage(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return s
}

func eventTime(e *corev1.Event) time.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time
	case !e.EventTime.IsZero():
		return e.EventTime.Time
	}
	return e.CreationTimestamp.Time
}

// why explains a failed rollout of a Deployment from the new revision's
// pods: their problems (CrashLoopBackOff and the last exit, a failing
// probe and what it got), for the error that says the rollout was undone.
// "" when the pods say nothing (or cannot be read).
func why(ctx context.Context, c *Client, ns, name string) string {
	st, err := DeploymentStatus(ctx, c, ns, name)
	if err != nil || len(st.Pods) == 0 {
		return ""
	}
	newest := st.Pods[0].Revision
	var out []string
	for _, p := range st.Pods {
		if p.Revision == newest && p.Problem != "" {
			out = append(out, p.Name+": "+p.Problem)
		}
		if len(out) == 3 {
			break
		}
	}
	return strings.Join(out, "; ")
}
