package detect

import (
	"cmp"
	"encoding/json"
	"fmt"
	"github.com/shipshape/shipshape/internal/runtimes"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/lint/credential"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

type packageJSON struct {
	Name            string            `json:"name"`
	Main            string            `json:"main"`
	Bin             json.RawMessage   `json:"bin"`
	Scripts         map[string]string `json:"scripts"`
	Engines         map[string]string `json:"engines"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	PackageManager  string            `json:"packageManager"`
	// Files are what the package holds when published: what it needs at
	// run time besides its code (json-server's views, schema.json).
	Files []string `json:"files"`
	// Prisma's settings: where its schema is when not prisma/schema.prisma.
	Prisma struct {
		Schema string `json:"schema"`
	} `json:"prisma"`
}

// packageKey is where package.json names key ("start": ...), nil where
// it does not.
func (r *repo) packageKey(key string) *Evidence {
	return r.find("package.json", regexp.MustCompile(`"`+quoteMeta(key)+`"\s*:`))
}

func detectNode(r *repo) *Stack {
	s := &Stack{Language: "node"}
	var pkg packageJSON
	_ = json.Unmarshal([]byte(strings.Join(r.read("package.json"), "\n")), &pkg)
	key := r.packageKey
	r.nodeTools(s)
	s.WorkspaceMembers = r.workspaceMembers()
	if s.PackageManager != nil && s.PackageManager.Value == "pnpm" {
		s.PnpmPatches = r.pnpmPatches()
		if exists(r.dir, "pnpm-workspace.yaml") {
			s.PnpmWorkspaceFile = &Evidence{Value: "pnpm-workspace.yaml", File: "pnpm-workspace.yaml",
				Why: "pnpm's workspace file: its members and the settings the lock file records"}
		}
	}
	s.Framework = r.metaFramework(pkg) // before express, which a React Router app may carry for a server of its own
	for _, fw := range []struct{ name, pkg string }{{"next", "next"}, {"nestjs", "@nestjs/core"}, {"fastify", "fastify"}, {"express", "express"}, {"koa", "koa"}, {"hono", "hono"}} {
		if _, ok := pkg.Dependencies[fw.pkg]; ok && s.Framework == nil {
			if e := key(fw.pkg); e != nil {
				e.Value = fw.name
				s.Framework = e
				break
			}
		}
	}
	_, ts := pkg.DevDependencies["typescript"]
	if _, dep := pkg.Dependencies["typescript"]; (ts || dep) && r.typeScriptSources() || exists(r.dir, "tsconfig.json") {
		s.TypeScript = r.fileEvidence("tsconfig.json", "typescript")
		if s.TypeScript == nil {
			s.TypeScript = key("typescript")
		}
	}
	s.InstallBuild = r.installBuild(pkg)
	s.InstallBuildAlone = s.InstallBuild != nil && runsBuildAlone.MatchString(pkg.Scripts[s.InstallBuild.Value])
	if _, ok := pkg.Scripts["build"]; (ok || s.InstallBuild != nil) && s.TypeScript == nil {
		// A workspace whose members compile themselves, run by the
		// root's build script (kenyipp's `turbo build`, each member's
		// `tsc`): the root holds no tsconfig of its own.
		for _, m := range s.WorkspaceMembers {
			member := r.memberPackage(m.Value)
			_, dev := member.DevDependencies["typescript"]
			_, dep := member.Dependencies["typescript"]
			if e := r.fileEvidence(path.Join(m.Value, "tsconfig.json"), "typescript"); e != nil && (dev || dep) && member.Scripts["build"] != "" {
				e.Why = "workspace member " + m.Value + " compiles its TypeScript in the root's build"
				if _, ok := pkg.Scripts["build"]; !ok {
					e.Why += " (its " + s.InstallBuild.Value + " script)"
				}
				s.TypeScript = e
				break
			}
		}
	}
	s.Templates = r.templates(regexp.MustCompile(`app\.set\(\s*['"]view engine['"]`), "js", nil)
	if script, ok := pkg.Scripts["build"]; ok {
		s.BuildScript = key("build")
		s.BuildFirst = r.buildFirst(pkg)
		for _, c := range []struct{ tool, dir string }{{"nx", ".nx"}, {"turbo", ".turbo"}, {"ng", ".angular"}} {
			if scriptRuns(script, c.tool) {
				s.BuildCaches = append(s.BuildCaches, c.dir)
			}
		}
	}
	for _, name := range []string{"preinstall", "install", "postinstall", "prepare"} {
		if _, ok := pkg.Scripts[name]; ok && s.LifecycleScript == nil {
			if s.LifecycleScript = key(name); s.LifecycleScript != nil {
				s.LifecycleScript.Value = name
			}
		}
	}
	for _, m := range s.WorkspaceMembers {
		// A member's own install-time script runs in the root's install
		// too, where its dev dependencies are left out.
		for _, name := range []string{"preinstall", "install", "postinstall", "prepare"} {
			if _, ok := r.memberPackage(m.Value).Scripts[name]; ok {
				s.MemberLifecycleScripts = append(s.MemberLifecycleScripts, Evidence{Value: m.Value, File: path.Join(m.Value, "package.json"), Why: name})
				break
			}
		}
	}
	if t, ok := pkg.Scripts["test"]; ok && !strings.Contains(t, "no test specified") {
		s.Tests = key("test")
	}
	for _, f := range []string{path.Clean(strings.TrimPrefix(pkg.Prisma.Schema, "./")), "prisma/schema.prisma", "schema.prisma"} {
		if f != "." && !strings.HasPrefix(f, "..") && r.read(f) != nil {
			s.Prisma = &Evidence{Value: f, File: f, Why: "the client is generated at build"}
			break
		}
	}
	if s.Prisma != nil {
		if migrations := path.Join(path.Dir(s.Prisma.Value), "migrations"); exists(r.dir, migrations) {
			s.Migrate = &Evidence{Value: "prisma", File: migrations, Why: "prisma migrate deploy"}
		}
	}
	s.Migrations = r.migrations()
	s.KnexNoProduction = r.knexWithoutProduction()
	var knexDir *Evidence
	if s.Migrate == nil {
		s.Migrate, s.Knexfile, knexDir = r.knexMigrate(pkg)
	}
	r.nodeEntry(pkg, s)
	if e := r.runsTypeScript(s); e != nil {
		s.RunsTypeScript = e
	}
	if s.TypeScript != nil && s.RunsTypeScript == nil {
		// A build's image copies its output alone (and what a serve
		// command serves, already there).
		for _, f := range r.nodeRuntimeFiles(pkg) {
			if !slices.ContainsFunc(s.RuntimeFiles, func(e Evidence) bool { return e.Value == f.Value }) {
				s.RuntimeFiles = append(s.RuntimeFiles, f)
			}
		}
		if s.Knexfile != nil {
			// knex's CLI reads them at release, beside the output.
			s.RuntimeFiles = append(s.RuntimeFiles, *s.Knexfile, *knexDir)
		}
	}
	s.WriteDir = r.nodeWriteDir(s)
	s.Frontend = r.nodeFrontend(s)
	s.ShipsDist = r.shipsDist()
	if e := r.bunApp(pkg); e != nil {
		s.Needs = append(s.Needs, *e)
	}
	return s
}

// shipsDist is the evidence that dist/ is part of the repository, not a
// local build: it is there and git does not ignore its files (a package
// as published to npm runs dist/bin/*.js; an ignored dist/ is whatever the
// last local build left).
func (r *repo) shipsDist() *Evidence {
	// The directory, or a file in it (dist/*, dist/**, a dist/.gitignore
	// of *), as git would see the files it holds.
	if !isDir(r.dir, "dist") || r.gitIgnored("dist") || r.gitIgnored("dist/index.js") {
		return nil
	}
	return &Evidence{Value: "dist", File: "dist", Why: "the repository holds dist/ (git does not ignore it): it runs as it is"}
}

// typeScriptSources reports whether the tree holds TypeScript to compile:
// a package published to npm (verdaccio) lists typescript among its
// devDependencies but ships compiled JavaScript and declarations only,
// and its build script has no sources to build.
func (r *repo) typeScriptSources() bool {
	for _, f := range r.codeFiles() {
		if ext := path.Ext(f); (ext == ".ts" || ext == ".mts" || ext == ".cts") && !strings.HasSuffix(strings.TrimSuffix(f, ext), ".d") {
			return true
		}
	}
	return false
}

var bunScript = regexp.MustCompile(`(?:^|[\s&;|(])bunx?\s`)

// bunApp is the evidence that the package is a Bun app, not a Node one:
// Bun's lock file and no other, and scripts that run bun (todo-all-
// framework's hono-todo: `bun run --hot src/index.ts`, an `export default
// app` that Bun serves and node does not). init builds Node images, so it
// stops and says so rather than write one that serves nothing.
func (r *repo) bunApp(pkg packageJSON) *Evidence {
	lock := r.firstFile([2]string{"bun.lockb", "bun"}, [2]string{"bun.lock", "bun"})
	if lock == nil || r.firstFile([2]string{"package-lock.json", "npm"}, [2]string{"yarn.lock", "yarn"}, [2]string{"pnpm-lock.yaml", "pnpm"}) != nil {
		return nil
	}
	names := make([]string, 0, len(pkg.Scripts))
	for n := range pkg.Scripts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if bunScript.MatchString(pkg.Scripts[n]) {
			at := r.find("package.json", regexp.MustCompile(`"`+quoteMeta(n)+`"\s*:`))
			if at == nil {
				at = &Evidence{File: "package.json"}
			}
			at.Value = fmt.Sprintf("a Bun app (%s, and its %s script runs %q): shipshape writes Node images, and Bun's own APIs do not run on node; "+
				"run it on node (a package-lock.json and a server that listens), or keep Bun's own Dockerfile (oven/bun)", lock.File, n, pkg.Scripts[n])
			return at
		}
	}
	return nil
}

// nodeTools reads the Node version and the package manager the package
// declares.
func (r *repo) nodeTools(s *Stack) {
	s.Version = r.firstOf(
		// The declaration whole: a range (>=18, ^20 || ^22) or an alias
		// (lts/*) is resolved by the runtimes catalog, not read as a version.
		probe{".nvmrc", regexp.MustCompile(`^\s*(\S+)`), ""},
		probe{".node-version", regexp.MustCompile(`^\s*(\S+)`), ""},
		probe{"package.json", regexp.MustCompile(`"node"\s*:\s*"([^"]+)"`), ""},
		// asdf's file declares it as .nvmrc does.
		probe{".tool-versions", regexp.MustCompile(`^\s*nodejs\s+(\d\S*)`), ""})
	if v := s.Version; v != nil && v.File != "package.json" {
		// A version file left behind by the package's own engines
		// (nightscout's .nvmrc 16.16.0 beside engines >=20.x, which its
		// Dockerfile's node:22 keeps): the range the package declares.
		if e := r.find("package.json", regexp.MustCompile(`"node"\s*:\s*"([^"]+)"`)); e != nil {
			if allows, ok := runtimes.NodeAllows(e.Value, v.Value); ok && !allows {
				e.Why = fmt.Sprintf("%s's %s is outside package.json's engines, whose range wins", v.File, v.Value)
				s.Version = e
			}
		}
	}
	if s.Version == nil {
		// Where the repository runs it, not what the package declares: a
		// hint, which an end-of-life release does not pin (VersionHint).
		s.Version = r.firstOf(probe{"Dockerfile", nodeImageVersion, ""},
			probe{".travis.yml", regexp.MustCompile(`^\s*node_js\s*:\s*["']?(\d+(?:\.\d+){0,2})["']?\s*$`), ""})
		if s.Version == nil {
			s.Version = r.travisNodeList()
		}
		s.VersionHint = s.Version != nil
	}
	s.PackageManager = r.firstFile([2]string{"pnpm-lock.yaml", "pnpm"}, [2]string{"yarn.lock", "yarn"},
		[2]string{"package-lock.json", "npm"}, [2]string{"package.json", "npm"})
	if NoLock(s) {
		// No lock file: the manager the package names (packageManager),
		// or pnpm where a pnpm-workspace.yaml says so (eliyahukoren's
		// monorepo, whose lock file git ignores): npm would refuse
		// pnpm's workspace: dependencies.
		if e := r.find("package.json", namedManager); e != nil {
			e.Why = "package.json packageManager, and no lock file"
			s.PackageManager = e
		} else if exists(r.dir, "pnpm-workspace.yaml") {
			s.PackageManager = &Evidence{Value: "pnpm", File: "pnpm-workspace.yaml", Why: "pnpm's workspace file, and no lock file"}
		}
	}
	s.ManagerPin = r.pnpmPin()
	s.Npmrc, s.NpmrcCredential = r.npmrc()
	if s.Npmrc != nil {
		if e := r.npmrcIgnored(); e != nil {
			// The context lacks it: the install goes without its settings.
			e.Why = ".npmrc:" + strconv.Itoa(s.Npmrc.Line) + " (" + s.Npmrc.Value + ")"
			s.Npmrc, s.NpmrcIgnored = nil, e
		}
	}
	if s.PackageManager != nil && s.PackageManager.Value == "yarn" {
		r.yarnBerry(s)
	}
	for i, line := range r.read("package.json") {
		// Node 17's OpenSSL 3 refuses webpack 4's md4 hashes
		// (ERR_OSSL_EVP_UNSUPPORTED); the image's Node is newer than what
		// such a package was written on. Generate drops it for Node 16
		// and before, which do not know the flag.
		if m := webpack4.FindStringSubmatch(line); m != nil {
			s.InstallEnv = append(s.InstallEnv, Evidence{Value: LegacyOpenSSL, File: "package.json", Line: i + 1,
				Why: m[1] + " " + m[2] + " builds with webpack 4, whose md4 hashes Node 17 and later refuse without OpenSSL's legacy provider (ERR_OSSL_EVP_UNSUPPORTED)"})
			break
		}
	}
	for _, d := range browserDownloads {
		if len(s.InstallEnv) > 0 && s.InstallEnv[len(s.InstallEnv)-1].Value == d.env {
			continue // playwright and @playwright/test: one variable
		}
		if e := r.find("package.json", regexp.MustCompile(`^\s*"`+quoteMeta(d.pkg)+`"\s*:`)); e != nil {
			e.Value, e.Why = d.env, d.pkg+" downloads a browser when installed (for tests), which the image never runs"
			s.InstallEnv = append(s.InstallEnv, *e)
		}
	}
}

// namedManager is package.json's packageManager naming pnpm or Yarn.
var namedManager = regexp.MustCompile(`"packageManager"\s*:\s*"(pnpm|yarn)@`)

// LegacyOpenSSL is the variable that lets webpack 4 hash on Node 17 and
// later.
const LegacyOpenSSL = "NODE_OPTIONS=--openssl-legacy-provider"

// webpack4 is package.json's line for react-scripts, webpack or Vue CLI
// before 5, which build with webpack 4 (traggo's ui/: "react-scripts":
// "^3.2.0"; "webpack": "^4").
var webpack4 = regexp.MustCompile(`^\s*"(react-scripts|webpack|@vue/cli-service)"\s*:\s*"([\^~>= v]*[0-4](?:\.[^"]*)?)"`)

// nodeImageVersion is the version of an official Node image a Dockerfile
// builds FROM: node:12, node:18.16.1-alpine.
var nodeImageVersion = regexp.MustCompile(`(?i)^\s*FROM\s+(?:--platform=\S+\s+)?(?:docker\.io/)?(?:library/)?node:(\d+(?:\.\d+){0,2})\b`)

// travisNodeList is the newest Node of .travis.yml's node_js list
// (maitraysuthar/rest-api-nodejs-mongodb's `node_js:` then `- '12'`):
// the versions its tests run on.
func (r *repo) travisNodeList() *Evidence {
	lines := r.read(".travis.yml")
	var best *Evidence
	for i := 0; i < len(lines); i++ {
		if !travisNodeKey.MatchString(lines[i]) {
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			m := travisItem.FindStringSubmatch(lines[j])
			if m == nil {
				break
			}
			if best == nil || versionLess(best.Value, m[1]) {
				best = &Evidence{Value: m[1], File: ".travis.yml", Line: j + 1, Why: "the newest Node .travis.yml tests on"}
			}
		}
	}
	return best
}

var travisNodeKey = regexp.MustCompile(`^\s*node_js\s*:\s*$`)

var travisItem = regexp.MustCompile(`^\s*-\s*["']?(\d+(?:\.\d+){0,2})["']?\s*$`)

// versionLess compares dotted versions by their numbers.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

var (
	yarnManager = regexp.MustCompile(`"packageManager"\s*:\s*"yarn@(\d+)[^"]*"`)
	yarnPath    = regexp.MustCompile(`^yarnPath:\s*["']?\S*yarn-(\d+)[.\w-]*\.c?js`)
	// The lock file version under __metadata: 4 and 5 Yarn 2's, 6 Yarn
	// 3's, 8 Yarn 4's.
	berryLockVersion = regexp.MustCompile(`^\s+version:\s*(\d+)\s*$`)
	berryLinker      = regexp.MustCompile(`^nodeLinker:\s*["']?([\w-]+)`)
	workspaceTools   = regexp.MustCompile(`plugin-workspace-tools`)
)

// yarnBerry reads whether the package is installed by Yarn 2 or newer
// (mikro-orm/nestjs-realworld-example-app: "packageManager":
// "yarn@4.18.0", a .yarnrc.yml with nodeLinker: node-modules), the
// files its install reads, and how it links packages: Plug'n'Play, the
// default, leaves no node_modules for the image to copy, so the install
// is told to write one (YARN_NODE_LINKER, an install variable).
func (r *repo) yarnBerry(s *Stack) {
	e := r.find("package.json", yarnManager)
	switch {
	case e != nil && e.Value == "1":
		return
	case e != nil:
		e.Why = "package.json names Yarn " + e.Value
	case r.find(".yarnrc.yml", yarnPath) != nil:
		// The release the repository holds, which corepack's Yarn runs.
		e = r.find(".yarnrc.yml", yarnPath)
		e.Why = "yarnPath names Yarn " + e.Value + "'s release, in the repository"
	default:
		// No release named: corepack would run Yarn 1, which reads no
		// Yarn 2+ lock file; the lock file's version says which Yarn
		// wrote it, and that one is prepared.
		lock := r.find("yarn.lock", berryLockVersion)
		if lock == nil && !exists(r.dir, ".yarnrc.yml") {
			return
		}
		e = &Evidence{Value: "4", File: ".yarnrc.yml", Why: "a .yarnrc.yml is Yarn 2 or newer's configuration"}
		if lock != nil {
			e = &Evidence{Value: berryMajor(lock.Value), File: lock.File, Line: lock.Line,
				Why: "yarn.lock's __metadata version " + lock.Value + " is written by Yarn 2 or newer"}
		}
		s.ManagerPin = &Evidence{Value: "yarn@" + e.Value, File: e.File, Line: e.Line,
			Why: e.Why + ", and package.json names no packageManager (corepack would run Yarn 1)"}
	}
	s.Berry = e
	// Yarn 4 has workspaces focus built in; 2 and 3 with the plugin.
	major, _ := strconv.Atoi(e.Value)
	s.BerryFocus = major >= 4 || r.find(".yarnrc.yml", workspaceTools) != nil
	for _, f := range []string{".yarnrc.yml", ".yarn"} {
		if exists(r.dir, f) {
			s.BerryFiles = append(s.BerryFiles, f)
		}
	}
	linker := r.find(".yarnrc.yml", berryLinker)
	if linker != nil && linker.Value == "node-modules" {
		return
	}
	at := &Evidence{File: ".yarnrc.yml", Why: "Yarn links packages by Plug'n'Play unless .yarnrc.yml sets nodeLinker: node-modules, and the image runs node on node_modules"}
	if linker != nil {
		at.Line, at.Why = linker.Line, "nodeLinker "+linker.Value+" leaves no node_modules, which the image runs node on"
	} else if e.File == "package.json" {
		at = &Evidence{File: e.File, Line: e.Line, Why: at.Why}
	}
	at.Value = "YARN_NODE_LINKER=node-modules"
	s.InstallEnv = append(s.InstallEnv, *at)
}

// berryMajor is the Yarn that writes a lock file version.
func berryMajor(lockVersion string) string {
	switch v, _ := strconv.Atoi(lockVersion); {
	case v >= 8:
		return "4"
	case v >= 6:
		return "3"
	}
	return "2"
}

// pnpmLockMajors are the pnpm majors that write each lock file version:
// the newest pnpm refuses the old formats (taxonomy's '6.0' under pnpm 12:
// ERR_PNPM_BROKEN_LOCKFILE).
var pnpmLockMajors = map[string]string{"5.3": "6", "5.4": "7", "6.0": "8", "6.1": "8", "7.0": "9", "9.0": "9"}

var pnpmLockVersion = regexp.MustCompile(`^lockfileVersion:\s*['"]?([\d.]+)['"]?\s*$`)

// pnpmPin is the pnpm the lock file was written by, when package.json
// names no packageManager (corepack would take the newest pnpm).
func (r *repo) pnpmPin() *Evidence {
	if r.find("package.json", regexp.MustCompile(`"packageManager"\s*:`)) != nil {
		return nil
	}
	e := r.find("pnpm-lock.yaml", pnpmLockVersion)
	if e == nil {
		return nil
	}
	major, ok := pnpmLockMajors[e.Value]
	if !ok {
		return nil
	}
	e.Why = fmt.Sprintf("lockfileVersion %s is pnpm %s's and package.json names no packageManager (corepack would take the newest pnpm, which refuses it)", e.Value, major)
	if e.Value == "9.0" {
		// pnpm 9 to 11 write it and the newest reads it, but pnpm 10 and
		// later skip the dependencies' build scripts nobody approved
		// (bcrypt's, @nestjs/core's), and 12 stops on them:
		// ERR_PNPM_IGNORED_BUILDS. pnpm 9 runs them, as before.
		e.Why = "lockfileVersion 9.0 and package.json names no packageManager: corepack would take the newest pnpm, which refuses to run the dependencies' build scripts nobody approved (ERR_PNPM_IGNORED_BUILDS); pnpm 9 runs them"
		ws := r.read("pnpm-workspace.yaml")
		settings := slices.ContainsFunc(ws, func(l string) bool { return l != "" && l[0] != '#' && l[0] != ' ' && l[0] != '-' })
		if settings && !slices.ContainsFunc(ws, func(l string) bool { return strings.HasPrefix(l, "packages:") }) {
			// pnpm 10's settings in pnpm-workspace.yaml, with no members
			// (WilliamGroc/dnd-tool's onlyBuiltDependencies): pnpm 9 stops
			// on it ("packages field missing or empty").
			major = "10"
			e.Why = "lockfileVersion 9.0, and pnpm-workspace.yaml holds pnpm 10's settings without members, which pnpm 9 refuses"
		}
	}
	e.Value = "pnpm@" + major
	return e
}

// browserDownloads are the packages whose install script downloads a
// browser from outside the package registry (hundreds of megabytes), and
// the variable that skips it.
var browserDownloads = []struct{ pkg, env string }{
	{"puppeteer", "PUPPETEER_SKIP_DOWNLOAD=true"},
	{"cypress", "CYPRESS_INSTALL_BINARY=0"},
	{"playwright", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1"},
	{"@playwright/test", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1"},
}

// nodeEntry decides what node runs in production, strongest evidence
// first: a command the repository declares (Procfile, Dockerfile), the
// production start script (start:prod, start), "main", "bin", the usual
// file names. A TypeScript source becomes its compiled output (tsconfig's
// outDir); a Vite or Create React App build with no server is a static
// single-page app.
func (r *repo) nodeEntry(pkg packageJSON, s *Stack) {
	fw := ""
	if s.Framework != nil {
		fw = s.Framework.Value
	}
	if fw == "next" {
		// `output: 'standalone'` builds .next/standalone/server.js.
		s.Entrypoints = []Evidence{{Value: "server.js", File: s.Framework.File, Line: s.Framework.Line, Why: "Next.js standalone output"}}
		if s.Port == nil {
			s.Port = &Evidence{Value: "3000", File: s.Framework.File, Line: s.Framework.Line, Why: "Next.js's default, default of $PORT"}
		}
		r.nextStandalone(s)
		return
	}
	if s.Framework != nil && r.metaEntry(pkg, s) {
		return
	}
	if fw == "" {
		if e := r.staticApp(pkg); e != nil {
			s.Static = e
			s.Entrypoints = []Evidence{*e}
			return
		}
	}
	if nx := r.nxEntries(); len(nx) > 0 {
		s.Entrypoints = nx
		if len(nx) > 1 {
			s.ambiguous("entry point", "--entrypoint", nx)
		}
		return
	}
	for _, c := range r.commands() {
		if e, ok := r.nodeRun(pkg, s, c, 0); ok && r.tscWrites(pkg, s, e.Value) {
			s.Entrypoints = []Evidence{e}
			return
		}
	}
	for _, name := range []string{"start:prod", "start:production", "prod", "serve", "start"} {
		if cmd, ok := pkg.Scripts[name]; ok {
			at := r.find("package.json", regexp.MustCompile(`"`+quoteMeta(name)+`"\s*:`))
			if at == nil {
				continue
			}
			at.Why = "package.json scripts." + name
			if e, ok := r.nodeScript(pkg, s, cmd, *at, 0); ok {
				s.Entrypoints = []Evidence{e}
				return
			}
		}
	}
	if fw == "nestjs" {
		s.Entrypoints = []Evidence{{Value: r.compiled("src/main.ts"), File: s.Framework.File, Line: s.Framework.Line, Why: "NestJS builds src/main.ts"}}
		return
	}
	if e := r.binEntry(pkg); e != nil {
		s.Entrypoints = []Evidence{*e}
		return
	}
	if pkg.Main != "" && pkg.Main != "index.js" || pkg.Main == "index.js" && exists(r.dir, "index.js") {
		if e := r.find("package.json", regexp.MustCompile(`"main"\s*:`)); e != nil {
			e.Value, e.Why = r.compiled(strings.TrimPrefix(pkg.Main, "./")), "package.json main"
			s.Entrypoints = []Evidence{*e}
			return
		}
	}
	var found []Evidence
	for _, name := range []string{"server.js", "index.js", "app.js", "main.js", "src/server.js", "src/index.js", "src/app.js", "src/main.js",
		"server.mjs", "index.mjs", "src/server.ts", "src/index.ts", "src/main.ts", "src/app.ts", "server.ts", "index.ts"} {
		if e := r.fileEvidence(name, r.compiled(name)); e != nil {
			e.Why = "a usual name"
			found = append(found, *e)
		}
	}
	if len(found) == 0 {
		found = r.nodeListeners()
	}
	s.Entrypoints = found
	if len(found) > 1 {
		s.ambiguous("entry point", "--entrypoint", found)
	}
}

var (
	// standaloneWord is the string that selects the standalone output,
	// written as the value of output: or in a condition's branch.
	standaloneWord = regexp.MustCompile("['\"`]standalone['\"`]")
	// envCondition is a test of a variable that decides it:
	// process.env.BUILD_STANDALONE === "true".
	envCondition = regexp.MustCompile(`process\.env\.(\w+)\s*(===?|!==?)\s*['"]([^'"]*)['"]`)
)

// nextStandalone checks that next.config builds the standalone server the
// image runs; without it the build has no .next/standalone. A config that
// builds it only when a variable says so (output:
// process.env.BUILD_STANDALONE === "true" ? "standalone" : undefined, or
// ...(process.env.X === "standalone" && { output: "standalone" })) gets
// that variable at build; one that builds it unless a variable says
// otherwise (!==) needs nothing.
func (r *repo) nextStandalone(s *Stack) {
	for _, f := range []string{"next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs"} {
		lines := r.read(f)
		if lines == nil {
			continue
		}
		for i, line := range lines {
			if isComment(line) || !standaloneWord.MatchString(line) {
				continue
			}
			// The condition is on the line or just above it
			// (const useStandalone = ...; output: useStandalone ? ...).
			for j := i; j >= 0 && j >= i-3; j-- {
				m := envCondition.FindStringSubmatch(lines[j])
				if m == nil || isComment(lines[j]) {
					continue
				}
				if strings.HasPrefix(m[2], "=") {
					s.BuildEnv = append(s.BuildEnv, Evidence{Value: m[1] + "=" + m[3], File: f, Line: j + 1,
						Why: "the config builds the standalone server Next.js runs in the image only when $" + m[1] + " is " + m[3]})
				}
				return
			}
			return
		}
		s.Needs = append(s.Needs, Evidence{Value: "add `output: 'standalone'` to the config object (the image runs the standalone server Next.js then builds), then run init again", File: f})
		return
	}
	s.Needs = append(s.Needs, Evidence{Value: "create next.config.mjs with `export default { output: 'standalone' }` (the image runs the standalone server Next.js then builds), then run init again", File: "next.config.mjs"})
}

// devScriptName and devScriptCmd are a script for development: by its
// name, or by the watcher it runs under.
var (
	devScriptName = regexp.MustCompile(`(?i)(?:^|[:_-])(?:dev|develop|development|debug|watch)$`)
	devScriptCmd  = regexp.MustCompile(`(?:^|[\s&;|])(?:nodemon|ts-node-dev)\s|\s--watch\b|\btsx\s+watch\b|\bnode\s+--watch\b`)
)

// devScript reports whether a package.json script runs the app for
// development: named so (dev, start:dev, debug), or under a watcher.
func devScript(name, cmd string) bool {
	return devScriptName.MatchString(name) || devScriptCmd.MatchString(cmd)
}

// nodeRun reads a command as what node runs: `node [flags] FILE`, a dev
// runner (nodemon, ts-node, tsx) on a file, `nest start`, `fastify
// start`, or `npm run X` followed into script X.
func (r *repo) nodeRun(pkg packageJSON, s *Stack, c command, depth int) (Evidence, bool) {
	args := unwrap(c.args)
	if len(args) == 0 || depth > maxCommandDepth {
		return Evidence{}, false
	}
	e := c.at
	first := path.Base(args[0])
	if m, ok := r.deployedMember(c.at.File); ok && depth == 0 {
		// The image the repository's Dockerfile builds holds one
		// workspace member as its working directory (pnpm deploy): its
		// command runs there, a path under the WORKDIR made relative.
		sub, mpkg := r.memberRepo(m.Value), r.memberPackage(m.Value)
		in := c
		in.args = slices.Clone(args)
		if final := r.dockerfileFinal(c.at.File); final != nil {
			wd := workdir(final)
			for i, a := range in.args {
				if rel, ok := strings.CutPrefix(a, wd+"/"); ok && wd != "/" {
					in.args[i] = rel
				}
			}
		}
		in.at.Why += fmt.Sprintf("; run in %s: %s:%d puts it in the image with pnpm deploy", m.Value, m.File, m.Line)
		if e, ok := sub.nodeRun(mpkg, s, in, depth+1); ok {
			return r.inMember(m.Value, sub, e), true
		}
		return Evidence{}, false
	}
	if m, script, ok := r.memberScript(first, args[1:]); ok {
		// The root's script runs a member's (npm start -w api, yarn
		// workspace api start, pnpm --filter api start, lerna run
		// start:prod): read in the member, its paths the member's.
		sub, mpkg := r.memberRepo(m.Value), r.memberPackage(m.Value)
		cmd, found := mpkg.Scripts[script]
		if !found || devScript(script, cmd) {
			return Evidence{}, false
		}
		at := c.at
		at.Why += fmt.Sprintf("; %s's scripts.%s", m.Value, script)
		e, ok := sub.nodeScript(mpkg, s, cmd, at, depth+1)
		if !ok {
			return Evidence{}, false
		}
		return r.inMember(m.Value, sub, e), true
	}
	switch first {
	case "npm", "yarn", "pnpm":
		script := ""
		rest := args[1:]
		if len(rest) > 0 && (rest[0] == "run" || rest[0] == "run-script") {
			rest = rest[1:]
		}
		if len(rest) > 0 {
			script = rest[0]
		}
		if script == "" || script == "install" || script == "ci" {
			return Evidence{}, false
		}
		if cmd, ok := pkg.Scripts[script]; ok {
			if devScript(script, cmd) {
				// A development server (monstar-lab-oss/nestjs-starter-rest-api's
				// Dockerfile: CMD ["npm", "start:dev"], nest start --watch):
				// no evidence of what production runs; its start:prod is.
				return Evidence{}, false
			}
			e, ok := r.nodeScript(pkg, s, cmd, c.at, depth+1)
			if extra := scriptArgs(first, rest[1:]); ok && len(extra) > 0 && r.programArgs != nil {
				r.programArgs.args = append(slices.Clone(r.programArgs.args), extra...)
			}
			return e, ok
		}
		return Evidence{}, false
	case "fastify":
		// fastify-cli (`fastify start -l info app.js`, what `fastify
		// generate` writes): its bin loads the plugin the file exports
		// and listens itself, on $PORT (3000) and $FASTIFY_ADDRESS.
		_, dep := pkg.Dependencies["fastify-cli"]
		if len(args) < 3 || args[1] != "start" || !dep {
			return Evidence{}, false
		}
		plugin, port, address := "", "", false
		for i, a := range args[2:] {
			name, value, _ := strings.Cut(a, "=")
			if (name == "-p" || name == "--port") && value == "" && i+3 < len(args) {
				value = args[i+3]
			}
			switch {
			case name == "-p" || name == "--port":
				port = value // the command line wins over $PORT
			case name == "-a" || name == "--address":
				address = true
			case !strings.HasPrefix(a, "-") && r.resolveNode(path.Clean(a)) != "":
				plugin = a
			}
		}
		if plugin == "" {
			return Evidence{}, false
		}
		e.Value = "node_modules/fastify-cli/cli.js"
		e.Why += " (fastify-cli, which loads " + plugin + " and listens)"
		r.programArgs = &startArgs{entry: e.Value, at: c.at, args: args[1:]}
		if s.Port == nil && port != "" {
			s.Port = &Evidence{Value: port, File: c.at.File, Line: c.at.Line, Why: "fastify-cli's --port in the command"}
		} else if s.Port == nil {
			s.Port = &Evidence{Value: "3000", File: c.at.File, Line: c.at.Line, Why: "fastify-cli's default, default of $PORT"}
		}
		if s.HostVar == nil && !address {
			s.HostVar = &Evidence{Value: "FASTIFY_ADDRESS", File: c.at.File, Line: c.at.Line, Why: "the address fastify-cli listens on: localhost unless set, or where it recognises Docker or Kubernetes (not Podman)"}
		}
		if s.SIGTERM == nil {
			s.SIGTERM = &Evidence{Value: "SIGTERM", File: c.at.File, Line: c.at.Line, Why: "fastify-cli closes the server on it (close-with-grace)"}
		}
		return e, true
	case "react-router-serve", "remix-serve":
		return r.metaServe(pkg, s, c, args)
	case "nest":
		if len(args) > 1 && args[1] == "start" {
			e.Value = r.compiled("src/main.ts")
			return e, true
		}
		return Evidence{}, false
	case "node", "nodemon", "ts-node", "ts-node-dev", "tsx", "babel-node", "pm2-runtime", "forever":
		rest := args[1:]
		var flags []string // node's own options, before the file
		for i := 0; i < len(rest); i++ {
			a := rest[i]
			if nodeValueFlags[a] {
				if first == "node" && i+1 < len(rest) {
					flags = append(flags, a, rest[i+1])
				}
				i++ // -r dotenv/config, --import ./instrument.mjs: not the program
				continue
			}
			if strings.HasPrefix(a, "-") || a == "start" || a == "watch" {
				if first == "node" && strings.HasPrefix(a, "-") {
					flags = append(flags, a)
				}
				continue
			}
			if strings.Contains(a, "ecosystem.config") {
				return Evidence{}, false
			}
			if sourceRunners[first] && r.resolveNode(path.Clean(a)) == "" {
				// json-server's start runs `babel-node -- src/cli/bin`,
				// and its npm package holds lib/ only: no evidence.
				return Evidence{}, false
			}
			e.Value = r.compiled(strings.TrimPrefix(a, "./"))
			if named := path.Clean(a); path.Ext(named) == ".js" && e.Value != named {
				// raulnq/price-tracker's start names dist/index.js, and tsc
				// writes dist/src/index.js: its include spans src/ and tests/.
				e.Why += " names " + named + "; the build writes " + e.Value
			}
			if first == "nodemon" || first == "ts-node-dev" || first == "tsx" && len(args) > 1 && args[1] == "watch" {
				e.Why += " (a development runner; production runs the same file with node)"
			}
			after := rest[i+1:]
			switch first {
			case "pm2-runtime", "forever":
				after = nil // their words after the file are their own
			case "nodemon":
				// nodemon reads its options anywhere on the line (--watch
				// src -e js,json); the program's come after --.
				if k := slices.Index(after, "--"); k >= 0 {
					after = after[k+1:]
				} else {
					after = nil
				}
			}
			r.programArgs = &startArgs{entry: e.Value, at: c.at, args: after, flags: flags}
			return e, true
		}
	}
	return Evidence{}, false
}

// scriptArgs are the words a package manager appends to a script's
// command from after the script's name: npm's after -- (npm start --
// --port 8000; npm takes the others as its own), yarn's and pnpm's all of
// them (yarn start --port 8000), a -- among them dropped.
func scriptArgs(manager string, after []string) []string {
	k := slices.Index(after, "--")
	switch {
	case manager == "npm" && k >= 0:
		return after[k+1:]
	case manager == "npm":
		return nil
	case k >= 0:
		return slices.Delete(slices.Clone(after), k, k+1) // yarn start --port 8000 -- --x
	}
	return after
}

// nodeScript reads a package.json script: of `npm run build && node
// dist/server.js` the last command that runs node is what serves.
func (r *repo) nodeScript(pkg packageJSON, s *Stack, script string, at Evidence, depth int) (Evidence, bool) {
	parts := segments(script)
	for i := len(parts) - 1; i >= 0; i-- {
		if e, ok := r.nodeRun(pkg, s, command{args: words(parts[i]), at: at}, depth); ok {
			return e, true
		}
	}
	return Evidence{}, false
}

// segments splits a command line at && || and ; (outside quotes).
func segments(line string) []string {
	var out []string
	start, quote := 0, byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ';':
			out = append(out, line[start:i])
			start = i + 1
		case (c == '&' || c == '|') && i+1 < len(line) && line[i+1] == c:
			out = append(out, line[start:i])
			start = i + 2
			i++
		}
	}
	return append(out, line[start:])
}

// sourceRunners run a source file themselves, which must then be in the
// tree (node may run a build's output, which is not there yet).
var sourceRunners = map[string]bool{"babel-node": true, "ts-node": true, "ts-node-dev": true, "tsx": true}

// nodeStartsServer reports whether a program, with what it loads, starts
// a server: a scaffolding command (hagopj13/node-express-boilerplate's
// bin, create-nodejs-express-app) does not. read is false when the
// program is no file of the repository (a build's output): then nothing
// could be read.
func (r *repo) nodeStartsServer(file string) (starts, read bool) {
	scope := r.nodeScope(file)
	for f := range scope {
		if r.listenLine(f) > 0 {
			return true, true
		}
	}
	return false, scope != nil
}

// binEntry is the program package.json's "bin" installs, when the file is
// in the tree and starts a server: the only one, or the one named after
// the package. A
// published server (node-red's red.js, verdaccio's bin/verdaccio) runs
// from it, while its "main" is the library's entry, which loads and
// exits.
func (r *repo) binEntry(pkg packageJSON) *Evidence {
	var file string
	var one string
	var many map[string]string
	switch {
	case json.Unmarshal(pkg.Bin, &one) == nil && one != "":
		file = one
	case json.Unmarshal(pkg.Bin, &many) == nil:
		if len(many) == 1 {
			for _, f := range many {
				file = f
			}
		} else {
			_, unscoped, _ := strings.Cut(pkg.Name, "/")
			if unscoped == "" {
				unscoped = pkg.Name
			}
			file = many[unscoped]
		}
	}
	raw := file
	file = path.Clean(strings.TrimPrefix(file, "./"))
	if file == "." || strings.HasPrefix(file, "..") || path.IsAbs(file) {
		return nil
	}
	src := r.resolveNode(file)
	if src == "" {
		// A compiled output, built from a source the tree holds
		// (json-server's lib/bin.js from src/bin.ts).
		src = r.tsSource(file)
	}
	if src == "" {
		return nil
	}
	if starts, _ := r.nodeStartsServer(src); !starts {
		return nil
	}
	if main := path.Clean(strings.TrimPrefix(pkg.Main, "./")); pkg.Main != "" && r.listenLine(main) > 0 {
		// main starts the server itself; the bin is a command that may
		// load it for one of its subcommands (`mytool serve`).
		return nil
	}
	// The evidence is the line that names the file (not "directories":
	// {"bin": ...}).
	e := r.find("package.json", regexp.MustCompile(`"`+quoteMeta(raw)+`"`))
	if e == nil {
		return nil
	}
	e.Value, e.Why = file, "package.json bin"
	return e
}

// nodeCompilesInto reports whether dir is the directory tsconfig.json
// has tsc write (outDir), which a build makes: node runs its index.js
// (GeekyAnts/express-typescript's "start": "node dist", outDir "dist/").
func (r *repo) nodeCompilesInto(dir string) bool {
	if r.read("tsconfig.json") == nil {
		return false
	}
	out := r.tsconfig().CompilerOptions.OutDir
	return out != "" && path.Clean(strings.TrimPrefix(out, "./")) == path.Clean(dir)
}

// bundlerBuild is a build script that bundles: its output's names are
// its configuration's, not the sources'.
var bundlerBuild = regexp.MustCompile(`\b(?:webpack|esbuild|rollup|tsup|ncc|vite|parcel|swc|babel|bun build)\b`)

// tscWrites reports whether the TypeScript compiler writes file, a
// compiled program the repository's Dockerfile or Procfile runs: it is
// in the tree, or a source under the root compiles to it. EyeOfCode/
// nestjs-typeorm-postgresql's Dockerfile runs `node dist/src`, which nest
// build never writes (it writes dist/main.js, which start:prod runs):
// the image failed "Cannot find module '/app/dist/src.js'". A file
// outside the output directory, or a bundler's build, is not judged.
func (r *repo) tscWrites(pkg packageJSON, s *Stack, file string) bool {
	if s.TypeScript == nil || exists(r.dir, file) || bundlerBuild.MatchString(pkg.Scripts["build"]) {
		return true
	}
	cfg := r.tsconfig()
	out := path.Clean(strings.TrimPrefix(cfg.CompilerOptions.OutDir, "./"))
	if cfg.CompilerOptions.OutDir == "" {
		out = "dist"
	}
	rel, ok := strings.CutPrefix(file, out+"/")
	if !ok {
		return true
	}
	stem := strings.TrimSuffix(rel, path.Ext(rel))
	roots := []string{".", "src"}
	if root := path.Clean(strings.TrimPrefix(cfg.CompilerOptions.RootDir, "./")); cfg.CompilerOptions.RootDir != "" && root != "." {
		roots = []string{root}
	}
	for _, root := range roots {
		for _, ext := range []string{".ts", ".mts", ".cts", ".tsx", ".js"} {
			if exists(r.dir, path.Join(root, stem+ext)) {
				return true
			}
		}
	}
	return false
}

// nodeValueFlags are node's options that take the next word as a value.
var nodeValueFlags = map[string]bool{"-r": true, "--require": true, "--import": true, "--loader": true, "--experimental-loader": true,
	"--env-file": true, "--inspect-port": true, "-e": true, "--eval": true, "--title": true, "--conditions": true, "-C": true}

// compiled is the file node runs for a source file: a .ts file's output
// under tsconfig's outDir (relative to its rootDir, else to src/ when the
// sources are there), a .js file itself.
func (r *repo) compiled(file string) string {
	if m, sub, ok := r.compilingMember(file); ok {
		return path.Join(m, sub.compiled(strings.TrimPrefix(file, m+"/")))
	}
	ext := path.Ext(file)
	if ext == "" && isDir(r.dir, file) && exists(r.dir, file+".js") {
		return file + ".js" // node server runs server.js before server/
	}
	if ext == "" && !exists(r.dir, file+".js") && !exists(r.dir, path.Join(file, "package.json")) && (isDir(r.dir, file) || r.nodeCompilesInto(file)) {
		// node dist runs dist/index.js, where no dist.js comes first and
		// no package.json in it names another main.
		return path.Join(file, "index.js")
	}
	if ext == "" && !exists(r.dir, file) {
		return r.srcUnderOut(file + ".js") // node dist/main runs dist/main.js
	}
	if ext != ".ts" && ext != ".mts" && ext != ".cts" {
		return r.srcUnderOut(file)
	}
	cfg := r.tsconfig()
	if cfg.emitsNothing() {
		// tsc writes nothing: node runs the source (its type stripping).
		return file
	}
	out := cfg.CompilerOptions.OutDir
	if out == "" {
		out = "dist"
	}
	rel := file
	root := strings.TrimSuffix(strings.TrimPrefix(cfg.CompilerOptions.RootDir, "./"), "/")
	switch {
	case root != "" && root != ".":
		rel = strings.TrimPrefix(file, root+"/")
	case root == "" && strings.HasPrefix(file, "src/") && cfg.onlySrc() && !r.tsInputsOutsideSrc():
		rel = strings.TrimPrefix(file, "src/")
	}
	js := strings.TrimSuffix(rel, ext) + map[string]string{".ts": ".js", ".mts": ".mjs", ".cts": ".cjs"}[ext]
	return path.Join(strings.TrimPrefix(out, "./"), js)
}

// tsSource is the TypeScript source the build compiles into out, ""
// when none is.
func (r *repo) tsSource(out string) string {
	for _, f := range r.codeFiles() {
		if ext := path.Ext(f); (ext == ".ts" || ext == ".mts" || ext == ".cts") && r.compiled(f) == out {
			return f
		}
	}
	return ""
}

var (
	// nodeStaticDir serves a directory relative to the working directory:
	// sirv('public'), express.static('public'), serveStatic("./static").
	nodeStaticDir = regexp.MustCompile(`\b(?:sirv|static|serveStatic)\(\s*['"](?:\./)?([\w.-]+)/?['"]`)
	// nodeDirnamePath is a path beside the code: join(__dirname,
	// '../views'), path.resolve(__dirname, 'public').
	nodeDirnamePath = regexp.MustCompile(`\b(?:join|resolve)\(\s*(?:__dirname|import\.meta\.dirname)\s*,\s*['"]((?:\.\./)*[\w.-]+)/?['"]`)
)

// nodeRuntimeFiles are the repository's files and directories a compiled
// program reads at run time besides its build output: what package.json's
// "files" publishes with it, and the directories the code serves or reads
// by a path relative to the working directory or to itself (json-server
// serves public/ and renders views/). The image of a compiled app copies
// its output alone otherwise.
func (r *repo) nodeRuntimeFiles(pkg packageJSON) []Evidence {
	out := r.tsconfig().CompilerOptions.OutDir
	if out == "" {
		out = "dist"
	}
	out = strings.Trim(path.Clean(strings.TrimPrefix(out, "./")), "/")
	var files []Evidence
	seen := map[string]bool{}
	add := func(p string, at Evidence) {
		p = path.Clean(strings.TrimPrefix(p, "./"))
		if seen[p] || p == "." || strings.HasPrefix(p, "..") || path.IsAbs(p) || strings.ContainsAny(p, "*?[{!") ||
			p == out || strings.HasPrefix(p, out+"/") || p == "src" || p == "node_modules" || !exists(r.dir, p) || !r.shippable(p) {
			return
		}
		seen[p] = true
		at.Value = p
		files = append(files, at)
	}
	for _, f := range pkg.Files {
		e := r.find("package.json", regexp.MustCompile(`^\s*"`+quoteMeta(f)+`"\s*,?\s*$`))
		if e == nil {
			e = r.find("package.json", regexp.MustCompile(`"files"\s*:`)) // the list on one line
		}
		if e != nil {
			e.Why = "package.json files: published with the package"
			add(f, *e)
		}
	}
	for _, f := range r.codeFiles() {
		if !isJSFile(f) {
			continue
		}
		for i, line := range r.read(f) {
			if isComment(line) {
				continue
			}
			for _, m := range nodeStaticDir.FindAllStringSubmatch(line, -1) {
				add(m[1], Evidence{File: f, Line: i + 1, Why: "served from the working directory"})
			}
			for _, m := range nodeDirnamePath.FindAllStringSubmatch(line, -1) {
				// Beside the file that runs: a TypeScript source's compiled
				// output (src/app.ts's '../views' from lib/app.js is views;
				// its 'public' is lib/public, the build's to make).
				add(path.Join(path.Dir(r.compiled(f)), m[1]), Evidence{File: f, Line: i + 1, Why: "read beside the code"})
			}
		}
	}
	return files
}

type tsconfig struct {
	CompilerOptions struct {
		OutDir  string `json:"outDir"`
		RootDir string `json:"rootDir"`
		NoEmit  bool   `json:"noEmit"`
	} `json:"compilerOptions"`
	Include []string `json:"include"`
	Exclude []string `json:"exclude"`
}

// srcUnderOut is the file the build writes for an output a script names
// (dist/main.js) where TypeScript puts src/ under the output directory
// as it is: its computed rootDir is the root, since it compiles a file
// outside src/ (khalilnazari/NestJS-TypeORM-PostgreSQL-Starter's
// datasource.ts and migrations/, beside src/main.ts: nest build writes
// dist/src/main.js, and the repository's start:prod names dist/main).
func (r *repo) srcUnderOut(file string) string {
	cfg := r.tsconfig()
	out := cfg.outDir()
	rel, ok := strings.CutPrefix(file, out+"/")
	if !ok || strings.HasPrefix(rel, "src/") || cfg.CompilerOptions.RootDir != "" || exists(r.dir, file) {
		return file
	}
	src := "src/" + strings.TrimSuffix(rel, path.Ext(rel)) + ".ts"
	if !exists(r.dir, src) || !r.tsInputsOutsideSrc() {
		return file
	}
	return path.Join(out, "src", rel)
}

// outDir is where the compiler writes, relative and clean: its outDir,
// else dist.
func (c tsconfig) outDir() string {
	return strings.Trim(path.Clean(strings.TrimPrefix(cmp.Or(c.CompilerOptions.OutDir, "dist"), "./")), "/")
}

// underOutDir reports whether file is in the TypeScript output directory
// (its member's, in a workspace): the build's, not the repository's.
func (r *repo) underOutDir(file string) bool {
	if m, sub, ok := r.compilingMember(file); ok {
		return sub.underOutDir(strings.TrimPrefix(file, m+"/"))
	}
	out := r.tsconfig().outDir()
	return out == "." || strings.HasPrefix(file, out+"/")
}

// tsInputsOutsideSrc reports whether TypeScript, given no rootDir,
// compiles a source outside src/ (a .ts file at the root or in another
// directory that tsconfig's include names, or any with no include; not
// one its exclude or the output holds): then src/ keeps its name under
// the output directory (raulnq/price-tracker's include of src/**/* and
// tests/**/*: tsc writes dist/src/index.js).
func (r *repo) tsInputsOutsideSrc() bool {
	cfg := r.tsconfig()
	if cfg.CompilerOptions.RootDir != "" {
		return false
	}
	var outside []string // the include patterns' literal starts outside src
	for _, inc := range cfg.Include {
		inc = strings.TrimPrefix(inc, "./")
		if strings.HasPrefix(inc, "src/") || inc == "src" {
			continue
		}
		if i := strings.IndexAny(inc, "*?{"); i >= 0 {
			inc = inc[:i]
		} else if isDir(r.dir, strings.TrimSuffix(inc, "/")) {
			inc = strings.TrimSuffix(inc, "/") + "/" // "tests": the directory whole
		}
		outside = append(outside, inc)
	}
	if len(cfg.Include) > 0 && len(outside) == 0 {
		return false
	}
	for _, p := range outside {
		// A directory the include names whole (tests/), which the code
		// files leave out as tests.
		if d := strings.TrimSuffix(p, "/"); d != "" && strings.HasSuffix(p, "/") && r.tsFileUnder(d, cfg.Exclude) {
			return true
		}
	}
	out := cfg.outDir()
	for _, f := range r.codeFiles() {
		ext := path.Ext(f)
		if ext != ".ts" && ext != ".mts" && ext != ".cts" || strings.HasSuffix(f, ".d.ts") || strings.HasPrefix(f, "src/") ||
			strings.HasPrefix(f, out+"/") || strings.HasPrefix(f, "node_modules/") || tsExcluded(f, cfg.Exclude) {
			continue
		}
		if len(cfg.Include) > 0 && !slices.ContainsFunc(outside, func(p string) bool { return strings.HasPrefix(f, p) }) {
			continue
		}
		return true
	}
	return false
}

// tsFileUnder reports whether the directory d holds a TypeScript source
// (not a declaration) that exclude does not name; a few thousand entries
// are read at most.
func (r *repo) tsFileUnder(d string, exclude []string) bool {
	found, seen := false, 0
	_ = filepath.WalkDir(filepath.Join(r.dir, d), func(p string, e os.DirEntry, err error) error {
		if seen++; err != nil || found || seen > 4000 {
			return filepath.SkipAll
		}
		if e.IsDir() {
			if e.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(r.dir, p)
		rel = filepath.ToSlash(rel)
		ext := path.Ext(rel)
		found = (ext == ".ts" || ext == ".mts" || ext == ".cts") && !strings.HasSuffix(rel, ".d.ts") && !tsExcluded(rel, exclude)
		return nil
	})
	return found
}

// tsExcluded reports whether one of tsconfig's exclude patterns holds a
// file: a directory ("test", "dist") or a file pattern ("**/*spec.ts").
func tsExcluded(f string, exclude []string) bool {
	for _, x := range exclude {
		x = strings.Trim(strings.TrimPrefix(x, "./"), "/")
		if rest, ok := strings.CutPrefix(x, "**/*"); ok {
			if strings.HasSuffix(f, rest) {
				return true
			}
			continue
		}
		if f == x || strings.HasPrefix(f, x+"/") {
			return true
		}
	}
	return false
}

// onlySrc reports whether the compiled sources are all under src/ (then
// TypeScript's computed rootDir is src).
func (t tsconfig) onlySrc() bool {
	if len(t.Include) == 0 {
		return true // a guess TypeScript also makes when every .ts is under src
	}
	for _, inc := range t.Include {
		if !strings.HasPrefix(strings.TrimPrefix(inc, "./"), "src") {
			return false
		}
	}
	return true
}

// tsconfig reads tsconfig.build.json or tsconfig.json (JSON with comments
// and trailing commas), once per repo: compiled asks for every file.
func (r *repo) tsconfig() tsconfig {
	if r.ts == nil {
		r.ts = new(tsconfig)
		*r.ts = r.readTSConfig()
	}
	return *r.ts
}

func (r *repo) readTSConfig() tsconfig {
	var cfg tsconfig
	for _, f := range []string{"tsconfig.build.json", "tsconfig.json"} {
		lines := r.read(f)
		if lines == nil {
			continue
		}
		_ = json.Unmarshal(jsonc(strings.Join(lines, "\n")), &cfg)
		if cfg.CompilerOptions.OutDir != "" {
			return cfg
		}
	}
	return cfg
}

// emitsNothing reports whether tsc writes nothing (noEmit, no outDir):
// node runs the TypeScript itself.
func (c tsconfig) emitsNothing() bool {
	return c.CompilerOptions.NoEmit && c.CompilerOptions.OutDir == ""
}

var trailingComma = regexp.MustCompile(`,(\s*[}\]])`)

// jsonc strips // and /* */ comments (outside strings) and trailing commas.
func jsonc(s string) []byte {
	var b strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case in:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == '"' {
				in = false
			}
		case c == '"':
			in = true
			b.WriteByte(c)
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return []byte(b.String())
			}
			i += end + 3
		default:
			b.WriteByte(c)
		}
	}
	return []byte(trailingComma.ReplaceAllString(b.String(), "$1"))
}

