package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/baseimage"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF017", Name: "healthcheck-tool-missing", Severity: lint.Error,
			Summary: "HEALTHCHECK calls curl or wget, which the final image does not have.",
			Rationale: "Slim, alpine, distroless and scratch images lack curl (alpine has only busybox wget). The check then fails " +
				"forever and the container is marked unhealthy, although the app is fine (seed 004 used python instead of curl for this reason).",
			Fix: "Check with what the image has: the app's own binary (`/app healthcheck`), `python -c 'import urllib.request; ...'`, " +
				"`node -e 'fetch(...)'`, or install curl in the final stage; each finding names the one that fits its image.",
			Differences: "No peer has this rule. It knows the tool sets of the common official images and stays silent on images it does not know.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "HEALTHCHECK" || in.Script == nil || in.Stage == nil || in.Stage != r.File().FinalStage() {
				return
			}
			for _, c := range in.Script.Commands {
				if !c.Is("curl", "wget") {
					continue
				}
				if baseimage.StageHas(in.Stage, c.Name) {
					continue
				}
				r.WithFix(healthFix(in.Stage)).AddCommand(c, "HEALTHCHECK runs %s, but %q does not ship it", c.Name, in.Stage.Root().Name)
				return
			}
		},
	})
}
