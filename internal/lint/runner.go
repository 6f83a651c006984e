package lint

import (
	"github.com/shipshape/shipshape/internal/source/caddy"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
	"github.com/shipshape/shipshape/internal/source/nginx"
	"github.com/shipshape/shipshape/internal/source/workflow"
)

// Runner applies the enabled rules to files. It is safe for concurrent use.
type Runner struct {
	cfg         *Config
	commands    []active
	instruction []active
	file        []active
	compose     []activeCompose
	nginx       []activeNginx
	caddy       []activeCaddy
	workflow    []activeWorkflow
	kube        []activeKube
}

type activeKube struct {
	rule     *KubeRule
	severity Severity
}

type activeWorkflow struct {
	rule     *WorkflowRule
	severity Severity
}

type activeCaddy struct {
	rule     *CaddyRule
	severity Severity
}

type activeNginx struct {
	rule     *NginxRule
	severity Severity
}

type active struct {
	rule     *DockerfileRule
	severity Severity
}

type activeCompose struct {
	rule     *ComposeRule
	severity Severity
}

// NewRunner prepares the rules the config enables.
func NewRunner(cfg *Config, rules []Rule) *Runner {
	r := &Runner{cfg: cfg}
	for _, rule := range rules {
		sev := cfg.Severity(rule.Info())
		if sev == SeverityNone {
			continue
		}
		if k, ok := rule.(*KubeRule); ok {
			r.kube = append(r.kube, activeKube{rule: k, severity: sev})
			continue
		}
		if w, ok := rule.(*WorkflowRule); ok {
			r.workflow = append(r.workflow, activeWorkflow{rule: w, severity: sev})
			continue
		}
		if c, ok := rule.(*CaddyRule); ok {
			r.caddy = append(r.caddy, activeCaddy{rule: c, severity: sev})
			continue
		}
		if n, ok := rule.(*NginxRule); ok {
			r.nginx = append(r.nginx, activeNginx{rule: n, severity: sev})
			continue
		}
		if c, ok := rule.(*ComposeRule); ok {
			r.compose = append(r.compose, activeCompose{rule: c, severity: sev})
			continue
		}
		d, ok := rule.(*DockerfileRule)
		if !ok {
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

// CheckCompose runs every enabled compose rule over a loaded project.
func (r *Runner) CheckCompose(p *compose.Project) []Finding {
	rep := &Report{cfg: r.cfg, project: p, sup: fileSuppressions(p.FileComments())}
	names := p.ServiceNames()
	for _, a := range r.compose {
		rep.rule, rep.severity = &a.rule.Meta, a.severity
		if a.rule.Service != nil {
			for _, name := range names {
				svc, _ := p.Service(name)
				a.rule.Service(rep, p, name, svc)
			}
		}
		if a.rule.Project != nil {
			a.rule.Project(rep, p)
		}
	}
	return rep.findings
}

// CheckNginx runs every enabled nginx rule over a loaded configuration.
func (r *Runner) CheckNginx(c *nginx.Config) []Finding {
	rep := &Report{cfg: r.cfg, nginx: c, sup: fileSuppressions(c.Comments())}
	for _, a := range r.nginx {
		rep.rule, rep.severity = &a.rule.Meta, a.severity
		if a.rule.Directive != nil {
			c.Walk(func(d *nginx.Directive) { a.rule.Directive(rep, c, d) })
		}
		if a.rule.Config != nil {
			a.rule.Config(rep, c)
		}
	}
	return rep.findings
}

// CheckCaddy runs every enabled Caddyfile rule over each site.
func (r *Runner) CheckCaddy(f *caddy.File) []Finding {
	rep := &Report{cfg: r.cfg, caddy: f, sup: fileSuppressions(f.Comments())}
	for _, a := range r.caddy {
		rep.rule, rep.severity = &a.rule.Meta, a.severity
		for _, site := range f.Sites {
			a.rule.Site(rep, f, site)
		}
	}
	return rep.findings
}

// CheckWorkflow runs every enabled workflow rule over a workflow file.
func (r *Runner) CheckWorkflow(w *workflow.Workflow) []Finding {
	rep := &Report{cfg: r.cfg, workflow: w, sup: fileSuppressions(w.Comments())}
	for _, a := range r.workflow {
		rep.rule, rep.severity = &a.rule.Meta, a.severity
		a.rule.Workflow(rep, w)
	}
	return rep.findings
}

// CheckKube runs every enabled Kubernetes rule over a set of manifests.
func (r *Runner) CheckKube(s *kube.Set) []Finding {
	rep := &Report{cfg: r.cfg, kube: s, sup: fileSuppressions(s.Comments())}
	for _, a := range r.kube {
		rep.rule, rep.severity = &a.rule.Meta, a.severity
		if a.rule.Object != nil {
			for _, o := range s.Objects {
				a.rule.Object(rep, s, o)
			}
		}
		if a.rule.Set != nil {
			a.rule.Set(rep, s)
		}
	}
	return rep.findings
}
