package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF048", Name: "pip-cache-left", Severity: lint.Info, Production: lint.Warning,
			Hadolint:  []string{"DL3042"},
			Summary:   "pip install keeps its download cache in the image.",
			Rationale: "pip's cache (~/.cache/pip) duplicates every wheel it installed, often tens of MB, in a layer that ships.",
			Fix:       "Add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or use a cache mount: `RUN --mount=type=cache,target=/root/.cache/pip pip install ...`.",
			Differences: "Silent with a cache mount on the pip cache, with PIP_NO_CACHE_DIR set, and in build stages the final image does not build on; " +
				"hadolint flags all three (its most reported false alarm, with DL3009).",
		},
		Command: func(r *lint.Report, c *df.Command) {
			args, ok := pipInstall(c)
			if !ok || c.Is("uv") || !ships(r.File(), c.Instruction) {
				return
			}
			for _, a := range args {
				if a == "--no-cache-dir" || a == "--no-cache" {
					return
				}
			}
			if envSet(c.Instruction, "PIP_NO_CACHE_DIR") || c.Instruction.HasCacheMount("/root/.cache/pip", "/root/.cache") {
				return
			}
			r.AddCommand(c, "pip install keeps its cache in the image; add --no-cache-dir or a cache mount")
		},
	})
}
