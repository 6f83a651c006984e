package kube

import (
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
			eachContainerOrInit(o, func(w *kube.Workload, c kube.Container) {
				if sc := c.SecurityContext; sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
					r.AddKube(o, c.At("securityContext", "allowPrivilegeEscalation"), "%s may escalate privileges", c.Label())
				}
			})
		},
	})
}