var (
	viteOutDir   = regexp.MustCompile(`outDir\s*:\s*['"]([\w./-]+)['"]`)
	vueOutputDir = regexp.MustCompile(`outputDir\s*:\s*['"]([\w./-]+)['"]`)
	// vueOutputDirAny is an outputDir of any value; vueDest the CLI's
	// --dest flag.
	vueOutputDirAny = regexp.MustCompile(`\boutputDir\s*:`)
	vueDest         = regexp.MustCompile(`vue-cli-service build\b.*?\s--dest[= ]\s*['"]?([\w./-]+)`)
)

// staticApp is a single-page app's build output: a Vite or Create React
// App project with a build script and no server of its own.
func (r *repo) staticApp(pkg packageJSON) *Evidence {
	build := pkg.Scripts["build"]
	has := func(dep string) bool {
		_, a := pkg.Dependencies[dep]
		_, b := pkg.DevDependencies[dep]
		return a || b
	}
	for _, server := range []string{"express", "fastify", "koa", "hono", "@hono/node-server", "@hapi/hapi", "hapi", "@nestjs/core", "next", "nuxt", "@remix-run/node", "@sveltejs/kit", "astro"} {
		if has(server) {
			return nil
		}
	}
	at := r.find("package.json", regexp.MustCompile(`"build"\s*:`))
	if at == nil {
		return nil
	}
	switch {
	case has("vite") && strings.Contains(build, "vite build"):
		at.Value, at.Why = "dist", "Vite builds a static single-page app"
		for _, f := range []string{"vite.config.ts", "vite.config.js", "vite.config.mjs", "vite.config.mts", "vite.config.cjs", "vite.config.cts"} {
			if e := r.find(f, viteOutDir); e != nil {
				at.Value = path.Clean(e.Value) // screego's outDir: 'build/'
			}
		}
	case has("react-scripts") && strings.Contains(build, "react-scripts build"):
		at.Value, at.Why = "build", "Create React App builds a static single-page app"
	case has("@vue/cli-service") && strings.Contains(build, "vue-cli-service build"):
		// semaphore's web/vue.config.js: outputDir: '../api/public'.
		at.Value, at.Why = "dist", "Vue CLI builds a static single-page app"
		if m := vueDest.FindStringSubmatch(build); m != nil {
			at.Value = path.Clean(m[1])
		}
		for _, f := range []string{"vue.config.js", "vue.config.cjs", "vue.config.mjs"} {
			if e := r.findCode(f, vueOutputDir); e != nil {
				at.Value = path.Clean(e.Value)
			} else if r.findCode(f, vueOutputDirAny) != nil {
				return nil // computed: not a place init can name
			}
		}
	default:
		return nil
	}
	return at
}

