package lint

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/source/caddy"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
	"github.com/shipshape/shipshape/internal/source/nginx"
	"github.com/shipshape/shipshape/internal/source/workflow"
)

// Area groups rules by the artifact they judge; it is also the ID prefix.
type Area string

const (
	AreaDockerfile Area = "dockerfile"
	AreaCompose    Area = "compose"
	AreaProxy      Area = "proxy"
	AreaWorkflow   Area = "workflow"
	AreaKube       Area = "kubernetes"
	AreaCross      Area = "cross-file"
)

// Language names the syntax of the area's files, for code blocks.
func (a Area) Language() string {
	switch a {
	case AreaCompose:
		return "yaml"
	case AreaProxy:
		return "nginx"
	case AreaWorkflow, AreaKube:
		return "yaml"
	}
	return string(a)
}

// Profile names.
const (
	ProfileRecommended = "recommended"
	ProfileProduction  = "production"
)

// Meta is what a rule is: identity, severity and documentation. It is data,
// so docs/rules.md, `shipshape rules` and SARIF rule metadata all come from it.
type Meta struct {
	// ID is stable forever: DF012.
	ID string
	// Name is kebab-case: last-user-root.
	Name string
	Area Area
	// Severity under the recommended profile.
	Severity Severity
	// Production is the severity under the production profile, when it differs.
	Production Severity
	// ProductionOnly rules are off under the recommended profile.
	ProductionOnly bool
	// Hadolint lists the hadolint codes the rule corresponds to.
	Hadolint []string
	// KubeLinter lists the kube-linter checks the rule corresponds to, so
	// that their ignore-check annotations keep working.
	KubeLinter []string
	Summary    string
	Rationale  string
	Fix        string
	// Differences says where the rule deliberately differs from hadolint.
	Differences string
	// Bad and Good are examples, filled from the rule's fixtures.
	Bad, Good string
	// Lang is the syntax of the examples when it is not the area's usual one.
	Lang string
}

// Language names the syntax of the rule's examples, for code blocks.
func (m *Meta) Language() string {
	if m.Lang != "" {
		return m.Lang
	}
	return m.Area.Language()
}

// SeverityFor returns the rule's severity under a profile, SeverityNone if it is off there.
func (m *Meta) SeverityFor(profile string) Severity {
	if profile == ProfileProduction {
		if m.Production != SeverityNone {
			return m.Production
		}
		return m.Severity
	}
	if m.ProductionOnly {
		return SeverityNone
	}
	return m.Severity
}

// Profiles lists the profiles the rule is on in.
func (m *Meta) Profiles() []string {
	if m.ProductionOnly {
		return []string{ProfileProduction}
	}
	return []string{ProfileRecommended, ProfileProduction}
}

// Rule is anything the registry holds.
type Rule interface {
	Info() *Meta
}

// DockerfileRule judges Dockerfiles. The runner walks each file once and calls
// the hooks a rule sets, from the narrowest to the widest: every shell command
// of every RUN, every instruction, then the whole file.
type DockerfileRule struct {
	Meta
	Command     func(r *Report, c *dockerfile.Command)
	Instruction func(r *Report, in *dockerfile.Instruction)
	File        func(r *Report, f *dockerfile.File)
}

// Info returns the rule's metadata.
func (d *DockerfileRule) Info() *Meta { return &d.Meta }

var _ Rule = (*DockerfileRule)(nil)

// ComposeRule judges Compose projects: each service as merged from every
// file, then the project as a whole.
type ComposeRule struct {
	Meta
	Service func(r *Report, p *compose.Project, name string, s types.ServiceConfig)
	Project func(r *Report, p *compose.Project)
}

// Info returns the rule's metadata.
func (c *ComposeRule) Info() *Meta { return &c.Meta }

var _ Rule = (*ComposeRule)(nil)

// NginxRule judges nginx configurations: every directive (includes
// followed), then the configuration as a whole.
type NginxRule struct {
	Meta
	Directive func(r *Report, c *nginx.Config, d *nginx.Directive)
	Config    func(r *Report, c *nginx.Config)
}

// Info returns the rule's metadata.
func (n *NginxRule) Info() *Meta { return &n.Meta }

var _ Rule = (*NginxRule)(nil)

// CaddyRule judges Caddyfiles, one site block at a time.
type CaddyRule struct {
	Meta
	Site func(r *Report, f *caddy.File, site *caddy.Directive)
}

// Info returns the rule's metadata.
func (c *CaddyRule) Info() *Meta { return &c.Meta }

var _ Rule = (*CaddyRule)(nil)

// WorkflowRule judges CI workflow files.
type WorkflowRule struct {
	Meta
	Workflow func(r *Report, w *workflow.Workflow)
}

// Info returns the rule's metadata.
func (w *WorkflowRule) Info() *Meta { return &w.Meta }

var _ Rule = (*WorkflowRule)(nil)

// KubeRule judges Kubernetes manifests: every object, then the set of
// objects together (references between them).
type KubeRule struct {
	Meta
	Object func(r *Report, s *kube.Set, o *kube.Object)
	Set    func(r *Report, s *kube.Set)
}

// Info returns the rule's metadata.
func (k *KubeRule) Info() *Meta { return &k.Meta }

var _ Rule = (*KubeRule)(nil)
