package detect

import (
	"encoding/json"
	"path"
	"path/filepath"
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
	if r.members != nil {
		return *r.members
	}
	var out []Evidence
	for _, m := range project.WorkspaceMembers(r.dir, r.workspaceEntries()) {
		out = append(out, Evidence{Value: m.Dir, File: m.Entry.File, Line: m.Entry.Line,
			Why: "a member of the root's workspace: the root's install reads its package.json"})
	}
	r.members = &out
	return out
}

// compilingMember is the workspace member that holds file and compiles
// it with a tsconfig of its own, and a repository of that member; false
// where none does. Its output is the member's (packages/api/dist/index.js,
// from packages/api's outDir and rootDir), not the root's.
func (r *repo) compilingMember(file string) (string, *repo, bool) {
	if r.lang != "node" {
		return "", nil, false
	}
	best := ""
	for _, m := range r.workspaceMembers() {
		// The nearest member that holds it (packages/a/sub before packages/a).
		if strings.HasPrefix(file, m.Value+"/") && len(m.Value) > len(best) &&
			(exists(r.dir, path.Join(m.Value, "tsconfig.json")) || exists(r.dir, path.Join(m.Value, "tsconfig.build.json"))) {
			best = m.Value
		}
	}
	if best == "" {
		return "", nil, false
	}
	return best, r.memberRepo(best), true
}

// inMember makes what a member's repository read of its program the
// root's: the entry under the member's directory, with the arguments
// its command passes.
func (r *repo) inMember(dir string, sub *repo, e Evidence) Evidence {
	e.Value = path.Join(dir, e.Value)
	if sub.programArgs != nil {
		r.programArgs = &startArgs{entry: e.Value, at: sub.programArgs.at, args: sub.programArgs.args, flags: sub.programArgs.flags, member: dir}
	}
	return e
}

// memberRepo is a repository of the workspace member in dir, made once.
func (r *repo) memberRepo(dir string) *repo {
	if r.subs == nil {
		r.subs = map[string]*repo{}
	}
	sub := r.subs[dir]
	if sub == nil {
		sub = &repo{dir: filepath.Join(r.dir, filepath.FromSlash(dir)), lines: map[string][]string{}, lang: "node", members: &[]Evidence{}}
		r.subs[dir] = sub
	}
	return sub
}

