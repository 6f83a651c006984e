package compose

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/yamlindex"
)

// Project is a loaded Compose project.
type Project struct {
	// Name is the project name compose would use.
	Name string
	// NamePinned is true when a file sets the top-level `name:`.
	NamePinned bool
	// NameInEnvFile is the project's .env when it sets COMPOSE_PROJECT_NAME.
	NameInEnvFile string
	// WorkingDir is the project directory: relative paths start there.
	WorkingDir string
	// Files are the compose files in merge order, base first.
	Files []*File
	// Model is the merged, interpolated project as compose-go builds it.
	Model *types.Project
}

// File is one compose file with its YAML tree.
type File struct {
	Path string
	root *yaml.Node
	// index maps a dotted path (services.web.ports.0) to its node.
	index yamlindex.Index
	lines []string
	// belowRoot is the file's directory relative to the project's root,
	// "" when it is the root or outside it.
	belowRoot string
}

// Pos is where something is written.
type Pos struct {
	File         string
	Line, Column int
	entry        *yamlindex.Entry
	file         *File
}

// Line returns the source text of line n of the file (1-based).
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	return strings.TrimRight(f.lines[n-1], "\r")
}

// Development reports whether the file is for development or tests only:
// its name says so (compose.override.yaml, docker-compose.dev.yml,
// compose.local.yaml), or a directory between the project's root and the
// file is a test one (umami's cypress/docker-compose.yml, uptime-kuma's
// test/manual-test-radius/compose.yaml). The root's own name and the
// directories above it say nothing: a whole project kept in speed-test/ is
// still deployed.
func (f *File) Development() bool {
	base := strings.ToLower(f.Path)
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	for _, marker := range []string{"override", ".dev.", "-dev.", ".development.", ".local.", "-local.", ".test.", ".ci."} {
		if strings.Contains(base, marker) {
			return true
		}
	}
	for _, dir := range strings.Split(filepath.ToSlash(f.belowRoot), "/") {
		if testDir.MatchString(dir) {
			return true
		}
	}
	return false
}

// testDir names a directory that holds a test stack.
var testDir = regexp.MustCompile(`(?i)(^|[-_.])(tests?|e2e|cypress|playwright)($|[-_.])`)

// Locate finds where a path such as ("services", "web", "image") is written,
// in the last file that sets it, as later files override earlier ones.
func (p *Project) Locate(path ...string) (Pos, bool) {
	for i := len(p.Files) - 1; i >= 0; i-- {
		if pos, ok := p.Files[i].Locate(path...); ok {
			return pos, true
		}
	}
	return Pos{}, false
}

// Locate finds where a path is written in this file.
func (f *File) Locate(path ...string) (Pos, bool) {
	e, ok := f.index.Lookup(path...)
	if !ok {
		return Pos{}, false
	}
	n := e.Node()
	return Pos{File: f.Path, Line: n.Line, Column: n.Column, entry: e, file: f}, true
}

// LocateFirst returns the position of the first path that is written,
// falling back to the top of the base file.
func (p *Project) LocateFirst(paths ...[]string) Pos {
	for _, path := range paths {
		if pos, ok := p.Locate(path...); ok {
			return pos
		}
	}
	if len(p.Files) == 0 {
		return Pos{Line: 1, Column: 1}
	}
	return Pos{File: p.Files[0].Path, Line: 1, Column: 1, file: p.Files[0]}
}

// Raw returns the scalar value written at a path before interpolation, e.g.
// "app:${TAG:-latest}".
func (p *Project) Raw(path ...string) (string, bool) {
	pos, ok := p.Locate(path...)
	if !ok || pos.entry.Value == nil || pos.entry.Value.Kind != yaml.ScalarNode {
		return "", false
	}
	return pos.entry.Value.Value, true
}

// Written reports whether the path is written in any file (not only defaulted).
func (p *Project) Written(path ...string) bool {
	_, ok := p.Locate(path...)
	return ok
}

// Items returns the raw nodes of a list or mapping at a path in the last
// file that writes it, with the position of each.
func (p *Project) Items(path ...string) []Item {
	pos, ok := p.Locate(path...)
	if !ok {
		return nil
	}
	return pos.items()
}

// ItemsInEvery returns the raw nodes of a list or mapping at a path in every
// file that writes it, the last file first: labels and environment merge
// across files, so an item may be written in any of them.
func (p *Project) ItemsInEvery(path ...string) []Item {
	var out []Item
	for i := len(p.Files) - 1; i >= 0; i-- {
		if pos, ok := p.Files[i].Locate(path...); ok {
			out = append(out, pos.items()...)
		}
	}
	return out
}

