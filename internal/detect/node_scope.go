package detect

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

var (
	// nodeListen is a call that starts a server: app.listen(3000),
	// http.createServer(app).listen(port), fastify.listen({ port }), or a
	// ws server made with a port of its own (snapdrop's new
	// WebSocket.Server({ port: port })), which listens without .listen().
	nodeListen = regexp.MustCompile(`\.listen\(|\bnew\s+(?:WebSocket\.Server|WebSocketServer|WSServer)\(\s*\{[^}]*\bport\b`)
	// nodeLocalImport is a relative module a file loads: require('./lib/render'),
	// import x from '../db', import './setup', export * from './routes',
	// import('./lazy').
	nodeLocalImport = regexp.MustCompile(`(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bfrom\s+|^\s*import\s+)['"](\.{1,2}/[^'"]*|\.{1,2})['"]`)
	// nodeDynamicImport is a module of a directory chosen at run time:
	// require('./lib/document_stores/' + type) (haste-server's stores),
	// any of the directory's modules.
	// nodeDirnameFile is a code file the program names beside itself, to
	// require or copy: node-red's red.js, path.join(__dirname,
	// "settings.js"), which it requires when the user has none.
	nodeDirnameFile   = regexp.MustCompile(`\bpath\.(?:join|resolve)\(\s*__dirname\s*,\s*['"]((?:\.{1,2}/)?[\w./-]+\.[cm]?[jt]s)['"]\s*\)`)
	nodeDynamicImport = regexp.MustCompile(`(?:\brequire\s*\(\s*|\bimport\s*\(\s*)['"](\.{1,2}/(?:[^'"]*/)?)['"]\s*\+`)
	// nodeTestDirs hold tests, whose servers (supertest's app.listen()) are
	// not programs.
	nodeTestDirs = map[string]bool{"test": true, "tests": true, "__tests__": true, "spec": true, "e2e": true}
)

// nodeTestFile reports whether a file is a test by its name or directory:
// test.js, a.spec.ts (project.TestFile), test/app.js.
func nodeTestFile(f string) bool {
	if project.TestFile(path.Base(f)) {
		return true
	}
	for _, d := range strings.Split(path.Dir(f), "/") {
		if nodeTestDirs[d] {
			return true
		}
	}
	return false
}

// nodeListeners are the entry points found when nothing names one (no
// start script, no main, none of the usual file names): the files that
// start a server, other than tests and other than modules another file
// loads (those are started by whoever loads them). A repository of
// examples (koajs/examples: 20 */app.js under one package.json, each with
// `if (!module.parent) app.listen(3000)`) has several, which is a choice.
func (r *repo) nodeListeners() []Evidence {
	var files []string
	for _, f := range r.codeFiles() {
		if langExts["node"][path.Ext(f)] && !nodeTestFile(f) && !strings.HasSuffix(f, ".d.ts") {
			files = append(files, f)
		}
	}
	loaded := map[string]bool{}
	for _, f := range files {
		for _, dep := range r.nodeImports(f) {
			if dep != f {
				loaded[dep] = true
			}
		}
	}
	var out []Evidence
	for _, f := range files {
		if loaded[f] {
			continue
		}
		if line := r.listenLine(f); line > 0 {
			out = append(out, Evidence{Value: r.compiled(f), File: f, Line: line,
				Why: "starts a server; no start script or main names the program"})
		}
	}
	return out
}

// listenLine is the line on which a file itself (not what it loads)
// starts a server, 0 when none does.
func (r *repo) listenLine(file string) int {
	for i, line := range r.read(file) {
		if nodeListen.MatchString(line) && !isComment(line) {
			return i + 1
		}
	}
	return 0
}

