package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF076", Name: "copy-all-without-dockerignore", Severity: lint.Warning,
			Summary: "COPY . copies the whole build context, and the context has no .dockerignore.",
			Rationale: "Without .dockerignore the image gets .git, local virtualenvs, node_modules, test data and .env files; " +
				"builds slow down and secrets leak.",
			Fix:         "Add a .dockerignore next to the build context (`.git`, `.env`, `node_modules`, `__pycache__`, `*.log`, ...), or copy only what you need.",
			Differences: "No hadolint rule. Only judged when the build context is on disk (not for stdin).",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if (in.Keyword != "COPY" && in.Keyword != "ADD") || !r.File().ContextKnown() {
				return
			}
			if _, from := in.Flag("from"); from {
				return
			}
			for _, src := range in.SourcePaths() {
				if isContextRoot(src) && r.Model().DockerIgnore(r.File()) == nil {
					r.Add(in, "%s %s copies the whole context, which has no .dockerignore", in.Keyword, src)
					return
				}
			}
		},
	})
}