// npmrc is the package's .npmrc where it holds settings the install reads,
// or else the line of the credential it holds; nil, nil where it has no
// setting.
func (r *repo) npmrc() (settings, secret *Evidence) {
	lines := r.read(".npmrc")
	if n, key := credential.NpmrcCredential(lines); n > 0 {
		return nil, &Evidence{Value: key, File: ".npmrc", Line: n, Why: "a registry credential: the image installs without the file"}
	}
	for i, line := range lines {
		if t := strings.TrimSpace(line); t != "" && t[0] != '#' && t[0] != ';' {
			return &Evidence{Value: t, File: ".npmrc", Line: i + 1, Why: "the install's settings: copied with the manifests"}, nil
		}
	}
	return nil, nil
}

// npmrcIgnored is the line of the repository's .dockerignore that leaves
// .npmrc out of the build context (a template's line, kept by init's
// merge as one that keeps secrets out), nil where none does: a COPY of
// it would stop the build ("/.npmrc": not found).
func (r *repo) npmrcIgnored() *Evidence {
	var at *Evidence
	for i, line := range r.read(".dockerignore") {
		switch strings.TrimSpace(line) {
		case ".npmrc", "/.npmrc", "**/.npmrc", "*.npmrc", ".npmrc*":
			at = &Evidence{Value: strings.TrimSpace(line), File: ".dockerignore", Line: i + 1}
		case "!.npmrc", "!/.npmrc":
			at = nil
		}
	}
	return at
}

