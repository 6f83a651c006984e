// Package caddy parses a Caddyfile into sites and directives with their
// lines. It reads the syntax the Caddyfile adapter reads — tokens, quotes,
// comments, blocks, snippets and imports of snippets — without pulling in
// Caddy itself.
package caddy

import (
	"fmt"
	"strings"

	"github.com/shipshape/shipshape/internal/source/problem"
)

// Directive is one line of a Caddyfile block, with the block it opens.
type Directive struct {
	Name   string
	Args   []string
	Line   int
	Block  []*Directive
	Parent *Directive
	// Comments are the comment lines directly above the directive.
	Comments []string
}

// File is a parsed Caddyfile.
type File struct {
	Path string
	// Global is the global options block, or nil.
	Global *Directive
	// Sites are the site blocks; Name and Args hold the addresses.
	Sites []*Directive
	lines []string
}

// ParseError is a Caddyfile Caddy would refuse.
type ParseError = problem.Error

type token struct {
	text      string
	line      int
	quoted    bool
	lineStart bool // first token on its line
}

// Parse reads a Caddyfile.
func Parse(path string, data []byte) (*File, error) {
	toks, comments, err := tokenize(path, string(data))
	if err != nil {
		return nil, err
	}
	f := &File{Path: path, lines: strings.Split(string(data), "\n")}
	p := &parser{path: path, toks: toks, comments: comments}
	root := &Directive{Name: "root"}
	if err := p.blockBody(root, true); err != nil {
		return nil, err
	}
	snippets := map[string]*Directive{}
	for _, d := range root.Block {
		if strings.HasPrefix(d.Name, "(") && strings.HasSuffix(d.Name, ")") {
			snippets[strings.Trim(d.Name, "()")] = d
		}
	}
	for i, d := range root.Block {
		switch {
		case strings.HasPrefix(d.Name, "(") && strings.HasSuffix(d.Name, ")"):
		case d.Name == "{}" && i == 0:
			f.Global = d
		default:
			expandImports(d, snippets, 0)
			f.Sites = append(f.Sites, d)
		}
	}
	return f, nil
}

// expandImports inlines `import snippet` so that rules see what Caddy runs.
func expandImports(d *Directive, snippets map[string]*Directive, depth int) {
	if depth > 10 {
		return
	}
	var out []*Directive
	for _, c := range d.Block {
		if c.Name == "import" && len(c.Args) > 0 {
			if s, ok := snippets[c.Args[0]]; ok {
				for _, sc := range s.Block {
					cp := *sc
					cp.Parent = d
					out = append(out, &cp)
				}
				continue
			}
		}
		expandImports(c, snippets, depth+1)
		out = append(out, c)
	}
	d.Block = out
}

type parser struct {
	path     string
	toks     []token
	pos      int
	comments map[int]string // line → comment text
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &ParseError{Path: p.path, Line: line, Message: fmt.Sprintf(format, args...)}
}

// blockBody reads directives until the closing brace (or the end at top level).
func (p *parser) blockBody(parent *Directive, top bool) error {
	for p.pos < len(p.toks) {
		t := p.toks[p.pos]
		if t.text == "}" && !t.quoted {
			if top {
				return p.errorf(t.line, "unexpected }")
			}
			p.pos++
			return nil
		}
		d := &Directive{Line: t.line, Parent: parent, Comments: p.commentsAbove(t.line)}
		if t.text == "{" && !t.quoted {
			d.Name = "{}"
		} else {
			d.Name = t.text
			p.pos++
			for p.pos < len(p.toks) && !p.toks[p.pos].lineStart {
				a := p.toks[p.pos]
				if a.text == "{" && !a.quoted {
					break
				}
				d.Args = append(d.Args, a.text)
				p.pos++
			}
			// Site addresses may continue on the next lines, ending in a comma.
			for top && len(d.Args) == 0 && strings.HasSuffix(d.Name, ",") && p.pos < len(p.toks) {
				d.Args = append(d.Args, p.toks[p.pos].text)
				p.pos++
			}
		}
		if p.pos < len(p.toks) && p.toks[p.pos].text == "{" && !p.toks[p.pos].quoted && p.toks[p.pos].line == d.Line {
			p.pos++
			if err := p.blockBody(d, false); err != nil {
				return err
			}
		} else if d.Name == "{}" {
			p.pos++
			if err := p.blockBody(d, false); err != nil {
				return err
			}
		}
		parent.Block = append(parent.Block, d)
	}
	if !top {
		return p.errorf(p.lastLine(), "unclosed { at the end of the file")
	}
	// A Caddyfile with a single site may leave out the braces: the first
	// line is the address, the rest its directives.
	if len(parent.Block) > 1 && parent.Block[0].Block == nil && looksLikeAddress(parent.Block[0].Name) {
		site := parent.Block[0]
		for _, d := range parent.Block[1:] {
			d.Parent = site
			site.Block = append(site.Block, d)
		}
		parent.Block = []*Directive{site}
	}
	return nil
}

