package detect

import (
	"encoding/json"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

var (
	// expressUse mounts a router under a prefix: app.use("/posts", posts),
	// router.use('/v1', require('./routes/v1')), koa-router's
	// router.use("/api", api.routes()). The receiver is the first group.
	expressUse = regexp.MustCompile(`\b(\w+)\.use\(\s*['"` + "`" + `](/[^'"` + "`" + `]*)['"` + "`" + `]\s*,\s*(?:[\w.]+\s*,\s*)*(?:(\w+)(?:\.(?:routes|middleware)\(\s*\))?|require\(\s*['"](\.[^'"]+)['"]\s*\))\s*\)`)
	// bareUse mounts a router without a prefix of its own on another:
	// koa-knex-realworld's api.use(users), api.use(users.routes()).
	bareUse = regexp.MustCompile(`\b(\w+)\.use\(\s*(\w+)(?:\.(?:routes|middleware)\(\s*\))?\s*\)`)
	// fastifyRegister registers a plugin under a prefix:
	// server.register(userRouter, { prefix: '/api/user' }),
	// app.register(import('./routes/users'), { prefix: '/users' }), a
	// chain's .register(require('./timeline'), { prefix: '/api/timeline' }).
	fastifyRegister = regexp.MustCompile(`\.register\(\s*(?:(\w+)|(?:require|import)\(\s*['"](\.[^'"]+)['"]\s*\))\s*,\s*\{[^}]*?\bprefix\s*:\s*['"` + "`" + `](/[^'"` + "`" + `]*)['"` + "`" + `]`)
	// routerPrefix is a prefix koa-router puts before every route of a
	// router: new Router({ prefix: '/api' }), router.prefix('/api').
	routerPrefix = regexp.MustCompile(`new\s+(?:Koa)?Router\(\s*\{[^}]*?\bprefix\s*:\s*['"` + "`" + `](/[^'"` + "`" + `]*)['"` + "`" + `]|\b\w+\.prefix\(\s*['"` + "`" + `](/[^'"` + "`" + `]*)['"` + "`" + `]\s*\)`)
	// expressUseTable mounts each entry of a table of routers:
	// routes.forEach((route) => router.use(route.path, route.route)),
	// the table written as { path: '/auth', route: authRoute }.
	expressUseTable = regexp.MustCompile(`\.use\(\s*\w+\.path\s*,\s*\w+\.route\s*\)`)
	tablePath       = regexp.MustCompile(`\bpath\s*:\s*['"` + "`" + `](/[^'"` + "`" + `]*)['"` + "`" + `]`)
	tableRoute      = regexp.MustCompile(`\broute\s*:\s*(\w+)`)
	// jsImport binds a name to a module: import posts from
	// "./routes/posts.mjs", const posts = require('./routes/posts').
	jsImport = regexp.MustCompile(`^\s*(?:import\s+(\w+)\s+from|(?:const|let|var)\s+(\w+)\s*=\s*require\()\s*['"]([^'"]+)['"]`)
	// jsNamedImport binds names a module exports: import { healthCheckRouter }
	// from "@/api/healthCheck/healthCheckRouter", import x, { a as b } from
	// "./m", const { a } = require("./m").
	jsNamedImport = regexp.MustCompile(`^\s*(?:import\s+(?:\w+\s*,\s*)?\{([^}]*)\}\s*from|(?:const|let|var)\s+\{([^}]*)\}\s*=\s*require\()\s*['"]([^'"]+)['"]`)
)

// jsImports are the names the lines bind to modules, and the modules.
func jsImports(lines []string) map[string]string {
	imports := map[string]string{}
	for _, line := range lines {
		if m := jsImport.FindStringSubmatch(line); m != nil {
			imports[m[1]+m[2]] = m[3]
		}
		if m := jsNamedImport.FindStringSubmatch(line); m != nil {
			for _, name := range strings.Split(m[1]+m[2], ",") {
				name = strings.TrimSpace(name)
				if _, as, ok := strings.Cut(name, " as "); ok {
					name = strings.TrimSpace(as)
				} else if _, as, ok := strings.Cut(name, ":"); ok {
					name = strings.TrimSpace(as) // const { a: b } = require(...)
				}
				name = strings.TrimPrefix(name, "type ")
				if name != "" {
					imports[name] = m[3]
				}
			}
		}
	}
	return imports
}

// A jsAlias is an import path tsconfig (or jsconfig) maps to files:
// "@/*": ["src/*"] with baseUrl ".". prefix ends where the pattern's *
// was; wildcard says it had one.
type jsAlias struct {
	prefix   string
	targets  []string
	wildcard bool
}

// jsAliases reads compilerOptions.paths of tsconfig.json or jsconfig.json,
// resolved against its baseUrl, once.
func (r *repo) jsAliases() []jsAlias {
	if r.aliases != nil {
		return *r.aliases
	}
	var out []jsAlias
	for _, f := range []string{"tsconfig.json", "jsconfig.json"} {
		var cfg struct {
			CompilerOptions struct {
				BaseURL string              `json:"baseUrl"`
				Paths   map[string][]string `json:"paths"`
			} `json:"compilerOptions"`
		}
		lines := r.read(f)
		if lines == nil || json.Unmarshal(jsonc(strings.Join(lines, "\n")), &cfg) != nil || len(cfg.CompilerOptions.Paths) == 0 {
			continue
		}
		base := path.Clean(cfg.CompilerOptions.BaseURL)
		for _, pattern := range slices.Sorted(maps.Keys(cfg.CompilerOptions.Paths)) {
			a := jsAlias{prefix: pattern}
			a.prefix, _, a.wildcard = strings.Cut(pattern, "*")
			for _, t := range cfg.CompilerOptions.Paths[pattern] {
				t, _, _ = strings.Cut(t, "*")
				a.targets = append(a.targets, path.Join(base, t))
			}
			out = append(out, a)
		}
		break
	}
	// The longest prefix first, as TypeScript matches.
	slices.SortStableFunc(out, func(a, b jsAlias) int { return len(b.prefix) - len(a.prefix) })
	r.aliases = &out
	return out
}

// jsModuleExts are tried, in order, for an import without its extension.
var jsModuleExts = []string{"", ".js", ".mjs", ".cjs", ".ts", "/index.js", "/index.ts", "/index.mjs"}

// expressMounts puts the prefix a router file is mounted under in front
// of its routes: index.mjs's app.use("/posts", posts), posts imported
// from ./routes/posts.mjs, makes that file's router.get("/") serve
// /posts (mongodb-developer/mongodb-express-rest-api-example), through
// chains of routers (app.use('/v1', routes); router.use('/auth', auth)).
// A file mounted under two prefixes, or not found, keeps its routes as
// written.
func (r *repo) expressMounts(routes []route) []route {
	type mount struct{ parent, prefix, at string }
	mounts := map[string][]mount{}   // router file → where it is mounted
	own := map[string]mount{}        // router file → the prefix its router is made with
	development := map[string]bool{} // router files a table mounts in development only
	for _, f := range r.codeFiles() {
		if !isJSFile(f) {
			continue
		}
		lines := r.read(f)
		imports := jsImports(lines)
		table := false
		for _, line := range lines {
			table = table || expressUseTable.MatchString(line)
		}
		local, made := localRouters(lines, imports)
		for i, line := range lines {
			if table && !isComment(line) {
				// hagopj13/node-express-boilerplate's routes/v1/index.js.
				if m := tablePath.FindStringSubmatch(line); m != nil {
					for j := i; j < len(lines) && j <= i+2; j++ {
						if rm := tableRoute.FindStringSubmatch(lines[j]); rm != nil {
							if target := r.jsModule(f, imports[rm[1]]); target != "" && target != f && tableInDevelopment(lines, i) {
								development[target] = true
							} else if target != "" && target != f {
								mounts[target] = append(mounts[target], mount{f, m[1], Evidence{File: f, Line: i + 1}.Where()})
							}
							break
						}
					}
				}
			}
			if isComment(line) {
				continue
			}
			if m := fastifyRegister.FindStringSubmatch(line); m != nil {
				spec := m[2]
				if spec == "" {
					spec = imports[m[1]]
				}
				if target := r.jsModule(f, spec); target != "" && target != f {
					mounts[target] = append(mounts[target], mount{f, m[3], Evidence{File: f, Line: i + 1}.Where()})
				}
			}
			if m := routerPrefix.FindStringSubmatch(line); m != nil && made == 1 {
				own[f] = mount{"", joinPath(own[f].prefix, m[1]+m[2]), Evidence{File: f, Line: i + 1}.Where()}
			}
			if !strings.Contains(line, ".use(") {
				continue
			}
			if m := bareUse.FindStringSubmatch(line); m != nil && local[m[1]] != "" {
				if target := r.jsModule(f, imports[m[2]]); target != "" && target != f {
					mounts[target] = append(mounts[target], mount{f, local[m[1]], Evidence{File: f, Line: i + 1}.Where()})
				}
				continue
			}
			m := expressUse.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			spec, prefix := m[4], joinPath(local[m[1]], m[2])
			if spec == "" {
				spec = imports[m[3]]
			}
			if target := r.jsModule(f, spec); target != "" && target != f {
				mounts[target] = append(mounts[target], mount{f, prefix, Evidence{File: f, Line: i + 1}.Where()})
			} else if target == "" && m[3] != "" && ownRouter(lines, m[3]) {
				// The file mounts the router it makes, on the app it is
				// given (bezkoder's `module.exports = app => { var router
				// = require("express").Router(); ...; app.use('/api/
				// tutorials', router) }`): its routes are under the prefix.
				mounts[f] = append(mounts[f], mount{"", prefix, Evidence{File: f, Line: i + 1}.Where()})
			}
		}
		r.autoloadMounts(f, lines, imports, func(target, prefix, at string) {
			mounts[target] = append(mounts[target], mount{f, prefix, at})
		})
	}
	// A file's prefix is its mount's, after its parent's: a few passes
	// settle chains without following a cycle.
	prefix, at := map[string]string{}, map[string]string{}
	for pass := 0; pass < 6; pass++ {
		for file, ms := range mounts {
			if len(ms) != 1 {
				continue // mounted twice: which prefix serves is not one
			}
			p := joinPath(prefix[ms[0].parent], ms[0].prefix)
			prefix[file], at[file] = p, ms[0].at
		}
	}
	for file, o := range own {
		if _, ok := at[file]; !ok {
			at[file] = o.at
		}
		prefix[file] = joinPath(prefix[file], o.prefix)
	}
	routes = slices.DeleteFunc(routes, func(rt route) bool {
		_, mounted := mounts[rt.File]
		return development[rt.File] && !mounted // the image runs production
	})
	for i, rt := range routes {
		p, ok := prefix[rt.File]
		if !ok || strings.Trim(p, "/") == "" {
			continue
		}
		if rt.Value == "/" {
			routes[i].Value = p
		} else {
			routes[i].Value = joinPath(p, rt.Value)
		}
		routes[i].Why = "mounted at " + at[rt.File]
	}
	return routes
}

// tableInDevelopment reports whether the table entry on line i is
// mounted in development only: the loop over its table is in a block
// that tests for development (hagopj13/node-express-boilerplate's
// devRoutes, whose forEach is under `if (config.env === 'development')`).
func tableInDevelopment(lines []string, i int) bool {
	for j := i; j >= 0 && j >= i-40; j-- {
		m := tableStart.FindStringSubmatch(lines[j])
		if m == nil {
			continue
		}
		for k, line := range lines {
			if strings.Contains(line, m[1]+".forEach(") && inDevBlock(lines, k) {
				return true
			}
		}
		return false
	}
	return false
}

// tableStart begins a table of routers: const devRoutes = [.
var tableStart = regexp.MustCompile(`^\s*(?:const|let|var)\s+(\w+)\s*=\s*\[`)

// localRouters are the routers a file makes (const api = new Router(),
// express.Router()), how many, and the prefix under which the file
// mounts each one it mounts on another of its own (koa-knex-realworld's
// routes/index.js: router.use("/api", api.routes()), so what api.use(users)
// mounts is under /api).
func localRouters(lines []string, imports map[string]string) (map[string]string, int) {
	made := map[string]bool{}
	for _, line := range lines {
		if m := anyRouterMade.FindStringSubmatch(line); m != nil {
			made[m[1]] = true
		}
	}
	local := map[string]string{}
	for pass := 0; pass < 3; pass++ {
		for _, line := range lines {
			if m := expressUse.FindStringSubmatch(line); m != nil && made[m[3]] && imports[m[3]] == "" && m[3] != m[1] {
				local[m[3]] = joinPath(local[m[1]], m[2])
			}
		}
	}
	return local, len(made)
}

// autoloadMounts calls add for each file @fastify/autoload registers
// from a directory under a prefix: a directory's files are under its
// path (routes/api/users/index.ts serves /api/users unless
// dirNameRoutePrefix is false), after the options' prefix. f is the file
// that registers it, with its lines and imports.
func (r *repo) autoloadMounts(f string, lines []string, imports map[string]string, add func(target, prefix, at string)) {
	var names []string
	for name, mod := range imports {
		if mod == "@fastify/autoload" || mod == "fastify-autoload" {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return
	}
	for i, line := range lines {
		m := autoloadRegister.FindStringSubmatch(line)
		if m == nil || !slices.Contains(names, m[1]) || isComment(line) {
			continue
		}
		var dir, prefix string
		dirNames := true
		for j := i; j < len(lines) && j < i+12; j++ {
			if d := autoloadDir.FindStringSubmatch(lines[j]); d != nil && dir == "" {
				dir = path.Join(path.Dir(f), d[1])
			}
			if p := autoloadPrefix.FindStringSubmatch(lines[j]); p != nil {
				prefix = p[1]
			}
			if strings.Contains(lines[j], "dirNameRoutePrefix: false") {
				dirNames = false
			}
			if j > i && strings.HasPrefix(strings.TrimSpace(lines[j]), "})") {
				break
			}
		}
		if dir == "" || strings.HasPrefix(dir, "..") {
			continue
		}
		for _, g := range r.codeFiles() {
			rest, ok := strings.CutPrefix(g, dir+"/")
			if !ok || !isJSFile(g) {
				continue
			}
			p := prefix
			if sub := path.Dir(rest); dirNames && sub != "." {
				p = joinPath(prefix, sub)
			}
			if strings.Trim(p, "/") != "" {
				add(g, p, Evidence{File: f, Line: i + 1}.Where())
			}
		}
	}
}

var (
	// anyRouterMade makes a router of Express or koa-router.
	anyRouterMade = regexp.MustCompile(`^\s*(?:export\s+)?(?:const|let|var)\s+(\w+)\s*=\s*(?:new\s+(?:Koa)?Router\(|(?:require\(\s*['"]express['"]\s*\)\.|express\.)?Router\()`)
	// autoloadRegister registers @fastify/autoload: fastify.register(AutoLoad, {.
	autoloadRegister = regexp.MustCompile(`\.register\(\s*(\w+)\s*,\s*\{`)
	// autoloadDir is the directory it loads: dir: path.join(__dirname, 'routes'),
	// join(import.meta.dirname, "routes").
	autoloadDir    = regexp.MustCompile(`\bdir\s*:\s*(?:path\.)?(?:join|resolve)\(\s*(?:__dirname|import\.meta\.dirname|\w+)\s*,\s*['"]([^'"]+)['"]\s*\)`)
	autoloadPrefix = regexp.MustCompile(`\bprefix\s*:\s*['"` + "`" + `](/[^'"` + "`" + `]*)['"` + "`" + `]`)
)

var (
	// routerMade makes a router: const router = express.Router(),
	// require("express").Router(), Router().
	routerMade = regexp.MustCompile(`^\s*(?:const|let|var)\s+(\w+)\s*=\s*(?:require\(\s*['"]express['"]\s*\)\.|express\.)?Router\(`)
	// routeOn registers a route on a receiver: app.get('/x', ...).
	routeOn = regexp.MustCompile(`\b(\w+)\.(?:get|post|put|patch|delete|all|route)\(\s*['"` + "`" + `]/`)
)

// ownRouter reports whether lines make name a router (express.Router(),
// require("express").Router(), Router()) and register no route on
// anything else, so that every route of the file is that router's.
func ownRouter(lines []string, name string) bool {
	found := false
	for _, line := range lines {
		if m := routerMade.FindStringSubmatch(line); m != nil && m[1] == name {
			found = true
		}
		for _, m := range routeOn.FindAllStringSubmatch(line, -1) {
			if m[1] != name {
				return false
			}
		}
	}
	return found
}

func isJSFile(f string) bool {
	switch path.Ext(f) {
	case ".js", ".mjs", ".cjs", ".ts":
		return true
	}
	return false
}

// jsModule resolves an import of file to a file of the repository: a
// relative one, or one tsconfig's paths map ("@/api/x" is src/api/x); ""
// when none is there (a package's).
func (r *repo) jsModule(file, spec string) string {
	if spec == "" {
		return ""
	}
	if !strings.HasPrefix(spec, ".") {
		for _, a := range r.jsAliases() {
			rest, ok := strings.CutPrefix(spec, a.prefix)
			if !ok || !a.wildcard && rest != "" {
				continue
			}
			for _, t := range a.targets {
				if f := r.jsFile(path.Join(t, rest)); f != "" {
					return f
				}
			}
			return ""
		}
		return ""
	}
	return r.jsFile(path.Join(path.Dir(file), spec))
}

// jsFile is the file of the repository a module path names, with the
// extensions an import may leave out; "" when none is there.
func (r *repo) jsFile(base string) string {
	if strings.HasPrefix(base, "../") || base == ".." || path.IsAbs(base) {
		return ""
	}
	for _, ext := range jsModuleExts {
		if r.read(base+ext) != nil {
			return base + ext
		}
	}
	// TypeScript imports name the compiled .js: ./routes/posts.js is ./routes/posts.ts.
	if stem, ok := strings.CutSuffix(base, ".js"); ok && r.read(stem+".ts") != nil {
		return stem + ".ts"
	}
	return ""
}
