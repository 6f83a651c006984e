package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/caddy"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
	"github.com/shipshape/shipshape/internal/source/nginx"
	"github.com/shipshape/shipshape/internal/source/workflow"
)

// Report collects the findings of one rule on one file. Rules call its Add
// methods; the report fills in rule, severity, file and source line, and
// drops what a pragma suppresses.
type Report struct {
	cfg   *Config
	model *project.Model
	file  *dockerfile.File
	// passedArgs are the build args the project's build files pass file.
	passedArgs []string
	project    *compose.Project
	nginx      *nginx.Config
	caddy      *caddy.File
	workflow   *workflow.Workflow
	kube       *kube.Set
	rule       *Meta
	severity   Severity
	sup        *suppressions
	findings   []Finding
	// fix replaces the rule's Fix text in the next finding; see WithFix.
	fix string
	// perInstruction remembers the rules that already reported a command of
	// an instruction: one finding per rule and RUN, as hadolint counts them.
	perInstruction map[instructionRule]bool
}

type instructionRule struct {
	in   *dockerfile.Instruction
	rule string
}

// Config returns the configuration in force, for rules that take settings.
func (r *Report) Config() *Config { return r.cfg }

// Model returns what the check knows of the project around the file:
// the files beside it and the facts of the code. Rules read these from it,
// never from the disk.
func (r *Report) Model() *project.Model { return r.model }

// File returns the Dockerfile being checked.
func (r *Report) File() *dockerfile.File { return r.file }

// PassesArg reports whether the project's own build files (a compose
// build section's args, a CI workflow's build-args or --build-arg, a
// Makefile's --build-arg) or the check's own --build-arg pass the build arg
// name to the Dockerfile being checked: its value is then set at build time,
// whatever the file's default.
func (r *Report) PassesArg(name string) bool {
	if _, ok := r.cfg.BuildArgs[name]; ok {
		return true
	}
	return slices.Contains(r.passedArgs, name)
}

// WithFix makes the next finding carry fix instead of the rule's own Fix
// text, for suggestions that depend on the file: `adduser -D` on Alpine
// where the rule's text says useradd, a Node health check for a Node image.
func (r *Report) WithFix(fix string) *Report {
	r.fix = fix
	return r
}

// Add reports a finding at an instruction.
func (r *Report) Add(in *dockerfile.Instruction, format string, args ...any) {
	r.AddAt(in, in.Line, in.Column, format, args...)
}

// AddCommand reports a finding at a shell command. A rule reports at most
// one command per instruction, at the first it meets.
func (r *Report) AddCommand(c *dockerfile.Command, format string, args ...any) {
	key := instructionRule{c.Instruction, r.rule.ID}
	if r.perInstruction[key] {
		return
	}
	if r.perInstruction == nil {
		r.perInstruction = map[instructionRule]bool{}
	}
	r.perInstruction[key] = true
	r.AddAt(c.Instruction, c.Line, c.Column, format, args...)
}

// AddAt reports a finding at a line and column inside an instruction; the
// instruction decides which pragmas apply.
func (r *Report) AddAt(in *dockerfile.Instruction, line, col int, format string, args ...any) {
	if r.sup.ignored(r.rule.ID, in.Line) {
		r.fix = ""
		return
	}
	r.emit(r.file.Path, line, col, r.file.Line(line), format, args...)
}

// AddPos reports a finding where a compose key is written. A pragma in a
// comment on the key or above any key it belongs to suppresses it:
//
//	# shipshape:ignore CO003 hot reload in this dev-only file
//	volumes:
func (r *Report) AddPos(pos compose.Pos, format string, args ...any) {
	if r.sup.ignored(r.rule.ID, 0) {
		return
	}
	if r.pragmaIn(pos.Comments()) {
		return
	}
	r.emit(pos.File, pos.Line, pos.Column, pos.Source(), format, args...)
}

