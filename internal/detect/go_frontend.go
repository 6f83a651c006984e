package detect

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

// A Frontend is a single-page app whose build output a Go program embeds
// (//go:embed): gotify's ui/build, filebrowser's frontend/dist. Git holds
// none of it, or a placeholder (a .gitkeep, a stub index.html), so the
// image builds it with the app's own package manager in a stage of its
// own before go build, as the repositories' own release builds do. Or
// one the program serves from a directory at run time, which its
// configuration's default names (inbucket's UIDir, default "ui/dist"):
// the image carries the output there.
type Frontend struct {
	// Dir is the app's directory (holding its package.json), relative.
	Dir string
	// Out is the build output the program embeds, relative to the root.
	Out string
	// Script is the package.json script that writes Out, and the
	// evidence that it does.
	Script Evidence
	// Embed is the //go:embed directive that takes Out, or, when Runtime,
	// the configuration default that names it.
	Embed Evidence
	// Runtime is set when the program reads Out at run time rather than
	// embedding it: the image holds it beside the program, at Dest.
	Runtime bool
	// Dest is where the program reads a Runtime build, relative to its
	// working directory, or where the build puts an embedded one before
	// go build, relative to the root: Out unless the repository's
	// Dockerfile puts it elsewhere (ezbookkeeping's dist, at public;
	// statping-ng's frontend/dist, at source/dist).
	Dest string
	// Run is the shell command that builds it where no package.json
	// script does: the repository's Dockerfile's own (fathom's
	// `NODE_ENV=production ./node_modules/gulp/bin/gulp.js`); Script
	// then says where it comes from.
	Run string
	// Stack holds the app's Node version and package manager (paths
	// relative to the root).
	Stack *Stack
	// Workspace is the root's pnpm-workspace.yaml entry that makes the
	// app a member of a workspace whose lock file is the root's (gogs'
	// web/): the image installs at the root and builds in Dir. nil
	// otherwise.
	Workspace *Evidence
	// FromRoot is set when Run is a Makefile rule's recipe, run from the
	// repository's root after the install in Dir (hound's, ntfy's): the
	// stage holds the whole tree.
	FromRoot bool
	// Shared is set when the repository holds part of Out and the build
	// adds to it (linkding's bookmarks/static): the build context keeps it.
	Shared bool
}

// pnpmWorkspace makes f a member of the root's pnpm workspace where
// pnpm-workspace.yaml lists its directory (by name or a pattern) and the
// lock file is the root's: the app's own directory holds no lock file
// (gogs' web/, `packages: ["web"]`, pnpm-lock.yaml at the root), so an
// install there would resolve afresh with npm. Its package manager is
// then the root's.
func (r *repo) pnpmWorkspace(f *Frontend) {
	if f == nil || f.Dir == "." || !exists(r.dir, "pnpm-lock.yaml") || exists(r.dir, path.Join(f.Dir, "pnpm-lock.yaml")) {
		return
	}
	for _, p := range r.workspaceEntries() {
		if p.Exclude || p.File != "pnpm-workspace.yaml" || !p.Matches(f.Dir) {
			continue
		}
		st := &Stack{Language: "node"}
		r.nodeTools(st)
		if st.Version == nil {
			st.Version = f.Stack.Version // the member's engines
		}
		st.InstallEnv = append(st.InstallEnv, f.Stack.InstallEnv...)
		f.Stack = st
		f.Workspace = &Evidence{Value: f.Dir, File: "pnpm-workspace.yaml", Line: p.Line, Why: "a member of the root's pnpm workspace, whose lock file is the root's"}
		return
	}
}

// Built is where the image puts the build: Dest, else Out.
func (f *Frontend) Built() string {
	if f.Dest != "" {
		return f.Dest
	}
	return f.Out
}

// outDirFlag is a build tool's output flag in a script: vite build
// --outDir=../server/dist, tsc --outDir build, babel --out-dir lib,
// parcel build --dist-dir www.
var outDirFlag = regexp.MustCompile(`--(?:out-?[dD]ir|dist-dir)[= ]\s*['"]?([\w./-]+)`)

// servedDir is a configuration default that may name a front end's build
// output: a relative path of two or more parts (ui/dist, web/build).
var servedDir = regexp.MustCompile(`^(?:\./)?[\w.-]+(?:/[\w.-]+)+/?$`)

