package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU001", Name: "unknown-field", Severity: lint.Error,
			Summary: "A field is not part of the object's API (a typo such as `livenessprobe`, or a field at the wrong level), or is written twice.",
			Rationale: "`kubectl apply` drops unknown fields without a word (or refuses them with server-side validation): the probe, limit or " +
				"security setting the author wrote never takes effect, and nothing says so.",
			Fix:         "Fix the spelling or indentation; `kubectl explain deployment.spec.template.spec.containers` lists the fields.",
			Differences: "kube-linter and kube-score decode leniently and say nothing about unknown fields.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			for _, e := range o.StrictErrors {
				r.AddKube(o, o.At(e.Path...), "%s %s: %s", o.Kind, o.Name, e.Message)
			}
		},
	})
}
