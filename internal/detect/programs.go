package detect

import (
	"fmt"
	"go/ast"
	"go/token"
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

// nodeProcessModule is a line that loads child_process or execa, and the
// name it binds (const cp = require('child_process'), import * as cp).
var nodeProcessModule = regexp.MustCompile(`['"](?:node:)?child_process['"]|['"]execa['"]`)
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

// selfGit is a git command that reads the repository's own history (its
// commit for a version string): git in the image changes nothing there.
var selfGit = regexp.MustCompile(`^\s*git\s+(?:rev-parse|describe|log\s+-1)\b`)

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

// libraryImport is an import of a module of programLibraries, by
// language: its name as the code loads it comes in the first group.
var libraryImport = map[string]*regexp.Regexp{
	"node":   regexp.MustCompile(`(?:\brequire\(\s*|\bfrom\s+|^\s*import\s+)['"]([@\w./-]+)['"]`),
	"python": regexp.MustCompile(`^\s*(?:import\s+([\w]+)|from\s+([\w]+)(?:\.[\w.]+)?\s+import\b)`),
}

// programs finds the programs the app's code runs by name: in Go the
// packages of the program the image builds (scope; every package when
// nil), in Node the files the entry point loads, in Python and Rust the
// code outside tests, scripts and examples. One entry a program, sorted by
// name; Value is the program, Why the call.
func (r *repo) programs(s *Stack, scope map[string]bool) []Evidence {
	found := map[string]Evidence{}
	add := func(command, file string, line int, why string) {
		if selfGit.MatchString(command) {
			return // the repository's own history, which no image holds (.git is left out)
		}
		name := programName(command)
		if name == "" || desktopPrograms[name] {
			return
		}
		if _, seen := found[name]; !seen {
			found[name] = Evidence{Value: name, File: file, Line: line, Why: why}
		}
	}
	switch s.Language {
	case "go":
		for _, f := range r.codeFiles() {
			if strings.HasSuffix(f, ".go") && (scope == nil || scope[path.Dir(f)]) {
				r.goPrograms(f, add)
			}
		}
	case "node":
		own := r.runScope(s)
		for _, f := range r.codeFiles() {
			if langExts["node"][path.Ext(f)] && (own == nil && !nodeTestFile(f) || own[f]) {
				r.nodePrograms(f, add)
			}
		}
	case "python":
		for _, f := range r.codeFiles() {
			if strings.HasSuffix(f, ".py") && !toolingFile(f) {
				r.pythonPrograms(f, add)
			}
		}
	case "rust":
		for _, f := range r.codeFiles() {
			if !strings.HasSuffix(f, ".rs") || toolingFile(f) {
				continue
			}
			lines := r.read(f)
			for i, line := range lines {
				if m := programCalls["rust"].FindStringSubmatch(withNextLine(lines, i)); m != nil && !isComment(line) {
					add(m[1], f, i+1, strings.TrimSpace(line))
				}
			}
		}
	}
	out := make([]Evidence, 0, len(found))
	for _, e := range found {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// withNextLine is line i, joined with the next when a call's first
// argument starts there.
func withNextLine(lines []string, i int) string {
	if i+1 < len(lines) && programCallOpen.MatchString(lines[i]) {
		return lines[i] + " " + strings.TrimSpace(lines[i+1])
	}
	return lines[i]
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

// toolingFile is a Python or Rust file that is not the service: tests,
// build and release scripts, examples, documentation.
func toolingFile(f string) bool {
	switch path.Base(f) {
	case "setup.py", "noxfile.py", "fabfile.py", "tasks.py", "conftest.py", "build.rs":
		return true
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
func (r *repo) goPrograms(f string, add func(name, file string, line int, why string)) {
	file, _ := r.goFile(f)
	if file == nil {
		return
	}
	pkg := ""
	for _, imp := range file.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		if program := programLibraries["go"][p]; program != "" {
			add(program, f, r.goFset().Position(imp.Pos()).Line, "imports "+p+", which runs "+program)
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
		line := r.goFset().Position(call.Pos()).Line
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

// pythonPrograms reads a Python file's calls that run a program: the
// module's function under the name the file imports it by (sp.run), or a
// function it imports by name (run([...]) after from subprocess import
// run).
func (r *repo) pythonPrograms(f string, add func(name, file string, line int, why string)) {
	lines := r.read(f)
	r.libraryPrograms("python", f, add)
	modules, bound := map[string]string{}, map[string]bool{}
	for _, line := range lines {
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
	for i, line := range lines {
		if isComment(line) {
			continue
		}
		for _, m := range programCalls["python"].FindAllStringSubmatch(withNextLine(lines, i), -1) {
			qualifier, fn := m[1], m[2]
			if qualifier != "" && !pythonModules[modules[qualifier]][fn] || qualifier == "" && !bound[fn] {
				continue
			}
			if command := commandOf(lines, m[3], m[4], pythonAssigned); command != "" {
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
func (r *repo) nodePrograms(f string, add func(name, file string, line int, why string)) {
	lines := r.read(f)
	r.libraryPrograms("node", f, add)
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
	for i, line := range lines {
		if isComment(line) {
			continue
		}
		for _, m := range programCalls["node"].FindAllStringSubmatch(withNextLine(lines, i), -1) {
			qualifier, fn := m[1], m[2]
			switch {
			case qualifier != "" && (!modules[qualifier] || !nodeProcessFunctions[fn]):
				continue // db.exec("CREATE TABLE ..."), re.exec(s)
			case qualifier == "" && !bound[fn] && (!nodeProcessFunctions[fn] || nodeSharedNames.MatchString(fn)):
				continue
			}
			if command := commandOf(lines, m[3], m[4], nodeAssigned); command != "" {
				add(command, f, i+1, strings.TrimSpace(line))
			}
		}
	}
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
	re := regexp.MustCompile(fmt.Sprintf(assigned, regexp.QuoteMeta(variable)))
	found := ""
	for _, line := range lines {
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
func (r *repo) libraryPrograms(lang, f string, add func(name, file string, line int, why string)) {
	for i, line := range r.read(f) {
		m := libraryImport[lang].FindStringSubmatch(line)
		if m == nil || isComment(line) {
			continue
		}
		module := matchValue(m)
		program := programLibraries[lang][module]
		if program == "" || lang == "python" && r.ownPythonModule(f, module) {
			continue
		}
		add(program, f, i+1, "imports "+module+", which runs "+program)
	}
}

// ownPythonModule reports whether the module a file imports is the
// repository's: a module or package of that name beside the file or at
// the top.
func (r *repo) ownPythonModule(f, module string) bool {
	for _, dir := range []string{path.Dir(f), "."} {
		for _, p := range []string{path.Join(dir, module+".py"), path.Join(dir, module)} {
			if _, err := os.Stat(filepath.Join(r.dir, p)); err == nil {
				return true
			}
		}
	}
	return false
}