func (pos Pos) items() []Item {
	if pos.entry.Value == nil {
		return nil
	}
	v := pos.entry.Value
	var out []Item
	switch v.Kind {
	case yaml.SequenceNode:
		for _, n := range v.Content {
			out = append(out, Item{Node: n, Pos: Pos{File: pos.File, Line: n.Line, Column: n.Column, entry: &yamlindex.Entry{Value: n, Parent: pos.entry}, file: pos.file}})
		}
	case yaml.MappingNode:
		own := map[string]bool{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			own[v.Content[i].Value] = true
		}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k := v.Content[i]
			if k.Value == "<<" && k.Tag != "!!str" {
				// A merge key brings an anchored mapping's items (penpot's
				// environment: <<: [*penpot-flags, *penpot-secret-key]),
				// each where the anchor writes it; the mapping's own
				// keys win.
				out = append(out, pos.mergedItems(v.Content[i+1], own, map[*yaml.Node]bool{v: true})...)
				continue
			}
			out = append(out, pos.keyItem(k, v.Content[i+1]))
		}
	}
	return out
}

// keyItem is the item of a mapping's key k and its value v, under pos.
func (pos Pos) keyItem(k, v *yaml.Node) Item {
	return Item{Key: k.Value, Node: v, Pos: Pos{File: pos.File, Line: k.Line, Column: k.Column, entry: &yamlindex.Entry{Key: k, Value: v, Parent: pos.entry}, file: pos.file}}
}

// mergedItems are the items a merge key's value brings: an alias of a
// mapping, or a list of them (earlier ones win), themselves merging
// others; own names the keys already set (and those set by earlier
// merges), which it adds to. Each node is read once (seen): a mapping
// merged twice brings nothing more, and nested merges of one anchor (a
// YAML bomb's shape) cost no more than the document's size.
func (pos Pos) mergedItems(n *yaml.Node, own map[string]bool, seen map[*yaml.Node]bool) []Item {
	if n == nil || seen[n] {
		return nil
	}
	seen[n] = true
	switch n.Kind {
	case yaml.AliasNode:
		return pos.mergedItems(n.Alias, own, seen)
	case yaml.SequenceNode:
		var out []Item
		for _, m := range n.Content {
			out = append(out, pos.mergedItems(m, own, seen)...)
		}
		return out
	case yaml.MappingNode:
		var out []Item
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Value == "<<" && k.Tag != "!!str" {
				out = append(out, pos.mergedItems(n.Content[i+1], own, seen)...)
				continue
			}
			if own[k.Value] {
				continue
			}
			own[k.Value] = true
			out = append(out, pos.keyItem(k, n.Content[i+1]))
		}
		return out
	}
	return nil
}

// Item is one element of a list or mapping, as written.
type Item struct {
	// Key is the mapping key, "" for list items.
	Key  string
	Node *yaml.Node
	Pos  Pos
}

// Source returns the text of the line a position is on.
func (pos Pos) Source() string {
	if pos.file == nil {
		return ""
	}
	return pos.file.Line(pos.Line)
}

// Comments returns the comments written on and above the position's key and
// its ancestors, where suppression pragmas live.
func (pos Pos) Comments() []string {
	if pos.entry == nil {
		return nil
	}
	return pos.entry.Comments()
}

// FileComments returns every comment line of every file, for file-wide pragmas.
func (p *Project) FileComments() []string {
	var out []string
	for _, f := range p.Files {
		for _, line := range f.lines {
			t := strings.TrimSpace(line)
			if strings.HasPrefix(t, "#") {
				out = append(out, strings.TrimSpace(t[1:]))
			}
		}
	}
	return out
}

// Service returns the merged configuration of a service.
func (p *Project) Service(name string) (types.ServiceConfig, bool) {
	if p.Model == nil {
		return types.ServiceConfig{}, false
	}
	s, ok := p.Model.Services[name]
	return s, ok
}

// BuildContext returns the build context of a service on disk, or "" for a
// service that uses a ready image or builds from a remote context.
func (p *Project) BuildContext(s types.ServiceConfig) string {
	if s.Build == nil {
		return ""
	}
	ctx := s.Build.Context
	if ctx == "" {
		ctx = "."
	}
	if strings.Contains(ctx, "://") {
		return ""
	}
	if !filepath.IsAbs(ctx) {
		ctx = filepath.Join(p.WorkingDir, ctx)
	}
	return ctx
}

// BuildFile says which Dockerfile a service is built from and how: its
// path, build context and target; false when the service uses a ready
// image or builds from a remote context.
func (p *Project) BuildFile(s types.ServiceConfig) (dockerfile.Options, bool) {
	ctx := p.BuildContext(s)
	if ctx == "" {
		return dockerfile.Options{}, false
	}
	name := s.Build.Dockerfile
	if name == "" {
		name = "Dockerfile"
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(ctx, name)
	}
	return dockerfile.Options{Path: path, ContextDir: ctx, Target: s.Build.Target}, true
}

// IsBuildContext reports whether a bind-mount source written relative to the
// project is the directory a service's image is built from: its source.
func (p *Project) IsBuildContext(s types.ServiceConfig, src string) bool {
	ctx := p.BuildContext(s)
	if ctx == "" || !strings.HasPrefix(src, ".") {
		return false
	}
	return filepath.Clean(ctx) == filepath.Join(p.WorkingDir, src)
}
