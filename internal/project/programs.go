package project

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Programs the code runs by name: an image whose runtime lacks them
// starts, passes its health check and fails on first use ("exec: git:
// executable file not found in $PATH"), and a distroless runtime has none
// of them. opengist runs git for every gist (internal/git/commands.go);
// transcoders run ffmpeg; backup routes run pg_dump.

// programCalls are the calls, by language, whose first string argument
// names a program: Python's subprocess and os, Node's child_process and
// execa, Rust's std::process::Command. Go's os/exec is read from the
// syntax tree (goPrograms). A list (["git", ...]) or a command line
// ("ffmpeg -i ...") gives its first word.
var programCalls = map[string]*regexp.Regexp{
	"python": regexp.MustCompile(`(?:\b([A-Za-z_]\w*)\.)?\b([A-Za-z_]\w*)\(\s*(?:\[?\s*[rbf]?["']([^"'\n]+)["']|([A-Za-z_]\w*)\s*[,)])`),
	"node":   regexp.MustCompile(`(?:\b([A-Za-z_$][\w$]*)\.)?\b([A-Za-z_$][\w$]*)\(\s*(?:["'` + "`" + `]([^"'` + "`" + `\n]+)["'` + "`" + `]|([A-Za-z_$][\w$]*)\s*[,)])`),
	"rust":   regexp.MustCompile(`\bCommand::new\(\s*"([^"\n]+)"`),
}

// nodeProcessModule is a line that loads child_process, execa or a
// wrapper of child_process's functions (promisify-child-process, which
// dockge's backend runs `docker compose` with; cross-spawn), and the name
// it binds (const cp = require('child_process'), import * as cp).
var nodeProcessModule = regexp.MustCompile(`['"](?:node:)?child_process['"]|['"](?:execa|promisify-child-process|cross-spawn)['"]`)
var nodeModuleBinding = regexp.MustCompile(`(?:const|let|var|import)\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s*(?:=\s*require\(|from\b)`)

// nodeProcessFunctions are child_process's and execa's functions that run
// a program; the shared ones have names other libraries use too (RegExp's
// exec, a database's exec and execSync).
var nodeProcessFunctions = map[string]bool{"spawn": true, "spawnSync": true, "execFile": true, "execFileSync": true,
	"exec": true, "execSync": true, "execa": true, "execaSync": true, "execaCommand": true, "execaCommandSync": true}
var nodeSharedNames = regexp.MustCompile(`\b(exec|execSync|execa|execaSync|execaCommand|execaCommandSync)\b`)

// nodePromisified is a name bound to a promisified process function:
// const execAsync = promisify(exec).
var nodePromisified = regexp.MustCompile(`(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:util\.)?promisify\(\s*(?:[\w$]+\.|require\(['"](?:node:)?child_process['"]\)\.)?(exec|execFile)\s*\)`)

// programCallOpen is a call above whose first argument is on the next
// line: subprocess.run(\n    ["git", ...].
var programCallOpen = regexp.MustCompile(`\b(?:run|call|check_call|check_output|Popen|system|popen|create_subprocess_\w+|spawn\w*|exec\w*|Command::new)\(\s*\[?\s*$`)

// selfGit is git asked about the repository's own history (its commit
// for a version string), in a command line or a list of arguments
// (["git", "rev-parse", "--short", "HEAD"]): no image holds .git, so git
// in the image changes nothing there.
var selfGit = regexp.MustCompile(`\bgit\b["',\s]+(?:rev-parse|describe|rev-list|branch["',\s]+--show-current|show["',\s]+-s\b|log\b[^)\]]*(?:-1\b|-n["',\s]*1\b|--max-count=1))`)

// rustProcessCommand is a Rust file's use of std's or tokio's Command;
// rustClapImport, of clap's.
var (
	rustProcessCommand = regexp.MustCompile(`\b(?:std|tokio)::process::(?:Command\b|\{[^}]*\bCommand\b)`)
	rustClapImport     = regexp.MustCompile(`\buse\s+clap::(?:Command\b|\{[^}]*\bCommand\b)`)
)

