package workflow

import (
	"github.com/shipshape/shipshape/internal/lint"
	wf "github.com/shipshape/shipshape/internal/source/workflow"
)

func init() {
	register(&lint.WorkflowRule{
		Meta: lint.Meta{
			ID: "WF006", Name: "deploy-without-smoke", Severity: lint.Warning,
			Summary:   "The workflow deploys but never checks that the deployed app answers.",
			Rationale: "A deploy that reports success while the app crash-loops, or serves a blank page, is found by users instead of by CI.",
			Fix:       "After the deploy, request real pages: `shipshape smoke https://app.example.com` or `curl -fsS https://app.example.com/ | grep -q '<title>'`.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			steps := stepsInOrder(w)
			for i, s := range steps {
				if !deploys(s) {
					continue
				}
				checked := len(smokeRequests(s)) > 0
				for _, later := range steps[i+1:] {
					checked = checked || len(smokeRequests(later)) > 0
				}
				if !checked {
					r.AddLine(s.Pos.Line, s.Pos.Col, "this step deploys, and nothing afterwards checks that the app answers")
				}
			}
		},
	})
}
