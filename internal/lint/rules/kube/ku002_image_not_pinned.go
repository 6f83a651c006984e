package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU002", Name: "container-image-not-pinned", Severity: lint.Warning, Production: lint.Error,
			KubeLinter: []string{"latest-tag"},
			Summary:    "A container image has no tag or uses `latest`.",
			Rationale:  "Every pod restart or new node may pull a different image: replicas run different code and a rollback changes nothing.",
			Fix:        "Use an immutable tag (the git SHA) or a digest: `image: ghcr.io/acme/web:3f2a8b1c`.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainer(o, func(w *kube.Workload, i int, c *corev1.Container) {
				img := dockerfile.ParseImage(c.Image)
				if img.Digest == "" && (img.Tag == "" || img.Tag == "latest") {
					r.AddKube(o, w.ContainerAt(i, "image"), "container %s of %s %s runs %q, which is not pinned", c.Name, o.Kind, o.Name, c.Image)
				}
			})
		},
	})
}
