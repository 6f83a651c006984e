package detect

import (
	"strconv"
	"strings"
	"unicode"
)

// EnvAssignment reads one line of an env file (.env, .env.example,
// viper's app.env) as compose's dotenv parser reads it, the parser init
// --verify's run and compose's env_file use: an optional export, the
// name, =, and the value, which is single-quoted (as it is), double-quoted
// (with \n, \t, \", \\ and \$ read as escapes) or bare (to the end of the
// line or a " #" comment, trailing space dropped). Variables are not
// expanded: this is what the file says, not what a shell would make of
// it. ok is false for a comment, a blank line, a line whose name is not
// an environment variable's, or one with more after a closing quote
// (which compose reads as a second assignment); an unterminated quote (an
// error to compose) gives the rest of the line, as a reader would take
// it. One reader for every file of this shape, so that what init reads
// from an example file is what the run it verifies with is given.
func EnvAssignment(line string) (name, value string, ok bool) {
	s := strings.TrimLeftFunc(line, unicode.IsSpace)
	if rest, found := strings.CutPrefix(s, "export"); found && rest != "" && strings.IndexByte("\t\n\f\r ", rest[0]) >= 0 {
		s = strings.TrimLeftFunc(rest, isBlank)
	}
	name, s, found := strings.Cut(s, "=")
	name = strings.TrimRightFunc(name, unicode.IsSpace)
	if !found || !envName.MatchString(name) {
		return "", "", false
	}
	s = strings.TrimLeftFunc(s, isBlank)
	if s == "" || s[0] != '"' && s[0] != '\'' {
		s, _, _ = strings.Cut(s, " #")
		return name, strings.TrimRightFunc(s, unicode.IsSpace), true
	}
	quote := s[0]
	var b strings.Builder
	escaped := false
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
			if c != quote {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		case c == '\\':
			escaped = true
		case c == quote:
			if rest := strings.TrimLeftFunc(s[i+1:], unicode.IsSpace); rest != "" && rest[0] != '#' {
				return "", "", false // more after the quote: compose reads it as another assignment
			}
			if quote == '"' {
				return name, unescape(b.String()), true
			}
			return name, b.String(), true
		default:
			b.WriteByte(c)
		}
	}
	return name, strings.TrimRightFunc(s[1:], unicode.IsSpace), true
}

// isBlank is a space that does not end a line, as compose's dotenv
// parser has it.
func isBlank(r rune) bool {
	switch r {
	case '\t', '\v', '\f', '\r', ' ', 0x85, 0xA0:
		return true
	}
	return false
}

// unescape reads a double-quoted value's escapes as compose's dotenv
// does: the shell's (\n, \t, \\, \", \a ... \v), \0 and three octal
// digits, and \$ (a literal $); any other backslash stays.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		c := s[i+1]
		switch {
		case c == '$':
			b.WriteByte('$')
			i++
		case strings.IndexByte(`abcfnrtv"\`, c) >= 0:
			if c == 'c' { // compose's pattern takes \c, which Go's unquoting refuses: it stays
				b.WriteString(`\c`)
			} else {
				r, _, _, _ := strconv.UnquoteChar(s[i:i+2], '"')
				b.WriteRune(r)
			}
			i++
		case c == '0':
			j := i + 2
			for j < len(s) && j < i+5 && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if r, _, _, err := strconv.UnquoteChar(`\`+s[i+2:j], '"'); err == nil {
				b.WriteRune(r)
			} else {
				b.WriteString(`\` + s[i+2:j]) // compose drops the 0 of what it could not read
			}
			i = j - 1
		default:
			b.WriteByte('\\')
		}
	}
	return b.String()
}
