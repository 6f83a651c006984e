package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF002", Name: "base-image-latest", Severity: lint.Warning, Production: lint.Error,
			Hadolint:    []string{"DL3007"},
			Summary:     "FROM uses the `latest` tag.",
			Rationale:   "`latest` moves with every upstream release: builds stop being reproducible and a rebuild can pull a new major version.",
			Fix:         "Pin an exact version tag such as `node:24.22.3-bookworm-slim`.",
			Differences: "A `latest` tag with a digest (`img:latest@sha256:...`) is pinned by the digest and not flagged, as in hadolint.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "FROM" || in.Stage == nil {
				return
			}
			if img, ok := baseImage(in.Stage); ok && img.Tag == "latest" && img.Digest == "" {
				r.Add(in, "base image %q uses the moving `latest` tag", img.Name)
			}
		},
	})
}
