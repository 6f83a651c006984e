package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU008", Name: "writable-root-filesystem", Severity: lint.Info, Production: lint.Warning,
			KubeLinter: []string{"no-read-only-root-fs"},
			Summary:    "A container's root filesystem is writable.",
			Rationale:  "An attacker who gets code execution can then drop binaries and change the app in place; a read-only root also catches apps that write where they should not.",
			Fix:        "`readOnlyRootFilesystem: true`, with an emptyDir mounted where the app must write (/tmp, caches).",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainerOrInit(o, func(w *kube.Workload, c kube.Container) {
				if sc := c.SecurityContext; sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
					r.AddKube(o, c.At("securityContext", "readOnlyRootFilesystem"), "%s has a writable root filesystem", c.Label())
				}
			})
		},
	})
}
