package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/source/kube"
)

// What rules know about pods and containers.

// eachContainer calls fn for every container that runs for the pod's whole
// life: the regular ones, and native sidecars (init containers with
// restartPolicy: Always). Rules about serving (probes) use it.
func eachContainer(o *kube.Object, fn func(w *kube.Workload, c kube.Container)) {
	w, ok := o.Workload()
	if !ok {
		return
	}
	for _, c := range w.Containers() {
		if !c.Init || c.Sidecar {
			fn(w, c)
		}
	}
}

// eachContainerOrInit calls fn for every container, init containers too:
// rules about what a container may do (privileges, mounts, the image it
// runs, the credentials it is given) hold for an init container as much as
// for the app, and an init container is where a chown runs as root.
func eachContainerOrInit(o *kube.Object, fn func(w *kube.Workload, c kube.Container)) {
	w, ok := o.Workload()
	if !ok {
		return
	}
	for _, c := range w.Containers() {
		fn(w, c)
	}
}

// runAsNonRoot reports whether the container is made to run as non-root by
// its own or the pod's security context.
func runAsNonRoot(spec *corev1.PodSpec, c kube.Container) bool {
	if sc := c.SecurityContext; sc != nil {
		if sc.RunAsNonRoot != nil {
			return *sc.RunAsNonRoot
		}
		if sc.RunAsUser != nil {
			return *sc.RunAsUser != 0
		}
	}
	if psc := spec.SecurityContext; psc != nil {
		if psc.RunAsNonRoot != nil {
			return *psc.RunAsNonRoot
		}
		if psc.RunAsUser != nil {
			return *psc.RunAsUser != 0
		}
	}
	return false
}

// declaresPort reports whether a container declares a port by number or name.
func declaresPort(c *corev1.Container, port int32, name string) bool {
	for _, p := range c.Ports {
		if name != "" && p.Name == name || name == "" && p.ContainerPort == port {
			return true
		}
	}
	return false
}

// probePort returns the port a probe checks, and false for exec probes.
func probePort(p *corev1.Probe) (num int32, name string, ok bool) {
	if p == nil {
		return 0, "", false
	}
	switch {
	case p.HTTPGet != nil:
		return p.HTTPGet.Port.IntVal, p.HTTPGet.Port.StrVal, true
	case p.TCPSocket != nil:
		return p.TCPSocket.Port.IntVal, p.TCPSocket.Port.StrVal, true
	case p.GRPC != nil:
		return p.GRPC.Port, "", true
	}
	return 0, "", false
}

// selects reports whether a label selector (Service-style) matches labels.
func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if got, ok := labels[k]; got != v && (ok || !controllerLabels[k]) {
			return false
		}
	}
	return true
}

// controllerLabels are the labels Kubernetes's controllers put on the pods
// they make, which no template holds: a selector in one of them (argo-cd's
// redis-ha announce Services select statefulset.kubernetes.io/pod-name:
// argocd-redis-ha-server-0) is not held against a template that lacks it.
var controllerLabels = map[string]bool{
	"statefulset.kubernetes.io/pod-name":       true,
	"apps.kubernetes.io/pod-index":             true,
	"controller-revision-hash":                 true,
	"pod-template-hash":                        true,
	"job-name":                                 true,
	"controller-uid":                           true,
	"batch.kubernetes.io/job-name":             true,
	"batch.kubernetes.io/controller-uid":       true,
	"batch.kubernetes.io/job-completion-index": true,
}

// sameNamespace reports whether two objects can be in one namespace: an
// object without one goes where it is applied.
func sameNamespace(a, b string) bool {
	return a == "" || b == "" || a == b
}