// buildsWord is a command that builds: a build script or task run by
// any runner (`npm run build`, `yarn workspaces run build`, `turbo
// build`, `lerna run build:server`, `nest build`), or the TypeScript
// compiler. A file named for a build (scripts/build-icons.js) is not.
var buildsWord = regexp.MustCompile(`(?:^|[\s;&|(])(?:build(?::[\w-]+)?|tsc)(?:$|[\s;&|)])`)

// assetTool is a command that compiles the app's assets:
// sahat/hackathon-starter's scss script runs sass into public/css, which
// its layout reads at every page.
var assetTool = regexp.MustCompile(`(?:^|[\s;&|(])(?:sass|node-sass|webpack|rollup|esbuild|parcel|gulp|grunt|tailwindcss|postcss|lessc|vite\s+build)(?:$|[\s;&|)])`)

// scriptRun is a command that runs a script of package.json: npm run X,
// yarn [run] X, pnpm [run] X, bun run X.
var scriptRun = regexp.MustCompile(`(?:^|[\s;&|(])(?:npm run|npm run-script|yarn(?: run)?|pnpm(?: run)?|bun run)\s+([\w:.-]+)`)

// scriptBuilds reports whether a script's command builds (buildsWord,
// assetTool), itself or through a script it runs: hackathon-starter's
// postinstall, `patch-package && npm run scss`, whose scss runs sass.
// Each script is read once (seen), to a bounded depth: a package.json
// whose scripts run each other many times costs its size.
func scriptBuilds(pkg packageJSON, cmd string, depth int, seen map[string]bool) bool {
	if buildsWord.MatchString(cmd) || assetTool.MatchString(cmd) {
		return true
	}
	if depth >= maxCommandDepth {
		return false
	}
	for _, m := range scriptRun.FindAllStringSubmatch(cmd, -1) {
		next, ok := pkg.Scripts[m[1]]
		if !ok || seen[m[1]] || devScript(m[1], next) {
			continue
		}
		seen[m[1]] = true
		if scriptBuilds(pkg, next, depth+1, seen) {
			return true
		}
	}
	return false
}

