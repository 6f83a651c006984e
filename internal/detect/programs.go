package detect

import (
	"path"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// programs finds the programs the app's code runs by name
// (project.FilePrograms reads each file): in Go the packages of the
// program the image builds (scope; every package when nil), in Node the
// files the entry point loads, in Python and Rust the code outside tests,
// scripts and examples. One entry a program, sorted by name; Value is the
// program, Why the call.
func (r *repo) programs(s *Stack, scope map[string]bool) []Evidence {
	var found []Evidence
	var own map[string]bool
	if s.Language == "node" {
		own = r.runScope(s)
	}
	for _, f := range r.codeFiles() {
		if !langExts[s.Language][path.Ext(f)] {
			continue
		}
		switch s.Language {
		case "go":
			if scope != nil && !scope[path.Dir(f)] || !r.goBuiltWith(f, s.BuildTags) {
				continue // another program's, or another platform's (mem_darwin.go's sysctl)
			}
		case "node":
			if own != nil && !own[f] || own == nil && nodeTestFile(f) {
				continue
			}
		default:
			if project.ToolingFile(f) {
				continue
			}
		}
		found = append(found, project.FilePrograms(r.dir, f, r.read(f), s.Language)...)
	}
	deps := project.DependencyCommands(r.dir)
	var out []Evidence
	for _, e := range project.UniquePrograms(found) {
		if !deps[strings.ToLower(e.Value)] {
			out = append(out, e) // alembic, prisma: a dependency's command, not Debian's
		}
	}
	return out
}
