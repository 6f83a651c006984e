package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/source/kube"
)

// What rules know about pods and containers.

// eachContainer calls fn for every regular container of every workload object.
func eachContainer(o *kube.Object, fn func(w *kube.Workload, i int, c *corev1.Container)) {
	w, ok := o.Workload()
	if !ok {
		return
	}
	for i := range w.Spec.Containers {
		fn(w, i, &w.Spec.Containers[i])
	}
}

// runAsNonRoot reports whether the container is made to run as non-root by
// its own or the pod's security context.
func runAsNonRoot(spec *corev1.PodSpec, c *corev1.Container) bool {
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
		if labels[k] != v {
			return false
		}
	}
	return true
}
