// Package nginx loads an nginx configuration with nginx-go-crossplane,
// follows its includes, and gives rules a tree of directives that knows the
// file and line of each and how nginx inherits settings between blocks.
package nginx

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/problem"

	crossplane "github.com/nginxinc/nginx-go-crossplane"
)

// Directive is one directive with the block it opens, if any.
type Directive struct {
	Name   string
	Args   []string
	File   string
	Line   int
	Block  []*Directive
	Parent *Directive
	// Comments are the comment texts directly above the directive.
	Comments []string
	// Unresolved marks an include of a file the project does not hold (the
	// image's mime.types, proxy_params, conf.d): what it sets is unknown.
	Unresolved bool
}

// Config is a parsed nginx configuration with its includes inlined.
type Config struct {
	// Path is the file parsing started from.
	Path string
	// Root holds the top-level directives (the main context).
	Root *Directive
	// Files are every file read, for their comments and lines.
	Files map[string][]string
}

// LoadError is a configuration nginx would refuse.
type LoadError = problem.Error

// Options say where the configuration comes from.
type Options struct {
	// Contents replaces the disk content of files (stdin, tests).
	Contents map[string][]byte
}

// Load parses path and the files it includes.
//
// An include names a path inside the image nginx runs in, not in the
// project: `include /etc/nginx/mime.types` is the image's own file, and
// `include /etc/nginx/conf.d/app.conf` is usually the project's app.conf,
// copied there by the Dockerfile or a compose mount. So an include is read
// from the project where the project holds it (relative to the config's
// directory, or an absolute path's tail found there, as COPY keeps the tail:
// /etc/nginx/conf.d/app.conf is tried as conf.d/app.conf, then app.conf), and
// anything else is taken as the image's: it stays in the tree as an include
// directive nobody could read (see Directive.Unresolved), never a load error,
// and the host's own /etc is never read, so a check gives the same answer
// on every machine.
func Load(path string, opts Options) (*Config, error) {
	cfg := &Config{Path: path, Files: map[string][]string{}}
	r := resolver{dir: filepath.Dir(path), contents: opts.Contents, main: path, found: map[string]string{}, image: map[string]bool{}}
	open := func(p string) (io.ReadCloser, error) {
		at, ok := r.file(p)
		if !ok {
			r.image[p] = true
			return io.NopCloser(bytes.NewReader(nil)), nil
		}
		data, ok := opts.Contents[at]
		if !ok {
			var err error
			if data, err = bounds.ReadFile(at); err != nil {
				return nil, err
			}
		}
		r.found[p] = at
		cfg.Files[at] = strings.Split(string(data), "\n")
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	payload, err := crossplane.Parse(path, &crossplane.ParseOptions{
		Open:                      open,
		Glob:                      r.glob,
		ParseComments:             true,
		SkipDirectiveContextCheck: true, // conf.d fragments hold server blocks without http
		StopParsingOnError:        true,
	})
	if err != nil {
		le := toLoadError(path, err)
		le.Path = r.projectPath(le.Path)
		return nil, le
	}
	if len(payload.Errors) > 0 {
		e := payload.Errors[0]
		le := &LoadError{Path: r.projectPath(e.File), Line: 1, Message: e.Error.Error()}
		if e.Line != nil {
			le.Line = *e.Line
		}
		return nil, toLoadError(le.Path, le)
	}
	if len(payload.Config) == 0 {
		return nil, &LoadError{Path: path, Line: 1, Message: "nothing parsed"}
	}
	cfg.Root = &Directive{Name: "main", File: path}
	b := builder{payload: payload, including: map[int]bool{0: true}, files: &r}
	cfg.Root.Block = b.block(payload.Config[0].Parsed, payload.Config[0].File, cfg.Root)
	return cfg, nil
}

// resolver decides where an included path is: a file of the project, or
// the image's.
type resolver struct {
	dir, main string
	contents  map[string][]byte
	// found maps an include as crossplane names it to the project file read.
	found map[string]string
	// image holds the includes the project does not have.
	image map[string]bool
}

// file returns the project file an include names, or false for the image's.
func (r *resolver) file(p string) (string, bool) {
	for _, c := range r.candidates(p) {
		if _, ok := r.contents[c]; ok {
			return c, true
		}
		if st, err := os.Stat(c); err == nil && st.Mode().IsRegular() {
			return c, true
		}
	}
	return "", false
}

// candidates are the project paths an include may be: itself when it is in
// the project (crossplane has joined a relative include to the config's
// directory), else each tail of an absolute path under the config's
// directory, longest first.
func (r *resolver) candidates(p string) []string {
	if p == r.main || !filepath.IsAbs(p) || r.inProject(p) {
		return []string{p}
	}
	parts := strings.Split(strings.TrimPrefix(filepath.ToSlash(p), "/"), "/")
	out := make([]string, 0, len(parts))
	for i := range parts {
		out = append(out, filepath.Join(r.dir, filepath.FromSlash(strings.Join(parts[i:], "/"))))
	}
	return out
}

func (r *resolver) inProject(p string) bool {
	dir := filepath.Clean(r.dir)
	return filepath.IsAbs(dir) && strings.HasPrefix(filepath.Clean(p), dir+string(filepath.Separator))
}

// glob matches an include pattern in the project. A pattern's tail keeps
// at least its directory (conf.d/*.conf): a bare *.conf beside the config
// would take in nginx.conf itself and every other config of the project.
func (r *resolver) glob(pattern string) ([]string, error) {
	cands := r.candidates(pattern)
	if len(cands) > 1 {
		cands = cands[:len(cands)-1]
	}
	for _, c := range cands {
		matches, err := filepath.Glob(c)
		if err != nil {
			return nil, err
		}
		var files []string
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() && m != r.main {
				files = append(files, m)
			}
		}
		if len(files) > 0 {
			return files, nil
		}
	}
	return nil, nil
}

