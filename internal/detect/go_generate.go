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
		if goIgnored.MatchString(line) {
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

// goRiceModule is go.rice, whose boxes (rice.FindBox("templates")) are
// found at run time in the binary or beside the source files the build
// compiled, which an image does not have.
var goRiceModule = regexp.MustCompile(`^\s*(?:require\s+)?github\.com/GeertJohan/go\.rice\s+(v[\w.+-]+)`)

// goRiceEmbed is the step that embeds a program's go.rice boxes in it:
// `rice embed-go` in each package directory that finds a box, with the
// rice command of the version go.mod requires (linx-server's
// templates and static files; its build.sh runs `rice append`). Without
// it the program stops at start: could not locate box "templates".
// nil when the code finds no box or the repository holds the generated
// rice-box.go.
func (r *repo) goRiceEmbed(program func(string) bool) *Evidence {
	mod := r.find("go.mod", goRiceModule)
	if mod == nil {
		return nil
	}
	var dirs []string
	var at *Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || !program(f) {
			continue
		}
		if strings.HasSuffix(f, "rice-box.go") {
			return nil // embedded already
		}
		e := r.find(f, regexp.MustCompile(`\brice\.(?:Must)?FindBox\(`))
		if e == nil {
			continue
		}
		if at == nil {
			at = e
		}
		if d := path.Dir(f); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	if at == nil {
		return nil
	}
	var steps []string
	for _, d := range dirs {
		step := "go run github.com/GeertJohan/go.rice/rice@" + mod.Value + " embed-go"
		if d != "." {
			step = "(cd " + d + " && " + step + ")"
		}
		steps = append(steps, step)
	}
	return &Evidence{Value: strings.Join(steps, " && "), File: at.File, Line: at.Line,
		Why: "go.rice finds its boxes in the binary or beside the source the build compiled, which the image lacks: rice embed-go puts them in the program (go.mod requires go.rice " + mod.Value + ")"}
}
