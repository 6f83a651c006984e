// Package workflow loads GitHub Actions and Forgejo/Gitea Actions workflow
// files with actionlint's parser, keeping positions, and runs actionlint's
// own checks (expression types, script injection, unknown keys).
package workflow

import (
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/source/problem"

	"github.com/rhysd/actionlint"
)

// Workflow is one parsed workflow file.
type Workflow struct {
	Path string
	AST  *actionlint.Workflow
	// Problems are what actionlint's own checks report.
	Problems []*actionlint.Error
	lines    []string
}

// ParseError is a workflow that cannot be read as YAML or as a workflow.
type ParseError = problem.Error

// Parse reads a workflow. Syntax errors that leave no usable workflow are a
// ParseError; everything else actionlint says is kept in Problems.
func Parse(path string, data []byte) (*Workflow, error) {
	w := &Workflow{Path: path, lines: strings.Split(string(data), "\n")}
	ast, errs := actionlint.Parse(data)
	if ast == nil || len(errs) > 0 && isFatal(errs) {
		e := firstError(errs)
		return nil, &ParseError{Path: path, Line: max(e.Line, 1), Message: e.Message}
	}
	w.AST = ast
	linter, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err == nil {
		problems, _ := linter.Lint("<stdin>", data, nil)
		forgejo := !strings.Contains(filepath.ToSlash(path), ".github/workflows")
		dynamic := w.expressionSections(problems)
		for _, p := range problems {
			// Forgejo and Gitea runners carry labels of their own choosing.
			if forgejo && p.Kind == "runner-label" {
				continue
			}
			if dynamic.covers(p) {
				continue
			}
			w.Problems = append(w.Problems, p)
		}
	}
	sort.Slice(w.Problems, func(i, j int) bool { return w.Problems[i].Line < w.Problems[j].Line })
	return w, nil
}

// expressionSections are the sections a workflow writes as one expression
// (`strategy: ${{ fromJSON(needs.init.outputs.strategy) }}`), which GitHub
// expands at run time. actionlint reads them as a scalar where it wants a
// mapping and reports it, then reports every matrix property the job uses
// as undefined: nextcloud/docker's images.yml, which runs, got 12 problems.
type expressionSections struct {
	lines map[int]bool
	// jobs are the line ranges of jobs whose strategy is an expression.
	jobs [][2]int
}

func (w *Workflow) expressionSections(problems []*actionlint.Error) expressionSections {
	out := expressionSections{lines: map[int]bool{}}
	jobs := w.Jobs()
	for _, p := range problems {
		if p.Kind != "syntax-check" || !strings.Contains(p.Message, "is scalar node but mapping node is expected") || !wholeExpression.MatchString(w.Line(p.Line)) {
			continue
		}
		out.lines[p.Line] = true
		if !strings.Contains(p.Message, `"strategy"`) {
			continue
		}
		for i, j := range jobs {
			end := len(w.lines) + 1
			if i+1 < len(jobs) {
				end = jobs[i+1].Pos.Line
			}
			if j.Pos.Line <= p.Line && p.Line < end {
				out.jobs = append(out.jobs, [2]int{j.Pos.Line, end})
			}
		}
	}
	return out
}

// covers reports whether a problem comes only from a section written as
// an expression.
func (e expressionSections) covers(p *actionlint.Error) bool {
	if e.lines[p.Line] {
		return true
	}
	if p.Kind != "expression" || !untypedMatrix.MatchString(p.Message) {
		return false
	}
	for _, r := range e.jobs {
		if r[0] <= p.Line && p.Line < r[1] {
			return true
		}
	}
	return false
}

var (
	wholeExpression = regexp.MustCompile(`:\s*["']?\$\{\{.*\}\}["']?\s*$`)
	untypedMatrix   = regexp.MustCompile(`^property "[^"]+" is not defined in object type \{\}$`)
)

func firstError(errs []*actionlint.Error) *actionlint.Error {
	if len(errs) == 0 {
		return &actionlint.Error{Message: "not a workflow", Line: 1}
	}
	return errs[0]
}

// isFatal reports whether parsing failed at the YAML level, leaving nothing to judge.
func isFatal(errs []*actionlint.Error) bool {
	for _, e := range errs {
		if e.Kind == "syntax-check" && strings.Contains(e.Message, "could not parse as YAML") {
			return true
		}
	}
	return false
}

// Line returns the text of line n.
func (w *Workflow) Line(n int) string {
	if n < 1 || n > len(w.lines) {
		return ""
	}
	return strings.TrimRight(w.lines[n-1], "\r")
}

// CommentsAt returns the comment on line n and the comment lines directly
// above it, where suppression pragmas live.
func (w *Workflow) CommentsAt(n int) []string {
	var out []string
	if i := strings.Index(w.Line(n), " #"); i >= 0 {
		out = append(out, strings.TrimSpace(w.Line(n)[i+2:]))
	}
	for l := n - 1; l >= 1; l-- {
		t := strings.TrimSpace(w.Line(l))
		if !strings.HasPrefix(t, "#") {
			break
		}
		out = append(out, strings.TrimSpace(t[1:]))
	}
	return out
}

// Comments returns every comment line, for file-wide pragmas.
func (w *Workflow) Comments() []string {
	var out []string
	for _, l := range w.lines {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
			out = append(out, strings.TrimSpace(t[1:]))
		}
	}
	return out
}

// Jobs returns the jobs sorted by their position in the file.
func (w *Workflow) Jobs() []*actionlint.Job {
	out := make([]*actionlint.Job, 0, len(w.AST.Jobs))
	for _, j := range w.AST.Jobs {
		out = append(out, j)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos.Line < out[j].Pos.Line })
	return out
}

// Uses returns the action a step runs ("actions/checkout@v4"), or "".
func Uses(s *actionlint.Step) string {
	if a, ok := s.Exec.(*actionlint.ExecAction); ok && a.Uses != nil {
		return a.Uses.Value
	}
	return ""
}

// Run returns the script a step runs, or "".
func Run(s *actionlint.Step) string {
	if r, ok := s.Exec.(*actionlint.ExecRun); ok && r.Run != nil {
		return r.Run.Value
	}
	return ""
}

// Input returns an input of an action step (`with:`), or "".
func Input(s *actionlint.Step, name string) string {
	if a, ok := s.Exec.(*actionlint.ExecAction); ok {
		if in, ok := a.Inputs[strings.ToLower(name)]; ok && in.Value != nil {
			return in.Value.Value
		}
	}
	return ""
}
