package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF001", Name: "base-image-untagged", Severity: lint.Warning, Production: lint.Error,
			Hadolint:  []string{"DL3006"},
			Summary:   "FROM names an image without a tag or digest.",
			Rationale: "Without a tag Docker pulls `latest`, so the same Dockerfile builds a different image whenever the upstream moves.",
			Fix:       "Name an exact version tag, e.g. `python:3.12.7-slim-bookworm`, or pin a digest.",
			Differences: "Variables are resolved first: `ARG BASE=python:3.12.7-slim` then `FROM ${BASE}` is tagged; " +
				"an ARG with no default is not judged. hadolint flags any FROM with a variable.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "FROM" || in.Stage == nil {
				return
			}
			img, ok := baseImage(in.Stage)
			if ok && img.Tag == "" && img.Digest == "" {
				r.Add(in, "base image %q has no tag, so it means whatever `latest` is at build time", img.Name)
			}
		},
	})
}