// memberScript reads a package manager's command that runs a script of
// one workspace member: npm's -w/--workspace and --prefix, Yarn's
// `workspace NAME` and --cwd, pnpm's --filter/-F and --dir/-C, and
// `lerna run SCRIPT` where one member has that script (or --scope names
// it). The member is named by directory or package name.
func (r *repo) memberScript(tool string, args []string) (Evidence, string, bool) {
	members := r.workspaceMembers()
	if len(members) == 0 {
		return Evidence{}, "", false
	}
	var sel, script string
	var words []string
	valued := map[string]bool{}
	switch tool {
	case "npm":
		valued = map[string]bool{"-w": true, "--workspace": true, "--prefix": true}
	case "yarn":
		valued = map[string]bool{"--cwd": true}
	case "pnpm":
		valued = map[string]bool{"--filter": true, "-F": true, "--dir": true, "-C": true}
	case "lerna":
		valued = map[string]bool{"--scope": true}
	default:
		return Evidence{}, "", false
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, eq := strings.Cut(a, "=")
		switch {
		case valued[name] && eq:
			sel = value
		case valued[a] && i+1 < len(args):
			sel = args[i+1]
			i++
		case strings.HasPrefix(a, "-"):
		default:
			words = append(words, a)
		}
	}
	switch {
	case tool == "yarn" && len(words) >= 2 && words[0] == "workspace":
		sel, words = words[1], words[2:]
	case tool == "lerna":
		if len(words) < 2 || words[0] != "run" {
			return Evidence{}, "", false
		}
		words = words[1:]
	}
	if len(words) > 0 && (words[0] == "run" || words[0] == "run-script") {
		words = words[1:]
	}
	if len(words) == 0 {
		return Evidence{}, "", false
	}
	script = words[0]
	if sel != "" {
		m, ok := r.memberBy(sel)
		return m, script, ok
	}
	var found []Evidence
	for _, m := range members {
		if _, ok := r.memberPackage(m.Value).Scripts[script]; ok && tool == "lerna" {
			found = append(found, m)
		}
	}
	if len(found) == 1 {
		return found[0], script, true
	}
	return Evidence{}, "", false
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
	if !slices.Contains(r.repoDockerfiles(), name) {
		return Evidence{}, false
	}
	f := r.dockerfileParsed(name)
	if f == nil || f.FinalStage() == nil {
		return Evidence{}, false
	}
	type deploy struct {
		member Evidence
		stage  string
		target string
	}
	var deploys []deploy
	for _, st := range f.Stages {
		for _, in := range st.All("RUN") {
			for _, seg := range segments(strings.Join(in.Args, " ")) {
				args := words(seg)
				if len(args) < 2 || path.Base(args[0]) != "pnpm" || !slices.Contains(args, "deploy") {
					continue
				}
				sel, target := "", ""
				for i := 1; i < len(args); i++ {
					a := args[i]
					switch v, ok := strings.CutPrefix(a, "--filter="); {
					case ok:
						sel = v
					case (a == "--filter" || a == "-F") && i+1 < len(args):
						sel = args[i+1]
						i++
					case !strings.HasPrefix(a, "-") && a != "deploy":
						target = a // pnpm deploy's one positional: the directory
					}
				}
				if m, ok := r.memberBy(strings.Trim(sel, `"'`)); ok && target != "" {
					m.File, m.Line = name, in.Line
					m.Why = "the repository's Dockerfile puts workspace member " + m.Value + " in its image (pnpm deploy --filter=" + sel + ")"
					deploys = append(deploys, deploy{member: m, stage: st.Name, target: path.Clean(target)})
				}
			}
		}
	}
	// The deploy whose directory the final stage copies (pnpm's two-app
	// recipe deploys both in one stage): that one alone.
	var found []Evidence
	for _, st := range f.FinalStage().Chain() {
		for _, in := range st.All("COPY") {
			from, ok := in.Flag("from")
			if !ok {
				continue
			}
			for _, src := range in.SourcePaths() {
				for _, d := range deploys {
					if (from == d.stage || d.stage == "") && (path.Clean(src) == d.target || strings.HasPrefix(path.Clean(src), d.target+"/")) &&
						!slices.ContainsFunc(found, func(e Evidence) bool { return e.Value == d.member.Value }) {
						found = append(found, d.member)
					}
				}
			}
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return Evidence{}, false
}

// memberBy is the workspace member a selector names: its directory
// (./apps/api, apps/api) or its package name, pnpm's {dir} and trailing
// ... (its dependencies too) dropped.
func (r *repo) memberBy(sel string) (Evidence, bool) {
	sel = strings.TrimSuffix(strings.Trim(strings.Trim(sel, `"'`), "{}"), "...")
	if sel == "" {
		return Evidence{}, false
	}
	for _, m := range r.workspaceMembers() {
		if m.Value == path.Clean(strings.TrimPrefix(sel, "./")) || r.packageName(m.Value) == sel {
			return m, true
		}
	}
	return Evidence{}, false
}

// packageName is the name in dir's package.json.
func (r *repo) packageName(dir string) string {
	return r.memberPackage(dir).Name
}

// memberPackage is dir's package.json, parsed once.
func (r *repo) memberPackage(dir string) packageJSON {
	if pkg, ok := r.memberPkgs[dir]; ok {
		return pkg
	}
	var pkg packageJSON
	_ = json.Unmarshal([]byte(strings.Join(r.read(path.Join(dir, "package.json")), "\n")), &pkg)
	if r.memberPkgs == nil {
		r.memberPkgs = map[string]packageJSON{}
	}
	r.memberPkgs[dir] = pkg
	return pkg
}

// NodeLockFiles are the lock files of Node's package managers.
var NodeLockFiles = []string{"pnpm-lock.yaml", "yarn.lock", "package-lock.json", "npm-shrinkwrap.json", "bun.lockb", "bun.lock"}

// NoLock reports whether the package manager was chosen by something
// other than its lock file (package.json alone, its packageManager,
// pnpm-workspace.yaml): there is none to hold the install to.
func NoLock(s *Stack) bool {
	pm := s.PackageManager
	return pm != nil && !slices.Contains(NodeLockFiles, path.Base(pm.File))
}