// goRuntimeFrontend is the front end a Go program serves from a directory
// that a default of its configuration names, a struct tag's or a flag's
// (inbucket v3's `UIDir string default:"ui/dist"`, read by envconfig),
// where git does not hold that directory and a package.json's script
// writes it (ui/package.json's `parcel build`). nil when there is none.
func (r *repo) goRuntimeFrontend(s *Stack) *Frontend {
	// The chosen program's own packages only: another program's default
	// (a preview tool's --static) is not what the server serves.
	var scope map[string]bool
	if len(s.Entrypoints) > 0 && !s.ambiguousEntry() {
		scope = project.GoScope(r.dir, s.Entrypoints[0].Value)
	}
	var candidates []Evidence
	add := func(def, file string, line int, why string) {
		if !servedDir.MatchString(def) || scope != nil && !scope[path.Dir(file)] {
			return
		}
		out := path.Clean(def)
		if strings.HasPrefix(out, "..") || exists(r.dir, out) {
			return
		}
		candidates = append(candidates, Evidence{Value: out, File: file, Line: line, Why: why})
	}
	for _, v := range r.goTagVars() {
		add(v.def, v.File, v.Line, "the default of "+v.Value)
	}
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".go") {
			for _, fl := range r.goStringFlags(f) {
				add(fl.value, f, fl.line, "the default of its --"+fl.name+" flag")
			}
		}
	}
	f := r.goFrontend(candidates)
	if f != nil {
		f.Runtime = true
	}
	return f
}

// dockerfileFrontend is the front end the repository's own Dockerfile
// builds in a Node stage and copies into its final stage beside the
// program (mayswind/ezbookkeeping's fe-builder, FROM node, whose dist its
// final stage copies to /ezbookkeeping/public under WORKDIR
// /ezbookkeeping), where a package.json script writes that output and git
// does not hold it: the image builds it so too and puts it at the same
// path under /app. nil when there is none.
func (r *repo) dockerfileFrontend() *Frontend {
	for _, name := range r.repoDockerfiles() {
		file := r.dockerfileParsed(name)
		if file == nil {
			continue
		}
		final := file.FinalStage()
		wd := workdir(final)
		for _, in := range final.All("COPY") {
			from, ok := in.Flag("from")
			srcs := in.SourcePaths()
			if !ok || len(srcs) != 1 {
				continue
			}
			stage := file.StageByName(from)
			if stage == nil || !strings.HasPrefix(stage.Root().Repository, "node") && !strings.HasSuffix(stage.Root().Repository, "/node") {
				continue
			}
			out, ok := r.stageSource(stage, path.Clean(srcs[0]))
			dest, _ := copyDest(in, wd)
			rel, inWD := strings.CutPrefix(path.Clean(dest), strings.TrimSuffix(wd, "/")+"/")
			if !ok || !inWD || strings.HasPrefix(out, "..") || exists(r.dir, out) {
				continue
			}
			f := r.goFrontend([]Evidence{{Value: out, File: name, Line: in.Line, Why: "the repository's Dockerfile copies it from its Node stage " + from + " to " + dest}})
			if f != nil {
				f.Runtime, f.Dest = true, rel
				return f
			}
		}
		return nil
	}
	return nil
}

// buildStageFrontend is the front end the repository's own Dockerfile
// builds in a Node stage and copies into the stage that builds the Go
// program, where the program embeds or boxes it (wanted) and git does
// not hold it: usefathom/fathom's assetbuilder runs gulp, which writes
// assets/build, and its binarybuilder copies that to ./assets/build, a
// packr box; statping-ng's frontend stage runs `yarn build` into
// /statping/dist, copied to ./source/dist, a go.rice box. The image
// builds it so too: with the package.json script that writes it, else
// the one the stage runs, else the stage's own command. nil when there
// is none.
func (r *repo) buildStageFrontend(wanted []Evidence) *Frontend {
	return r.nodeStageFrontend(r.repoDockerfiles(), wanted)
}

