package detect

import (
	"path"
	"regexp"
	"strconv"
	"strings"
)

var (
	// axum's .nest("/api", api::build()) and .nest("/api", routes_rpc).
	rsNest = regexp.MustCompile(`\.nest\(\s*"([^"]*)"\s*,\s*([\w:]+)`)
	rsLet  = `^\s*let\s+(?:mut\s+)?%s\s*(?::[^=]+)?=\s*([\w:]+)\(`
	// A layer that turns away requests without a session: axum-login's
	// login_required!, a middleware named for auth.
	rsAuthLayer = regexp.MustCompile(`\.route_layer\(.*(?i:login_required|require_?auth|auth|jwt|session_required|guard)`)
	rsFn        = regexp.MustCompile(`^\s*(?:pub(?:\([\w:]+\))?\s+)?(?:async\s+)?fn\s+\w+`)
	// Static files answering every path the routes leave: ServeDir as
	// axum's fallback, actix's Files at /.
	rsStaticRoot = regexp.MustCompile(`\.fallback_service\(|nest_service\(\s*"/"|Files::new\(\s*"/"`)
)

// rustMounts puts the prefix of axum's nest in front of the routes the
// nested module registers, marks the routes a login layer covers
// (.route_layer(login_required!(...)) applies to what the router has
// before it), and adds / where static files are served at the root.
func (r *repo) rustMounts(routes []route) []route {
	prefix := map[string]string{}  // file → the prefix its routes are nested under
	guarded := map[string]string{} // file → the layer that guards its routes
	type cover struct {
		from, to int
		why      string
	}
	covered := map[string][]cover{} // file → line ranges a layer in it guards
	var files []string
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".rs") {
			files = append(files, f)
		}
	}
	var staticRoot *Evidence
	serveDir := false
	for pass := 0; pass < 5; pass++ {
		changed := false
		for _, f := range files {
			lines := r.read(f)
			fnStart := 0
			var nests []struct {
				line   int
				target string
			}
			for i, line := range lines {
				if rsFn.MatchString(line) {
					fnStart, nests = i, nil
				}
				if pass == 0 {
					serveDir = serveDir || strings.Contains(line, "ServeDir::new") || strings.Contains(line, "Files::new")
					if staticRoot == nil && rsStaticRoot.MatchString(line) {
						staticRoot = &Evidence{Value: "/", File: f, Line: i + 1, Why: "static files served at / (" + strings.TrimSpace(line) + ")"}
					}
				}
				if m := rsNest.FindStringSubmatch(line); m != nil {
					target := r.rustModuleFile(f, r.rustCallee(f, m[2]))
					if target != "" && target != f {
						p := joinPath(prefix[f], m[1])
						if prefix[target] != p {
							prefix[target] = p
							changed = true
						}
						nests = append(nests, struct {
							line   int
							target string
						}{i, target})
					}
				}
				if rsAuthLayer.MatchString(line) {
					why := "behind " + strings.TrimSpace(line) + " (" + f + ":" + strconv.Itoa(i+1) + ")"
					for _, n := range nests {
						if guarded[n.target] == "" {
							guarded[n.target] = why
							changed = true
						}
					}
					if pass == 0 {
						covered[f] = append(covered[f], cover{fnStart + 1, i + 1, why})
					}
				}
			}
		}
		if !changed {
			break
		}
	}
	for i, rt := range routes {
		if p := prefix[rt.File]; p != "" {
			routes[i].Value = joinPath(p, rt.Value)
			if strings.HasSuffix(rt.Value, "/") && rt.Value != "/" {
				routes[i].Value += "/"
			}
			routes[i].Why = "nested under " + p
		}
		routes[i].guarded = guarded[rt.File]
		for _, c := range covered[rt.File] {
			if rt.Line >= c.from && rt.Line <= c.to {
				routes[i].guarded = c.why
			}
		}
	}
	if staticRoot != nil && serveDir {
		routes = append(routes, route{Evidence: *staticRoot})
	}
	return routes
}

// rustCallee is the module path of what a nest call mounts: the call
// itself (k8s::build), or, for a variable, the call it was bound to
// (let routes_rpc = web::routes_rpc::routes(mm)).
func (r *repo) rustCallee(file, expr string) string {
	if strings.Contains(expr, "::") {
		return expr
	}
	re := regexp.MustCompile(strings.Replace(rsLet, "%s", quoteMeta(expr), 1))
	if e := r.find(file, re); e != nil && strings.Contains(e.Value, "::") {
		return e.Value
	}
	return ""
}

// rustModuleFile is the source file of the module that a path's function
// lives in (web::routes_rpc::routes is in web/routes_rpc.rs or
// web/routes_rpc/mod.rs), the one nearest the file that names it.
func (r *repo) rustModuleFile(from, fn string) string {
	segs := strings.Split(fn, "::")
	if len(segs) < 2 {
		return ""
	}
	var mods []string
	for _, s := range segs[:len(segs)-1] {
		if s != "crate" && s != "self" && s != "super" {
			mods = append(mods, s)
		}
	}
	if len(mods) == 0 {
		return ""
	}
	rel := strings.Join(mods, "/")
	best, bestShared := "", -1
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, "/"+rel+".rs") && !strings.HasSuffix(f, "/"+rel+"/mod.rs") {
			continue
		}
		shared := sharedDirs(path.Dir(from), path.Dir(f))
		if shared > bestShared {
			best, bestShared = f, shared
		}
	}
	return best
}

// sharedDirs counts the leading directories two paths share.
func sharedDirs(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}
