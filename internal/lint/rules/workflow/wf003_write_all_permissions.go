package workflow

import (
	"github.com/shipshape/shipshape/internal/lint"
	wf "github.com/shipshape/shipshape/internal/source/workflow"
)

func init() {
	register(&lint.WorkflowRule{
		Meta: lint.Meta{
			ID: "WF003", Name: "write-all-permissions", Severity: lint.Warning, Production: lint.Error,
			Summary:   "The workflow or a job grants `permissions: write-all`.",
			Rationale: "Every step then holds a token that can push to any branch, publish packages and change the repository: the opposite of least privilege.",
			Fix:       "List only what is needed: `permissions: {contents: read, packages: write}`.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			if p := w.AST.Permissions; p != nil && p.All != nil && p.All.Value == "write-all" {
				r.AddLine(p.All.Pos.Line, p.All.Pos.Col, "the workflow grants write-all permissions")
			}
			for _, j := range w.Jobs() {
				if p := j.Permissions; p != nil && p.All != nil && p.All.Value == "write-all" {
					r.AddLine(p.All.Pos.Line, p.All.Pos.Col, "job %s grants write-all permissions", j.ID.Value)
				}
			}
		},
	})
}