// nodeImports are the repository's files that file loads by a relative
// path, resolved as node and bundlers do: the path itself, with an
// extension, or a directory's index.
func (r *repo) nodeImports(file string) []string {
	var out []string
	for _, line := range r.read(file) {
		if strings.Contains(line, "__dirname") {
			for _, m := range nodeDirnameFile.FindAllStringSubmatch(line, -1) {
				if f := r.resolveNode(path.Join(path.Dir(file), m[1])); f != "" {
					out = append(out, f)
				}
			}
		}
		if !strings.Contains(line, "require") && !strings.Contains(line, "import") && !strings.Contains(line, "from") {
			continue
		}
		for _, m := range nodeLocalImport.FindAllStringSubmatch(line, -1) {
			if f := r.resolveNode(path.Join(path.Dir(file), m[1])); f != "" {
				out = append(out, f)
			}
		}
		for _, m := range nodeDynamicImport.FindAllStringSubmatch(line, -1) {
			dir := path.Join(path.Dir(file), m[1])
			for _, f := range r.codeFiles() {
				if path.Dir(f) == dir && langExts["node"][path.Ext(f)] {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// resolveNode is the file node loads for p (a path relative to the
// repository), as node resolves it: p itself, with an extension, or a
// directory's index, and a .js path may name a TypeScript source (import
// './db.js' in a .ts file); "" when the repository holds none. A file without an
// extension counts when named so (verdaccio's bin/verdaccio); a link out
// of the repository does not (the image would hold it dangling).
func (r *repo) resolveNode(p string) string {
	if strings.HasPrefix(p, "..") || path.IsAbs(p) {
		return ""
	}
	stem := strings.TrimSuffix(p, path.Ext(p))
	for _, c := range []string{p, p + ".js", p + ".ts", p + ".mjs", p + ".cjs", p + ".mts", p + ".cts", p + ".jsx", p + ".tsx",
		stem + ".ts", stem + ".mts", p + "/index.js", p + "/index.ts", p + "/index.mjs"} {
		if ext := path.Ext(c); c == "." || ext != "" && !langExts["node"][ext] && ext != ".jsx" && ext != ".tsx" {
			continue
		}
		if r.read(c) != nil {
			if _, in := r.inside(c); !in {
				return ""
			}
			return c
		}
	}
	return ""
}

// maxNodeScopeFiles bounds the files nodeScope follows.
const maxNodeScopeFiles = 2000

// nodeScope is the set of files the program in entry is made of: the
// file and what it loads by relative paths, transitively (the Node
// counterpart of project.GoScope). nil when entry is no source file of
// the repository (a compiled output, a file that does not exist): then
// everything counts.
func (r *repo) nodeScope(entry string) map[string]bool {
	entry = strings.TrimPrefix(path.Clean(entry), "./")
	if r.read(entry) == nil {
		return nil
	}
	scope := map[string]bool{entry: true}
	queue := []string{entry}
	for len(queue) > 0 && len(scope) < maxNodeScopeFiles {
		f := queue[0]
		queue = queue[1:]
		for _, dep := range r.nodeImports(f) {
			if !scope[dep] {
				scope[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	return scope
}

// nodeEntryScope is, when several Node programs competed for the entry
// point and one is chosen, the files of the chosen one and those of the
// others that it does not share: a port or a route found in another
// example's file is not the chosen program's. nil, nil when there was no
// competition or the chosen program's files are unknown.
func (r *repo) nodeEntryScope(s *Stack) (own, others map[string]bool) {
	if s.Language != "node" || len(s.Entrypoints) < 2 || s.ambiguousEntry() {
		return nil, nil
	}
	own = r.nodeScope(r.nodeSource(s.Entrypoints[0]))
	if own == nil {
		return nil, nil
	}
	others = map[string]bool{}
	for _, e := range s.Entrypoints[1:] {
		for f := range r.nodeScope(r.nodeSource(e)) {
			if !own[f] {
				others[f] = true
			}
		}
	}
	return own, others
}

// runScope is the files of the program the image runs: its entry point's
// and what that loads; for a program that is not the repository's (a
// package's bin, node_modules/fastify-cli/cli.js), those of the files its
// arguments name (start app.js). nil when none can be read.
func (r *repo) runScope(s *Stack) map[string]bool {
	if s.Language != "node" || len(s.Entrypoints) == 0 || s.ambiguousEntry() {
		return nil
	}
	if own := r.nodeScope(r.nodeSource(s.Entrypoints[0])); own != nil {
		return own
	}
	// A build's output (apps/server/dist/main.js): the files of the
	// TypeScript source it is compiled from. docmost's collaboration
	// server, another program of the same sources, listens on
	// $COLLAB_PORT; the image runs main.ts's, on $PORT.
	if src := r.tsSource(s.Entrypoints[0].Value); src != "" {
		if own := r.nodeScope(src); own != nil {
			return own
		}
	}
	var scope map[string]bool
	for _, w := range s.ArgWords {
		for f := range r.nodeScope(w) {
			if scope == nil {
				scope = map[string]bool{}
			}
			scope[f] = true
		}
	}
	return scope
}

// inRunScope reports whether file is one of the files of the program the
// image runs, or their files are unknown: docmost's collaboration server,
// another program of the same sources, handles SIGTERM for itself.
func (r *repo) inRunScope(s *Stack, file string) bool {
	scope := r.runScope(s)
	return scope == nil || scope[file]
}

// nodeSource is the source file of an entry point: its evidence's file
// when that is the program's source, else its value.
func (r *repo) nodeSource(e Evidence) string {
	if e.File != "" && langExts["node"][path.Ext(e.File)] {
		return e.File
	}
	return e.Value
}

// pickFiles is the first piece of evidence in one of the program's own
// files, else the first in no other program's file.
func pickFiles(dir string, list []Evidence, own, others map[string]bool) *Evidence {
	var fallback *Evidence
	for _, e := range list {
		e := rel(dir, e)
		if own[e.File] {
			return e
		}
		if !others[e.File] && fallback == nil {
			fallback = e
		}
	}
	return fallback
}

// scopeRoutes keeps the routes registered in the program's own files;
// when none is, those in no other program's file.
func scopeRoutes(routes []route, own, others map[string]bool) []route {
	var mine, rest []route
	for _, rt := range routes {
		switch {
		case own[rt.File]:
			mine = append(mine, rt)
		case !others[rt.File]:
			rest = append(rest, rt)
		}
	}
	if len(mine) > 0 {
		return mine
	}
	return rest
}

// pickIn is the first piece of evidence in one of scope's files, nil
// when none is.
func pickIn(dir string, list []Evidence, scope map[string]bool) *Evidence {
	for _, e := range list {
		if e := rel(dir, e); scope[e.File] {
			return e
		}
	}
	return nil
}

// nodeSIGTERM is where a Node program handles SIGTERM in the files it
// loads, for a repository larger than the scan reads (Unleash's 6,000
// sources: src/lib/util/graceful-shutdown.ts's process.on('SIGTERM', ...)
// lies past them, and the image's exit wrapper would have cut its
// shutdown short). nil when none does.
func (r *repo) nodeSIGTERM(s *Stack) *Evidence {
	if s.Language != "node" {
		return nil
	}
	scope := r.runScope(s)
	if scope == nil && len(s.Entrypoints) == 1 {
		// A compiled entry (dist/server.js), whose source tsconfig's
		// rootDir and outDir give (src/server.ts): the scan's list of
		// files may end before it.
		scope = r.nodeScope(r.tsRootSource(s.Entrypoints[0].Value))
	}
	for _, f := range slices.Sorted(maps.Keys(scope)) {
		for i, line := range r.read(f) {
			if (nodeOnSIGTERM.MatchString(line) || project.JSClosesOnSIGTERM(line)) && !isComment(line) {
				return &Evidence{Value: "SIGTERM", File: f, Line: i + 1}
			}
		}
	}
	return nil
}

// nodeOnSIGTERM handles SIGTERM: process.on('SIGTERM', ...).
var nodeOnSIGTERM = regexp.MustCompile(`\bprocess\.(?:on|once|addListener|prependListener)\(\s*['"` + "`" + `]SIGTERM['"` + "`" + `]`)

// tsRootSource is the TypeScript source of a compiled file by tsconfig's
// outDir and rootDir alone (dist/server.js is src/server.ts), "" when
// they do not give one the repository holds.
func (r *repo) tsRootSource(out string) string {
	cfg := r.tsconfig().CompilerOptions
	outDir, root := path.Clean(cfg.OutDir), path.Clean(cfg.RootDir)
	rest, ok := strings.CutPrefix(path.Clean(out), outDir+"/")
	if cfg.OutDir == "" || !ok {
		return ""
	}
	for _, ext := range [][2]string{{".js", ".ts"}, {".mjs", ".mts"}, {".cjs", ".cts"}} {
		if stem, ok := strings.CutSuffix(rest, ext[0]); ok {
			if src := path.Join(root, stem+ext[1]); isFile(r.dir, src) {
				return src
			}
		}
	}
	return ""
}
