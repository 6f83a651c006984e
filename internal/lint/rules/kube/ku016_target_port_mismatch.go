package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU016", Name: "service-target-port-mismatch", Severity: lint.Error,
			KubeLinter:  []string{"invalid-target-ports"},
			Summary:     "A Service's targetPort matches no containerPort of the pods it selects.",
			Rationale:   "Traffic goes to a port nothing listens on: every request fails with connection refused, although pods are Ready.",
			Fix:         "Point targetPort at the container's port, ideally by name: `targetPort: http` with `ports: [{name: http, containerPort: 8000}]`.",
			Differences: "Judged only when the selected containers declare ports.",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			for _, o := range s.Find("Service") {
				svc, ok := o.Typed.(*corev1.Service)
				if !ok {
					continue
				}
				var containers []*corev1.Container
				for _, w := range s.Workloads() {
					if selects(svc.Spec.Selector, w.Labels) {
						for _, c := range w.Containers() {
							if !c.Init || c.Sidecar {
								containers = append(containers, c.Container)
							}
						}
					}
				}
				declared := false
				for _, c := range containers {
					declared = declared || len(c.Ports) > 0
				}
				if !declared {
					continue
				}
				for i, p := range svc.Spec.Ports {
					num, name := p.TargetPort.IntVal, p.TargetPort.StrVal
					if num == 0 && name == "" {
						num = p.Port
					}
					found := false
					for _, c := range containers {
						found = found || declaresPort(c, num, name)
					}
					if !found {
						r.AddKube(o, o.At("spec", "ports", itoa(i), "targetPort"), "Service %s sends port %d to %s, which no selected container declares", o.Name, p.Port, p.TargetPort.String())
					}
				}
			}
		},
	})
}
