package detect

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

var (
	// goIgnored is a .gitignore line that leaves Go source out of git
	// (*.ego.go, *_templ.go, /internal/gen/*.go): code a generator writes.
	goIgnored = regexp.MustCompile(`^\s*[^#!\s]\S*\.go\s*$`)
	// goToolFiles are the go tool's own intermediate files, which GitHub's
	// Go .gitignore template lists (oauth2-proxy's *.cgo1.go): no
	// generator of the repository's writes them.
	goToolFiles = map[string]bool{"*.cgo1.go": true, "_cgo_gotypes.go": true, "_testmain.go": true, "_obj/*.go": true}
	// makeTarget is a Makefile rule's head.
	makeTarget = regexp.MustCompile(`^([A-Za-z0-9_.-]+)\s*:([^=]|$)`)
	// goOnly is a command the Go image runs with nothing else installed.
	goOnly = regexp.MustCompile(`^go (?:run|generate|tool) `)
	// goGenerateLine is a //go:generate directive and its command.
	goGenerateLine = regexp.MustCompile(`^//go:generate\s+(.+)$`)
)

// goGenerate is the step that writes Go code the build needs and git does
// not hold: the repository ignores generated Go files (benbjohnson/wtf's
// *.ego.go), and says how to make them with the Go toolchain alone, in a
// Makefile target named generate (or gen, codegen, or the default one)
// whose commands are all `go run`/`go generate`/`go tool`, else in
// //go:generate directives that all are. Value is the shell command.
// A generator that needs another program (protoc, a binary on PATH) is
// not run: nil, and the build's error says what is missing.
func (r *repo) goGenerate() *Evidence {
	ignored := ""
	for i, line := range r.read(".gitignore") {
		if goIgnored.MatchString(line) && !goToolFiles[strings.TrimPrefix(strings.TrimSpace(line), "/")] {
			ignored = fmt.Sprintf("%s is git-ignored (.gitignore:%d)", strings.TrimSpace(line), i+1)
			break
		}
	}
	if ignored == "" {
		return nil
	}
	if e := r.makeGenerate(); e != nil {
		e.Why = "it writes the Go code the build needs: " + ignored
		return e
	}
	var first *Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		for i, line := range r.read(f) {
			m := goGenerateLine.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			if !goOnly.MatchString(m[1]) {
				return nil // one directive needs a program the image lacks
			}
			if first == nil {
				first = &Evidence{Value: "go generate ./...", File: f, Line: i + 1}
			}
		}
	}
	if first != nil {
		first.Why = "its directives write the Go code the build needs: " + ignored
	}
	return first
}

// makeGenerate is the Makefile target that generates code with Go alone.
func (r *repo) makeGenerate() *Evidence {
	lines := r.read("Makefile")
	type target struct {
		line int
		cmds []string
		ok   bool
	}
	targets := map[string]*target{}
	var order []string
	var cur *target
	for i, line := range lines {
		if strings.HasPrefix(line, "\t") {
			if cur == nil {
				continue
			}
			cmd := strings.TrimLeft(strings.TrimSpace(line), "@-")
			if cmd == "" || strings.HasPrefix(cmd, "#") {
				continue
			}
			cur.cmds = append(cur.cmds, cmd)
			cur.ok = cur.ok && goOnly.MatchString(cmd) && !strings.ContainsAny(cmd, "$`;&|<>")
			continue
		}
		cur = nil
		if m := makeTarget.FindStringSubmatch(line); m != nil && !strings.HasPrefix(m[1], ".") {
			cur = &target{line: i + 1, ok: true}
			targets[m[1]] = cur
			order = append(order, m[1])
		}
	}
	names := []string{"generate", "gen", "codegen"}
	if len(order) > 0 {
		names = append(names, order[0])
	}
	for _, n := range names {
		if t := targets[n]; t != nil && t.ok && len(t.cmds) > 0 {
			return &Evidence{Value: strings.Join(t.cmds, " && "), File: "Makefile", Line: t.line}
		}
	}
	return nil
}

// A boxTool is a library that packs directories into a Go program with
// a command of its own (rice embed-go, packr2) and otherwise finds them
// at run time beside the source files the build compiled, which an
// image does not have: the program stops at start (go.rice: could not
// locate box "templates"; packr: a box read as empty, fathom's
// "Missing database migrations").
type boxTool struct {
	name string
	// module is the library's line in go.mod; its group is the version.
	module *regexp.Regexp
	// call finds a box in a line of Go; its last group is the directory,
	// relative to the file's own.
	call *regexp.Regexp
	// command is the step for one package directory (rice) or the module
	// (packr, which walks the tree), at the version go.mod requires.
	command func(version string) string
	// perPackage runs command in each package directory that finds a box.
	perPackage bool
	// generated is the name of a file the command writes: a tree that
	// holds one has packed its boxes already.
	generated string
}

var boxTools = []boxTool{
	{
		name:   "go.rice",
		module: regexp.MustCompile(`^\s*(?:require\s+)?github\.com/GeertJohan/go\.rice\s+(v[\w.+-]+)`),
		call:   regexp.MustCompile(`\brice\.(?:Must)?FindBox\(\s*"([^"]+)"`),
		command: func(v string) string {
			return "go run github.com/GeertJohan/go.rice/rice@" + v + " embed-go"
		},
		perPackage: true,
		generated:  "rice-box.go",
	},
	{
		// packr v2: packr.New("name", "./dir"), and v1's packr.NewBox.
		name:      "packr",
		module:    regexp.MustCompile(`^\s*(?:require\s+)?github\.com/gobuffalo/packr/v2\s+(v[\w.+-]+)`),
		call:      regexp.MustCompile(`\bpackr\.(?:New\(\s*"[^"]*"\s*,|NewBox\()\s*"([^"]+)"`),
		command:   func(v string) string { return "go run github.com/gobuffalo/packr/v2/packr2@" + v },
		generated: "-packr.go",
	},
	{
		name:      "packr",
		module:    regexp.MustCompile(`^\s*(?:require\s+)?github\.com/gobuffalo/packr\s+(v1[\w.+-]*)`),
		call:      regexp.MustCompile(`\bpackr\.NewBox\(\s*"([^"]+)"`),
		command:   func(v string) string { return "go run github.com/gobuffalo/packr/packr@" + v },
		generated: "-packr.go",
	},
}

