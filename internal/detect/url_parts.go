package detect

import (
	"path"
	"regexp"
	"strings"
)

// A URLPart is a variable the code puts into one part of a database's
// connection URL it builds itself: FrancescoXX/study-with-me-fastify-
// docker's `postgres://${process.env.POSTGRES_USER}:${process.env.
// POSTGRES_PASSWORD}@${process.env.POSTGRES_SERVICE}:...`, whose host is
// POSTGRES_SERVICE, a name no list of host variables has. Role is host,
// port, user, password or name (the database's); Scheme is the
// database's (postgres, mysql, mongodb, redis).
type URLPart struct {
	Evidence
	Role   string
	Scheme string
}

// urlTemplate is a connection URL's start in a template literal or an
// f-string: the scheme and what follows it.
var urlTemplate = regexp.MustCompile(`\b([a-z]+)(?:\+[a-z0-9]+)?://(.*)`)

// upperName is a variable's name inside a placeholder's expression.
var upperName = regexp.MustCompile(`[A-Z][A-Z0-9_]*[A-Z0-9]`)

// urlParts finds the URLs the app's code builds from variables it reads,
// in template literals (`${process.env.X}`), Python f-strings
// (`{os.environ['X']}`, `{settings.X}`) and Go's fmt.Sprintf
// (url_parts_go.go), and says which part each variable is. Test, development and seed files do not configure the
// deployed app.
func (r *repo) urlParts(s *Stack) []URLPart {
	reads := map[string]bool{}
	for _, e := range s.Env {
		reads[e.Value] = true
	}
	if len(reads) == 0 {
		return nil
	}
	exts := langExts[s.Language]
	var out []URLPart
	seen := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !exts[path.Ext(f)] || devPath(f) {
			continue
		}
		lines := r.read(f)
		if s.Language == "go" {
			for _, p := range goSprintfParts(lines, reads) {
				if !seen[p.Value] {
					seen[p.Value] = true
					p.File = f
					out = append(out, p)
				}
			}
			continue
		}
		for i, line := range lines {
			if !strings.Contains(line, "://") || !strings.Contains(line, "{") || isComment(line) {
				continue
			}
			for _, m := range urlTemplate.FindAllStringSubmatch(line, -1) {
				scheme := schemeDatabases[m[1]]
				if scheme == "" {
					continue
				}
				for _, p := range templateParts(m[2], reads) {
					if seen[p.name] {
						continue
					}
					seen[p.name] = true
					out = append(out, URLPart{Evidence: Evidence{Value: p.name, File: f, Line: i + 1, Why: m[1] + "://"}, Role: p.role, Scheme: scheme})
				}
			}
		}
	}
	return out
}

type templatePart struct{ name, role string }

// A urlToken is a literal character of a URL template, or a placeholder
// (text "") and the variable it names ("" for none).
type urlToken struct{ text, name string }

// A urlSection is one part of a URL template: its role and its tokens.
type urlSection struct {
	role string
	toks []urlToken
}

// modeVar is a variable that selects a mode, never a part of a URL
// (postgres://.../app_${process.env.NODE_ENV}).
var modeVar = regexp.MustCompile(`^(?:NODE_ENV|ENV|ENVIRONMENT|APP_ENV|STAGE|GO_ENV|FLASK_ENV|RAILS_ENV)$`)

// templateParts reads a URL template after its scheme, up to the end of
// its string: [user[:password]@]host[:port][/name][?query], each part
// literals and placeholders (${...} or {...}). A placeholder holds a part
// only when it is the whole part and names a variable the code reads
// (reads); a part built of a literal and a placeholder (/app_${...}) says
// nothing of the variable.
func templateParts(rest string, reads map[string]bool) []templatePart {
	var toks []urlToken
	for i := 0; i < len(rest); {
		c := rest[i]
		if c == '"' || c == '\'' || c == '`' {
			break // the string's end
		}
		start := i
		if c == '$' && i+1 < len(rest) && rest[i+1] == '{' {
			i++
		}
		if rest[i] != '{' {
			toks = append(toks, urlToken{text: string(c)})
			i = start + 1
			continue
		}
		end := strings.IndexByte(rest[i:], '}')
		if end < 0 {
			break
		}
		expr := rest[i+1 : i+end]
		name := ""
		for _, n := range upperName.FindAllString(expr, -1) {
			if reads[n] {
				name = n
				break
			}
		}
		toks = append(toks, urlToken{name: name})
		i += end + 1
	}
	// The part each token is in, by the separators before it.
	at := -1
	for i, t := range toks {
		if t.text == "@" {
			at = i
		}
		if t.text == "/" || t.text == "?" {
			break
		}
	}
	sections := []urlSection{{role: "host"}}
	if at >= 0 {
		sections[0].role = "user"
	}
scan:
	for i, t := range toks {
		role := sections[len(sections)-1].role
		switch {
		case i == at:
			sections = append(sections, urlSection{role: "host"})
		case t.text == ":" && role == "user":
			sections = append(sections, urlSection{role: "password"})
		case t.text == ":" && role == "host":
			sections = append(sections, urlSection{role: "port"})
		case t.text == "/" && (role == "host" || role == "port"):
			sections = append(sections, urlSection{role: "name"})
		case t.text == "?" || t.text == "/":
			break scan
		default:
			sections[len(sections)-1].toks = append(sections[len(sections)-1].toks, t)
		}
	}
	var out []templatePart
	for _, sec := range sections {
		if len(sec.toks) == 1 && sec.toks[0].text == "" && sec.toks[0].name != "" && !modeVar.MatchString(sec.toks[0].name) {
			out = append(out, templatePart{sec.toks[0].name, sec.role})
		}
	}
	return out
}
