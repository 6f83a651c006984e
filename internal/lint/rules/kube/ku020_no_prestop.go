package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU020", Name: "no-graceful-shutdown", Severity: lint.Info, Production: lint.Warning,
			Summary: "A container behind a Service has no preStop hook to wait for endpoint removal.",
			Rationale: "When a pod is deleted, SIGTERM and the removal from the Service's endpoints happen at the same time: for a few seconds " +
				"proxies still send requests to a process that is shutting down, and they fail on every rollout.",
			Fix: "`lifecycle: {preStop: {sleep: {seconds: 5}}}` (or `exec: {command: [sleep, \"5\"]}`), with terminationGracePeriodSeconds above it plus the app's drain time.",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			services := s.Find("Service")
			for _, w := range s.Workloads() {
				if !w.LongRunning() {
					continue
				}
				served := false
				for _, o := range services {
					if svc, ok := o.Typed.(*corev1.Service); ok && selects(svc.Spec.Selector, w.Labels) {
						served = true
					}
				}
				if !served {
					continue
				}
				for _, c := range w.Containers() {
					if c.Init && !c.Sidecar {
						continue // done before the pod is Ready
					}
					if c.Lifecycle == nil || c.Lifecycle.PreStop == nil {
						r.AddKube(w.Object, c.At("lifecycle"), "%s receives traffic but has no preStop hook, so rollouts drop requests", c.Label())
					}
				}
			}
		},
	})
}
