package kube

import (
	"path"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU010", Name: "sensitive-host-mount", Severity: lint.Error,
			KubeLinter: []string{"docker-sock", "sensitive-host-mounts"},
			Summary:    "A pod mounts a sensitive node path: the container runtime socket, /, /etc, /proc, /sys, /var/lib/kubelet.",
			Rationale:  "These mounts hand the node to the pod: the runtime socket starts privileged containers, /etc and /var/lib/kubelet hold credentials.",
			Fix:        "Remove the hostPath volume; use a ConfigMap, Secret, emptyDir or a PersistentVolumeClaim.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			w, ok := o.Workload()
			if !ok {
				return
			}
			for i, v := range w.Spec.Volumes {
				if v.HostPath == nil {
					continue
				}
				p := path.Clean(v.HostPath.Path)
				switch p {
				case "/", "/etc", "/proc", "/sys", "/boot", "/root", "/var/lib/kubelet", "/var/lib/docker", "/var/run", "/run",
					"/var/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/docker.sock":
					r.AddKube(o, w.SpecAt("volumes", itoa(i), "hostPath", "path"), "%s %s mounts the node's %s", o.Kind, o.Name, p)
				}
			}
		},
	})
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
