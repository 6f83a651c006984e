package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU006", Name: "privilege-escalation-allowed", Severity: lint.Warning,
			KubeLinter: []string{"privilege-escalation-container"},
			Summary:    "A container does not set `allowPrivilegeEscalation: false`.",
			Rationale:  "Unless disabled, a process can gain more privileges than its parent through setuid binaries: a non-root container can become root.",
			Fix:        "`securityContext: {allowPrivilegeEscalation: false}` on every container.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainer(o, func(w *kube.Workload, i int, c *corev1.Container) {
				if sc := c.SecurityContext; sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
					r.AddKube(o, w.ContainerAt(i, "securityContext", "allowPrivilegeEscalation"), "container %s may escalate privileges", c.Name)
				}
			})
		},
	})
}
