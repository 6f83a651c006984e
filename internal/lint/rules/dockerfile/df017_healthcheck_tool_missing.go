package dockerfile

import (
	"strings"

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
				"`node -e 'fetch(...)'`, or install curl in the final stage.",
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
				if stageHasTool(in.Stage, c.Name) {
					continue
				}
				r.AddCommand(c, "HEALTHCHECK runs %s, but %q does not ship it", c.Name, in.Stage.Root().Name)
				return
			}
		},
	})
}

// stageHasTool reports whether the tool is known to exist in the stage, or
// might: unknown images get the benefit of the doubt.
func stageHasTool(st *df.Stage, tool string) bool {
	root := st.Chain()[len(st.Chain())-1]
	img, ok := baseImage(root)
	if !ok && !root.Image.Scratch() {
		return true
	}
	if root.Image.Scratch() {
		img = root.Image
	}
	curl, wget, known := baseimage.HTTPTools(img)
	if !known || (tool == "curl" && curl) || (tool == "wget" && wget) {
		return true
	}
	if stageInstalls(st, tool) {
		return true
	}
	for _, s := range st.Chain() {
		for _, cp := range s.All("COPY") {
			for _, src := range cp.SourcePaths() {
				if strings.HasSuffix(src, "/"+tool) || src == tool {
					return true
				}
			}
		}
	}
	return false
}
