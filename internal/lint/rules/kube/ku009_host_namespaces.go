package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU009", Name: "pod-host-namespace", Severity: lint.Error,
			KubeLinter: []string{"host-network", "host-pid", "host-ipc"},
			Summary:    "A pod shares the node's network, PID or IPC namespace.",
			Rationale:  "hostNetwork exposes every port the pod opens on the node and bypasses network policies; hostPID and hostIPC let it see and signal the node's processes.",
			Fix:        "Remove hostNetwork/hostPID/hostIPC; expose the app through a Service.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			w, ok := o.Workload()
			if !ok {
				return
			}
			for field, on := range map[string]bool{"hostNetwork": w.Spec.HostNetwork, "hostPID": w.Spec.HostPID, "hostIPC": w.Spec.HostIPC} {
				if on {
					r.AddKube(o, w.SpecAt(field), "%s %s sets %s", o.Kind, o.Name, field)
				}
			}
		},
	})
}
