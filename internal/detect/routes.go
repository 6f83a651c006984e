package detect

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// A route is a path the code serves, with where it is registered.
type route struct {
	Evidence
	// guarded says why a request without a session does not reach the
	// route (a login layer over it), "" when nothing does.
	guarded string
	// page says what the route serves when it is a page a framework
	// module answers by itself (a Swagger UI), "" for the code's own.
	page string
	// table is set for an entry of a route table, registered elsewhere
	// (webhookd's router.Handle(route.Path, h) in a loop over them): how
	// it matches, exactly or as a catch-all, is not read.
	table bool
}

// routesOf are the routes the code serves, with the prefixes they are
// mounted under where the code says: a Go router group handed from
// function to function, FastAPI's include_router(prefix=...) and
// APIRouter(prefix=...), Flask's register_blueprint(url_prefix=...),
// NestJS's setGlobalPrefix, axum's nest. The scan reads each file alone
// and keeps a route as its file writes it; those it reads are the start.
//
// scope, when not nil, holds the Go package directories the chosen entry
// point builds from: routes elsewhere are another program's. For Node it
// holds the files of the program the image runs, whose setGlobalPrefix
// is the one that applies.
func (r *repo) routesOf(app *project.App, scope map[string]bool) []route {
	var out []route
	switch r.lang {
	case "go":
		own, unparsed := r.goRoutes()
		out = own
		for _, e := range app.Routes {
			if e := rel(r.dir, e); unparsed[e.File] {
				out = append(out, route{Evidence: *e})
			}
		}
		if scope != nil {
			out = slices.DeleteFunc(out, func(rt route) bool { return !scope[path.Dir(rt.File)] })
		}
	default:
		var settings []route
		if r.lang == "node" {
			// Routes on a configured path, read before the mounts and
			// prefixes above them are applied.
			settings = r.jsSettingRoutes()
		}
		for _, e := range app.Routes {
			rt := route{Evidence: *rel(r.dir, e)}
			if lines := r.read(rt.File); rt.Line > 0 && rt.Line <= len(lines) && inDevBlock(lines, rt.Line-1) {
				// Registered only in development (an else of NODE_ENV ===
				// 'production'): the image runs production.
				continue
			}
			if strings.HasPrefix(rt.Why, "behind ") {
				// The scan's login decorator (@Authorized, @UseGuards).
				rt.guarded, rt.Why = rt.Why, ""
			}
			if rt.Why == project.FastAPIDocsWhy {
				rt.page = rt.Why // offered first where init asks
			}
			out = append(out, rt)
		}
		out = append(out, settings...)
		switch r.lang {
		case "python":
			pr := r.pythonMounts(out)
			r.fastapiGuards(out, pr)
			if pr == nil {
				pr = r.newPyRouters()
			}
			out = append(append(out, pr.ninjaDocs()...), r.starletteRoutes(pr)...)
		case "node":
			out = r.expressMounts(out)
			r.nestPrefix(out, scope)
		case "rust":
			out = r.rustMounts(out)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// healthRoute are paths meant for health checks: a dedicated word as the
// last segment, under any prefix (/api/v1/utils/health-check/), and the
// weaker words (ping, status, up) only at the root or under /api and a
// version.
var (
	healthRoute     = regexp.MustCompile(`^(?:/[^/]+)*/(?:_?healthz?|healthy|healthcheck(?:er)?|health[-_]check(?:er)?|_?livez|readyz|liveness|readiness|health/live|health/ready|_health|server-health|heartbeat)(?:\.json)?/?$`)
	weakHealthRoute = regexp.MustCompile(`^(?:/api)?(?:/v\d+)?/(?:ping|status|alive|up)/?$`)
	// healthHandler is a handler's name that says it is a health check:
	// healthCheck, handleHealth, HealthHandler, liveness (not
	// healthRecords.List, HealthcareHome).
	healthHandler = regexp.MustCompile(`(?i)^(?:handle|get|serve)?_?(?:health(?:check|z)?|liveness|heartbeat)(?:_?handler)?$`)
	// handlerArg is the handler a route's registration names after its
	// path: e.GET("/", healthCheck), r.HandleFunc("/", h.Health).
	handlerArg = regexp.MustCompile(`^["'` + "`" + `]\s*,\s*([A-Za-z_][\w.]*)\s*[,)]`)
	// writeMethod is a registration for a method a health probe does not
	// send: r.Post("/events", ...), Methods("POST"), "POST /x".
	writeMethod = regexp.MustCompile(`\.(?:Post|Put|Patch|Delete|POST|PUT|PATCH|DELETE)\(|Methods\(\s*"(?:POST|PUT|PATCH|DELETE)"|"(?:POST|PUT|PATCH|DELETE) /`)
)

// healthcheckURL is the path of an http URL on the loopback in a
// Dockerfile's HEALTHCHECK: curl -f http://localhost:3000/healthcheck,
// wget -qO- http://127.0.0.1:8080/health.
var healthcheckURL = regexp.MustCompile(`https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::\d+|:\$\{?\w+\}?)?(/[\w./-]*)`)

// dockerfileHealthPath is the route the repository's own Dockerfile's
// HEALTHCHECK requests (gogs' `curl ... http://localhost:3000/healthcheck`,
// which its flamego m.Route serves); nil when it has none that init can
// read.
func (r *repo) dockerfileHealthPath() *Evidence {
	for _, name := range r.repoDockerfiles() {
		final := r.dockerfileFinal(name)
		if final == nil {
			continue
		}
		in := final.Last("HEALTHCHECK")
		if in == nil {
			return nil
		}
		if m := healthcheckURL.FindStringSubmatch(in.Raw); m != nil && m[1] != "" {
			return &Evidence{Value: m[1], File: name, Line: in.Line, Why: "the repository's Dockerfile's HEALTHCHECK requests it"}
		}
		return r.healthcheckScriptPath(in.Raw, workdir(final), fmt.Sprintf("%s:%d", name, in.Line))
	}
	return nil
}

var (
	// healthcheckScript is a script of the repository a HEALTHCHECK runs:
	// `node services/healthcheck.js`, `/redis-commander/bin/healthcheck.js`.
	healthcheckScript = regexp.MustCompile(`(?:^|[\s"'\[])(/?[\w.-]+(?:/[\w.-]+)*\.(?:js|mjs|cjs|py|sh))\b`)
	// scriptURLPath is the path of an http URL a script requests, its
	// host and port given by variables or not:
	// `http://${host}:${port}${urlPrefix}/healthcheck`, a shell's
	// http://localhost:$PORT/api/health, Python's f'http://localhost:{port}/health'.
	scriptURLPath = regexp.MustCompile(`https?://(?:[\w.:\[\]-]|\$\{[^}]{1,40}\}|\$\w+|\{[^}]{1,40}\}|["'` + "`" + `]\s*\+\s*\w+\s*\+\s*["'` + "`" + `])+(/[\w./-]+)`)
	// scriptPathOption is a request's path option: { host, port, path: '/healthz' }.
	scriptPathOption = regexp.MustCompile(`\bpath\s*[:=]\s*["'` + "`" + `](/[\w./-]*)["'` + "`" + `]`)
)

// healthcheckScriptPath is the path a script of the repository that a
// HEALTHCHECK runs requests (dashy's `node services/healthcheck.js`,
// whose http.request options hold path: '/healthz'; redis-commander's
// bin/healthcheck.js, which gets `http://${host}:${port}${urlPrefix}/healthcheck`),
// the script named as the image has it under the stage's WORKDIR; nil
// when it names none, or the script requests no path or several.
func (r *repo) healthcheckScriptPath(raw, wd, at string) *Evidence {
	for _, m := range healthcheckScript.FindAllStringSubmatch(raw, -1) {
		f := m[1]
		if rest, ok := strings.CutPrefix(f, strings.TrimSuffix(wd, "/")+"/"); ok && path.IsAbs(f) {
			f = rest
		}
		if path.IsAbs(f) || !isFile(r.dir, f) {
			continue
		}
		var found []Evidence
		for i, line := range r.read(f) {
			if isComment(line) {
				continue
			}
			for _, re := range []*regexp.Regexp{scriptURLPath, scriptPathOption} {
				if pm := re.FindStringSubmatch(line); pm != nil {
					found = append(found, Evidence{Value: pm[1], File: f, Line: i + 1,
						Why: "the script the repository's Dockerfile's HEALTHCHECK runs (" + at + ") requests it"})
				}
			}
		}
		if len(found) == 0 || slices.ContainsFunc(found, func(e Evidence) bool { return e.Value != found[0].Value }) {
			return nil
		}
		return &found[0]
	}
	return nil
}

// healthRank orders health routes: liveness first (a readiness route
// often needs the database), the weak words last.
func healthRank(path string) int {
	p := strings.ToLower(path)
	switch {
	case strings.Contains(p, "ready") || strings.Contains(p, "readiness"):
		return 2
	case healthRoute.MatchString(path):
		return 0
	case weakHealthRoute.MatchString(path):
		return 3
	}
	return 9
}

// healthRouteOf is a route the code serves that is meant for health
// checks and needs no session; else GET / when the code serves it (a
// page, said so); else the choice is left to the user with the routes
// found.
func (r *repo) healthRouteOf(routes []route, s *Stack) *Evidence {
	own := r.dockerfileHealthPath()
	if own != nil && slices.ContainsFunc(routes, func(rt route) bool { return rt.Value == own.Value && rt.guarded == "" && !r.writeOnly(rt) }) {
		return own // the repository's own probe, of a route the code serves
	}
	var best *route
	for i, rt := range routes {
		if rt.guarded != "" || strings.ContainsAny(rt.Value, "{:<*") || r.writeOnly(rt) {
			// A write (actualbudget's app.post('/status'), SimpleFIN's
			// status) is no probe's.
			continue
		}
		if rank := healthRank(rt.Value); rank < 9 && (best == nil || rank < healthRank(best.Value)) {
			best = &routes[i]
		}
	}
	if best != nil {
		e := best.Evidence
		return &e
	}
	if own != nil {
		// The repository probes a route its code does not show where
		// init reads routes (a framework init does not know): its own
		// Dockerfile is evidence enough.
		return own
	}
	if e := r.constantRoute(routes); e != nil {
		return e
	}
	// A route whose handler is named for health checks, on its line
	// (gorsk's e.GET("/", healthCheck)).
	for _, rt := range routes {
		if rt.guarded != "" || strings.ContainsAny(rt.Value, "{:<*") || rt.Line == 0 {
			continue
		}
		line := r.routeLine(rt)
		if line == "" {
			continue
		}
		if i := strings.Index(line, rt.Value); i >= 0 && !writeMethod.MatchString(line) {
			if m := handlerArg.FindStringSubmatch(line[i+len(rt.Value):]); m != nil {
				name := m[1][strings.LastIndex(m[1], ".")+1:]
				if healthHandler.MatchString(name) {
					e := rt.Evidence
					e.Why = "its handler is named " + m[1]
					return &e
				}
			}
		}
	}
	for _, rt := range routes {
		if rt.Value == "/" && rt.guarded == "" && !r.writeOnly(rt) {
			// Not a registration for writing (Armontex/auth-app's
			// @router.post(path="/") of its register service).
			e := rt.Evidence
			if e.Why == "" {
				e.Why = "the code serves / (a page, not a health check: add a cheap /healthz)"
			}
			return &e
		}
	}
	if e := r.fastapiDocs(s); e != nil {
		return e
	}
	if s.Static != nil || s.Framework != nil && s.Framework.Value == "next" {
		at := s.Static
		if at == nil {
			at = s.Framework
		}
		return &Evidence{Value: "/", File: at.File, Line: at.Line, Why: "the framework serves /"}
	}
	if len(s.Entrypoints) == 0 {
		// No program: which of its routes to probe is no question yet
		// (chartbrew's root, whose server/ and client/ are packages of
		// their own, stopped on "no health route" before "no entry
		// point").
		return nil
	}
	// Pages a module serves by itself come first: they answer without a
	// session or data, where the code's own routes may need either; the
	// routes behind a login layer come last.
	var candidates []Evidence
	seen := map[string]bool{}
	class := func(rt route) int {
		switch {
		case rt.page != "" && rt.guarded == "":
			return 0
		case rt.guarded == "":
			return 1
		}
		return 2
	}
	for c := range 3 {
		for _, rt := range routes {
			if class(rt) != c || strings.ContainsAny(rt.Value, "{:<*") || seen[rt.Value] || len(candidates) == 8 || r.writeOnly(rt) {
				continue
			}
			seen[rt.Value] = true
			c := rt.Evidence
			switch {
			case rt.guarded != "":
				c.Why = rt.guarded
			case rt.page != "":
				c.Why = rt.page
			}
			candidates = append(candidates, c)
		}
	}
	s.ambiguous("health route", "--health-path", candidates)
	if len(candidates) == 0 {
		s.Ambiguous[len(s.Ambiguous)-1].Hint = r.startsNoServer(s)
	}
	return nil
}

// pageOf is the route / the code serves when the health route is
// another: nil when / is the health route, guarded, for writing only,
// not served, or a catch-all that answers not found (an API's
// mux.HandleFunc("/", http.NotFound): Go's "/" matches every path).
func (r *repo) pageOf(routes []route, s *Stack) *Evidence {
	if s.HealthPath == nil || s.HealthPath.Value == "/" {
		return nil
	}
	for _, rt := range routes {
		if rt.Value == "/" && rt.guarded == "" && !rt.table && !r.writeOnly(rt) && !r.notFoundHandler(rt) && !r.serveMuxCatchAll(rt, s) {
			e := rt.Evidence
			return &e
		}
	}
	return nil
}

// serveMuxCatchAll reports whether a Go net/http program registers / on a
// ServeMux without {$}: the pattern every path no other one takes goes
// to (webhookd's webhooks, an API's not found), so what GET / answers
// says nothing of a page.
func (r *repo) serveMuxCatchAll(rt route, s *Stack) bool {
	if s.Language != "go" || s.Framework == nil || s.Framework.Value != "net/http" {
		return false
	}
	line := r.routeLine(rt)
	return (strings.Contains(line, ".HandleFunc(") || strings.Contains(line, ".Handle(")) && !strings.Contains(line, "{$}")
}

// routeLine is the line that registers a route, "" when it cannot be read.
func (r *repo) routeLine(rt route) string {
	lines := r.read(rt.File)
	if rt.Line < 1 || rt.Line > len(lines) {
		return ""
	}
	return lines[rt.Line-1]
}

// notFoundWords name a handler that answers not found.
var notFoundWords = regexp.MustCompile(`(?i)not_?found|\b404\b`)

// notFoundHandler reports whether the line that registers a route names a
// handler that answers not found (http.NotFound, notFoundHandler).
func (r *repo) notFoundHandler(rt route) bool {
	return notFoundWords.MatchString(r.routeLine(rt))
}

// startsNoServer says, for a Node entry point whose files init can read,
// that neither it nor what it loads starts a server ("" otherwise): the
// main of a library (y-websocket 3's dist/y-websocket.cjs, whose server
// moved to another package) has no health route because it serves
// nothing. A hint only: a server a dependency starts is not seen.
func (r *repo) startsNoServer(s *Stack) string {
	if s.Language != "node" || len(s.Entrypoints) != 1 || s.Framework != nil && (s.Framework.Value == "next" || s.Framework.Value == "nestjs") {
		return ""
	}
	e := s.Entrypoints[0]
	if starts, read := r.nodeStartsServer(e.Value); starts || !read {
		return ""
	}
	return e.Value + ", which the image runs (" + e.Why + "), starts no server that init can see: nothing in it or the files it loads calls .listen(); " +
		"if it is a library, pass --entrypoint with the program that serves"
}

var (
	// writeRoute registers a route for a method a health check does not
	// send: router.post('/login', ...), @app.put(...), r.POST(...).
	writeRoute = regexp.MustCompile(`(?i)\.(?:post|put|patch|delete)\(`)
	readRoute  = regexp.MustCompile(`(?i)\.(?:get|all|any|head|route|handlefunc|handle)\(|methods\s*=\s*[\[({][^\])}]*GET`)
	// axumWrite is axum's .route("/login", post(login)): a method router
	// for writing only, unless get( is on the line too.
	axumWrite = regexp.MustCompile(`\.route\(\s*"[^"]*"\s*,\s*(?:post|put|patch|delete)\(`)
	// onlyWrites is Flask's methods=["POST"] without GET, or a tuple or
	// set of them (gothinkster/flask-realworld-example-app's
	// methods=('POST',)).
	onlyWrites = regexp.MustCompile(`methods\s*=\s*[\[({]`)
	// muxMethods is gorilla/mux's .Methods("POST") or
	// .Methods(http.MethodPost) after the route (sikozonpc/ecom's login).
	muxMethods = regexp.MustCompile(`\.Methods\(([^)]*)\)`)
)

// writeOnly reports whether the line that registers a route registers it
// for writing methods only (POST, PUT, PATCH, DELETE): no health check
// sends those, so it is no candidate.
func (r *repo) writeOnly(rt route) bool {
	if destructivePath.MatchString(rt.Value) {
		// A GET that changes data is no probe's, whatever its method:
		// basir/amazona's productRouter.get('/seed') inserts the sample
		// products on every call; whatsapp-api's /terminateAll ends every
		// session.
		return true
	}
	line := r.routeLine(rt)
	if onlyWrites.MatchString(line) && !strings.Contains(strings.ToUpper(line), "GET") {
		return true
	}
	if m := muxMethods.FindStringSubmatch(line); m != nil {
		return !strings.Contains(strings.ToUpper(m[1]), "GET")
	}
	if axumWrite.MatchString(line) {
		return !strings.Contains(line, "get(")
	}
	// The registration is the first method the line calls: pasty's
	// router.POST("/documents", limiter.Handle(h)) is for writing, though
	// a Handle follows.
	w, rd := writeRoute.FindStringIndex(line), readRoute.FindStringIndex(line)
	return w != nil && (rd == nil || w[0] < rd[0])
}

// destructivePath is a route whose last segment names an action on the
// data: /api/products/seed, /terminateAll, /cache/flush.
var destructivePath = regexp.MustCompile(`(?i)/(?:seed|reset|purge|clear|flush|drop|wipe|truncate|shutdown|restart|terminate\w*|delete\w*|remove\w*|destroy\w*)/?$`)

// pyConstantReturn is a Python handler's whole answer when it is a
// literal: return "Hello, World!", return {"status": "ok"}.
var (
	pyHandlerDef     = regexp.MustCompile(`^\s*(?:async\s+)?def\s+\w+\(\s*\)`)
	pyConstantReturn = regexp.MustCompile(`^\s*return\s+(?:"[^"\\{}]*"|'[^'\\{}]*'|\{(?:\s*["'][\w -]*["']\s*:\s*(?:["'][\w .-]*["']|\d+|True|False)\s*,?)+\})\s*(?:,\s*\d{3}\s*)?$`)
)

// constantRoute is a route whose handler answers a literal and takes no
// argument (Flask's /hello returning "Hello, World!"): it needs nothing,
// no database, no session, so it is a better probe than a page at /,
// which often reads the database. Python only: its handlers sit right
// under their decorator.
func (r *repo) constantRoute(routes []route) *Evidence {
	if r.lang == "go" {
		return r.goConstantRoute(routes)
	}
	if r.lang != "python" {
		return nil
	}
	for _, rt := range routes {
		if rt.guarded != "" || rt.page != "" || strings.ContainsAny(rt.Value, "{:<*") || rt.Line < 1 {
			// A page a framework serves (FastAPI's /docs, on its
			// constructor's line) has no handler of the code's.
			continue
		}
		lines := r.read(rt.File)
		def := -1
		for i := rt.Line; i < len(lines) && i < rt.Line+4; i++ {
			if pyHandlerDef.MatchString(lines[i]) {
				def = i
				break
			}
			if t := strings.TrimSpace(lines[i]); !strings.HasPrefix(t, "@") && t != "" {
				break
			}
		}
		if def < 0 {
			continue
		}
		body := def + 1
		if body < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[body]), `"""`) {
			body = skipDocstring(lines, body)
		}
		if body < len(lines) && pyConstantReturn.MatchString(lines[body]) {
			e := rt.Evidence
			e.Why = fmt.Sprintf("its handler answers a constant (%s:%d): it needs no database or session, unlike a page", rt.File, body+1)
			return &e
		}
	}
	return nil
}

var (
	// goConstantWrite answers a constant: fmt.Fprint(w, "OK"),
	// w.Write([]byte("ok")), c.String(http.StatusOK, "pong").
	goConstantWrite = regexp.MustCompile(`fmt\.Fprint(?:ln)?\(\s*\w+\s*,\s*"[^"%]*"\s*\)|\.Write\(\s*\[\]byte\(\s*"[^"]*"\s*\)\s*\)|\.(?:String|SendString|JSON)\(\s*(?:(?:http|fiber)\.StatusOK|200)\s*,\s*"[^"%]*"\s*\)|\.SendString\(\s*"[^"%]*"\s*\)`)
	// goDataCall is what a handler that reads data or a session calls.
	goDataCall = regexp.MustCompile(`(?i)\b(?:db|sql|query|repo|store|storage|service|svc|session|cache|redis|template|render)\w*\b|Exec(?:ute)?\(`)
)

// goConstantRoute is a route whose handler, written in place, answers a
// constant and reads no data (webhook's r.HandleFunc("/", func(w, req)
// {... fmt.Fprint(w, "OK") }), webhook.go:280): a health check, not a page.
func (r *repo) goConstantRoute(routes []route) *Evidence {
	for _, rt := range routes {
		if rt.guarded != "" || strings.ContainsAny(rt.Value, "{:<*") || rt.Line < 1 {
			continue
		}
		lines := r.read(rt.File)
		if rt.Line > len(lines) || !strings.Contains(lines[rt.Line-1], "func(") || writeMethod.MatchString(lines[rt.Line-1]) {
			continue
		}
		depth, constant, data := 0, 0, false
		for i := rt.Line - 1; i < len(lines) && i < rt.Line+15; i++ {
			line := lines[i]
			if i > rt.Line-1 || strings.Contains(line, "{") {
				code := line
				if i == rt.Line-1 {
					code = line[strings.Index(line, "func("):]
				}
				if goConstantWrite.MatchString(code) {
					constant = i + 1
				} else if goDataCall.MatchString(code) {
					data = true
				}
				depth += strings.Count(code, "{") - strings.Count(code, "}")
			}
			if depth <= 0 && i >= rt.Line-1 && strings.Contains(line, "}") {
				break
			}
		}
		if constant > 0 && !data {
			e := rt.Evidence
			e.Why = fmt.Sprintf("its handler answers a constant (%s:%d): it needs no database or session, unlike a page", rt.File, constant)
			return &e
		}
	}
	return nil
}

// skipDocstring is the line after the docstring that opens at line i.
func skipDocstring(lines []string, i int) int {
	first := strings.TrimSpace(lines[i])
	if len(first) >= 6 && strings.HasSuffix(first, `"""`) {
		return i + 1
	}
	for j := i + 1; j < len(lines) && j < i+40; j++ {
		if strings.Contains(lines[j], `"""`) {
			return j + 1
		}
	}
	return len(lines)
}

// staticServing is code that serves files, at / as likely as not: a
// static directory, a file sent, a file server.
var staticServing = regexp.MustCompile(`express\.static|serveStatic|sendFile|@fastify/static|koa-static|FileServer|StaticFS|\.Static\(|StaticFiles|send_from_directory|send_file|ServeDir|ServeFile`)

// rootUnserved reports whether the code's routes are known and none of
// them can answer at /: routes were read, none is / or a catch-all or a
// table's, and nothing serves files, a front end, templates or pages.
func (r *repo) rootUnserved(routes []route, s *Stack) bool {
	if len(routes) == 0 || s.Static != nil || s.Frontend != nil || s.Templates != nil || s.Page != nil {
		return false
	}
	if fw := s.Framework; fw != nil && (FullStack(fw.Value) || fw.Value == "next" || fw.Value == "django") {
		return false // pages the route reading does not see, or an admin
	}
	for _, rt := range routes {
		if rt.Value == "/" || rt.table || strings.ContainsAny(rt.Value, "*{:<") && !strings.Contains(rt.Value[1:], "/") {
			return false
		}
	}
	for _, f := range r.codeFiles() {
		for _, line := range r.read(f) {
			if staticServing.MatchString(line) {
				return false
			}
		}
	}
	return true
}
