package project

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// A WorkspaceEntry is one entry of a Node root's workspace declaration:
// pnpm-workspace.yaml's packages list, or package.json's workspaces (an
// array, or Yarn's {"packages": [...]}), with where it is written.
// Exclude is set for a negated entry ("!**/test/**").
type WorkspaceEntry struct {
	Pattern string
	Exclude bool
	// Deep is set for an entry that ended in "/**": the directories
	// below Pattern at any depth (read to two levels).
	Deep bool
	File string
	Line int
}

// WorkspaceEntries reads a root's workspace declaration from the lines of
// its pnpm-workspace.yaml (nil where there is none) and its package.json,
// pnpm's first: a pnpm repository's package.json workspaces, if any, are
// not what pnpm installs.
func WorkspaceEntries(pnpm []string, hasPnpm bool, packageJSON []string) []WorkspaceEntry {
	var out []WorkspaceEntry
	in := false
	for i, line := range pnpm {
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
		if e, ok := workspaceEntry(item); ok {
			e.File, e.Line = "pnpm-workspace.yaml", i+1
			out = append(out, e)
		}
	}
	if out != nil || hasPnpm {
		return out
	}
	var pkg struct {
		Workspaces json.RawMessage `json:"workspaces"`
	}
	if json.Unmarshal([]byte(strings.Join(packageJSON, "\n")), &pkg) != nil || len(pkg.Workspaces) == 0 {
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
		e, ok := workspaceEntry(item)
		if !ok {
			continue
		}
		e.File = "package.json"
		quoted := `"` + item + `"`
		for i, line := range packageJSON {
			if strings.Contains(line, quoted) {
				e.Line = i + 1
				break
			}
		}
		out = append(out, e)
	}
	return out
}

// workspaceEntry reads one entry: quotes, a leading "./" and a trailing
// "/" dropped; a trailing "/**" (every depth below) sets Deep.
func workspaceEntry(item string) (WorkspaceEntry, bool) {
	p := strings.Trim(strings.TrimSpace(item), `"'`)
	exclude := strings.HasPrefix(p, "!")
	p = strings.TrimPrefix(strings.Trim(strings.TrimPrefix(p, "!"), `"'`), "./")
	p, deep := strings.CutSuffix(strings.TrimSuffix(p, "/"), "/**")
	p = strings.TrimSuffix(p, "/")
	if p == "" || p == "." || strings.HasPrefix(p, "..") || strings.HasPrefix(p, "/") {
		return WorkspaceEntry{}, false
	}
	return WorkspaceEntry{Pattern: p, Exclude: exclude, Deep: deep}, true
}

// Matches reports whether the entry names dir (slash-separated,
// relative): by name, or as a path.Match pattern ("packages/*"), or, for
// a Deep entry, a directory below one it names.
func (e WorkspaceEntry) Matches(dir string) bool {
	for _, p := range e.patterns() {
		if m, _ := path.Match(p, dir); m || p == dir {
			return true
		}
	}
	return false
}

// patterns are the entry's path.Match patterns: a Deep one's to two
// levels below it.
func (e WorkspaceEntry) patterns() []string {
	if e.Deep {
		return []string{e.Pattern, e.Pattern + "/*", e.Pattern + "/*/*"}
	}
	return []string{e.Pattern}
}

// A WorkspaceMember is a directory a workspace entry names that holds a
// package.json.
type WorkspaceMember struct {
	Dir   string // relative, slash-separated
	Entry WorkspaceEntry
}

// MaxWorkspaceMembers bounds the members read: a monorepo of more is
// installed as the root's lock file says, but none past it are named.
const MaxWorkspaceMembers = 200

// WorkspaceMembers are the directories under root the entries name that
// hold a package.json, sorted: the root's install reads their
// package.json files (cobalt's api/ depends on its packages/version-info
// as "workspace:^"; kenyipp's apps/local declares dotenv). An entry is
// expanded one level ("apps/*"); a negated one takes members out; a
// link, node_modules and a path a Dockerfile's COPY could not take as it
// is are left out.
func WorkspaceMembers(root string, entries []WorkspaceEntry) []WorkspaceMember {
	var out []WorkspaceMember
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Exclude {
			continue
		}
		var matches []string
		for _, p := range e.patterns() {
			m, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(p)))
			matches = append(matches, m...)
		}
		slices.Sort(matches)
		for _, m := range matches {
			rel, err := filepath.Rel(root, m)
			if err != nil {
				continue
			}
			rel = filepath.ToSlash(rel)
			if seen[rel] || !CopyablePath.MatchString(rel) || strings.Contains("/"+rel+"/", "/node_modules/") ||
				slices.ContainsFunc(entries, func(x WorkspaceEntry) bool { return x.Exclude && x.Matches(rel) }) {
				continue
			}
			if st, err := os.Lstat(m); err != nil || !st.IsDir() {
				continue // a link is not a member git holds
			}
			if st, err := os.Stat(filepath.Join(m, "package.json")); err != nil || !st.Mode().IsRegular() {
				continue
			}
			seen[rel] = true
			out = append(out, WorkspaceMember{Dir: rel, Entry: e})
			if len(out) == MaxWorkspaceMembers {
				break
			}
		}
		if len(out) == MaxWorkspaceMembers {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b WorkspaceMember) int { return strings.Compare(a.Dir, b.Dir) })
	return out
}

// Workspace reads root's workspace declaration, each file once and
// within bounds, and lists its members; pnpmFile reports whether root
// holds a pnpm-workspace.yaml (its settings matter to pnpm without
// members).
func (m *Model) Workspace(root string) (members []WorkspaceMember, pnpmFile bool) {
	f := m.file(filepath.Join(root, "pnpm-workspace.yaml"))
	pnpmFile = f.err == nil
	return WorkspaceMembers(root, WorkspaceEntries(f.lines, pnpmFile, m.file(filepath.Join(root, "package.json")).lines)), pnpmFile
}

// CopyablePath is a relative path a Dockerfile's COPY takes as it is: no
// space, quote, variable or wildcard, no "." or ".." part.
var CopyablePath = regexp.MustCompile(`^(?:[\w@+-][\w.@+-]*|\.[\w@+-][\w.@+-]*)(?:/(?:[\w@+-][\w.@+-]*|\.[\w@+-][\w.@+-]*))*$`)
