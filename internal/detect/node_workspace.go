package detect

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// workspacePattern is one entry of the root's workspace declaration:
// pnpm-workspace.yaml's packages list, or package.json's workspaces
// (an array, or Yarn's {"packages": [...]}), with where it is written.
// Exclude is set for a negated entry ("!**/test/**").
type workspacePattern struct {
	Pattern string
	Exclude bool
	At      Evidence
}

// workspacePatterns reads the root's workspace declaration, pnpm's
// first: a pnpm repository's package.json workspaces, if any, are not
// what pnpm installs.
func (r *repo) workspacePatterns() []workspacePattern {
	var out []workspacePattern
	in := false
	for i, line := range r.read("pnpm-workspace.yaml") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "packages:"):
			in = true
			continue
		case in && line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") && !strings.HasPrefix(t, "-"):
			in = false
		}
		item, ok := strings.CutPrefix(t, "-")
		if !in || !ok {
			continue
		}
		if p, ok := workspaceEntry(item); ok {
			p.At = Evidence{Value: p.Pattern, File: "pnpm-workspace.yaml", Line: i + 1}
			out = append(out, p)
		}
	}
	if out != nil || exists(r.dir, "pnpm-workspace.yaml") {
		return out
	}
	lines := r.read("package.json")
	var pkg struct {
		Workspaces json.RawMessage `json:"workspaces"`
	}
	if json.Unmarshal([]byte(strings.Join(lines, "\n")), &pkg) != nil || len(pkg.Workspaces) == 0 {
		return nil
	}
	var list []string
	if json.Unmarshal(pkg.Workspaces, &list) != nil {
		var yarn struct {
			Packages []string `json:"packages"`
		}
		_ = json.Unmarshal(pkg.Workspaces, &yarn)
		list = yarn.Packages
	}
	for _, item := range list {
		p, ok := workspaceEntry(item)
		if !ok {
			continue
		}
		p.At = Evidence{Value: p.Pattern, File: "package.json"}
		quoted := regexp.MustCompile(`"` + regexp.QuoteMeta(item) + `"`)
		for i, line := range lines {
			if quoted.MatchString(line) {
				p.At.Line = i + 1
				break
			}
		}
		out = append(out, p)
	}
	return out
}

// workspaceEntry reads one entry: quotes, a leading "./", a trailing
// "/" and "/**" (every depth below, read as its first) dropped.
func workspaceEntry(item string) (workspacePattern, bool) {
	p := strings.Trim(strings.TrimSpace(item), `"'`)
	exclude := strings.HasPrefix(p, "!")
	p = strings.TrimPrefix(strings.TrimPrefix(p, "!"), "./")
	p = strings.TrimSuffix(strings.TrimSuffix(p, "/**"), "/")
	if p == "" || p == "." || strings.HasPrefix(p, "..") || strings.HasPrefix(p, "/") {
		return workspacePattern{}, false
	}
	return workspacePattern{Pattern: p, Exclude: exclude}, true
}

// matches reports whether the pattern names dir (slash-separated,
// relative): by name, or as a path.Match pattern ("packages/*").
func (p workspacePattern) matches(dir string) bool {
	m, _ := path.Match(p.Pattern, dir)
	return m || p.Pattern == dir
}

// maxWorkspaceMembers bounds the members read: a monorepo of more is
// installed as the root's lock file says, but init names no more.
const maxWorkspaceMembers = 200

// workspaceMembers are the directories the root's workspace declaration
// names that hold a package.json, sorted, each with the entry that names
// it: the root's install reads their package.json files (cobalt's api/
// depends on its packages/version-info as "workspace:^"; kenyipp's
// apps/local declares dotenv), so an image that copies the root's
// manifests alone installs none of their dependencies. An entry is
// expanded one level ("apps/*"); a negated one takes members out.
func (r *repo) workspaceMembers() []Evidence {
	patterns := r.workspacePatterns()
	var out []Evidence
	seen := map[string]bool{}
	for _, p := range patterns {
		if p.Exclude {
			continue
		}
		matches, _ := filepath.Glob(filepath.Join(r.dir, filepath.FromSlash(p.Pattern)))
		slices.Sort(matches)
		for _, m := range matches {
			rel, err := filepath.Rel(r.dir, m)
			if err != nil {
				continue
			}
			rel = filepath.ToSlash(rel)
			if seen[rel] || !copyablePath.MatchString(rel) || strings.Contains("/"+rel+"/", "/node_modules/") || !isFile(r.dir, path.Join(rel, "package.json")) ||
				slices.ContainsFunc(patterns, func(x workspacePattern) bool { return x.Exclude && x.matches(rel) }) {
				continue
			}
			if st, err := os.Lstat(m); err != nil || !st.IsDir() {
				continue // a link is not a member git holds
			}
			seen[rel] = true
			e := p.At
			e.Value, e.Why = rel, "a member of the root's workspace: the root's install reads its package.json"
			out = append(out, e)
			if len(out) == maxWorkspaceMembers {
				return sortedMembers(out)
			}
		}
	}
	return sortedMembers(out)
}

func sortedMembers(out []Evidence) []Evidence {
	slices.SortStableFunc(out, func(a, b Evidence) int { return strings.Compare(a.Value, b.Value) })
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
			if !copyablePath.MatchString(dir) || seen[dir] || !isDir(r.dir, dir) {
				continue
			}
			seen[dir] = true
			out = append(out, Evidence{Value: dir, File: f, Line: i + 1, Why: "pnpm applies its patches to the dependencies it installs"})
		}
	}
	return out
}

// copyablePath is a relative path a Dockerfile's COPY takes as it is: no
// space, quote, variable or wildcard, no "." or ".." part.
var copyablePath = regexp.MustCompile(`^(?:[\w@+-][\w.@+-]*|\.[\w@+-][\w.@+-]*)(?:/(?:[\w@+-][\w.@+-]*|\.[\w@+-][\w.@+-]*))*$`)

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
