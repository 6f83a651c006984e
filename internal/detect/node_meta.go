package detect

import (
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// The full-stack frameworks whose build writes the server node runs (or a
// static site): Nuxt's Nitro, SvelteKit's adapters, Astro's adapters,
// React Router's and Remix's serve commands. Their routes are files.
// The thirtieth try's sixteen such services stopped on "no entry point
// found" in eight of sixteen and "no health route" in ten.
var (
	// metaFrameworks is each framework's package and the word its build
	// script runs.
	metaFrameworks = []struct{ name, pkg string }{
		{"nuxt", "nuxt"}, {"sveltekit", "@sveltejs/kit"}, {"astro", "astro"},
		{"react-router", "@react-router/dev"}, {"remix", "@remix-run/dev"},
	}
	// svelteAdapter and astroAdapter are the adapter a config imports.
	svelteAdapter = regexp.MustCompile(`from\s+['"](?:@sveltejs/adapter-|svelte-adapter-)([\w-]+)['"]|require\(\s*['"](?:@sveltejs/adapter-|svelte-adapter-)([\w-]+)['"]`)
	astroAdapters = []string{"node", "vercel", "netlify", "cloudflare", "deno"}
	astroAdapter  = regexp.MustCompile(`from\s+['"]@astrojs/([\w-]+)['"]|require\(\s*['"]@astrojs/([\w-]+)['"]`)
	// metaOut is an adapter's output directory option: adapter({ out:
	// 'build' }), adapter({ pages: 'build' }), outDir: './dist'.
	metaOut = regexp.MustCompile(`\b(?:out|pages|outDir)\s*:\s*['"]\.?/?([\w.-][\w./-]*)['"]`)
	// astroOutput is Astro's output mode; astroPort its server's port;
	// astroMiddleware the node adapter's middleware mode, which builds a
	// handler for a server of the app's own, not a server.
	astroOutput     = regexp.MustCompile(`\boutput\s*:\s*['"](server|hybrid|static)['"]`)
	astroPort       = regexp.MustCompile(`\bport\s*:\s*(\d{2,5})\b`)
	astroMiddleware = regexp.MustCompile(`\bmode\s*:\s*['"]middleware['"]`)
	// nitroPreset is a preset; nitroBlock opens a Nuxt config's nitro
	// settings, where Nitro's is.
	nitroPreset = regexp.MustCompile(`\bpreset\s*:\s*['"]([\w-]+)['"]`)
	nitroBlock  = regexp.MustCompile(`\bnitro\s*:\s*\{`)
	// routeModuleExts are the files a route module may be.
	routeModuleExts = map[string]bool{".tsx": true, ".ts": true, ".jsx": true, ".js": true, ".mjs": true, ".mdx": true, ".md": true}
	// svelteStaticEnv imports variables SvelteKit writes into the build:
	// import { PUBLIC_GOOGLE_CLIENT_ID } from '$env/static/public'.
	svelteStaticEnv = regexp.MustCompile(`^\s*import\s*\{([^}]*)\}\s*from\s*['"]\$env/static/(?:public|private)['"]`)
	// svelteSources are the files a SvelteKit app's code is in.
	svelteSources = map[string]bool{".js": true, ".ts": true, ".svelte": true, ".mjs": true}
	// nuxtBuild and remixBuild are the build scripts' commands (nuxt
	// build or generate, which is a static site's).
	nuxtBuild  = regexp.MustCompile(`\bnux[ti]\s+(build|generate)\b`)
	remixBuild = regexp.MustCompile(`\bremix\s+(?:vite:)?build\b`)
	// jsGETExport is an endpoint module's GET handler (SvelteKit's
	// +server.ts, an Astro endpoint).
	jsGETExport = regexp.MustCompile(`export\s+(?:const|async\s+function|function)\s+GET\b`)
	// rrPlatformPreset, rrFlatRoutes and rrParam are React Router's: a
	// preset building for a platform, file-based routes in app/routes.ts,
	// a :param of a path.
	rrPlatformPreset = regexp.MustCompile(`\b(vercel|netlify|cloudflare)Preset\(`)
	rrFlatRoutes     = regexp.MustCompile(`flatRoutes\(`)
	rrParam          = regexp.MustCompile(`:(\w+)\??`)
	// rrSSR is React Router's `ssr: false`: a static single-page app.
	rrSSR = regexp.MustCompile(`\bssr\s*:\s*false\b`)
)

// FullStack reports whether fw is a full-stack framework whose build
// writes the server (or the static site) the image serves, its routes
// files: Nuxt, SvelteKit, Astro, React Router, Remix.
func FullStack(fw string) bool {
	return slices.ContainsFunc(metaFrameworks, func(m struct{ name, pkg string }) bool { return m.name == fw })
}

// metaFramework is the full-stack framework the package builds with: its
// package among the dependencies and its build in the build script.
func (r *repo) metaFramework(pkg packageJSON) *Evidence {
	build := pkg.Scripts["build"]
	for _, fw := range metaFrameworks {
		_, dep := pkg.Dependencies[fw.pkg]
		_, dev := pkg.DevDependencies[fw.pkg]
		if !dep && !dev {
			continue
		}
		if fw.name == "nuxt" && r.depMajor(pkg, "nuxt") == 2 {
			continue // Nuxt 2 writes .nuxt/ and runs `nuxt start`: no Nitro server
		}
		builds := false
		switch fw.name {
		case "nuxt":
			builds = nuxtBuild.MatchString(build)
		case "sveltekit":
			builds = strings.Contains(build, "vite build") || strings.Contains(build, "svelte-kit build")
		case "astro":
			builds = strings.Contains(build, "astro build")
		case "react-router":
			builds = strings.Contains(build, "react-router build")
		case "remix":
			builds = remixBuild.MatchString(build)
		}
		if !builds {
			continue
		}
		if e := r.packageKey(fw.pkg); e != nil {
			e.Value = fw.name
			e.Why = "its build script builds with it"
			return e
		}
	}
	return nil
}

// metaEntry sets what the image runs for a full-stack framework: the
// server its build writes (with the port and address it reads, and
// whether it drains on SIGTERM), or the static site. It reports whether
// it set one; where the configuration builds for another platform, it
// says so in Needs.
func (r *repo) metaEntry(pkg packageJSON, s *Stack) bool {
	fw := s.Framework
	if r.ownServer(pkg) {
		// The start script runs a server of the repository's own, which
		// mounts the build (adapter-node's build/handler.js, an Astro
		// site's dist): the usual reading takes it.
		return false
	}
	at := func(v, why string) Evidence { return Evidence{Value: v, File: fw.File, Line: fw.Line, Why: why} }
	server := func(entry Evidence, port, portWhy string) {
		s.Entrypoints = []Evidence{entry}
		if s.Port == nil {
			s.Port = &Evidence{Value: port, File: entry.File, Line: entry.Line, Why: portWhy}
		}
	}
	static := func(e Evidence) {
		s.Static = &e
		s.Entrypoints = []Evidence{e}
	}
	switch fw.Value {
	case "nuxt":
		if slices.ContainsFunc(nuxtBuild.FindAllStringSubmatch(pkg.Scripts["build"], -1), func(m []string) bool { return m[1] == "generate" }) {
			static(at(".output/public", "nuxt generate writes a static site"))
			return true
		}
		for _, f := range []string{"nuxt.config.ts", "nuxt.config.js", "nuxt.config.mjs"} {
			if e := r.nitroPreset(f); e != nil && !strings.HasPrefix(e.Value, "node") {
				s.Needs = append(s.Needs, Evidence{Value: "set Nitro's preset to node-server (it is " + e.Value + ", which builds no Node server), then run init again", File: e.File, Line: e.Line})
				return true
			}
		}
		server(at(".output/server/index.mjs", "Nuxt's Nitro server, which nuxt build writes"), "3000", "Nitro's default, default of $PORT")
		s.SIGTERM = &Evidence{Value: "SIGTERM", File: fw.File, Line: fw.Line, Why: "Nitro's server closes its connections on it"}
		return true
	case "sveltekit":
		for _, f := range []string{"svelte.config.js", "svelte.config.mjs", "svelte.config.ts"} {
			e := r.findCode(f, svelteAdapter)
			if e == nil {
				continue
			}
			out := "build"
			if o := r.findCode(f, metaOut); o != nil {
				out = path.Clean(o.Value)
			}
			r.svelteStaticEnv(s)
			switch e.Value {
			case "node":
				server(Evidence{Value: out + "/index.js", File: e.File, Line: e.Line, Why: "@sveltejs/adapter-node's server, which the build writes"}, "3000", "adapter-node's default, default of $PORT")
				if r.depMajor(pkg, "@sveltejs/adapter-node") >= 5 {
					// It closes the server and lets the process end by
					// itself, which a pg pool kept alive
					// (sveltekit-auth-example: killed after 10 s).
					s.ClosesOnSIGTERM = &Evidence{Value: "SIGTERM", File: e.File, Line: e.Line, Why: "adapter-node 5 closes its server on it"}
				}
			case "static":
				static(Evidence{Value: out, File: e.File, Line: e.Line, Why: "@sveltejs/adapter-static writes a static site"})
			default:
				s.Needs = append(s.Needs, Evidence{Value: "use @sveltejs/adapter-node (the config uses adapter-" + e.Value + ", which builds no Node server for an image), then run init again", File: e.File, Line: e.Line})
			}
			return true
		}
		s.Needs = append(s.Needs, Evidence{Value: "add svelte.config.js with @sveltejs/adapter-node, then run init again", File: "svelte.config.js"})
		return true
	case "astro":
		for _, f := range []string{"astro.config.mjs", "astro.config.ts", "astro.config.js", "astro.config.mts", "astro.config.cjs"} {
			if r.read(f) == nil {
				continue
			}
			out := "dist"
			if o := r.findCode(f, metaOut); o != nil {
				out = path.Clean(o.Value)
			}
			var a *Evidence
			for i, line := range r.read(f) {
				// An adapter, not an integration (@astrojs/react).
				if m := astroAdapter.FindStringSubmatch(line); m != nil && !isComment(line) && slices.Contains(astroAdapters, matchValue(m)) {
					a = &Evidence{Value: matchValue(m), File: f, Line: i + 1}
					break
				}
			}
			mode := r.findCode(f, astroOutput)
			switch {
			case a == nil && (mode == nil || mode.Value == "static"):
				static(Evidence{Value: out, File: f, Why: "Astro builds a static site (no adapter)"})
			case a == nil || a.Value != "node":
				where := f
				if a != nil {
					where = "@astrojs/" + a.Value
				}
				s.Needs = append(s.Needs, Evidence{Value: "build with @astrojs/node in standalone mode (" + where + " builds no Node server for an image), then run init again", File: f})
			case r.findCode(f, astroMiddleware) != nil:
				return false // a handler for the app's own server, which the usual reading finds
			default:
				port, why := "4321", "Astro's default, default of $PORT"
				if p := r.findCode(f, astroPort); p != nil {
					port, why = p.Value, "the config's server.port ("+p.Where()+"), default of $PORT"
				}
				server(Evidence{Value: out + "/server/entry.mjs", File: a.File, Line: a.Line, Why: "@astrojs/node's standalone server, which astro build writes"}, port, why)
				if s.HostVar == nil {
					s.HostVar = &Evidence{Value: "HOST", File: a.File, Line: a.Line, Why: "@astrojs/node binds localhost unless $HOST says otherwise"}
				}
			}
			return true
		}
		static(at("dist", "Astro builds a static site (no config)"))
		return true
	case "react-router":
		for _, f := range []string{"react-router.config.ts", "react-router.config.js", "react-router.config.mjs"} {
			if e := r.findCode(f, rrPlatformPreset); e != nil {
				// WilliamGroc/dnd-tool's vercelPreset(): its server build
				// is not the one react-router-serve is given.
				s.Needs = append(s.Needs, Evidence{Value: "remove " + e.Value + "Preset() from the config (it builds the server for that platform, not for react-router-serve), then run init again", File: e.File, Line: e.Line})
				return true
			}
			if e := r.findCode(f, rrSSR); e != nil {
				static(Evidence{Value: "build/client", File: e.File, Line: e.Line, Why: "React Router with ssr: false builds a static single-page app"})
				return true
			}
		}
	}
	return false // react-router-serve, remix-serve: the start script says it
}

// metaServe reads a command that runs React Router's or Remix's server
// on a build (react-router-serve ./build/server/index.js, remix-serve
// build): the serve package's bin, given the build, which the image
// carries beside it.
func (r *repo) metaServe(pkg packageJSON, s *Stack, c command, args []string) (Evidence, bool) {
	first := path.Base(args[0])
	serve, ok := serveCommands[first]
	if _, dep := pkg.Dependencies[serve.pkg]; !ok || !dep {
		return Evidence{}, false
	}
	at := -1 // the build's word among args
	for i := 1; i < len(args); i++ {
		name, value, has := strings.Cut(args[i], "=")
		switch {
		case (name == "--port" || name == "-p") && (has || i+1 < len(args)):
			if !has {
				i++
				value = args[i]
			}
			if _, err := strconv.Atoi(value); err == nil && s.Port == nil {
				s.Port = &Evidence{Value: value, File: c.at.File, Line: c.at.Line, Why: first + "'s --port in the command"}
			}
		case strings.HasPrefix(name, "-"):
		case at < 0:
			at = i
		}
	}
	if at < 0 {
		return Evidence{}, false
	}
	build := args[at]
	if first == "react-router-serve" {
		build = r.rrServerBuild(build)
	}
	e := c.at
	e.Value = serve.bin
	e.Why += " (" + first + ", which serves the build " + build + ")"
	served := slices.Clone(args[1:])
	served[at-1] = build // the build, where the config puts it
	r.programArgs = &startArgs{entry: e.Value, at: c.at, args: served}
	dir, _, _ := strings.Cut(path.Clean(strings.TrimPrefix(build, "./")), "/")
	r.builtDirs = append(r.builtDirs, dir)
	s.RuntimeFiles = append(s.RuntimeFiles, Evidence{Value: dir, File: c.at.File, Line: c.at.Line, Why: first + " serves it"})
	if first == "remix-serve" && exists(r.dir, "public") {
		s.RuntimeFiles = append(s.RuntimeFiles, Evidence{Value: "public", File: c.at.File, Line: c.at.Line, Why: "remix-serve serves its files"})
	}
	if s.Port == nil {
		s.Port = &Evidence{Value: "3000", File: c.at.File, Line: c.at.Line, Why: first + "'s default, default of $PORT"}
	}
	if s.SIGTERM == nil {
		s.ClosesOnSIGTERM = &Evidence{Value: "SIGTERM", File: c.at.File, Line: c.at.Line, Why: first + " closes its server on it"}
	}
	return e, true
}

// depMajor is the major version a dependency's range starts at (^5.2.0,
// ~5, 5.x, >=5), 0 where it is not a number.
func (r *repo) depMajor(pkg packageJSON, name string) int {
	v, ok := pkg.Dependencies[name]
	if !ok {
		v = pkg.DevDependencies[name]
	}
	v = strings.TrimLeft(v, "^~>=v ")
	major, _, _ := strings.Cut(v, ".")
	n, _ := strconv.Atoi(major)
	return n
}

// metaRoutes are the routes a full-stack framework serves from its files:
// the index page at /, and the endpoints its server directories hold
// (Nuxt's server/api/health.get.ts, SvelteKit's src/routes/health/
// +server.ts, Astro's src/pages/api/health.ts, React Router's route
// module api.health.tsx). A dynamic segment stays in the path as {x},
// which no probe takes.
func (r *repo) metaRoutes(s *Stack) []route {
	if s.Framework == nil || s.Static != nil {
		return nil
	}
	var out []route
	add := func(p, file, why string) {
		out = append(out, route{Evidence: Evidence{Value: p, File: file, Line: 1, Why: why}})
	}
	walk := func(root string, fn func(rel string)) {
		_ = filepath.WalkDir(filepath.Join(r.dir, root), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(r.dir, p)
			fn(filepath.ToSlash(rel))
			return nil
		})
	}
	segment := func(seg string) string {
		if strings.HasPrefix(seg, "[") {
			return "{" + strings.Trim(seg, "[].") + "}"
		}
		return seg
	}
	join := func(segs []string) string {
		var kept []string
		for _, seg := range segs {
			if seg == "" || seg == "index" || strings.HasPrefix(seg, "(") && strings.HasSuffix(seg, ")") || strings.HasPrefix(seg, "_") {
				continue // an index, a SvelteKit group, a React Router layout
			}
			kept = append(kept, segment(seg))
		}
		return "/" + strings.Join(kept, "/")
	}
	switch s.Framework.Value {
	case "nuxt":
		for _, dir := range []string{"", "app/"} {
			if exists(r.dir, dir+"pages/index.vue") {
				add("/", dir+"pages/index.vue", "Nuxt's index page (a page, not a health check: add a cheap server/api/health.get.ts)")
			} else if exists(r.dir, dir+"app.vue") && !exists(r.dir, dir+"pages") {
				add("/", dir+"app.vue", "Nuxt serves app.vue at / (a page, not a health check: add a cheap server/api/health.get.ts)")
			}
		}
		for _, root := range []string{"server/api", "server/routes"} {
			walk(root, func(rel string) {
				name := strings.TrimSuffix(rel, path.Ext(rel))
				if strings.HasSuffix(name, ".post") || strings.HasSuffix(name, ".put") || strings.HasSuffix(name, ".patch") || strings.HasSuffix(name, ".delete") {
					return // a write
				}
				name = strings.TrimSuffix(name, ".get")
				p := strings.TrimPrefix(name, "server/routes") // server/api/x is /api/x
				add(join(strings.Split(strings.TrimPrefix(p, "server"), "/")), rel, "a Nitro route file")
			})
		}
	case "sveltekit":
		walk("src/routes", func(rel string) {
			dir, base := path.Split(rel)
			segs := strings.Split(strings.TrimPrefix(dir, "src/routes/"), "/")
			switch {
			case base == "+page.svelte":
				add(join(segs), rel, "a SvelteKit page")
			case strings.HasPrefix(base, "+server.") && r.findCode(rel, jsGETExport) != nil:
				add(join(segs), rel, "a SvelteKit endpoint's GET")
			}
		})
	case "astro":
		walk("src/pages", func(rel string) {
			ext := path.Ext(rel)
			name := strings.TrimSuffix(strings.TrimPrefix(rel, "src/pages/"), ext)
			switch {
			case ext == ".astro" || ext == ".md" || ext == ".mdx" || ext == ".html":
				add(join(strings.Split(name, "/")), rel, "an Astro page")
			case (ext == ".ts" || ext == ".js") && r.findCode(rel, jsGETExport) != nil:
				add(join(strings.Split(name, "/")), rel, "an Astro endpoint's GET")
			}
		})
	case "react-router", "remix":
		routesFile := ""
		for _, f := range []string{"app/routes.ts", "app/routes.js"} {
			if r.read(f) != nil {
				routesFile = f
			}
		}
		if routesFile != "" && r.findCode(routesFile, rrFlatRoutes) == nil {
			return append(out, r.routeConfig(routesFile)...)
		}
		walk("app/routes", func(rel string) {
			if !routeModuleExts[path.Ext(rel)] {
				return // a stylesheet beside a route
			}
			name := strings.TrimSuffix(strings.TrimPrefix(rel, "app/routes/"), path.Ext(rel))
			name = strings.TrimSuffix(strings.TrimSuffix(name, "/route"), "/index")
			if strings.Contains(name, "/") {
				return // a module beside a route (app/routes/x/components.tsx)
			}
			var segs []string
			for _, seg := range strings.Split(name, ".") {
				if strings.HasPrefix(seg, "$") {
					seg = "[" + strings.TrimPrefix(seg, "$") + "]"
				}
				segs = append(segs, strings.TrimSuffix(seg, "_"))
			}
			add(join(segs), rel, "a route module")
		})
	}
	return out
}

