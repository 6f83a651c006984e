package kube

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU002", Name: "container-image-not-pinned", Severity: lint.Warning, Production: lint.Error,
			KubeLinter:  []string{"latest-tag"},
			Differences: "An image named bare as an artifact of the skaffold config above the manifests (`image: web` with `build: {artifacts: [{image: web}]}`) is a placeholder skaffold replaces with the tag it builds, and is not reported.",
			Summary:     "A container image has no tag or uses `latest`.",
			Rationale:   "Every pod restart or new node may pull a different image: replicas run different code and a rollback changes nothing.",
			Fix:         "Use an immutable tag (the git SHA) or a digest: `image: ghcr.io/acme/web:3f2a8b1c`.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainerOrInit(o, func(w *kube.Workload, c kube.Container) {
				img := dockerfile.ParseImage(c.Image)
				if img.Digest == "" && img.Tag == "" && s.BuiltImages()[c.Image] {
					return // a skaffold artifact: skaffold writes the tag it built
				}
				if img.Digest == "" && (img.Tag == "" || img.Tag == "latest") {
					r.AddKube(o, c.At("image"), "%s of %s %s runs %q, which is not pinned", c.Label(), o.Kind, o.Name, c.Image)
				}
			})
		},
	})
}