// nodeStageFrontend is buildStageFrontend over the Dockerfiles names;
// with wanted nil, any directory a Node stage's build is copied to is
// wanted, whether git holds part of it or not (linkding's
// bookmarks/static, where its rollup and postcss write beside the
// files it commits).
func (r *repo) nodeStageFrontend(names []string, wanted []Evidence) *Frontend {
	for _, name := range names {
		file := r.dockerfileParsed(name)
		if file == nil {
			continue
		}
		for _, st := range file.Stages {
			if nodeStage(st) {
				continue
			}
			for _, in := range st.All("COPY") {
				from, ok := in.Flag("from")
				srcs := in.SourcePaths()
				node := file.StageByName(from)
				if !ok || len(srcs) != 1 || node == nil || !nodeStage(node) {
					continue
				}
				dest, ok := copyDest(in, workdir(st))
				if !ok {
					continue
				}
				at, ok := r.stageSource(st, path.Clean(dest))
				if !ok || strings.HasPrefix(at, "..") || wanted != nil && exists(r.dir, at) {
					continue
				}
				use := Evidence{Value: at, File: name, Line: in.Line, Why: "the repository's Dockerfile copies its Node stage " + node.Name + "'s build there"}
				if wanted != nil {
					i := slices.IndexFunc(wanted, func(w Evidence) bool { return w.Value == at || strings.HasPrefix(at, w.Value+"/") })
					if i < 0 {
						continue
					}
					use = wanted[i]
				}
				out, ok := r.stageSource(node, path.Join("/", srcs[0])) // a --from source is the stage's absolute path
				if !ok || strings.HasPrefix(out, "..") || out == "" || out == "." {
					continue
				}
				if f := r.nodeStageBuild(name, node, out); f != nil {
					f.Embed = use
					if wanted == nil {
						f.Runtime, f.Dest = true, at // read at run time from the tree
						f.Shared = exists(r.dir, out)
					}
					if at != out {
						f.Dest = at
					}
					return f
				}
			}
		}
	}
	return nil
}

// nodeStage reports whether a stage is built FROM a Node image.
func nodeStage(st *dockerfile.Stage) bool {
	repo := st.Root().Repository
	return strings.HasPrefix(repo, "node") || strings.HasSuffix(repo, "/node")
}

var (
	// nodeInstallStep is a step of a Node stage's RUN that installs or
	// cleans, not builds: the image's own stage installs as it does.
	nodeInstallStep = regexp.MustCompile(`^(?:npm\s+(?:ci|i|install|cache)|yarn(?:\s+(?:install|cache)|\s*$|\s+--)|pnpm\s+(?:i|install|fetch|store)|corepack|apk|apt-get|rm)\b`)
	// nodeRunScript is a step that runs a package.json script: npm run
	// build, yarn build, pnpm run build.
	nodeRunScript = regexp.MustCompile(`^(?:npm\s+run|yarn(?:\s+run)?|pnpm(?:\s+run)?)\s+([\w:.-]+)\s*$`)
)

// nodeStageBuild is how a Node stage of the repository's Dockerfile
// builds out (a repository path): the app whose directory is on out's
// path, with the package.json script that writes out, else the script
// the stage's RUN runs, else the stage's own build command (its RUN
// steps but the installs). nil when the stage builds nothing init can
// run so.
func (r *repo) nodeStageBuild(dockerfileName string, node *dockerfile.Stage, out string) *Frontend {
	dirs := r.frontendDirs(out)
	if d, ok := stagePackageDir(node); ok && exists(r.dir, path.Join(d, "package.json")) {
		dirs = append([]string{d}, dirs...) // the package.json the stage copies (linkding's, at the root; not its docs site's)
	}
	if len(dirs) == 0 {
		return nil
	}
	dir := dirs[0]
	sub := &repo{dir: filepath.Join(r.dir, dir), lines: map[string][]string{}, lang: "node"}
	var pkg packageJSON
	if json.Unmarshal([]byte(strings.Join(sub.read("package.json"), "\n")), &pkg) != nil {
		return nil
	}
	st := &Stack{Language: "node"}
	sub.nodeTools(st)
	for _, ev := range []*Evidence{st.Version, st.PackageManager} {
		if ev != nil && ev.File != "" {
			ev.File = path.Join(dir, ev.File)
		}
	}
	f := &Frontend{Dir: dir, Out: out, Stack: st}
	if script, o, ok := sub.scriptWriting(pkg, dir, out); ok && o == out {
		script.File = path.Join(dir, script.File)
		f.Script = script
		return f
	}
	var steps []string
	line := 0
	for _, in := range node.All("RUN") {
		for _, part := range strings.Split(in.Text(), "&&") {
			if part = strings.TrimSpace(part); part != "" && !nodeInstallStep.MatchString(part) {
				steps = append(steps, part)
				line = in.Line
			}
		}
	}
	if len(steps) == 0 || slices.ContainsFunc(steps, func(s string) bool { return strings.ContainsAny(s, ";|<>`$") }) {
		return nil
	}
	why := fmt.Sprintf("the repository's Dockerfile builds %s so in its Node stage %s", out, node.Name)
	if m := nodeRunScript.FindStringSubmatch(steps[0]); len(steps) == 1 && m != nil && pkg.Scripts[m[1]] != "" {
		f.Script = Evidence{Value: m[1], File: dockerfileName, Line: line, Why: why}
		return f
	}
	f.Run = strings.Join(steps, " && ")
	f.Script = Evidence{Value: f.Run, File: dockerfileName, Line: line, Why: why}
	return f
}

