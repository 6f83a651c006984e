package detect

import (
	"regexp"
	"strings"
)

// Go builds its connection strings with fmt.Sprintf, the parts given as
// arguments: the format says which part each verb is, and an argument
// that reads a variable (os.Getenv("X"), a wrapper's call, or a local
// variable set from one a few lines up) puts that variable there. Three
// shapes of format, each common in gorm and database/sql code that code
// search finds:
//
//	postgres://%s:%s@%s:%s/%s              a URL
//	%s:%s@tcp(%s:%s)/%s?parseTime=true     go-sql-driver/mysql's DSN
//	host=%s user=%s password=%s dbname=%s  lib/pq's and pgx's keywords
var (
	sprintfFormat = regexp.MustCompile(`\bfmt\.Sprintf\(\s*("(?:[^"\\\n]|\\.)*"|` + "`[^`]*`" + `)\s*,`)
	goIdent       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	dsnRoles      = map[string]string{"host": "host", "hostaddr": "host", "port": "port", "user": "user", "password": "password", "dbname": "name"}
)

// maxCallLines bounds how far a Sprintf call's arguments are followed.
const maxCallLines = 12

// goSprintfParts finds the variables a Go file's Sprintf calls put into a
// database's connection string, with the line each is on.
func goSprintfParts(lines []string, reads map[string]bool) []URLPart {
	var out []URLPart
	for i, line := range lines {
		if !strings.Contains(line, "fmt.Sprintf(") || isComment(line) {
			continue
		}
		call := strings.Join(lines[i:min(len(lines), i+maxCallLines)], "\n")
		m := sprintfFormat.FindStringSubmatchIndex(call)
		if m == nil || m[0] >= len(line) {
			continue
		}
		format := call[m[2]+1 : m[3]-1]
		args, ok := callArgs(call[m[1]:])
		if !ok {
			continue
		}
		names := make([]string, len(args))
		for k, a := range args {
			names[k] = argRead(a, lines[max(0, i-40):i], reads)
		}
		for _, p := range formatParts(format, names, reads) {
			out = append(out, URLPart{Evidence: Evidence{Value: p.name, Line: i + 1, Why: "fmt.Sprintf"}, Role: p.role, Scheme: p.scheme})
		}
	}
	return out
}

type schemePart struct{ name, role, scheme string }

// formatParts reads a Sprintf format whose verbs are given names (the
// variable each argument reads, "" for none).
func formatParts(format string, names []string, reads map[string]bool) []schemePart {
	// Each verb becomes a placeholder templateParts reads: {NAME}, or {}
	// for an argument that reads no variable.
	var b strings.Builder
	verb := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '{' || c == '}' || c == '"' || c == '\'' || c == '`' {
			return nil // a brace of the string itself, or an escaped quote: not a shape read here
		}
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j == len(format) || format[j] == '[' || format[j] == '*' || verb == len(names) {
			return nil // an explicit argument index, a width from the arguments, or too few arguments
		}
		b.WriteString("{" + names[verb] + "}")
		verb++
		i = j
	}
	if verb != len(names) {
		return nil
	}
	t := b.String()
	var out []schemePart
	switch {
	case strings.Contains(t, "://"):
		m := urlTemplate.FindStringSubmatch(t)
		if m == nil || schemeDatabases[m[1]] == "" {
			return nil
		}
		for _, p := range templateParts(m[2]+"\"", reads) {
			out = append(out, schemePart{p.name, p.role, schemeDatabases[m[1]]})
		}
	case strings.Contains(t, "@tcp(") || strings.Contains(t, "@unix("):
		if strings.Contains(t, "@unix(") {
			return nil // a socket, no host
		}
		before, after, _ := strings.Cut(t, "@tcp(")
		addr, rest, ok := strings.Cut(after, ")")
		if !ok {
			return nil
		}
		for _, p := range templateParts(before+"@"+addr+rest+"\"", reads) {
			out = append(out, schemePart{p.name, p.role, "mysql"})
		}
	default:
		for _, kv := range strings.Fields(t) {
			k, v, ok := strings.Cut(kv, "=")
			role := dsnRoles[k]
			if !ok || role == "" || len(v) < 2 || v[0] != '{' || v[len(v)-1] != '}' {
				continue
			}
			if name := v[1 : len(v)-1]; reads[name] && !modeVar.MatchString(name) {
				out = append(out, schemePart{name, role, "postgres"})
			}
		}
		has := func(k string) bool { return strings.Contains(t, k+"=") }
		if !has("dbname") && !(has("user") && (has("host") || has("password"))) {
			return nil // keywords, but not a connection string's: "listening host=%s port=%s", "user=%s logged in"
		}
	}
	return out
}

// callArgs splits the rest of a call (after its first argument's comma)
// into its arguments, up to the closing parenthesis.
func callArgs(rest string) ([]string, bool) {
	var args []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case quote != 0:
			if c == '\\' && quote != '`' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case (c == ')' || c == ']' || c == '}') && depth > 0:
			depth--
		case c == ')':
			if a := strings.TrimSpace(rest[start:i]); a != "" {
				args = append(args, a)
			}
			return args, true
		case c == ',' && depth == 0:
			args = append(args, strings.TrimSpace(rest[start:i]))
			start = i + 1
		}
	}
	return nil, false
}

// argRead is the variable an argument reads: one named in it (a read's
// call, os.Getenv("X") or config.Config("X")), or, for a local variable,
// in the nearest line before that sets it from a read (a default set
// after, `if host == "" { host = "localhost" }`, names none and is passed
// over), in the same function.
func argRead(arg string, before []string, reads map[string]bool) string {
	if n := readIn(arg, reads); n != "" || !goIdent.MatchString(arg) {
		return n
	}
	for k := len(before) - 1; k >= 0; k-- {
		if strings.HasPrefix(before[k], "func ") {
			return "" // another function's variable, or a parameter of this one
		}
		if rhs, ok := assigned(before[k], arg); ok {
			if n := readIn(rhs, reads); n != "" {
				return n
			}
		}
	}
	return ""
}

// assigned returns what line sets the variable name to (`name := ...`,
// `name = ...`, `var name = ...`).
func assigned(line, name string) (string, bool) {
	for i := wordAt(line, name, 0); i >= 0; i = wordAt(line, name, i+len(name)) {
		rest := strings.TrimLeft(line[i+len(name):], " \t")
		rest, ok := strings.CutPrefix(rest, ":=")
		if !ok && strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==") {
			rest, ok = rest[1:], true
		}
		if ok {
			return rest, true
		}
	}
	return "", false
}

// wordAt is where name next stands alone in line from from on (not a part
// of a longer name, nor a field: .name), -1 where it does not.
func wordAt(line, name string, from int) int {
	if name == "" {
		return -1
	}
	for i := from; i <= len(line); {
		j := strings.Index(line[i:], name)
		if j < 0 {
			return -1
		}
		j += i
		end := j + len(name)
		if (j == 0 || !isIdentByte(line[j-1]) && line[j-1] != '.') && (end == len(line) || !isIdentByte(line[end])) {
			return j
		}
		i = end
	}
	return -1
}

func isIdentByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// readIn is the one variable the code reads that an expression names.
func readIn(expr string, reads map[string]bool) string {
	found := ""
	for _, n := range upperName.FindAllString(expr, -1) {
		if reads[n] && n != found {
			if found != "" {
				return "" // two: which one is the part's is not said
			}
			found = n
		}
	}
	return found
}