// goBoxes are the directories the chosen program's packr or go.rice
// boxes name (relative to the root, each once), and the step that packs
// them into it, with the tool's version go.mod requires: the
// repository's own build runs it (linx-server's build.sh, `rice
// append`; fathom's Makefile, `packr2 build`; statping-ng's Dockerfile,
// `cd source && rice embed-go`). Both are nil when the code finds no box
// or the repository holds what the tool writes.
func (r *repo) goBoxes(program func(string) bool) ([]Evidence, *Evidence) {
	for _, t := range boxTools {
		mod := r.find("go.mod", t.module)
		if mod == nil {
			continue
		}
		var boxes []Evidence
		var dirs []string
		packed := false
		for _, f := range r.codeFiles() {
			if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || !program(f) {
				continue
			}
			packed = packed || strings.HasSuffix(f, t.generated)
			for i, line := range r.read(f) {
				m := t.call.FindStringSubmatch(line)
				if m == nil || isComment(line) {
					continue
				}
				box := Evidence{Value: path.Join(path.Dir(f), m[len(m)-1]), File: f, Line: i + 1, Why: "a " + t.name + " box"}
				if !slices.ContainsFunc(boxes, func(b Evidence) bool { return b.Value == box.Value }) {
					boxes = append(boxes, box)
				}
				if d := path.Dir(f); !slices.Contains(dirs, d) {
					dirs = append(dirs, d)
				}
			}
		}
		if len(boxes) == 0 {
			continue
		}
		if packed {
			return nil, nil // in the program already
		}
		steps := []string{t.command(mod.Value)}
		if t.perPackage {
			steps = steps[:0]
			for _, d := range dirs {
				step := t.command(mod.Value)
				if d != "." {
					step = "(cd " + d + " && " + step + ")"
				}
				steps = append(steps, step)
			}
		}
		return boxes, &Evidence{Value: strings.Join(steps, " && "), File: boxes[0].File, Line: boxes[0].Line,
			Why: t.name + " finds its boxes in the binary or beside the source the build compiled, which the image lacks: this puts them in the program (go.mod requires " + t.name + " " + mod.Value + ")"}
	}
	return nil, nil
}

// goGenerateArg is an argument of go generate a build step can pass on:
// a package pattern or a flag, no shell syntax.
var goGenerateArg = regexp.MustCompile(`^(?:-[\w.=-]+|\.{1,2}(?:/[\w.-]*)*(?:/\.\.\.)?|[\w.-]+(?:/[\w.-]+)*(?:/\.\.\.)?)$`)

// dockerfileGoGenerate is the go generate the repository's own Dockerfile
// runs before it builds (Forceu/Gokapi's `go generate ./... && go build`,
// whose directives build the WebAssembly modules its server embeds):
// evidence that the build needs it. nil when none does, or its
// arguments are not plain.
func (r *repo) dockerfileGoGenerate() *Evidence {
	for _, name := range r.repoDockerfiles() {
		f := r.dockerfileParsed(name)
		if f == nil {
			continue
		}
		for _, st := range f.Stages {
			for _, in := range st.Instructions {
				if in.Keyword != "RUN" || in.Script == nil {
					continue
				}
				for _, c := range in.Script.Commands {
					if c.Name != "go" || len(c.Args) == 0 || c.Args[0] != "generate" {
						continue
					}
					args := c.Args[1:]
					if len(args) == 0 || slices.ContainsFunc(args, func(a string) bool { return !goGenerateArg.MatchString(a) }) {
						return nil
					}
					return &Evidence{Value: "go generate " + strings.Join(args, " "), File: name, Line: c.Line,
						Why: "the repository's Dockerfile runs it before go build"}
				}
			}
		}
	}
	return nil
}

// goRunFile is the Go file a //go:generate directive runs: go run
// "../../build/go-generate/buildWasm.go".
var goRunFile = regexp.MustCompile(`^go run\s+(?:-\S+\s+)*"?([\w./-]+\.go)"?`)

// goGenerateMakes reports whether a //go:generate directive of the
// module makes out: the directive names it (its base name), or the Go
// file it runs does (Gokapi's buildWasm.go writes
// ../../internal/webserver/web/main.wasm). A go generate of the
// repository's Dockerfile is taken only for what its directives make
// (one whose directives are stringer's makes no web/dist).
func (r *repo) goGenerateMakes(out string) bool {
	base := path.Base(out)
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		for _, line := range r.read(f) {
			m := goGenerateLine.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			if strings.Contains(m[1], base) {
				return true
			}
			if run := goRunFile.FindStringSubmatch(m[1]); run != nil {
				if src := path.Join(path.Dir(f), run[1]); !strings.HasPrefix(src, "..") && slices.ContainsFunc(r.read(src), func(l string) bool { return strings.Contains(l, base) }) {
					return true
				}
			}
		}
	}
	return false
}
