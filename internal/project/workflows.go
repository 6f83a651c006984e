package project

import (
	"path/filepath"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/workflow"
)

// Workflow parses the CI workflow at path, or nil when it cannot be read
// or parsed.
func (m *Model) Workflow(path string) *workflow.Workflow {
	return m.workflows.get(filepath.Clean(path), func() *workflow.Workflow {
		data, err := m.File(path)
		if err != nil {
			return nil
		}
		w, err := workflow.Parse(path, data)
		if err != nil {
			return nil
		}
		return w
	})
}

// WorkflowsAbove returns the CI workflow files (GitHub, Forgejo, Gitea)
// in dir and its parents, up to the repository root or four levels,
// nearest first. Read them with File, or parsed with Workflow: each is read
// once however many directories ask.
func (m *Model) WorkflowsAbove(dir string) []string {
	return m.above.get(filepath.Clean(dir), func() []string {
		var out []string
		bounds.Upward(dir, 4, func(d string) bool {
			for _, wd := range []string{".github/workflows", ".forgejo/workflows", ".gitea/workflows"} {
				at := filepath.Join(d, wd)
				for _, e := range m.Entries(at) {
					p := filepath.Join(at, e.Name())
					if ok, _ := filepath.Match("*.y*ml", e.Name()); !ok {
						continue
					}
					if _, err := m.File(p); err == nil {
						out = append(out, p)
					}
				}
			}
			return false
		})
		return out
	})
}
