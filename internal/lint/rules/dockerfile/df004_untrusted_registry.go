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
			Summary:   "FROM, COPY --from or RUN --mount=from= pulls from a registry outside `trusted-registries`.",
			Rationale: "Teams that mirror or vet base images need every build to pull only from those registries.",
			Fix:       "Pull the image through a trusted registry, or add the registry to `trusted-registries` in .shipshape.yaml.",
			Differences: "Silent until `trusted-registries` (or hadolint's `trustedRegistries`) is configured. Docker Hub is `docker.io`; " +
				"an entry may name a path such as `ghcr.io/acme` or a wildcard such as `*.example.com` (as in hadolint).",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			trusted := r.Config().TrustedRegistries
			if in.Stage == nil || len(trusted) == 0 {
				return
			}
			for _, img := range pulledImages(r.File(), in) {
				if img.Scratch() || img.Repository == "" {
					continue
				}
				registry := img.Registry
				if registry == "" {
					registry = "docker.io"
				}
				if !trustedRegistry(trusted, registry, registry+"/"+img.Repository) {
					r.Add(in, "registry %q is not in trusted-registries (%s)", registry, strings.Join(trusted, ", "))
					return
				}
			}
		},
	})
}

// pulledImages returns the images an instruction pulls: a FROM's base, and
// the images COPY --from and RUN --mount=from= name instead of a stage.
func pulledImages(f *df.File, in *df.Instruction) []df.Image {
	switch in.Keyword {
	case "FROM":
		if img, ok := baseImage(in.Stage); ok {
			return []df.Image{img}
		}
	case "COPY":
		if from, ok := in.Flag("from"); ok && isImageRef(f, from) {
			return []df.Image{df.ParseImage(from)}
		}
	case "RUN":
		var out []df.Image
		for _, m := range in.Mounts() {
			if m.From != "" && isImageRef(f, m.From) {
				out = append(out, df.ParseImage(m.From))
			}
		}
		return out
	}
	return nil
}

// isImageRef reports whether a --from names an image rather than a stage
// (by name or index) or a build context variable.
func isImageRef(f *df.File, from string) bool {
	if f.StageByName(from) != nil || strings.HasPrefix(from, "$") {
		return false
	}
	for _, ch := range from {
		if ch < '0' || ch > '9' {
			return true
		}
	}
	return false // a stage index
}

// trustedRegistry matches a registry against trusted-registries: an exact
// host, a *.example.com wildcard, a path prefix such as ghcr.io/acme, or *.
func trustedRegistry(trusted []string, registry, full string) bool {
	for _, t := range trusted {
		t = strings.TrimSuffix(t, "/")
		switch {
		case t == "*" || t == registry || strings.HasPrefix(full, t+"/"):
			return true
		case strings.HasPrefix(t, "*.") && strings.HasSuffix(registry, t[1:]):
			return true
		}
	}
	return false
}
