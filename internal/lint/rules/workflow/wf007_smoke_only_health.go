package workflow

import (
	"github.com/shipshape/shipshape/internal/lint"
	wf "github.com/shipshape/shipshape/internal/source/workflow"
)

func init() {
	register(&lint.WorkflowRule{
		Meta: lint.Meta{
			ID: "WF007", Name: "smoke-only-health", Severity: lint.Warning,
			Summary: "After a deploy the workflow only requests a health endpoint.",
			Rationale: "/healthz answers 200 while the pages are broken: seed 002's smoke test passed on every deploy while the " +
				"site's CSS was blocked as mixed content. A smoke test should load what a user loads.",
			Fix: "Also request a real page and check its content and asset links: `shipshape smoke https://app.example.com/` " +
				"or `curl -fsS https://app.example.com/ | grep -q '<title>'`.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			steps := stepsInOrder(w)
			deployed := false
			var healthOnly []int
			for _, s := range steps {
				if deploys(s) {
					deployed = true
				}
				if !deployed {
					continue
				}
				for _, req := range smokeRequests(s) {
					if !healthPath.MatchString(req) {
						return // something real is requested
					}
					healthOnly = append(healthOnly, s.Pos.Line, s.Pos.Col)
				}
			}
			if len(healthOnly) >= 2 {
				r.AddLine(healthOnly[0], healthOnly[1], "the only check after the deploy is a health endpoint; also load a real page")
			}
		},
	})
}
