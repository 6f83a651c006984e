package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/baseimage"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF003", Name: "base-image-floating-tag", Severity: lint.Info, Production: lint.Error,
			Summary: "FROM uses a tag that moves, like `python:3.11-slim` or `node:lts`.",
			Rationale: "A tag without the full version is re-pointed on every patch release, so two builds of the same commit " +
				"can ship different interpreters and system libraries (seed 004's production checklist).",
			Fix: "Use the full version tag (`python:3.11.10-slim-bookworm`, `debian:12.8`, `ubuntu:noble-20241118.1`) or a digest, and let a bot raise it.",
			Differences: "No hadolint rule. Tags are judged by their version: three parts (two for debian and postgres) or a date stamp count as exact. " +
				"Images published without version tags (distroless, Chainguard) are left to DF001/DF002, as only a digest pins them.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "FROM" || in.Stage == nil {
				return
			}
			img, ok := baseImage(in.Stage)
			if !ok || img.Tag == "" || img.Tag == "latest" || baseimage.NoVersionTags(img) || baseimage.ExactTag(img) {
				return
			}
			r.Add(in, "base image %q uses the floating tag %q; pin the full release version", img.Name, img.Tag)
		},
	})
}
