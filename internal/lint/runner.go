package lint

import (
	"github.com/shipshape/shipshape/internal/project"
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
	model       *project.Model
	commands    []active[*DockerfileRule]
	instruction []active[*DockerfileRule]
	file        []active[*DockerfileRule]
	compose     []active[*ComposeRule]
	nginx       []active[*NginxRule]
	caddy       []active[*CaddyRule]
	workflow    []active[*WorkflowRule]
	kube        []active[*KubeRule]
}

// active is an enabled rule with the severity the config gives it.
type active[R Rule] struct {
	rule     R
	severity Severity
}

// use points the report at the rule, for the findings it adds next.
func (a active[R]) use(rep *Report) *Report {
	rep.rule, rep.severity, rep.fix = a.rule.Info(), a.severity, ""
	return rep
}

// NewRunner prepares the rules the config enables, to be run against one
// project model: the rules' findings on every file it checks draw on it.
func NewRunner(cfg *Config, rules []Rule, model *project.Model) *Runner {
	r := &Runner{cfg: cfg, model: model}
	for _, rule := range rules {
		sev := cfg.Severity(rule.Info())
		if sev == SeverityNone {
			continue
		}
		switch rule := rule.(type) {
		case *KubeRule:
			r.kube = append(r.kube, active[*KubeRule]{rule, sev})
		case *WorkflowRule:
			r.workflow = append(r.workflow, active[*WorkflowRule]{rule, sev})
		case *CaddyRule:
			r.caddy = append(r.caddy, active[*CaddyRule]{rule, sev})
		case *NginxRule:
			r.nginx = append(r.nginx, active[*NginxRule]{rule, sev})
		case *ComposeRule:
			r.compose = append(r.compose, active[*ComposeRule]{rule, sev})
		case *DockerfileRule:
			a := active[*DockerfileRule]{rule, sev}
			if rule.Command != nil {
				r.commands = append(r.commands, a)
			}
			if rule.Instruction != nil {
				r.instruction = append(r.instruction, a)
			}
			if rule.File != nil {
				r.file = append(r.file, a)
			}
		}
	}
	return r
}

// CheckDockerfile runs every enabled rule over one parsed file in one pass;
// passedArgs are the build args the project's build files pass it (see
// Report.PassesArg).
func (r *Runner) CheckDockerfile(f *dockerfile.File, passedArgs ...string) []Finding {
	rep := &Report{cfg: r.cfg, model: r.model, file: f, passedArgs: passedArgs, sup: newSuppressions(f)}
	visit := func(in *dockerfile.Instruction) {
		for _, a := range r.instruction {
			a.rule.Instruction(a.use(rep), in)
		}
		if in.Script == nil || len(r.commands) == 0 {
			return
		}
		for _, c := range in.Script.Commands {
			for _, a := range r.commands {
				a.rule.Command(a.use(rep), c)
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
		a.rule.File(a.use(rep), f)
	}
	return rep.findings
}

// CheckCompose runs every enabled compose rule over a loaded project.
func (r *Runner) CheckCompose(p *compose.Project) []Finding {
	rep := &Report{cfg: r.cfg, model: r.model, project: p, sup: fileSuppressions(p.FileComments())}
	names := p.ServiceNames()
	for _, a := range r.compose {
		a.use(rep)
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
	rep := &Report{cfg: r.cfg, model: r.model, nginx: c, sup: fileSuppressions(c.Comments())}
	for _, a := range r.nginx {
		a.use(rep)
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
	rep := &Report{cfg: r.cfg, model: r.model, caddy: f, sup: fileSuppressions(f.Comments())}
	for _, a := range r.caddy {
		a.use(rep)
		for _, site := range f.Sites {
			a.rule.Site(rep, f, site)
		}
	}
	return rep.findings
}

// CheckWorkflow runs every enabled workflow rule over a workflow file.
func (r *Runner) CheckWorkflow(w *workflow.Workflow) []Finding {
	rep := &Report{cfg: r.cfg, model: r.model, workflow: w, sup: fileSuppressions(w.Comments())}
	for _, a := range r.workflow {
		a.use(rep)
		a.rule.Workflow(rep, w)
	}
	return rep.findings
}

// CheckKube runs every enabled Kubernetes rule over a set of manifests.
func (r *Runner) CheckKube(s *kube.Set) []Finding {
	rep := &Report{cfg: r.cfg, model: r.model, kube: s, sup: fileSuppressions(s.Comments())}
	for _, a := range r.kube {
		a.use(rep)
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
