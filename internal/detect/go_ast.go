package detect

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
)

// goParsed is one Go file as the readers of Go code share it.
type goParsed struct {
	file *ast.File // nil when the file could not be read or parsed
	bad  bool      // read, but not Go the parser accepts
}

// goFile is the Go file f (relative to the repository), parsed once per
// repository and shared by every reader of Go code (routes, listen ports,
// flags, struct tags, option tables), with positions in r.goFset. It is
// nil, and bad false, for a file read refuses (too large, unreadable,
// empty), and nil with bad true for one that does not parse.
func (r *repo) goFile(f string) (file *ast.File, bad bool) {
	if p, ok := r.goASTs[f]; ok {
		return p.file, p.bad
	}
	if r.goASTs == nil {
		r.goASTs = map[string]goParsed{}
	}
	var p goParsed
	if lines := r.read(f); lines != nil {
		parsed, err := parser.ParseFile(r.goFset(), f, strings.Join(lines, "\n"), parser.SkipObjectResolution)
		if err != nil {
			p.bad = true
		} else {
			p.file = parsed
		}
	}
	r.goASTs[f] = p
	return p.file, p.bad
}

// goFset holds the positions of every file goFile parsed.
func (r *repo) goFset() *token.FileSet {
	if r.fset == nil {
		r.fset = token.NewFileSet()
	}
	return r.fset
}

// goGeneratedMark is the comment that marks a generated Go file
// (https://go.dev/s/generatedcode), before its package clause.
var goGeneratedMark = regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`)

// goGenerated reports whether a Go file's lines say a program wrote it.
func goGenerated(lines []string) bool {
	for _, line := range lines {
		if strings.HasPrefix(line, "package ") {
			return false
		}
		if goGeneratedMark.MatchString(line) {
			return true
		}
	}
	return false
}
