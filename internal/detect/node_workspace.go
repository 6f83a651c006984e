package detect

import (
	"encoding/json"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// workspaceEntries reads the root's workspace declaration
// (project.WorkspaceEntries).
func (r *repo) workspaceEntries() []project.WorkspaceEntry {
	return project.WorkspaceEntries(r.read("pnpm-workspace.yaml"), exists(r.dir, "pnpm-workspace.yaml"), r.read("package.json"))
}

// workspaceMembers are the root's workspace members
// (project.WorkspaceMembers), each with the entry that names it.
func (r *repo) workspaceMembers() []Evidence {
	var out []Evidence
	for _, m := range project.WorkspaceMembers(r.dir, r.workspaceEntries()) {
		out = append(out, Evidence{Value: m.Dir, File: m.Entry.File, Line: m.Entry.Line,
			Why: "a member of the root's workspace: the root's install reads its package.json"})
	}
	return out
}

// pnpmPatches are the directories of the patch files the root's pnpm
// settings apply to dependencies (patchedDependencies, in
// pnpm-workspace.yaml or package.json's pnpm): a frozen install reads
// them, so the install stage copies them.
func (r *repo) pnpmPatches() []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	for _, f := range []string{"pnpm-workspace.yaml", "package.json"} {
		in := false
		for i, line := range r.read(f) {
			if strings.Contains(line, "patchedDependencies") {
				in = true
				continue
			}
			m := patchFile.FindStringSubmatch(line)
			if !in || m == nil {
				continue
			}
			dir := path.Dir(path.Clean(strings.TrimPrefix(m[1], "./")))
			if !project.CopyablePath.MatchString(dir) || seen[dir] || !isDir(r.dir, dir) {
				continue
			}
			seen[dir] = true
			out = append(out, Evidence{Value: dir, File: f, Line: i + 1, Why: "pnpm applies its patches to the dependencies it installs"})
		}
	}
	return out
}

// patchFile is a patch file a patchedDependencies entry names.
var patchFile = regexp.MustCompile(`:\s*['"]?([\w./@+-]+\.patch)['"]?\s*,?\s*$`)

// deployedMember is the workspace member the repository's Dockerfile
// name puts in its image with `pnpm deploy --filter=X DIR` (pnpm's own
// recipe for one member's image: cobalt's --filter=@imput/cobalt-api,
// whose CMD ["node", "src/cobalt"] runs api/src/cobalt.js): X by package
// name or directory. false where it runs no such command.
func (r *repo) deployedMember(name string) (Evidence, bool) {
	f := r.dockerfileParsed(name)
	if f == nil {
		return Evidence{}, false
	}
	members := r.workspaceMembers()
	for _, st := range f.Stages {
		for _, in := range st.All("RUN") {
			for _, seg := range segments(strings.Join(in.Args, " ")) {
				args := words(seg)
				if len(args) < 2 || path.Base(args[0]) != "pnpm" || !slices.Contains(args, "deploy") {
					continue
				}
				for i, a := range args {
					sel, ok := strings.CutPrefix(a, "--filter=")
					if !ok && (a == "--filter" || a == "-F") && i+1 < len(args) {
						sel, ok = args[i+1], true
					}
					if !ok {
						continue
					}
					sel = strings.Trim(sel, `"'`)
					for _, m := range members {
						if m.Value == path.Clean(strings.TrimPrefix(sel, "./")) || r.packageName(m.Value) == sel {
							return Evidence{Value: m.Value, File: name, Line: in.Line,
								Why: "the repository's Dockerfile puts workspace member " + m.Value + " in its image (pnpm deploy --filter=" + sel + ")"}, true
						}
					}
				}
			}
		}
	}
	return Evidence{}, false
}

// packageName is the name in dir's package.json.
func (r *repo) packageName(dir string) string {
	var pkg packageJSON
	_ = json.Unmarshal([]byte(strings.Join(r.read(path.Join(dir, "package.json")), "\n")), &pkg)
	return pkg.Name
}