// svelteStaticEnv lists the variables the code imports from SvelteKit's
// $env/static modules, which its build writes in: the build fails on one
// that is not defined (nstuyvesant/sveltekit-auth-example's
// PUBLIC_GOOGLE_CLIENT_ID, src/lib/google.ts:1). Tests' files aside.
func (r *repo) svelteStaticEnv(s *Stack) {
	seen := map[string]bool{}
	var files []string
	_ = filepath.WalkDir(filepath.Join(r.dir, "src"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && svelteSources[path.Ext(p)] && !project.TestFile(d.Name()) {
			rel, _ := filepath.Rel(r.dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	for _, f := range files {
		lines := r.read(f)
		for i, line := range lines {
			if !strings.Contains(line, "import") {
				continue
			}
			if strings.Contains(line, "{") && !strings.Contains(line, "}") {
				line = strings.Join(lines[i:min(i+20, len(lines))], " ") // import {\n  A,\n  B\n} from ...
			}
			m := svelteStaticEnv.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, name := range strings.Split(m[1], ",") {
				name, _, _ = strings.Cut(strings.TrimSpace(name), " ")
				if name == "" || seen[name] {
					continue
				}
				seen[name] = true
				s.BuildArgs = append(s.BuildArgs, Evidence{Value: name, File: f, Line: i + 1, Why: "SvelteKit writes $env/static/* into the build"})
			}
		}
	}
	slices.SortFunc(s.BuildArgs, func(a, b Evidence) int { return strings.Compare(a.Value, b.Value) })
}

// nitroPreset is the preset a Nuxt config gives Nitro, read inside its
// nitro: { ... } block only (@vite-pwa/nuxt's pwaAssets.preset is not
// Nitro's).
func (r *repo) nitroPreset(file string) *Evidence {
	lines := r.read(file)
	for i, line := range lines {
		if isComment(line) || !nitroBlock.MatchString(line) {
			continue
		}
		depth := 0
		for j := i; j < len(lines) && j < i+60; j++ {
			if m := nitroPreset.FindStringSubmatch(lines[j]); m != nil && !isComment(lines[j]) {
				return &Evidence{Value: m[1], File: file, Line: j + 1}
			}
			if depth += bracketDepth(lines[j]); depth <= 0 && j > i {
				break
			}
		}
	}
	return nil
}

// ownServer reports whether the package's start script runs a server
// file of the repository's own with node (adapter-node's "custom
// server", server.js mounting build/handler.js), not the framework's.
func (r *repo) ownServer(pkg packageJSON) bool {
	for _, name := range []string{"start:prod", "start:production", "start", "serve"} {
		for _, part := range segments(pkg.Scripts[name]) {
			args := unwrap(words(part))
			if len(args) < 2 || path.Base(args[0]) != "node" && args[0] != "tsx" {
				continue
			}
			for _, a := range args[1:] {
				if strings.HasPrefix(a, "-") {
					continue
				}
				f := path.Clean(strings.TrimPrefix(a, "./"))
				return isFile(r.dir, f) && !strings.HasPrefix(f, "build/") && !strings.HasPrefix(f, "dist/") && !strings.HasPrefix(f, ".output/")
			}
		}
	}
	return false
}

// rrCall is a route config's call: route("path", ...), index(...),
// layout(...), prefix("path", [...]).
var rrCall = regexp.MustCompile(`\b(route|index|layout|prefix)\(\s*(?:["']([^"']*)["'])?`)

// routeConfig reads React Router's app/routes.ts: each route's path
// under the prefixes and parent routes it is nested in (...prefix("api",
// [route("health", ...)]) is /api/health), an index route at its
// parent's path. A :param stays as {param}, which no probe takes.
func (r *repo) routeConfig(file string) []route {
	var b strings.Builder
	for _, line := range r.read(file) {
		if k := strings.Index(line, "//"); k >= 0 && !strings.Contains(line[:k], "\"") && !strings.Contains(line[:k], "'") {
			line = line[:k]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	text := b.String()
	type frame struct {
		seg   string
		depth int
	}
	var stack []frame
	var out []route
	depth, pos, at := 0, 0, 1 // at: the line pos is on
	under := func(seg string) string {
		var parts []string
		for _, f := range stack {
			if f.seg != "" {
				parts = append(parts, strings.Trim(f.seg, "/"))
			}
		}
		if seg != "" {
			parts = append(parts, strings.Trim(seg, "/"))
		}
		p := "/" + strings.Join(parts, "/")
		return rrParam.ReplaceAllString(p, "{$1}")
	}
	for _, m := range rrCall.FindAllStringSubmatchIndex(text, -1) {
		for _, c := range text[pos:m[0]] {
			switch c {
			case '\n':
				at++
			case '[':
				depth++
			case ']':
				depth--
				for len(stack) > 0 && stack[len(stack)-1].depth > depth {
					stack = stack[:len(stack)-1]
				}
			}
		}
		pos = m[0]
		kind, arg := text[m[2]:m[3]], ""
		if m[4] >= 0 {
			arg = text[m[4]:m[5]]
		}
		rest := text[m[1]:]
		closeAt, openAt := strings.Index(rest, ")"), strings.Index(rest, "[")
		children := openAt >= 0 && (closeAt < 0 || openAt < closeAt)
		switch kind {
		case "index":
			out = append(out, route{Evidence: Evidence{Value: under(""), File: file, Line: at, Why: "the index route (a page, not a health check: add a cheap resource route)"}})
		case "route":
			if m[4] < 0 {
				continue
			}
			if !strings.Contains(arg, "*") {
				out = append(out, route{Evidence: Evidence{Value: under(arg), File: file, Line: at, Why: "a React Router route"}})
			}
			if children {
				stack = append(stack, frame{arg, depth + 1})
			}
		case "prefix":
			if children && m[4] >= 0 {
				stack = append(stack, frame{arg, depth + 1})
			}
		case "layout":
			if children {
				stack = append(stack, frame{"", depth + 1})
			}
		}
	}
	return out
}

// serveCommands are the serve commands of React Router and Remix: the
// bin node runs, in the package that installs it.
var serveCommands = map[string]struct{ bin, pkg string }{
	"react-router-serve": {"node_modules/@react-router/serve/bin.js", "@react-router/serve"},
	"remix-serve":        {"node_modules/@remix-run/serve/dist/cli.js", "@remix-run/serve"},
}

// rrServerFile is React Router's config moving its server build:
// serverBuildFile: "assets/server-build.js", buildDirectory: "out".
var (
	rrServerFile = regexp.MustCompile(`\bserverBuildFile\s*:\s*["']([\w./-]+)["']`)
	rrBuildDir   = regexp.MustCompile(`\bbuildDirectory\s*:\s*["']\.?/?([\w./-]+)["']`)
)

// rrServerBuild is the server build react-router-serve is given: where
// the config writes it when it moves it (WilliamGroc/dnd-tool's
// serverBuildFile: "assets/server-build.js", while its start script names
// ./build/server/index.js, which the build does not write), else as the
// command names it.
func (r *repo) rrServerBuild(build string) string {
	for _, f := range []string{"react-router.config.ts", "react-router.config.js", "react-router.config.mjs"} {
		file, dir := r.findCode(f, rrServerFile), r.findCode(f, rrBuildDir)
		if file == nil && dir == nil {
			continue
		}
		out, name := "build", "index.js"
		if dir != nil {
			out = path.Clean(dir.Value)
		}
		if file != nil {
			name = path.Clean(file.Value)
		}
		return "./" + path.Join(out, "server", name)
	}
	return build
}