// projectPath names an included file by the project file it was read from.
func (r *resolver) projectPath(p string) string {
	if at, ok := r.found[p]; ok {
		return at
	}
	return p
}

func toLoadError(path string, err error) *LoadError {
	var le *LoadError
	if errors.As(err, &le) {
		return le
	}
	var pe *crossplane.ParseError
	if errors.As(err, &pe) {
		out := &LoadError{Path: path, Line: 1, Message: err.Error()}
		if pe.File != nil {
			out.Path = *pe.File
		}
		if pe.Line != nil {
			out.Line = *pe.Line
		}
		out.Message = strings.TrimSpace(strings.TrimSuffix(pe.What, ""))
		return out
	}
	return &LoadError{Path: path, Line: 1, Message: err.Error()}
}

type builder struct {
	payload   *crossplane.Payload
	including map[int]bool // files on the include path, against include loops
	files     *resolver
}

// readable reports whether an include took in files of the project.
func (b *builder) readable(includes []int) bool {
	for _, idx := range includes {
		if idx >= 0 && idx < len(b.payload.Config) && !b.files.image[b.payload.Config[idx].File] {
			return true
		}
	}
	return false
}

func (b *builder) block(ds crossplane.Directives, file string, parent *Directive) []*Directive {
	var out []*Directive
	var comments []string
	for _, d := range ds {
		if d.Directive == "#" {
			if d.Comment != nil {
				comments = append(comments, strings.TrimSpace(*d.Comment))
			}
			continue
		}
		if d.Directive == "include" && b.readable(d.Includes) {
			for _, idx := range d.Includes {
				if idx < 0 || idx >= len(b.payload.Config) || b.including[idx] {
					continue
				}
				b.including[idx] = true
				inc := b.payload.Config[idx]
				out = append(out, b.block(inc.Parsed, b.files.projectPath(inc.File), parent)...)
				delete(b.including, idx)
			}
			comments = nil
			continue
		}
		n := &Directive{Name: d.Directive, Args: d.Args, File: file, Line: d.Line, Parent: parent, Comments: comments,
			Unresolved: d.Directive == "include"}
		comments = nil
		if d.IsBlock() {
			n.Block = b.block(d.Block, file, n)
		}
		out = append(out, n)
	}
	return out
}

// Line returns the text of a line of a file that was read.
func (c *Config) Line(file string, n int) string {
	lines := c.Files[file]
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r")
}

// Comments returns every comment line of every file read, for file-wide pragmas.
func (c *Config) Comments() []string {
	var out []string
	for _, lines := range c.Files {
		for _, l := range lines {
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
				out = append(out, strings.TrimSpace(t[1:]))
			}
		}
	}
	return out
}

// Walk calls fn for every directive, depth first.
func (c *Config) Walk(fn func(*Directive)) {
	var walk func([]*Directive)
	walk = func(ds []*Directive) {
		for _, d := range ds {
			fn(d)
			walk(d.Block)
		}
	}
	walk(c.Root.Block)
}

// IsServer reports whether d is a virtual server block (not the `server`
// line of an upstream).
func (d *Directive) IsServer() bool {
	return d.Name == "server" && (d.Parent == nil || d.Parent.Name != "upstream")
}

// Find returns the directives named name in d's own block.
func (d *Directive) Find(name string) []*Directive {
	var out []*Directive
	for _, c := range d.Block {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// Effective returns the directives named name that apply in d's block: its
// own, or, when it has none, those of the nearest enclosing block that has
// some. This is how nginx inherits array directives such as add_header and
// proxy_set_header, and scalar ones such as proxy_read_timeout.
func (d *Directive) Effective(name string) []*Directive {
	for b := d; b != nil; b = b.Parent {
		if found := b.Find(name); len(found) > 0 {
			return found
		}
	}
	return nil
}

// EffectiveValue returns the first argument of the effective directive, or "".
func (d *Directive) EffectiveValue(name string) string {
	if ds := d.Effective(name); len(ds) > 0 && len(ds[0].Args) > 0 {
		return ds[0].Args[len(ds[0].Args)-1]
	}
	return ""
}

// Enclosing returns the nearest enclosing block of a kind (server, http).
func (d *Directive) Enclosing(name string) *Directive {
	for b := d.Parent; b != nil; b = b.Parent {
		if b.Name == name {
			return b
		}
	}
	return nil
}

// AllComments returns the comments above the directive and its enclosing blocks.
func (d *Directive) AllComments() []string {
	var out []string
	for b := d; b != nil; b = b.Parent {
		out = append(out, b.Comments...)
	}
	return out
}
