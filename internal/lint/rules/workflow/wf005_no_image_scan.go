package workflow

import (
	"github.com/shipshape/shipshape/internal/lint"
	wf "github.com/shipshape/shipshape/internal/source/workflow"
)

func init() {
	register(&lint.WorkflowRule{
		Meta: lint.Meta{
			ID: "WF005", Name: "no-image-scan", Severity: lint.Info, Production: lint.Warning,
			Summary:   "The workflow builds or pushes an image but never scans it for known vulnerabilities.",
			Rationale: "Base images and dependencies collect CVEs every week; without a scan in CI nobody learns that the image going to production carries a critical one.",
			Fix:       "Scan before pushing: `aquasecurity/trivy-action` (or grype, docker scout) with `exit-code: 1` for critical findings.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			steps := stepsInOrder(w)
			for _, s := range steps {
				if scans(s) {
					return
				}
			}
			for _, s := range steps {
				if builds(s) {
					r.AddLine(s.Pos.Line, s.Pos.Col, "this workflow builds an image but never scans it")
					return
				}
			}
		},
	})
}