// programWord is a program named by its name, as PATH resolves it.
var programWord = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*$`)

// desktopPrograms open a browser or a file on a person's desktop (xdg-open,
// open, cmd /c start): a branch for a developer's machine, never what a
// service in a container runs.
var desktopPrograms = map[string]bool{
	"open": true, "xdg-open": true, "wslview": true, "rundll32": true, "cmd": true, "cmd.exe": true,
	"explorer": true, "explorer.exe": true, "start": true, "powershell": true, "powershell.exe": true,
	"pwsh": true, "osascript": true, "notepad": true, "clip": true, "pbcopy": true, "pbpaste": true,
	"xclip": true, "xsel": true, "say": true, "launchctl": true, "defaults": true, "sw_vers": true,
	"reg": true, "wmic": true, "tasklist": true, "taskkill": true, "where": true, "ipconfig": true,
	"netsh": true, "sc": true,
	// A terminal's and a host's: clearing the screen, managing the
	// machine's services (a self-install subcommand).
	"clear": true, "cls": true, "tput": true, "systemctl": true, "service": true, "launchd": true,
}

// programLibraries are client libraries that run a program themselves,
// by language: simple-git runs git, fluent-ffmpeg and pydub run ffmpeg,
// pdf2image runs poppler's pdftoppm. Importing one is running it.
var programLibraries = map[string]map[string]string{
	"go": {"github.com/u2takey/ffmpeg-go": "ffmpeg", "github.com/xfrr/goffmpeg": "ffmpeg",
		"github.com/SebastiaanKlippert/go-wkhtmltopdf": "wkhtmltopdf", "github.com/ldez/go-git-cmd-wrapper/v2": "git"},
	"node": {"simple-git": "git", "fluent-ffmpeg": "ffmpeg", "gm": "gm", "imagemagick": "convert",
		"wkhtmltopdf": "wkhtmltopdf", "node-tesseract-ocr": "tesseract", "pdf-poppler": "pdftocairo"},
	"python": {"git": "git", "pdf2image": "pdftoppm", "pytesseract": "tesseract", "pydub": "ffmpeg", "ffmpeg": "ffmpeg",
		"pdfkit": "wkhtmltopdf", "imgkit": "wkhtmltoimage", "pypandoc": "pandoc"},
}

// typeOnlyImport is a TypeScript import of types alone, which the
// compiler drops.
var typeOnlyImport = regexp.MustCompile(`^\s*(?:import|export)\s+type\s`)

// libraryImport is an import of a module of programLibraries, by
// language: its name as the code loads it comes in the first group.
var libraryImport = map[string]*regexp.Regexp{
	"node":   regexp.MustCompile(`(?:\brequire\(\s*|\bfrom\s+|^\s*import\s+)['"]([@\w./-]+)['"]`),
	"python": regexp.MustCompile(`^\s*(?:import\s+([\w]+)|from\s+([\w]+)(?:\.[\w.]+)?\s+import\b)`),
}

// FilePrograms are the programs one file runs by name (lang: go, node,
// python, rust; file relative to dir), normalized: a program's name (the
// base of an absolute path), none for a path into the repository, a
// placeholder, a desktop helper or git reading the repository's own
// commit. Value is the program, Why the call.
func FilePrograms(dir, file string, lines []string, lang string) []Evidence {
	var out []Evidence
	add := func(command, file string, line int, why string) {
		if call := strings.Join(lines[line-1:min(len(lines), line+2)], " "); selfGit.MatchString(command) || programName(command) == "git" && selfGit.MatchString(call) {
			return // the repository's own history, which no image holds (.git is left out)
		}
		name := programName(command)
		if name == "" || desktopPrograms[name] {
			return
		}
		if r := []rune(why); len(r) > 72 {
			why = string(r[:71]) + "…" // the call, not the whole line
		}
		out = append(out, Evidence{Value: name, File: file, Line: line, Why: why})
	}
	switch lang {
	case "go":
		goPrograms(file, lines, add)
	case "node", "js":
		nodePrograms(dir, file, lines, add)
	case "python":
		pythonPrograms(dir, file, lines, add)
	case "rust":
		// clap's builder is a Command::new("app") too: only the file that
		// takes Command from std::process or tokio::process runs one.
		src := strings.Join(lines, "\n")
		if !rustProcessCommand.MatchString(src) {
			return out
		}
		for i, line := range lines {
			if m := programCalls["rust"].FindStringSubmatch(withNextLine(lines, i)); m != nil && !commentLine(line) {
				if strings.Contains(src, "clap::Command") || rustClapImport.MatchString(src) {
					if !strings.Contains(line, "process::Command::new") {
						continue // the file has clap's Command as well: only a path-qualified call counts
					}
				}
				add(m[1], file, i+1, strings.TrimSpace(line))
			}
		}
	}
	return out
}

// UniquePrograms keeps each program's first evidence, sorted by name.
func UniquePrograms(list []Evidence) []Evidence {
	seen := map[string]bool{}
	var out []Evidence
	for _, e := range list {
		if !seen[e.Value] {
			seen[e.Value] = true
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// goLibraryMentioned reports whether Go source names a library of
// programLibraries, before it is parsed.
func goLibraryMentioned(src string) bool {
	for lib := range programLibraries["go"] {
		if strings.Contains(src, lib) {
			return true
		}
	}
	return false
}

// importsOnly reports whether a file parsed for its imports needs no
// more: it imports no os/exec (a library's import is the evidence).
func importsOnly(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"os/exec"` {
			return false
		}
	}
	return true
}

// withNextLine is line i, joined with the next when a call's first
// argument starts there.
func withNextLine(lines []string, i int) string {
	text := lines[i]
	// Black's subprocess.run(\n    [\n        "ffmpeg",: up to three lines
	// while the call or its list is still open.
	for j := i + 1; j < len(lines) && j <= i+3 && programCallOpen.MatchString(text); j++ {
		text += " " + strings.TrimSpace(lines[j])
	}
	return text
}

// programName is the program a command's first word names: a path's base
// when absolute (/usr/bin/git), "" for a path into the repository
// (./bin/tool, scripts/x.sh: the image holds those), a variable or a
// placeholder.
func programName(command string) string {
	word, _, _ := strings.Cut(strings.TrimSpace(command), " ")
	if strings.HasPrefix(word, "/") {
		word = path.Base(word)
	}
	if !programWord.MatchString(word) {
		return ""
	}
	return word
}

// jsToolConfig is a JavaScript build tool's configuration or task file.
var jsToolConfig = regexp.MustCompile(`^(?:[\w.-]+\.config|gulpfile|gruntfile|Gruntfile|Jakefile|\.eslintrc|\.babelrc)(?:\.[\w]+)?\.(?:js|cjs|mjs|ts|cts|mts)$`)

// ToolingFile is a file that is not the service: tests, build and release
// scripts, examples, documentation, a build tool's configuration.
func ToolingFile(f string) bool {
	switch base := path.Base(f); {
	case base == "setup.py", base == "noxfile.py", base == "fabfile.py", base == "tasks.py", base == "conftest.py", base == "build.rs":
		return true
	case jsToolConfig.MatchString(base):
		return true // webpack.config.js, gulpfile.js: the build's, not the server's
	}
	for _, dir := range strings.Split(path.Dir(f), "/") {
		switch dir {
		case "test", "tests", "scripts", "script", "tools", "examples", "example", "docs", "benches", "hack":
			return true
		}
	}
	return false
}

// goPrograms reads os/exec's Command, CommandContext and LookPath calls
// with a literal program in one Go file, under whatever name the file
// imports os/exec.
func goPrograms(f string, lines []string, add func(name, file string, line int, why string)) {
	src := strings.Join(lines, "\n")
	if !strings.Contains(src, "os/exec") && !goLibraryMentioned(src) {
		return
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, f, src, parser.ImportsOnly|parser.SkipObjectResolution)
	if err != nil {
		return
	}
	if !importsOnly(file) {
		file, err = parser.ParseFile(fset, f, src, parser.SkipObjectResolution)
		if err != nil {
			return
		}
	}
	pkg := ""
	for _, imp := range file.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		if program := programLibraries["go"][p]; program != "" {
			add(program, f, fset.Position(imp.Pos()).Line, "imports "+p+", which runs "+program)
		}
		if p == "os/exec" {
			pkg = "exec"
			if imp.Name != nil {
				pkg = imp.Name.Name
			}
		}
	}
	if pkg == "" || pkg == "_" {
		return
	}
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != pkg {
			return true
		}
		arg := 0
		switch sel.Sel.Name {
		case "Command", "LookPath":
		case "CommandContext":
			arg = 1
		default:
			return true
		}
		if len(call.Args) <= arg {
			return true
		}
		lit, ok := call.Args[arg].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		name, err := strconv.Unquote(lit.Value)
		if err != nil {
			return true
		}
		line := fset.Position(call.Pos()).Line
		add(name, f, line, pkg+"."+sel.Sel.Name+"("+lit.Value+")")
		return true
	})
}

// pythonModules are the modules whose functions run programs, and the
// functions: subprocess's, os's, shutil.which and asyncio's.
var pythonModules = map[string]map[string]bool{
	"subprocess": {"run": true, "call": true, "check_call": true, "check_output": true, "Popen": true, "getoutput": true, "getstatusoutput": true},
	"os":         {"system": true, "popen": true, "execvp": true, "execlp": true},
	"shutil":     {"which": true},
	"asyncio":    {"create_subprocess_exec": true, "create_subprocess_shell": true},
}

// pythonImport is an import of one of those modules, under its name or
// another (import subprocess as sp), or of its functions (from subprocess
// import run, Popen).
var pythonImport = regexp.MustCompile(`^\s*(?:import\s+(subprocess|os|shutil|asyncio)(?:\s+as\s+(\w+))?|from\s+(subprocess|os|shutil|asyncio)\s+import\s+(.+))`)

// pythonImportList imports several modules on one line.
var pythonImportList = regexp.MustCompile(`^\s*import\s+(\w+(?:\s*,\s*\w+)+)\s*(?:#.*)?$`)

// pythonPrograms reads a Python file's calls that run a program: the
// module's function under the name the file imports it by (sp.run), or a
// function it imports by name (run([...]) after from subprocess import
// run).
func pythonPrograms(dir, f string, lines []string, add func(name, file string, line int, why string)) {
	libraryPrograms(dir, "python", f, lines, add)
	modules, bound := map[string]string{}, map[string]bool{}
	for _, line := range lines {
		if m := pythonImportList.FindStringSubmatch(line); m != nil {
			for _, mod := range strings.Split(m[1], ",") {
				if mod = strings.TrimSpace(mod); pythonModules[mod] != nil {
					modules[mod] = mod // import os, subprocess
				}
			}
			continue
		}
		m := pythonImport.FindStringSubmatch(line)
		switch {
		case m == nil:
		case m[1] != "" && m[2] != "":
			modules[m[2]] = m[1]
		case m[1] != "":
			modules[m[1]] = m[1]
		default:
			for _, name := range strings.Split(strings.Trim(m[4], "() "), ",") {
				name, as, _ := strings.Cut(strings.TrimSpace(name), " as ")
				if pythonModules[m[3]][name] {
					if as != "" {
						name = strings.TrimSpace(as)
					}
					bound[name] = true
				}
			}
		}
	}
	if len(modules) == 0 && len(bound) == 0 {
		return
	}
	runCalls(f, lines, "python", pythonAssigned, add, func(qualifier, fn string) bool {
		return qualifier != "" && pythonModules[modules[qualifier]][fn] || qualifier == "" && bound[fn]
	})
}

// runCalls adds the command of each call of lang's programCalls that
// accept takes (by the name it is qualified with, "" for none, and the
// function's): its literal, or the string its variable is given.
func runCalls(f string, lines []string, lang, assigned string, add func(name, file string, line int, why string), accept func(qualifier, fn string) bool) {
	for i, line := range lines {
		if commentLine(line) {
			continue
		}
		for _, m := range programCalls[lang].FindAllStringSubmatch(withNextLine(lines, i), -1) {
			if !accept(m[1], m[2]) {
				continue
			}
			if command := commandOf(lines, m[3], m[4], assigned); command != "" {
				add(command, f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// nodePrograms reads a Node file's child_process and execa calls. The file
// must load one of them; exec and execSync, whose names other libraries
// share (RegExp's exec, a database's), count only as the module's
// (cp.exec) or as a name bound on the line that loads it (const { exec } =
// require('child_process'), promisify(require('child_process').exec)).
func nodePrograms(dir, f string, lines []string, add func(name, file string, line int, why string)) {
	libraryPrograms(dir, "node", f, lines, add)
	modules, bound := map[string]bool{}, map[string]bool{}
	loads := false
	for _, line := range lines {
		if m := nodePromisified.FindStringSubmatch(line); m != nil {
			bound[m[1]] = true
		}
		if !nodeProcessModule.MatchString(line) {
			continue
		}
		loads = true
		if m := nodeModuleBinding.FindStringSubmatch(line); m != nil {
			modules[m[1]] = true
		}
		for _, m := range nodeSharedNames.FindAllStringSubmatch(line, -1) {
			bound[m[1]] = true
		}
	}
	if !loads {
		return
	}
	runCalls(f, lines, "node", nodeAssigned, add, func(qualifier, fn string) bool {
		if qualifier != "" {
			return modules[qualifier] && nodeProcessFunctions[fn] // not db.exec("CREATE TABLE ..."), re.exec(s)
		}
		return bound[fn] || nodeProcessFunctions[fn] && !nodeSharedNames.MatchString(fn)
	})
}

// nodeAssigned and pythonAssigned are a name given a string or a list
// that starts with one (const cmd = `git log ...`; cmd = ["git", "log"]).
var (
	nodeAssigned   = `(?:^|[^.\w$])%s\s*=\s*\[?\s*["'` + "`" + `]([^"'` + "`" + `\n]+)["'` + "`" + `]`
	pythonAssigned = `^\s*%s\s*=\s*\[?\s*[rbf]?["']([^"'\n]+)["']`
)

// commandOf is a call's command: its literal, else the string its
// variable is given in the same file (one assignment, or none counts).
func commandOf(lines []string, literal, variable, assigned string) string {
	if literal != "" || variable == "" {
		return literal
	}
	re := regexp.MustCompile(fmt.Sprintf(assigned, quoteMeta(variable)))
	found := ""
	for i, line := range lines {
		if strings.HasSuffix(strings.TrimSpace(line), "[") && i+1 < len(lines) {
			line += " " + strings.TrimSpace(lines[i+1]) // cmd = [\n    "pg_dump",
		}
		if m := re.FindStringSubmatch(line); m != nil {
			if found != "" && found != m[1] {
				return "" // assigned twice: which one runs is not read
			}
			found = m[1]
		}
	}
	return found
}

// libraryPrograms reads a Node or Python file's imports of libraries that
// run a program. A Python module of the repository's own by that name
// (a git.py beside app.py) is no library.
func libraryPrograms(dir, lang, f string, lines []string, add func(name, file string, line int, why string)) {
	for i, line := range lines {
		m := libraryImport[lang].FindStringSubmatch(line)
		if m == nil || commentLine(line) || lang == "node" && typeOnlyImport.MatchString(line) {
			// `import type { FfprobeData } from "fluent-ffmpeg"` (cobalt's
			// web/src/lib/libav.ts:5) loads nothing at run time.
			continue
		}
		module := m[1]
		if module == "" && len(m) > 2 {
			module = m[2] // Python's from X import
		}
		program := programLibraries[lang][module]
		if program == "" || lang == "python" && ownPythonModule(dir, f, module) {
			continue
		}
		add(program, f, i+1, "imports "+module+", which runs "+program)
	}
}

// ownPythonModule reports whether the module a file imports is the
// repository's: a module or package of that name beside the file or at
// the top.
func ownPythonModule(root, f, module string) bool {
	for _, dir := range []string{path.Dir(f), "."} {
		for _, p := range []string{path.Join(dir, module+".py"), path.Join(dir, module)} {
			if _, err := os.Stat(filepath.Join(root, p)); err == nil {
				return true
			}
		}
	}
	return false
}

// programsIn adds the programs one of the app's files runs (data, as
// scanFile read it), read only when the file mentions something that
// runs one.
func (a *App) programsIn(dir, rel, lang string, data []byte) {
	if !programHint.Match(data) {
		return
	}
	if lang == "js" {
		lang = "node"
	}
	if lang == "go" {
		// Another platform's file (mem_darwin.go, //go:build windows) is
		// not in the linux image; its build constraints are read from data.
		ctx := build.Default
		ctx.GOOS, ctx.GOARCH = "linux", "amd64"
		ctx.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		if ok, err := ctx.MatchFile(filepath.Join(dir, filepath.Dir(rel)), filepath.Base(rel)); err == nil && !ok {
			return
		}
	}
	for _, e := range FilePrograms(dir, rel, strings.Split(string(data), "\n"), lang) {
		e.File = filepath.Join(dir, e.File)
		a.Programs = append(a.Programs, e)
	}
}

// programHint is what a file that runs a program holds somewhere.
var programHint = regexp.MustCompile(`os/exec|child_process|execa|subprocess|os\.system|os\.popen|shutil|asyncio|Command::new|simple-git|fluent-ffmpeg|ffmpeg|pdf2image|pytesseract|pydub|pdfkit|imgkit|pypandoc|import git|from git import|wkhtmltopdf|tesseract|imagemagick|['"]gm['"]|pdf-poppler|git-cmd-wrapper`)

// requirementName is a requirement line's distribution name.
var requirementName = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)`)

// packageDependency is a package.json dependency's name.
var packageDependency = regexp.MustCompile(`^\s*"(@?[\w./-]+)"\s*:\s*"`)

// DependencyCommands are the names a program the code runs may have as a
// command of one of the project's own dependencies (alembic, prisma,
// celery): those come with the dependencies, not from Debian. Read from
// requirements*.txt and package.json at dir, lowercased.
func DependencyCommands(dir string) map[string]bool {
	out := map[string]bool{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasPrefix(name, "requirements") && strings.HasSuffix(name, ".txt") || name == "package.json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || len(data) > 1<<20 {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			re := requirementName
			if name == "package.json" {
				re = packageDependency
			}
			if m := re.FindStringSubmatch(line); m != nil && !strings.HasPrefix(strings.TrimSpace(line), "#") {
				out[strings.ToLower(path.Base(m[1]))] = true
			}
		}
	}
	return out
}

// quoteMeta is regexp.QuoteMeta of s with its invalid UTF-8 made U+FFFD,
// which matches such a byte: a pattern built from a name the input gives
// compiles whatever the bytes.
func quoteMeta(s string) string {
	return regexp.QuoteMeta(strings.ToValidUTF8(s, "\uFFFD"))
}
