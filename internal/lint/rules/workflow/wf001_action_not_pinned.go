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
			ID: "WF001", Name: "action-not-pinned", Severity: lint.Warning, Production: lint.Error,
			Summary: "A step uses an action by tag or branch instead of a full commit SHA.",
			Rationale: "Tags and branches can be moved: whoever controls the action's repository (or steals its credentials, as in the " +
				"tj-actions/changed-files compromise) runs code in your pipeline, with your secrets and your push rights.",
			Fix:         "Pin the commit and keep the tag as a comment: `uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2`; let Dependabot or Renovate raise it.",
			Differences: "Local actions (`./`) and `docker://` images pinned by digest are fine; actions owned by `actions/` and `github/` are flagged too.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			for _, s := range stepsInOrder(w) {
				a, ok := s.Exec.(*actionlint.ExecAction)
				if !ok || a.Uses == nil {
					continue
				}
				uses := a.Uses.Value
				if strings.HasPrefix(uses, "./") || strings.HasPrefix(uses, "docker://") && strings.Contains(uses, "@sha256:") {
					continue
				}
				_, ref, found := strings.Cut(uses, "@")
				if !found || !fullSHA.MatchString(ref) {
					r.AddLine(a.Uses.Pos.Line, a.Uses.Pos.Col, "%s is not pinned to a commit SHA", uses)
				}
			}
		},
	})
}

var fullSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)