// AddDirective reports a finding at an nginx directive. A pragma comment
// above it or above a block it is in suppresses it.
func (r *Report) AddDirective(d *nginx.Directive, format string, args ...any) {
	if r.sup.ignored(r.rule.ID, 0) {
		return
	}
	if r.pragmaIn(d.AllComments()) {
		return
	}
	src := r.nginx.Line(d.File, d.Line)
	r.emit(d.File, d.Line, 1+max(0, strings.Index(src, d.Name)), src, format, args...)
}

// AddCaddy reports a finding at a Caddyfile directive or site; pragma
// comments above it or its site suppress it.
func (r *Report) AddCaddy(d *caddy.Directive, format string, args ...any) {
	if r.sup.ignored(r.rule.ID, 0) || r.pragmaIn(d.AllComments()) {
		return
	}
	src := r.caddy.Line(d.Line)
	r.emit(r.caddy.Path, d.Line, 1+max(0, strings.Index(src, d.Name)), src, format, args...)
}

// AddLine reports a finding at a line and column of a workflow; a pragma on
// that line or in the comments directly above it suppresses it.
func (r *Report) AddLine(line, col int, format string, args ...any) {
	if r.sup.ignored(r.rule.ID, 0) || r.pragmaIn(r.workflow.CommentsAt(line)) {
		return
	}
	r.emit(r.workflow.Path, line, col, r.workflow.Line(line), format, args...)
}

// AddKube reports a finding about a Kubernetes object at a position in it.
// It is suppressed by a pragma comment, by the object's annotation
// `shipshape.dev/ignore: KU012,KU013`, or by kube-linter's
// `ignore-check.kube-linter.io/<check>` for the checks the rule maps to.
func (r *Report) AddKube(o *kube.Object, pos kube.Pos, format string, args ...any) {
	if r.sup.ignored(r.rule.ID, 0) || r.pragmaIn(pos.Comments()) || r.annotated(o) {
		return
	}
	r.emit(pos.File, pos.Line, pos.Column, pos.Source(), format, args...)
}

func (r *Report) annotated(o *kube.Object) bool {
	ann := o.Annotations()
	if v, ok := ann["shipshape.dev/ignore"]; ok {
		for _, ref := range strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == ' ' }) {
			if rule, ok := Lookup(ref); ok && rule.Info().ID == r.rule.ID {
				return true
			}
		}
	}
	for _, check := range r.rule.KubeLinter {
		if _, ok := ann["ignore-check.kube-linter.io/"+check]; ok {
			return true
		}
	}
	return false
}

// AddFile reports a finding in another file than the one being checked, as
// cross-file rules do (an nginx upstream found from a compose project). The
// comments directly above the line may hold a pragma.
func (r *Report) AddFile(path string, line, col int, format string, args ...any) {
	if r.sup.ignored(r.rule.ID, 0) || r.pragmaIn(r.model.CommentsAbove(path, line)) {
		return
	}
	r.emit(path, line, col, r.model.Line(path, line), format, args...)
}

// pragmaIn reports whether comments switch the current rule off.
func (r *Report) pragmaIn(comments []string) bool {
	for _, c := range comments {
		if ids, scope := parsePragma(c); scope != scopeNone && containsString(ids, r.rule.ID) {
			return true
		}
	}
	return false
}

// Project returns the compose project being checked.
func (r *Report) Project() *compose.Project { return r.project }

func (r *Report) emit(file string, line, col int, source, format string, args ...any) {
	fix := r.rule.Fix
	if r.fix != "" {
		fix, r.fix = r.fix, ""
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	r.findings = append(r.findings, Finding{
		Rule:     r.rule.ID,
		Name:     r.rule.Name,
		Severity: r.severity,
		File:     file,
		Line:     max(line, 1),
		Column:   max(col, 1),
		Message:  msg,
		Fix:      fix,
		Source:   strings.Clone(source),
	})
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