// installBuild is the package's own install-time script that builds it
// (postinstall, prepare, install or preinstall), nil where none does.
func (r *repo) installBuild(pkg packageJSON) *Evidence {
	for _, name := range []string{"postinstall", "prepare", "install", "preinstall"} {
		if scriptBuilds(pkg, pkg.Scripts[name], 0, map[string]bool{name: true}) {
			if e := r.packageKey(name); e != nil {
				e.Value, e.Why = name, fmt.Sprintf("its %s script builds it (%q): the build runs it after the tree is copied", name, pkg.Scripts[name])
				return e
			}
		}
	}
	return nil
}

// runsBuild is a command that runs package.json's build script first
// (npm run build, yarn build, pnpm run build), then something else:
// `npm run build && npm run server`, `yarn build; node server.js`.
var runsBuild = regexp.MustCompile(`^\s*(?:npm run|yarn(?: run)?|pnpm(?: run)?|bun run)\s+build\s*(?:&&|;)\s*\S`)

// runsBuildAlone is a release command that is the build script alone.
var runsBuildAlone = regexp.MustCompile(`^\s*(?:npm run|yarn(?: run)?|pnpm(?: run)?|bun run)\s+build\s*$`)

// buildFirst is where the repository runs the build script before its
// server: the start script (`npm run build && npm run server`) or a
// Procfile's release process (`release: npm run build`).
func (r *repo) buildFirst(pkg packageJSON) *Evidence {
	if start := pkg.Scripts["start"]; runsBuild.MatchString(start) {
		if e := r.packageKey("start"); e != nil {
			e.Value, e.Why = start, "the start script builds before it serves"
			return e
		}
	}
	for i, line := range r.read("Procfile") {
		if cmd, ok := strings.CutPrefix(line, "release:"); ok && runsBuildAlone.MatchString(cmd) {
			return &Evidence{Value: strings.TrimSpace(cmd), File: "Procfile", Line: i + 1, Why: "the release process builds before the server runs"}
		}
	}
	if _, ok := pkg.Scripts["build"]; ok {
		return r.dockerfileBuild()
	}
	return nil
}

