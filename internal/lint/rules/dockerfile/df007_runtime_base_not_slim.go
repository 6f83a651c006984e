package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/baseimage"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF007", Name: "runtime-base-not-slim", ProductionOnly: true, Production: lint.Error,
			Summary: "The final stage runs on a full language image instead of its slim, alpine or distroless variant.",
			Rationale: "Full images such as `python:3.12` carry compilers, headers and hundreds of packages: 3-5 times the size " +
				"and many times the CVEs of the slim variant, none of it needed at run time (seed 004: 350-450 MB images).",
			Fix: "Build in a full image if you must, then `FROM python:3.12.7-slim-bookworm` (or -alpine, or distroless) for the final stage.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil {
				return
			}
			root := final.Chain()[len(final.Chain())-1]
			img, ok := baseImage(root)
			if !ok || img.Registry != "" || !baseimage.FatImages[img.Short()] || baseimage.SlimVariant(img.Tag) {
				return
			}
			r.Add(final.From, "the final stage runs on the full %q image; use its slim, alpine or distroless variant", img.Name)
		},
	})
}
