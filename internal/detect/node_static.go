package detect

import (
	"path"
	"regexp"
	"strings"
)

var (
	// nodeStaticMount is a static directory served at the root:
	// app.use(express.static(dir)), app.use(serveStatic(dir, {...})). A
	// mount under a path (app.use('/static', express.static(...))) does not
	// serve /.
	nodeStaticMount = regexp.MustCompile(`\.use\(\s*(?:express\.static|serveStatic)\(\s*(.+?)\s*(?:,\s*\{(.*)\})?\s*\)\s*\)`)
	// nodeStaticDir is the directory: a string (relative to the working
	// directory), __dirname + '/static', path.join(__dirname, 'public').
	nodeStaticCwd     = regexp.MustCompile(`^['"]([\w./-]+)['"]$`)
	nodeStaticConcat  = regexp.MustCompile(`^__dirname\s*\+\s*['"]([\w./-]+)['"]$`)
	nodeStaticJoin    = regexp.MustCompile(`^(?:path\.)?(?:join|resolve)\(\s*__dirname\s*,\s*(.+)\)$`)
	nodeStaticNoIndex = regexp.MustCompile(`\bindex\s*:\s*false\b`)
)

// nodeStaticIndex is GET / where the app serves a static directory at the
// root and that directory holds index.html (docker/getting-started-app:
// app.use(express.static(__dirname + '/static')) with src/static/index.html):
// a file served without a database or a session. A directory named from
// __dirname counts in JavaScript sources only; a TypeScript file's
// __dirname is its compiled copy's, where the directory may not be.
func (r *repo) nodeStaticIndex(s *Stack) []route {
	var out []route
	for _, f := range r.codeFiles() {
		if !langExts["node"][path.Ext(f)] {
			continue
		}
		for i, line := range r.read(f) {
			if !strings.Contains(line, "static") || isComment(line) {
				continue
			}
			m := nodeStaticMount.FindStringSubmatch(line)
			if m == nil || nodeStaticNoIndex.MatchString(m[2]) {
				continue
			}
			dir, ok := r.nodeStaticDir(f, m[1])
			// The front end the image builds into it has its index.html
			// once built (mern-tutorial's frontend/build, which git does
			// not hold).
			built := s.Frontend != nil && s.Frontend.Out == dir
			if !ok || r.read(path.Join(dir, "index.html")) == nil && !built {
				continue
			}
			out = append(out, route{Evidence: Evidence{Value: "/", File: f, Line: i + 1,
				Why: "the static directory " + dir + "/ serves its index.html at / (a page, not a health check: add a cheap /healthz)"}})
		}
	}
	return out
}

// nodeStaticDir is the directory a static mount names, relative to the
// repository, and whether it could be read.
func (r *repo) nodeStaticDir(file, expr string) (string, bool) {
	js := path.Ext(file) == ".js" || path.Ext(file) == ".mjs" || path.Ext(file) == ".cjs"
	// The mount's lazy match ends at the first "))": a path.join( inside
	// loses its own closing parenthesis (mern-tutorial's
	// express.static(path.join(__dirname, '../frontend/build'))).
	if open := strings.Count(expr, "(") - strings.Count(expr, ")"); open > 0 {
		expr += strings.Repeat(")", open)
	}
	var p string
	if m := nodeStaticCwd.FindStringSubmatch(expr); m != nil {
		p = m[1] // the process's working directory: the repository's root
	} else if m := nodeStaticConcat.FindStringSubmatch(expr); m != nil && js {
		p = path.Join(path.Dir(file), m[1])
	} else if m := nodeStaticJoin.FindStringSubmatch(expr); m != nil && js {
		parts := []string{path.Dir(file)}
		for _, a := range strings.Split(m[1], ",") {
			s := nodePathString.FindStringSubmatch(strings.TrimSpace(a))
			if s == nil {
				return "", false
			}
			parts = append(parts, s[1])
		}
		p = path.Join(parts...)
	} else {
		return "", false
	}
	p = path.Clean(p)
	if p == "." || strings.HasPrefix(p, "..") || path.IsAbs(p) {
		return "", false
	}
	return p, true
}
