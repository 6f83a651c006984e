package workflow

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	wf "github.com/shipshape/shipshape/internal/source/workflow"
)

func init() {
	register(&lint.WorkflowRule{
		Meta: lint.Meta{
			ID: "WF004", Name: "image-without-immutable-tag", Severity: lint.Warning, Production: lint.Error,
			Summary: "A step pushes an image without a tag tied to the commit (the git SHA).",
			Rationale: "Tags like `latest` or `main` are overwritten on the next push: nobody can tell which code a host runs, and a " +
				"rollback has nothing to roll back to (seed 002 pushed `latest` next to the SHA tag, and deployed `latest`).",
			Fix: "Tag every push with the commit: `tags: ghcr.io/acme/app:${{ github.sha }}`, and deploy that tag.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			for _, s := range stepsInOrder(w) {
				if !pushes(s) {
					continue
				}
				text := wf.Input(s, "tags") + " " + wf.Run(s)
				if !strings.Contains(text, "github.sha") && !strings.Contains(text, "GITHUB_SHA") && !strings.Contains(text, "type=sha") {
					r.AddLine(s.Pos.Line, s.Pos.Col, "this step pushes an image without a git SHA tag")
				}
			}
		},
	})
}
