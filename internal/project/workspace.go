package project

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
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
	if len(pnpm) > 0 {
		pnpm[0] = strings.TrimPrefix(pnpm[0], "\uFEFF")
	}
	if len(packageJSON) > 0 {
		packageJSON[0] = strings.TrimPrefix(packageJSON[0], "\uFEFF")
	}
	if hasPnpm {
		return pnpmEntries(strings.Join(pnpm, "\n"))
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
	var out []WorkspaceEntry
	for _, item := range list {
		line := 0
		for i, l := range packageJSON {
			// The entry as a JSON string, after the workspaces key.
			if strings.Contains(l, `"`+item+`"`) && (line == 0 || i+1 > line) && workspacesAbove(packageJSON, i) {
				line = i + 1
				break
			}
		}
		for _, e := range workspaceEntries(item) {
			e.File, e.Line = "package.json", line
			out = append(out, e)
		}
	}
	return out
}

// workspacesAbove reports whether package.json's "workspaces" key is on
// line i or above it: an entry's line is looked for after it, not at a
// "name" that says the same.
func workspacesAbove(lines []string, i int) bool {
	for j := i; j >= 0; j-- {
		if strings.Contains(lines[j], `"workspaces"`) {
			return true
		}
	}
	return false
}

// pnpmEntries reads pnpm-workspace.yaml's packages list, as YAML (flow or
// block style, comments, quotes), each entry with its line; none where
// the file does not parse (pnpm refuses it too).
func pnpmEntries(text string) []WorkspaceEntry {
	var doc yaml.Node
	if yaml.Unmarshal([]byte(text), &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	m := doc.Content[0]
	var out []WorkspaceEntry
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "packages" || m.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range m.Content[i+1].Content {
			if item.Kind != yaml.ScalarNode {
				continue
			}
			for _, e := range workspaceEntries(item.Value) {
				e.File, e.Line = "pnpm-workspace.yaml", item.Line
				out = append(out, e)
			}
		}
	}
	return out
}

// workspaceEntries reads one entry, a brace list ({apps,packages}/*)
// expanded.
func workspaceEntries(item string) []WorkspaceEntry {
	var out []WorkspaceEntry
	for _, alt := range braceExpand(item) {
		if e, ok := workspaceEntry(alt); ok {
			out = append(out, e)
		}
	}
	return out
}

// braceExpand expands the first {a,b} of a glob (one list, not nested).
func braceExpand(s string) []string {
	open := strings.IndexByte(s, '{')
	end := strings.IndexByte(s, '}')
	if open < 0 || end < open {
		return []string{s}
	}
	var out []string
	for _, alt := range strings.Split(s[open+1:end], ",") {
		out = append(out, s[:open]+alt+s[end+1:])
	}
	return out
}

// workspaceEntry reads one entry: quotes, a leading "./" and a trailing
// "/" dropped; a trailing "/**" or "/**/*" (every depth below) sets Deep.
func workspaceEntry(item string) (WorkspaceEntry, bool) {
	p := strings.Trim(strings.TrimSpace(item), `"'`)
	exclude := strings.HasPrefix(p, "!")
	p = strings.TrimPrefix(strings.Trim(strings.TrimPrefix(p, "!"), `"'`), "./")
	p = strings.TrimSuffix(p, "/")
	deep := false
	for _, suffix := range []string{"/**/*", "/**"} { // packages/**/* is packages/**
		if cut, ok := strings.CutSuffix(p, suffix); ok {
			p, deep = cut, true
			break
		}
	}
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

// CopyablePath is a relative path a Dockerfile's COPY (and a shell's rm)
// takes as it is: no space, quote, variable or wildcard, no "." or ".."
// part, no part that starts with "-" (an option to rm).
var CopyablePath = regexp.MustCompile(`^(?:[\w@+][\w.@+-]*|\.[\w@+-][\w.@+-]*)(?:/(?:[\w@+][\w.@+-]*|\.[\w@+-][\w.@+-]*))*$`)
