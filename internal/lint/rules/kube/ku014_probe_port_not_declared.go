package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU014", Name: "probe-port-not-declared", Severity: lint.Error,
			KubeLinter:  []string{"liveness-port", "readiness-port", "startup-port"},
			Summary:     "A probe checks a port (by name or number) that the container does not declare.",
			Rationale:   "A named port that does not exist makes the probe fail forever; an undeclared number usually means the probe and the app disagree on the port (8000 vs 8080).",
			Fix:         "Declare the port under `ports:` (`- {name: http, containerPort: 8000}`) and probe it by name.",
			Differences: "Numeric ports are only judged when the container declares ports at all.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainer(o, func(w *kube.Workload, c kube.Container) {
				for field, p := range map[string]*corev1.Probe{"livenessProbe": c.LivenessProbe, "readinessProbe": c.ReadinessProbe, "startupProbe": c.StartupProbe} {
					num, name, ok := probePort(p)
					if !ok || name == "" && len(c.Ports) == 0 || declaresPort(c.Container, num, name) {
						continue
					}
					port := name
					if port == "" {
						port = itoa(int(num))
					}
					r.AddKube(o, c.At(field), "the %s of %s checks port %s, which the container does not declare", field, c.Label(), port)
				}
			})
		},
	})
}
