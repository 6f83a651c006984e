package kube

import (
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
			eachContainer(o, func(w *kube.Workload, c kube.Container) {
				if w.LongRunning() && c.ReadinessProbe == nil {
					r.AddKube(o, c.At("readinessProbe"), "%s has no readiness probe", c.Label())
				}
			})
		},
	})
}