// dockerfileBuild is where the repository's own Dockerfile runs the build
// script in a stage its image is made from (mongo-express's `yarn
// install && yarn build`, whose webpack output the server reads at
// start), nil when it runs none.
func (r *repo) dockerfileBuild() *Evidence {
	for _, name := range r.repoDockerfiles() {
		f := r.dockerfileParsed(name)
		if f == nil {
			continue
		}
		// The stages the image is made from: the final one's chain and,
		// through COPY --from, the chains of the stages they copy from.
		used := map[*dockerfile.Stage]bool{}
		work := f.FinalStage().Chain()
		for len(work) > 0 {
			st := work[0]
			work = work[1:]
			if used[st] {
				continue
			}
			used[st] = true
			for _, in := range st.Instructions {
				from, ok := in.Flag("from")
				if in.Keyword != "COPY" || !ok {
					continue
				}
				for _, other := range f.Stages {
					if other.Name != "" && strings.EqualFold(other.Name, from) || strconv.Itoa(other.Index) == from {
						work = append(work, other.Chain()...)
					}
				}
			}
		}
		for _, st := range f.Stages {
			if !used[st] {
				continue
			}
			for _, in := range st.Instructions {
				if in.Keyword != "RUN" || in.Script == nil {
					continue
				}
				for _, c := range in.Script.Commands {
					if runsBuildScript(c) {
						cmd := strings.Join(append([]string{c.Name}, c.Args...), " ")
						return &Evidence{Value: cmd, File: name, Line: c.Line, Why: "the repository's Dockerfile runs the build for its image"}
					}
				}
			}
		}
		return nil
	}
	return nil
}

