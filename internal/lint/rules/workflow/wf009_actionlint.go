package workflow

import (
	"github.com/shipshape/shipshape/internal/lint"
	wf "github.com/shipshape/shipshape/internal/source/workflow"
)

func init() {
	register(&lint.WorkflowRule{
		Meta: lint.Meta{
			ID: "WF009", Name: "actionlint", Severity: lint.Warning, Production: lint.Error,
			Summary: "actionlint reports a problem: a syntax or type error, an unknown key, a bad expression, or untrusted input " +
				"(`${{ github.event.issue.title }}`) interpolated into a script.",
			Rationale: "These are workflows that fail at run time, or run attacker-controlled text as shell: actionlint's checks are the standard for them.",
			Differences: "Problems actionlint reports only because a section is written as one expression " +
				"(`strategy: ${{ fromJSON(needs.plan.outputs.strategy) }}`, which GitHub expands at run time) are left out, " +
				"with the matrix properties it then calls undefined.",
			Fix: "Fix what the message says; pass untrusted values through env (`env: TITLE: ${{ github.event.issue.title }}` then `\"$TITLE\"`).",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			for _, p := range w.Problems {
				r.AddLine(max(p.Line, 1), max(p.Column, 1), "%s [%s]", p.Message, p.Kind)
			}
		},
	})
}
