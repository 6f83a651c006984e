// Package ignorefile reads .gitignore and .dockerignore patterns and
// matches slash paths against them.
package ignorefile

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
)

// Syntax says how patterns without a slash are anchored.
type Syntax int

const (
	// Gitignore patterns without a slash match at any depth.
	Gitignore Syntax = iota
	// Dockerignore patterns are always relative to the context root.
	Dockerignore
)

// ignoreRule is one pattern, compiled.
type ignoreRule struct {
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
}

// List is the patterns of one ignore file, relative to its directory.
type List struct {
	base  string // slash path of the directory, "" for the walk root
	rules []ignoreRule
}

// Parse reads ignore-file content; base is the slash path of the file's
// directory relative to the walk root ("" for the root).
func Parse(base string, data []byte, syntax Syntax) *List {
	f := &List{base: base}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var r ignoreRule
		if strings.HasPrefix(line, "!") {
			r.negate = true
			line = line[1:]
		}
		line = strings.TrimPrefix(line, `\`)
		if strings.HasSuffix(line, "/") {
			r.dirOnly = true
			line = strings.TrimRight(line, "/")
		}
		anchored := syntax == Dockerignore || strings.Contains(line, "/")
		if syntax == Dockerignore {
			line = strings.TrimPrefix(line, "./")
		}
		line = strings.TrimPrefix(line, "/")
		if line == "" {
			continue
		}
		re, err := regexp.Compile(globRegexp(line, anchored))
		if err != nil {
			continue
		}
		r.re = re
		f.rules = append(f.rules, r)
	}
	return f
}

// globRegexp turns a gitignore glob into a regexp over slash paths relative
// to the .gitignore's directory.
func globRegexp(glob string, anchored bool) string {
	var sb strings.Builder
	if anchored {
		sb.WriteString("^")
	} else {
		sb.WriteString("^(?:.*/)?")
	}
	for i := 0; i < len(glob); i++ {
		ch := glob[i]
		switch {
		case strings.HasPrefix(glob[i:], "**/"):
			sb.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(glob[i:], "/**/"):
			sb.WriteString("/(?:.*/)?")
			i += 3
		case strings.HasPrefix(glob[i:], "/**"):
			sb.WriteString("/.*")
			i += 2
		case strings.HasPrefix(glob[i:], "**"):
			sb.WriteString(".*")
			i++
		case ch == '*':
			sb.WriteString("[^/]*")
		case ch == '?':
			sb.WriteString("[^/]")
		case ch == '[':
			j := strings.IndexByte(glob[i:], ']')
			if j < 0 {
				sb.WriteString(`\[`)
				continue
			}
			class := glob[i+1 : i+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			sb.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j
		case ch == '\\' && i+1 < len(glob):
			i++
			sb.WriteString(regexp.QuoteMeta(string(glob[i])))
		default:
			sb.WriteString(regexp.QuoteMeta(string(ch)))
		}
	}
	sb.WriteString("$")
	return sb.String()
}

// Match reports whether rel (a slash path relative to the walk root) is
// ignored, and whether this list has a say about it at all.
func (f *List) Match(rel string, isDir bool) (ignored, decided bool) {
	if f.base != "" {
		if !strings.HasPrefix(rel, f.base+"/") {
			return false, false
		}
		rel = rel[len(f.base)+1:]
	}
	for i := len(f.rules) - 1; i >= 0; i-- {
		r := f.rules[i]
		if r.dirOnly && !isDir {
			continue
		}
		if r.re.MatchString(rel) {
			return !r.negate, true
		}
	}
	return false, false
}

// Stack is the ignore files met on the way down a tree, root first.
type Stack []*List

// Ignored applies the lists from the deepest to the root; the deepest one
// that has a say decides.
func (s Stack) Ignored(rel string, isDir bool) bool {
	for i := len(s) - 1; i >= 0; i-- {
		if ignored, decided := s[i].Match(rel, isDir); decided {
			return ignored
		}
	}
	return false
}
