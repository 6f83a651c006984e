package workflow

import (
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"

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
			Differences: "Tags a step takes from another step's outputs (`${{ steps.meta.outputs.tags }}`) are followed to that step.",
			Fix:         "Tag every push with the commit: `tags: ghcr.io/acme/app:${{ github.sha }}`, and deploy that tag.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			steps := stepsInOrder(w)
			for _, s := range steps {
				if !pushes(s) {
					continue
				}
				text := tagText(s, steps, 0)
				if !strings.Contains(text, "github.sha") && !strings.Contains(text, "GITHUB_SHA") && !strings.Contains(text, "type=sha") {
					r.AddLine(s.Pos.Line, s.Pos.Col, "this step pushes an image without a git SHA tag")
				}
			}
		},
	})
}

// tagText is what decides the tags a step pushes: its tags input and
// script, and, through `${{ steps.meta.outputs.tags }}`, the steps whose
// outputs those are (podinfo's metadata-action takes its tag from a step
// that writes sha-${GITHUB_SHA::8}).
func tagText(s *actionlint.Step, steps []*actionlint.Step, depth int) string {
	text := wf.Input(s, "tags") + " " + wf.Run(s)
	if depth > 3 {
		return text
	}
	for _, m := range stepOutput.FindAllStringSubmatch(text, -1) {
		for _, other := range steps {
			if other.ID != nil && other.ID.Value == m[1] && other != s {
				text += " " + tagText(other, steps, depth+1)
			}
		}
	}
	return text
}

var stepOutput = regexp.MustCompile(`steps\.([A-Za-z0-9_-]+)\.outputs`)
