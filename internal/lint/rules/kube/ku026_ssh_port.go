package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU026", Name: "ssh-port", Severity: lint.Warning,
			KubeLinter: []string{"ssh-port"},
			Summary:    "A container exposes port 22.",
			Rationale:  "An SSH server in a pod is a way in that bypasses RBAC and audit logs; `kubectl exec` does the job.",
			Fix:        "Remove the SSH server and the port.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainer(o, func(w *kube.Workload, c kube.Container) {
				for j, p := range c.Ports {
					if p.ContainerPort == 22 {
						r.AddKube(o, c.At("ports", itoa(j)), "%s exposes SSH on port 22", c.Label())
					}
				}
			})
		},
	})
}
