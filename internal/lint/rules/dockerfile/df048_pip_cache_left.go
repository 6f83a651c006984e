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
			Differences: "As in hadolint, PIP_NO_CACHE_DIR counts when the RUN sets it (`PIP_NO_CACHE_DIR=1 pip install`, `export PIP_NO_CACHE_DIR=1`) " +
				"or an ENV does, a base stage's ENV included, unless it is 0, false, off or no. Unlike hadolint, silent with a cache mount on the " +
				"pip cache and in build stages the final image does not build on (hadolint's most reported false alarm, with DL3009).",
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
			if v, ok := c.Env["PIP_NO_CACHE_DIR"]; ok {
				if truthy(v) {
					return // the RUN's own value wins over an ENV
				}
			} else if envSet(c.Instruction, "PIP_NO_CACHE_DIR") {
				return
			}
			if c.Instruction.HasCacheMount("/root/.cache/pip", "/root/.cache") {
				return
			}
			r.AddCommand(c, "pip install keeps its cache in the image; add --no-cache-dir or a cache mount")
		},
	})
}
