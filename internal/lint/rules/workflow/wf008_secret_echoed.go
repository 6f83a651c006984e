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
			ID: "WF008", Name: "secret-echoed", Severity: lint.Error,
			Summary:     "A run step prints a secret (echo/printf of `${{ secrets.X }}` or of an env var filled from one).",
			Rationale:   "GitHub masks secrets in logs only when they appear verbatim; encoded, split or multi-line values leak, and logs are kept and shared.",
			Fix:         "Pass secrets to tools through env or stdin (`echo \"$TOKEN\" | docker login --password-stdin` is fine); never print them.",
			Differences: "Piping a secret into a command's stdin (`| docker login --password-stdin`) is not flagged.",
		},
		Workflow: func(r *lint.Report, w *wf.Workflow) {
			for _, j := range w.Jobs() {
				for _, s := range j.Steps {
					run, ok := s.Exec.(*actionlint.ExecRun)
					if !ok || run.Run == nil {
						continue
					}
					secretEnv := secretVars(s, j)
					for i, line := range strings.Split(run.Run.Value, "\n") {
						if !printer.MatchString(line) || strings.Contains(line, "|") || strings.Contains(line, ">") {
							continue
						}
						leaked := strings.Contains(line, "secrets.")
						for v := range secretEnv {
							leaked = leaked || strings.Contains(line, "$"+v) || strings.Contains(line, "${"+v)
						}
						if leaked {
							r.AddLine(run.Run.Pos.Line+i+blockOffset(w, run.Run.Pos.Line), 1, "this line prints a secret into the job log")
						}
					}
				}
			}
		},
	})
}

var printer = regexp.MustCompile(`(^|[;&\s])(echo|printf)\s`)

// secretVars returns the env names a step or its job fills from secrets.
func secretVars(s *actionlint.Step, j *actionlint.Job) map[string]bool {
	out := map[string]bool{}
	for _, env := range []*actionlint.Env{s.Env, j.Env} {
		if env == nil {
			continue
		}
		for _, v := range env.Vars {
			if v.Value != nil && strings.Contains(v.Value.Value, "secrets.") {
				out[v.Name.Value] = true
			}
		}
	}
	return out
}

// blockOffset is 1 when the run script is a YAML block scalar (`run: |`),
// whose first line is the one after the key.
func blockOffset(w *wf.Workflow, line int) int {
	t := strings.TrimSpace(w.Line(line))
	if strings.HasSuffix(t, "|") || strings.HasSuffix(t, ">") || strings.HasSuffix(t, "|-") || strings.HasSuffix(t, ">-") {
		return 1
	}
	return 0
}
