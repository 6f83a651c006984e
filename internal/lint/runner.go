package lint

import (
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

// Runner applies the enabled rules to files. It is safe for concurrent use.
type Runner struct {
	cfg         *Config
	commands    []active
	instruction []active
	file        []active
}

type active struct {
	rule     *DockerfileRule
	severity Severity
}

// NewRunner prepares the rules the config enables.
func NewRunner(cfg *Config, rules []Rule) *Runner {
	r := &Runner{cfg: cfg}
	for _, rule := range rules {
		d, ok := rule.(*DockerfileRule)
		if !ok {
			continue
		}
		sev := cfg.Severity(&d.Meta)
		if sev == SeverityNone {
			continue
		}
		a := active{rule: d, severity: sev}
		if d.Command != nil {
			r.commands = append(r.commands, a)
		}
		if d.Instruction != nil {
			r.instruction = append(r.instruction, a)
		}
		if d.File != nil {
			r.file = append(r.file, a)
		}
	}
	return r
}

// CheckDockerfile runs every enabled rule over one parsed file in one pass.
func (r *Runner) CheckDockerfile(f *dockerfile.File) []Finding {
	rep := &Report{cfg: r.cfg, file: f, sup: newSuppressions(f)}
	use := func(a active) *Report {
		rep.rule, rep.severity = &a.rule.Meta, a.severity
		return rep
	}
	visit := func(in *dockerfile.Instruction) {
		for _, a := range r.instruction {
			a.rule.Instruction(use(a), in)
		}
		if in.Script == nil || len(r.commands) == 0 {
			return
		}
		for _, c := range in.Script.Commands {
			for _, a := range r.commands {
				a.rule.Command(use(a), c)
			}
		}
	}
	for _, in := range f.Instructions {
		visit(in)
		if in.Sub != nil {
			visit(in.Sub)
		}
	}
	for _, a := range r.file {
		a.rule.File(use(a), f)
	}
	return rep.findings
}
