package workflow

import (
	"regexp"

	"github.com/rhysd/actionlint"

	"github.com/shipshape/shipshape/internal/lint"
	wf "github.com/shipshape/shipshape/internal/source/workflow"
)

func init() {
	register(&lint.WorkflowRule{
		Meta: lint.Meta{
			ID: "WF006", Name: "deploy-without-smoke", Severity: lint.Warning,
			Summary:   "The workflow deploys but never checks that the deployed app answers.",
			Rationale: "A deploy that reports success while the app crash-loops, or serves a blank page, is found by users instead of by CI.",
			Differences: "Installs into a cluster the job itself creates (kind, k3d, minikube) and `docker compose up` on a GitHub-hosted " +
				"runner are tests on a throwaway target, not deploys.",
			Fix: "After the deploy, request real pages: `shipshape smoke https://app.example.com` or `curl -fsS https://app.example.com/ | grep -q '<title>'`.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			steps := stepsInOrder(w)
			for _, j := range w.Jobs() {
				for i, s := range j.Steps {
					if !deploys(s) || throwaway(j, i) {
						continue
					}
					if !checkedAfter(s, steps) {
						r.AddLine(s.Pos.Line, s.Pos.Col, "this step deploys, and nothing afterwards checks that the app answers")
					}
				}
			}
		},
	})
}

// checkedAfter reports whether the deploy step, or a step after it in the
// workflow, checks the app: an HTTP request, or a step named as a smoke or
// end-to-end test (microservices-demo's "Smoke Test" reads the load
// generator's error count).
func checkedAfter(deploy *actionlint.Step, steps []*actionlint.Step) bool {
	after := false
	for _, s := range steps {
		after = after || s == deploy
		if after && (len(smokeRequests(s)) > 0 || s.Name != nil && smokeName.MatchString(s.Name.Value)) {
			return true
		}
	}
	return false
}

var smokeName = regexp.MustCompile(`(?i)\b(smoke|e2e|end[- ]to[- ]end|acceptance)\b`)
