package workflow

import (
	"github.com/shipshape/shipshape/internal/lint"
	wf "github.com/shipshape/shipshape/internal/source/workflow"
)

func init() {
	register(&lint.WorkflowRule{
		Meta: lint.Meta{
			ID: "WF002", Name: "no-permissions", Severity: lint.Warning,
			Summary: "The workflow does not declare `permissions:`, so its token gets the repository's default (often read-write on everything).",
			Rationale: "A compromised step or action can then push code, create releases or change settings with the workflow's token. " +
				"Least privilege means declaring what each workflow needs.",
			Fix:         "At the top: `permissions: {contents: read}`; grant more per job where needed (`packages: write` for pushing images).",
			Differences: "A workflow whose every job declares its own permissions is fine.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			if w.AST.Permissions != nil {
				return
			}
			for _, j := range w.Jobs() {
				if j.Permissions == nil {
					r.AddLine(j.Pos.Line, j.Pos.Col, "job %s runs with the default token permissions; declare permissions:", j.ID.Value)
				}
			}
		},
	})
}