// stagePackageDir is the repository directory whose package.json a Node
// stage copies by name (COPY package.json package-lock.json ./, COPY
// pinry-spa/package.json ./).
func stagePackageDir(stage *dockerfile.Stage) (string, bool) {
	for _, in := range stage.All("COPY") {
		if _, from := in.Flag("from"); from {
			continue
		}
		for _, src := range in.SourcePaths() {
			if src = path.Clean(strings.TrimPrefix(src, "./")); path.Base(src) == "package.json" && !strings.HasPrefix(src, "..") {
				return path.Dir(src), true
			}
		}
	}
	return "", false
}

// stageSource is the repository path a path of a build stage's holds: a
// directory the stage copies there from the context (jhaals/yopass's
// website stage: COPY website /website, so /website/dist is website/dist
// once built; the last such copy, which is what the stage holds), else
// its working directory's (COPY . .). A file copied into the directory
// (fathom's COPY gulpfile.js ./) holds nothing under it.
func (r *repo) stageSource(stage *dockerfile.Stage, p string) (string, bool) {
	wd := workdir(stage)
	found, ok := "", false
	for _, in := range stage.All("COPY") {
		srcs := in.SourcePaths()
		if _, from := in.Flag("from"); from || len(srcs) != 1 {
			continue
		}
		dest, destOK := copyDest(in, wd)
		if !destOK {
			continue
		}
		src := path.Clean(strings.TrimPrefix(srcs[0], "./"))
		if info, err := os.Stat(filepath.Join(r.dir, filepath.FromSlash(src))); err == nil && !info.IsDir() {
			continue
		}
		if rest, in := strings.CutPrefix(p, path.Clean(dest)+"/"); in && !strings.ContainsAny(src, "*?[$") && !strings.HasPrefix(src, "..") {
			found, ok = path.Join(src, rest), true
		}
	}
	if ok {
		return found, true
	}
	return strings.CutPrefix(p, strings.TrimSuffix(wd, "/")+"/")
}

// nodeServedDir is a directory an Express server serves or sends files
// from, as the parts of a path.join or path.resolve (the first, __dirname
// or a variable, dropped) or one string: bradtraversy/proshop-v2's
// express.static(path.join(__dirname, '/frontend/build')), or the root
// of @fastify/static's options (fastify-example-twitter's root:
// path.join(__dirname, 'frontend', 'build')).
var nodeServedDir = regexp.MustCompile(`(?:express\.static\(|\broot\s*:)\s*(?:path\.(?:join|resolve)\(\s*[\w.()]+\s*,\s*((?:['"][^'"]+['"]\s*,?\s*)+)\)|['"]([^'"]+)['"])`)

// nodeQuoted are the quoted parts of a path.join's arguments.
var nodeQuoted = regexp.MustCompile(`['"]([^'"]+)['"]`)

// nodeFrontend is a front end the Node server serves at run time from a
// directory git does not hold, which a package.json script in the
// repository builds (proshop-v2's backend serves frontend/build, which
// frontend/'s react-scripts build writes): the image builds it in a stage
// of its own and carries it where the server reads it. The directory is
// read as the working directory's (the image's /app) or the serving
// file's.
func (r *repo) nodeFrontend(s *Stack) *Frontend {
	var candidates []Evidence
	for _, f := range r.codeFiles() {
		if !isJSFile(f) {
			continue
		}
		for i, line := range r.read(f) {
			m := nodeServedDir.FindStringSubmatch(line)
			if m == nil || isComment(line) {
				continue
			}
			dir := m[2]
			if m[1] != "" {
				var parts []string
				for _, q := range nodeQuoted.FindAllStringSubmatch(m[1], -1) {
					parts = append(parts, strings.Trim(q[1], "/"))
				}
				dir = path.Join(parts...)
			}
			for _, d := range []string{path.Clean(strings.TrimPrefix(dir, "/")), path.Join(path.Dir(f), dir)} {
				if servedDir.MatchString(d) && !strings.HasPrefix(d, "..") && !r.holdsFiles(d) {
					candidates = append(candidates, Evidence{Value: d, File: f, Line: i + 1, Why: "the directory the server serves"})
				}
			}
		}
	}
	fe := r.goFrontend(candidates)
	if fe != nil {
		fe.Runtime = true
	}
	return fe
}