// runsBuildScript reports whether a command runs package.json's build
// script: npm run build, yarn build, pnpm run build, bun run build.
// With arguments after it too: npm run build -- --mode production.
func runsBuildScript(c *dockerfile.Command) bool {
	args := c.Args
	switch c.Name {
	case "npm", "bun":
	case "yarn", "pnpm":
		if len(args) >= 1 && args[0] == "build" {
			return true
		}
	default:
		return false
	}
	return len(args) >= 2 && (args[0] == "run" || args[0] == "run-script") && args[1] == "build"
}

// prismaEnv are the variables a Prisma schema reads (its datasource's
// url = env("DATABASE_URL")) that the code's own reads do not name: the
// client reads them at run time.
func (r *repo) prismaEnv(schema string, env []Evidence) []Evidence {
	var out []Evidence
	for i, line := range r.read(schema) {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		for _, m := range prismaEnvCall.FindAllStringSubmatch(line, -1) {
			if !slices.ContainsFunc(env, func(e Evidence) bool { return e.Value == m[1] }) && !slices.ContainsFunc(out, func(e Evidence) bool { return e.Value == m[1] }) {
				out = append(out, Evidence{Value: m[1], File: schema, Line: i + 1, Why: "Prisma's schema reads it"})
			}
		}
	}
	return out
}

