package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU012", Name: "no-readiness-probe", Severity: lint.Warning, Production: lint.Error,
			KubeLinter: []string{"no-readiness-probe"},
			Summary:    "A long-running container has no readiness probe.",
			Rationale:  "Without one, a rolling update sends traffic to pods that are still starting and keeps the old ones only until the new ones merely exist: every deploy drops requests.",
			Fix:        "`readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}`.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainer(o, func(w *kube.Workload, i int, c *corev1.Container) {
				if w.LongRunning() && c.ReadinessProbe == nil {
					r.AddKube(o, w.ContainerAt(i, "readinessProbe"), "container %s has no readiness probe", c.Name)
				}
			})
		},
	})
}
