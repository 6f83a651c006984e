package lint

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
)

// ignoreRule is one .gitignore pattern, compiled.
type ignoreRule struct {
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
}

// ignoreFile is the patterns of one .gitignore, relative to its directory.
type ignoreFile struct {
	base  string // slash path of the directory, "" for the walk root
	rules []ignoreRule
}

func parseGitignore(base string, data []byte) *ignoreFile {
	f := &ignoreFile{base: base}
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
		anchored := strings.Contains(line, "/")
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

// match reports whether rel (slash path relative to the walk root) is
// ignored, and whether this file decided it at all.
func (f *ignoreFile) match(rel string, isDir bool) (ignored, decided bool) {
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