var prismaEnvCall = regexp.MustCompile(`\benv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)`)

// scriptRuns reports whether a package.json script runs the command
// tool: as a command's first word (after &&, ;, |), through npx, bunx,
// yarn, pnpm exec or npm exec, or after variables set for it.
func scriptRuns(script, tool string) bool {
	for _, f := range strings.FieldsFunc(script, func(r rune) bool { return r == '&' || r == ';' || r == '|' }) {
		words := strings.Fields(f)
	prefixes:
		for len(words) > 1 {
			switch {
			case words[0] == "npx" || words[0] == "bunx" || words[0] == "yarn" || words[0] == "--" || strings.Contains(words[0], "="):
				words = words[1:]
			case (words[0] == "pnpm" || words[0] == "npm") && words[1] == "exec" && len(words) > 2:
				words = words[2:]
			default:
				break prefixes
			}
		}
		if len(words) > 0 && words[0] == tool {
			return true
		}
	}
	return false
}

// runsTypeScript is the tsconfig's noEmit where node runs the TypeScript
// entry itself, compiled by nothing (marcoturi/fastify-boilerplate: its
// Dockerfile's `node ./src/index.ts`, "noEmit": true, "erasableSyntaxOnly":
// true, Node 24): the image holds the sources and no build compiles them
// (a tsc there writes no dist/ to copy). nil otherwise.
func (r *repo) runsTypeScript(s *Stack) *Evidence {
	if s.TypeScript == nil || len(s.Entrypoints) != 1 || !r.tsconfig().emitsNothing() {
		return nil
	}
	switch path.Ext(s.Entrypoints[0].Value) {
	case ".ts", ".mts", ".cts":
	default:
		return nil
	}
	for _, f := range []string{"tsconfig.build.json", "tsconfig.json"} {
		if e := r.find(f, regexp.MustCompile(`"noEmit"\s*:\s*true`)); e != nil {
			e.Value = s.Entrypoints[0].Value
			e.Why = "tsconfig's noEmit: tsc writes nothing, and node runs the TypeScript itself"
			return e
		}
	}
	return nil
}