func looksLikeAddress(s string) bool {
	return strings.Contains(s, ".") || strings.Contains(s, ":") || strings.HasPrefix(s, "localhost") || strings.HasPrefix(s, "{$")
}

func (p *parser) lastLine() int {
	if len(p.toks) == 0 {
		return 1
	}
	return p.toks[len(p.toks)-1].line
}

func (p *parser) commentsAbove(line int) []string {
	var out []string
	for l := line - 1; l > 0; l-- {
		c, ok := p.comments[l]
		if !ok {
			break
		}
		out = append([]string{c}, out...)
	}
	return out
}

func tokenize(path, src string) ([]token, map[int]string, error) {
	var toks []token
	comments := map[int]string{}
	line := 1
	lineStart := true
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			lineStart = true
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			line++
			i += 2
		case c == '#' && (i == 0 || src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\n'):
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			if lineStart {
				comments[line] = strings.TrimSpace(src[i+1 : i+end])
			}
			i += end
		case c == '"' || c == '`':
			startLine := line
			j := i + 1
			var sb strings.Builder
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\\' && c == '"' && j+1 < len(src) && (src[j+1] == '"' || src[j+1] == '\\') {
					j++
				}
				if src[j] == '\n' {
					line++
				}
				sb.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, nil, &ParseError{Path: path, Line: startLine, Message: "unterminated quoted string"}
			}
			toks = append(toks, token{text: sb.String(), line: startLine, quoted: true, lineStart: lineStart})
			lineStart = false
			i = j + 1
		default:
			j := i
			depth := 0
			for ; j < len(src); j++ {
				ch := src[j]
				if ch == '{' && j > i || ch == '{' && j+1 < len(src) && src[j+1] != ' ' && src[j+1] != '\n' && src[j+1] != '\r' && src[j+1] != '\t' {
					depth++
				} else if ch == '}' && depth > 0 {
					depth--
					continue
				}
				if depth == 0 && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
					break
				}
			}
			toks = append(toks, token{text: src[i:j], line: line, lineStart: lineStart})
			lineStart = false
			i = j
		}
	}
	return toks, comments, nil
}

// Line returns the text of line n.
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	return strings.TrimRight(f.lines[n-1], "\r")
}

// Comments returns every comment line, for file-wide pragmas.
func (f *File) Comments() []string {
	var out []string
	for _, l := range f.lines {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
			out = append(out, strings.TrimSpace(t[1:]))
		}
	}
	return out
}

// Find returns d's directives named name, at any depth of its block
// (route, handle and handle_path blocks nest directives).
func (d *Directive) Find(name string) []*Directive {
	var out []*Directive
	for _, c := range d.Block {
		if c.Name == name {
			out = append(out, c)
		}
		out = append(out, c.Find(name)...)
	}
	return out
}

// AllComments returns the comments above d and above the blocks it is in.
func (d *Directive) AllComments() []string {
	var out []string
	for b := d; b != nil; b = b.Parent {
		out = append(out, b.Comments...)
	}
	return out
}

// Addresses returns a site block's addresses.
func (d *Directive) Addresses() []string {
	var out []string
	for _, a := range append([]string{d.Name}, d.Args...) {
		for _, part := range strings.Split(a, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}