// goFrontend finds the front-end build an embed takes: a package.json, in
// a directory on the embed's path or at the top of the repository, with a
// script whose output is the embedded directory (an --outDir flag, else
// the build script's Vite or Create React App output).
func (r *repo) goFrontend(embeds []Evidence) *Frontend {
	for _, e := range embeds {
		var found []*Frontend
		for _, dir := range r.frontendDirs(e.Value) {
			sub := &repo{dir: filepath.Join(r.dir, dir), lines: map[string][]string{}, lang: "node"}
			var pkg packageJSON
			if json.Unmarshal([]byte(strings.Join(sub.read("package.json"), "\n")), &pkg) != nil {
				continue
			}
			script, out, ok := sub.scriptWriting(pkg, dir, e.Value)
			if !ok || out != e.Value && exists(r.dir, out) {
				continue // a build into the embedded directory whose output git holds
			}
			s := &Stack{Language: "node"}
			sub.nodeTools(s)
			evs := []*Evidence{s.Version, s.PackageManager, &script}
			for i := range s.InstallEnv {
				evs = append(evs, &s.InstallEnv[i])
			}
			for _, ev := range evs {
				if ev != nil && ev.File != "" {
					ev.File = path.Join(dir, ev.File)
				}
			}
			f := &Frontend{Dir: dir, Out: out, Script: script, Embed: e, Stack: s}
			if out == e.Value {
				return f
			}
			found = append(found, f)
		}
		// One build writes inside the embedded directory; where several
		// do (alertmanager's ui/app and ui/mantine-ui, each into its own
		// part of app/dist), building one would leave the program
		// without the other: none is chosen.
		if len(found) == 1 {
			return found[0]
		}
	}
	return nil
}

