package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF004", Name: "untrusted-registry", Severity: lint.Error,
			Hadolint:  []string{"DL3026"},
			Summary:   "FROM pulls from a registry outside `trusted-registries`.",
			Rationale: "Teams that mirror or vet base images need every build to pull only from those registries.",
			Fix:       "Pull the image through a trusted registry, or add the registry to `trusted-registries` in .shipshape.yaml.",
			Differences: "Silent until `trusted-registries` (or hadolint's `trustedRegistries`) is configured. Docker Hub is `docker.io`; " +
				"an entry may name a path such as `ghcr.io/acme`.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			trusted := r.Config().TrustedRegistries
			if in.Keyword != "FROM" || in.Stage == nil || len(trusted) == 0 {
				return
			}
			img, ok := baseImage(in.Stage)
			if !ok {
				return
			}
			registry := img.Registry
			if registry == "" {
				registry = "docker.io"
			}
			full := registry + "/" + img.Repository
			for _, t := range trusted {
				t = strings.TrimSuffix(t, "/")
				if t == "*" || t == registry || strings.HasPrefix(full, t+"/") {
					return
				}
			}
			r.Add(in, "registry %q is not in trusted-registries (%s)", registry, strings.Join(trusted, ", "))
		},
	})
}
