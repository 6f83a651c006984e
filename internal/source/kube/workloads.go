package kube

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Workload is an object that runs pods.
type Workload struct {
	*Object
	Spec *corev1.PodSpec
	// Template is the pod template's metadata (labels), nil for a bare Pod.
	Labels map[string]string
	// SpecPath is where the pod spec is written: spec.template.spec, ...
	SpecPath []string
	// Replicas is the replica count written, nil when unset.
	Replicas *int32
	Selector *metav1.LabelSelector
}

// Workload returns the object as a workload, or false.
func (o *Object) Workload() (*Workload, bool) {
	w := &Workload{Object: o, SpecPath: []string{"spec", "template", "spec"}}
	switch t := o.Typed.(type) {
	case *appsv1.Deployment:
		w.Spec, w.Labels, w.Replicas, w.Selector = &t.Spec.Template.Spec, t.Spec.Template.Labels, t.Spec.Replicas, t.Spec.Selector
	case *appsv1.StatefulSet:
		w.Spec, w.Labels, w.Replicas, w.Selector = &t.Spec.Template.Spec, t.Spec.Template.Labels, t.Spec.Replicas, t.Spec.Selector
	case *appsv1.DaemonSet:
		w.Spec, w.Labels, w.Selector = &t.Spec.Template.Spec, t.Spec.Template.Labels, t.Spec.Selector
	case *appsv1.ReplicaSet:
		w.Spec, w.Labels, w.Replicas, w.Selector = &t.Spec.Template.Spec, t.Spec.Template.Labels, t.Spec.Replicas, t.Spec.Selector
	case *batchv1.Job:
		w.Spec, w.Labels = &t.Spec.Template.Spec, t.Spec.Template.Labels
	case *batchv1.CronJob:
		w.Spec, w.Labels = &t.Spec.JobTemplate.Spec.Template.Spec, t.Spec.JobTemplate.Spec.Template.Labels
		w.SpecPath = []string{"spec", "jobTemplate", "spec", "template", "spec"}
	case *corev1.ReplicationController:
		if t.Spec.Template == nil {
			return nil, false
		}
		w.Spec, w.Labels, w.Replicas = &t.Spec.Template.Spec, t.Spec.Template.Labels, t.Spec.Replicas
		w.Selector = &metav1.LabelSelector{MatchLabels: t.Spec.Selector}
	case *corev1.Pod:
		w.Spec, w.Labels = &t.Spec, t.Labels
		w.SpecPath = []string{"spec"}
	default:
		return nil, false
	}
	if !o.Has("spec", "replicas") {
		w.Replicas = nil
	}
	return w, true
}

// LongRunning reports whether the workload serves (not a Job or CronJob).
func (w *Workload) LongRunning() bool {
	switch w.Kind {
	case "Job", "CronJob", "Pod":
		return false
	}
	return true
}

// Container is one container of a pod spec, regular or init, with where it
// is written.
type Container struct {
	*corev1.Container
	// Init is true for an init container; Sidecar for an init container
	// that keeps running beside the app (restartPolicy: Always).
	Init, Sidecar bool
	w             *Workload
	list          string // "containers" or "initContainers"
	index         int
}

// At returns where a field of the container is written, or its deepest
// written parent.
func (c Container) At(path ...string) Pos {
	return c.w.SpecAt(append([]string{c.list, itoa(c.index)}, path...)...)
}

// Label names the container in a message: "container web", "init container chown".
func (c Container) Label() string {
	if c.Init && !c.Sidecar {
		return "init container " + c.Name
	}
	return "container " + c.Name
}

// Containers returns the init containers, then the regular ones.
func (w *Workload) Containers() []Container {
	var out []Container
	for i := range w.Spec.InitContainers {
		c := &w.Spec.InitContainers[i]
		sidecar := c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
		out = append(out, Container{Container: c, Init: true, Sidecar: sidecar, w: w, list: "initContainers", index: i})
	}
	for i := range w.Spec.Containers {
		out = append(out, Container{Container: &w.Spec.Containers[i], w: w, list: "containers", index: i})
	}
	return out
}

// ContainerAt returns where a field of the i-th container is written.
func (w *Workload) ContainerAt(i int, path ...string) Pos {
	return w.At(append(append(append([]string{}, w.SpecPath...), "containers", itoa(i)), path...)...)
}

// SpecAt returns where a field of the pod spec is written.
func (w *Workload) SpecAt(path ...string) Pos {
	return w.At(append(append([]string{}, w.SpecPath...), path...)...)
}

// Workloads returns every workload of the set.
func (s *Set) Workloads() []*Workload {
	var out []*Workload
	for _, o := range s.Objects {
		if w, ok := o.Workload(); ok {
			out = append(out, w)
		}
	}
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// Service returns the object as a typed Service, or nil.
func (s *Set) Service(o *Object) *corev1.Service {
	svc, _ := o.Typed.(*corev1.Service)
	return svc
}

// PDBSelector returns a PodDisruptionBudget's matchLabels, or nil.
func (s *Set) PDBSelector(o *Object) map[string]string {
	if pdb, ok := o.Typed.(*policyv1.PodDisruptionBudget); ok && pdb.Spec.Selector != nil {
		return pdb.Spec.Selector.MatchLabels
	}
	return nil
}
