package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU021", Name: "secret-key-missing", Severity: lint.Error,
			Summary:     "A container reads a key from a Secret defined alongside, and that Secret has no such key.",
			Rationale:   "The pod never starts: it stays in CreateContainerConfigError, and the rollout hangs until its deadline.",
			Fix:         "Add the key to the Secret (data or stringData), or fix the key name in secretKeyRef.",
			Differences: "kube-linter's most requested missing check. Secrets not in the checked manifests (created by hand or by an operator) are not judged.",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			secrets := map[string]map[string]bool{}
			for _, o := range s.Find("Secret") {
				sec, ok := o.Typed.(*corev1.Secret)
				if !ok {
					continue
				}
				keys := map[string]bool{}
				for k := range sec.Data {
					keys[k] = true
				}
				for k := range sec.StringData {
					keys[k] = true
				}
				secrets[sec.Name] = keys
			}
			for _, w := range s.Workloads() {
				for _, c := range w.Containers() {
					for j, env := range c.Env {
						ref := env.ValueFrom
						if ref == nil || ref.SecretKeyRef == nil || ref.SecretKeyRef.Optional != nil && *ref.SecretKeyRef.Optional {
							continue
						}
						keys, defined := secrets[ref.SecretKeyRef.Name]
						if defined && !keys[ref.SecretKeyRef.Key] {
							r.AddKube(w.Object, c.At("env", itoa(j), "valueFrom", "secretKeyRef", "key"),
								"%s reads key %q of Secret %s, which has no such key", c.Label(), ref.SecretKeyRef.Key, ref.SecretKeyRef.Name)
						}
					}
				}
			}
		},
	})
}