// frontendDirs are the directories that may hold the app whose output
// out is: those on out's path (ui for ui/build), then the top-level ones
// (memos' web/ writes server/router/frontend/dist), the root last.
func (r *repo) frontendDirs(out string) []string {
	var dirs []string
	seen := map[string]bool{}
	add := func(d string) {
		if !seen[d] && d != out && exists(r.dir, path.Join(d, "package.json")) {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for d := path.Dir(out); d != "." && d != "/"; d = path.Dir(d) {
		add(d)
	}
	// Their other apps too: alertmanager's ui/mantine-ui writes into
	// ui/app/dist beside ui/app's own build.
	for d := path.Dir(out); d != "." && d != "/"; d = path.Dir(d) {
		entries, _ := os.ReadDir(filepath.Join(r.dir, d))
		for _, en := range entries {
			if en.IsDir() && !strings.HasPrefix(en.Name(), ".") && en.Name() != "node_modules" {
				add(path.Join(d, en.Name()))
			}
		}
	}
	entries, _ := os.ReadDir(r.dir)
	for _, en := range entries {
		if en.IsDir() && !strings.HasPrefix(en.Name(), ".") && en.Name() != "node_modules" {
			add(en.Name())
		}
	}
	add(".")
	return dirs
}

// scriptWriting is the package.json script (in the app at dir) whose
// output is out or a directory inside it (mailpit embeds server/ui, and
// its build writes server/ui/dist), with its evidence and that output.
func (r *repo) scriptWriting(pkg packageJSON, dir, out string) (Evidence, string, bool) {
	writes := func(o string) bool { return o == out || strings.HasPrefix(o, out+"/") }
	for _, n := range slices.Sorted(maps.Keys(pkg.Scripts)) {
		at := func() *Evidence { return r.packageKey(n) }
		if m := outDirFlag.FindStringSubmatch(pkg.Scripts[n]); m != nil && writes(path.Join(dir, m[1])) {
			if e := at(); e != nil {
				o := path.Join(dir, m[1])
				e.Value, e.Why = n, "writes "+o+" ("+strings.TrimSpace(m[0])+")"
				return *e, o, true
			}
		}
		// A build script of its own that calls esbuild (mailpit's
		// "build": "MINIFY=true node esbuild.config.mjs", whose
		// outdir is server/ui/dist/).
		if m := nodeScriptFile.FindStringSubmatch(pkg.Scripts[n]); m != nil && n == "build" {
			if e := r.find(m[1], esbuildOutdir); e != nil && writes(path.Join(dir, e.Value)) {
				o := path.Join(dir, e.Value) // ../server/ui/dist from web/ too
				if b := at(); b != nil {
					b.Value, b.Why = n, fmt.Sprintf("writes %s (%s:%d: outdir %q)", o, path.Join(dir, e.File), e.Line, e.Value)
					return *b, o, true
				}
			}
		}
	}
	// webpack writes its configuration's output.path (psitransfer's app/:
	// "build": "cross-env NODE_ENV=production webpack", whose
	// webpack.config.js puts it in ../public/app, which the server serves).
	if build := pkg.Scripts["build"]; webpackBuild.MatchString(build) {
		if e := r.webpackOutput(); e != nil && writes(path.Join(dir, e.Value)) {
			o := path.Join(dir, e.Value)
			if b := r.packageKey("build"); b != nil {
				b.Value, b.Why = "build", fmt.Sprintf("writes %s (%s:%d: output.path %q)", o, path.Join(dir, e.File), e.Line, e.Value)
				return *b, o, true
			}
		}
	}
	// Parcel 2 writes dist unless --dist-dir says otherwise (inbucket's
	// ui/: "parcel build --public-url ./"). Only here, for a front end a
	// Go program serves: a Node app that builds its client with Parcel
	// may still be a server (staticApp).
	if build := pkg.Scripts["build"]; strings.Contains(build, "parcel build") {
		o := "dist"
		if m := outDirFlag.FindStringSubmatch(build); m != nil {
			o = m[1]
		}
		if o = path.Join(dir, o); writes(o) {
			if e := r.find("package.json", regexp.MustCompile(`"build"\s*:`)); e != nil {
				e.Value, e.Why = "build", "Parcel builds a static single-page app, into "+o
				return *e, o, true
			}
		}
	}
	if e := r.staticApp(pkg); e != nil && writes(path.Join(dir, e.Value)) {
		o := path.Join(dir, e.Value)
		e.Value, e.Why = "build", e.Why+", into "+o
		return *e, o, true
	}
	return Evidence{}, "", false
}

var (
	// webpackBuild is a build script that runs webpack's CLI (not its
	// development server) with its default configuration file.
	webpackBuild = regexp.MustCompile(`(?:^|[\s&;])webpack(?:\s+--mode[= ]\w+|\s+-p|\s+--progress)*\s*(?:$|&&|;)`)
	// webpackOutputOpen opens a webpack configuration's output block.
	webpackOutputOpen = regexp.MustCompile(`^\s*output\s*:\s*\{`)
	// webpackOutputPath is its path, relative to the configuration's
	// directory: path: path.resolve(__dirname, '../public/app').
	webpackOutputPath = regexp.MustCompile(`^\s*path\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*['"]([\w./-]+)['"]\s*\)`)
	// nodeScriptFile is the script file a package.json script runs with
	// node: "MINIFY=true node esbuild.config.mjs".
	nodeScriptFile = regexp.MustCompile(`(?:^|\s)node\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w./-]+\.[cm]?js)\b`)
	// esbuildOutdir is esbuild's outdir option in such a script, relative
	// to where it runs.
	esbuildOutdir = regexp.MustCompile(`^\s*outdir:\s*["'\x60]([\w./-]+)["'\x60]`)
)

// webpackOutput is the output.path of the package's webpack.config.js,
// relative to the package, nil when it sets none init can read.
func (r *repo) webpackOutput() *Evidence {
	for _, f := range []string{"webpack.config.js", "webpack.config.cjs"} {
		open := false
		for i, line := range r.read(f) {
			if webpackOutputOpen.MatchString(line) {
				open = true
				continue
			}
			if !open {
				continue
			}
			if m := webpackOutputPath.FindStringSubmatch(line); m != nil {
				return &Evidence{Value: path.Clean(m[1]), File: f, Line: i + 1}
			}
			if strings.HasPrefix(strings.TrimSpace(line), "}") {
				open = false // the output block ends without a path
			}
		}
	}
	return nil
}
