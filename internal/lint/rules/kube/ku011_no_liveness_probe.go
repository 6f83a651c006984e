package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU011", Name: "no-liveness-probe", Severity: lint.Info, Production: lint.Warning,
			KubeLinter: []string{"no-liveness-probe"},
			Summary:    "A long-running container has no liveness probe.",
			Rationale:  "A deadlocked process keeps its pod Running forever; only a liveness probe makes Kubernetes restart it.",
			Fix:        "`livenessProbe: {httpGet: {path: /livez, port: http}, periodSeconds: 10, failureThreshold: 3}` — cheaper than readiness, never checking dependencies.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainer(o, func(w *kube.Workload, c kube.Container) {
				if w.LongRunning() && c.LivenessProbe == nil {
					r.AddKube(o, c.At("livenessProbe"), "%s has no liveness probe", c.Label())
				}
			})
		},
	})
}
