package docker

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"

	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/problem"
)

// Compose is one service of a compose project that shipshape releases
// while the rest of the project, its accessories (a database, a cache),
// stays under compose and stays up.
type Compose struct {
	Files   []string
	Project string // the compose project name, pinned for every compose command
	Service string
	// Accessories are the services the released one depends on, directly
	// or not: compose starts them, shipshape never restarts them.
	Accessories []string
	// ReleaseStep is the one-off service that deploy runs as the release
	// command instead of compose (init's <service>-migrate), or "".
	ReleaseStep string
	dir         string
}

// FromCompose reads the compose files and returns the project and the
// deploy options of service: its image, environment, networks (with the
// service's name as an alias, so its neighbours still find it), named
// volumes, health check, container port and stop grace period. The release
// is called PROJECT-SERVICE, as compose would name it. Bad input is a
// *problem.Error naming the file and line.
func FromCompose(ctx context.Context, files []string, service, project string) (*Compose, Options, error) {
	var o Options
	p, err := compose.Load(ctx, loadOptions(files, project))
	if err != nil {
		return nil, o, err
	}
	if project == "" {
		project = p.Name
	}
	svc, ok := p.Service(service)
	if !ok {
		pos := p.LocateFirst([]string{"services"})
		return nil, o, &problem.Error{Path: pos.File, Line: pos.Line, Message: fmt.Sprintf("no service %q", service),
			Hint: "the services are " + strings.Join(p.ServiceNames(), ", ")}
	}
	at := func(path ...string) *problem.Error {
		pos := p.LocateFirst(append([]string{"services", service}, path...), []string{"services", service})
		return &problem.Error{Path: pos.File, Line: pos.Line}
	}
	c := &Compose{Files: files, Project: project, Service: service, dir: p.WorkingDir}
	c.Accessories = dependencies(p.Model, service)

	o.Service = project + "-" + service
	o.Image = svc.Image
	if o.Image == "" {
		e := at("build")
		e.Message = fmt.Sprintf("service %s has no image: name, only a build", service)
		e.Hint = "add image: " + project + "-" + service + ":${GIT_SHA:-dev}, build it (shipshape build), or pass the image to deploy"
		return nil, o, e
	}
	for _, k := range slices.Sorted(maps.Keys(svc.Environment)) {
		if v := svc.Environment[k]; v != nil {
			o.Env = append(o.Env, k+"="+*v)
		}
	}
	if step, cmd, args := releaseStep(p.Model, svc); step != "" {
		// init's <service>-migrate: deploy runs it as the release command,
		// in the new image; compose must not start it with the old one.
		o.ReleaseCommand, o.releaseArgs = cmd, args
		c.Accessories = slices.DeleteFunc(c.Accessories, func(s string) bool { return s == step })
		c.ReleaseStep = step
	}
	o.Aliases = []string{service}
	o.Routes = routesOf(svc.Labels)
	o.joinNetworks(p, svc, project)
	if err := o.mountVolumes(p, svc, project, at); err != nil {
		return nil, o, err
	}
	o.Healthcheck = healthcheck(svc.HealthCheck)
	if len(svc.Ports) > 0 {
		o.Port = int(svc.Ports[0].Target)
	} else if len(svc.Expose) > 0 {
		fmt.Sscanf(svc.Expose[0], "%d", &o.Port)
	}
	if svc.StopGracePeriod != nil {
		o.StopTimeout = int(time.Duration(*svc.StopGracePeriod).Seconds())
	}
	if n := svc.GetScale(); n > 1 {
		o.Replicas = n // deploy.replicas (or scale:)
	}
	return c, o, nil
}

// joinNetworks puts the release on the service's networks, named as
// compose names them, with the labels compose looks for on a network it
// did not create.
func (o *Options) joinNetworks(p *compose.Project, svc types.ServiceConfig, project string) {
	nets := slices.Sorted(maps.Keys(svc.Networks))
	if len(nets) == 0 {
		nets = []string{"default"}
	}
	o.NetworkLabels = map[string]map[string]string{}
	for i, key := range nets {
		name := project + "_" + key
		n, declared := p.Model.Networks[key]
		switch {
		case declared && n.Name != "" && p.Written("networks", key, "name"):
			name = n.Name
		case declared && bool(n.External):
			name = key // an external network is called what its key says
		}
		if !declared || !bool(n.External) {
			o.NetworkLabels[name] = map[string]string{"com.docker.compose.project": project, "com.docker.compose.network": key}
		}
		if i == 0 {
			o.Network = name
		} else {
			o.Networks = append(o.Networks, name)
		}
	}
}

// mountVolumes mounts the service's named volumes and tmpfs; a bind mount
// from the host is refused at its line (at).
func (o *Options) mountVolumes(p *compose.Project, svc types.ServiceConfig, project string, at func(path ...string) *problem.Error) error {
	for i, v := range svc.Volumes {
		switch v.Type {
		case types.VolumeTypeVolume:
			if v.Source == "" {
				continue // an anonymous volume: the release's own
			}
			name := project + "_" + v.Source
			if vol, ok := p.Model.Volumes[v.Source]; ok && vol.Name != "" && p.Written("volumes", v.Source, "name") {
				name = vol.Name
			}
			o.Mounts = append(o.Mounts, mount.Mount{Type: mount.TypeVolume, Source: name, Target: v.Target, ReadOnly: v.ReadOnly})
		case types.VolumeTypeTmpfs:
			o.Mounts = append(o.Mounts, mount.Mount{Type: mount.TypeTmpfs, Target: v.Target})
		default:
			e := at("volumes", fmt.Sprint(i))
			e.Message = fmt.Sprintf("service %s mounts %s %s from the host", svc.Name, v.Type, v.Source)
			e.Hint = "a release runs what its image holds: bake the files into the image, or use a named volume (a dev bind mount in production is how seed 001's code drifted)"
			return e
		}
	}
	return nil
}

// healthcheck is the service's health check as the engine takes it (nil:
// the image's; Test NONE: none).
func healthcheck(hc *types.HealthCheckConfig) *container.HealthConfig {
	switch {
	case hc == nil:
		return nil
	case hc.Disable || (len(hc.Test) > 0 && hc.Test[0] == "NONE"):
		return &container.HealthConfig{Test: []string{"NONE"}}
	case len(hc.Test) == 0:
		return nil
	}
	out := &container.HealthConfig{Test: hc.Test, Interval: duration(hc.Interval), Timeout: duration(hc.Timeout), StartPeriod: duration(hc.StartPeriod)}
	if hc.Retries != nil {
		out.Retries = int(*hc.Retries)
	}
	return out
}

// Up starts the accessories the way `docker compose up -d --wait` does
// (a running one whose configuration did not change is left alone), under
// the pinned project name. The released service itself is never started by
// compose. With no accessories there is nothing to start.
func (c *Compose) Up(ctx context.Context, docker string) (string, error) {
	if len(c.Accessories) == 0 {
		return "no accessories", nil
	}
	args := []string{"compose", "--project-name", c.Project, "--project-directory", c.dir}
	for _, f := range c.Files {
		args = append(args, "--file", f)
	}
	args = append(args, "up", "--detach", "--wait", "--no-build")
	args = append(args, c.Accessories...)
	cmd := exec.CommandContext(ctx, docker, args...)
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("docker compose up %s: %v\n%s", strings.Join(c.Accessories, " "), err, strings.TrimSpace(string(out)))
	}
	return strings.Join(c.Accessories, ", ") + " up", nil
}

// dependencies returns every service service depends on, directly or not,
// sorted.
func dependencies(p *types.Project, service string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(name string) {
		s, ok := p.Services[name]
		if !ok {
			return
		}
		for dep := range s.DependsOn {
			if !seen[dep] && dep != service {
				seen[dep] = true
				walk(dep)
			}
		}
	}
	walk(service)
	return slices.Sorted(maps.Keys(seen))
}

// releaseStep finds the service's release step: a dependency it waits on
// to complete successfully that runs the service's own image repository
// (a migration, as init writes it). It returns its name and command
// (entrypoint and command, exec form; args: the command alone, run by the
// image's ENTRYPOINT as compose would), or "" when there is none.
func releaseStep(p *types.Project, svc types.ServiceConfig) (name string, cmd []string, args bool) {
	for _, name := range slices.Sorted(maps.Keys(svc.DependsOn)) {
		dep, ok := p.Services[name]
		if !ok || svc.DependsOn[name].Condition != types.ServiceConditionCompletedSuccessfully || repository(dep.Image) != repository(svc.Image) {
			continue
		}
		cmd := append(slices.Clone([]string(dep.Entrypoint)), dep.Command...)
		if len(cmd) > 0 {
			return name, cmd, len(dep.Entrypoint) == 0
		}
	}
	return "", nil, false
}

// repository is an image reference without its tag or digest.
func repository(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i]
	}
	return image
}

func duration(d *types.Duration) time.Duration {
	if d == nil {
		return 0
	}
	return time.Duration(*d)
}

// loadOptions load the files as docker compose up would at deploy time:
// interpolated with the shell's environment over the project's .env (the
// image: tag init writes is ${GIT_SHA:?...}), and the project name given.
func loadOptions(files []string, project string) compose.Options {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	if project != "" {
		env["COMPOSE_PROJECT_NAME"] = project
	}
	return compose.Options{Files: files, Env: env}
}

// Labels on a compose service that tell a project deploy about it.
const (
	// LabelDeploy "true" releases a service that has no build: section;
	// "false" leaves one that has to compose (a worker, say).
	LabelDeploy = "dev.shipshape.deploy"
	// LabelHost (comma-separated) and LabelPrefix are the service's routes
	// in the proxy.
	LabelHost   = "dev.shipshape.host"
	LabelPrefix = "dev.shipshape.prefix"
)

// FromProject reads a compose project and returns the deploy options of
// every service it releases, in dependency order: those with a build:
// section or the label dev.shipshape.deploy: "true", except those labelled
// "false" and the one-off release steps. Their routes come from the labels
// dev.shipshape.host and dev.shipshape.prefix; a service without them is
// routed by its own name as the host, unless it is the only one, which
// then takes every request. The Compose it returns starts the accessories
// of them all.
func FromProject(ctx context.Context, files []string, project string) (*Compose, []Options, error) {
	p, err := compose.Load(ctx, loadOptions(files, project))
	if err != nil {
		return nil, nil, err
	}
	released, steps := map[string]bool{}, map[string]bool{}
	for _, name := range p.ServiceNames() {
		svc := p.Model.Services[name]
		if step, _, _ := releaseStep(p.Model, svc); step != "" {
			steps[step] = true
		}
		switch svc.Labels[LabelDeploy] {
		case "true":
			released[name] = true
		case "false":
		default:
			released[name] = svc.Build != nil
		}
	}
	var order []string
	for _, name := range dependencyOrder(p.Model) {
		if released[name] && !steps[name] {
			order = append(order, name)
		}
	}
	if len(order) == 0 {
		pos := p.LocateFirst([]string{"services"})
		return nil, nil, &problem.Error{Path: pos.File, Line: pos.Line, Message: "no service to release: none has a build: section or the label " + LabelDeploy + ": \"true\"",
			Hint: "name the service with --service, or label the web services " + LabelDeploy + ": \"true\""}
	}
	all := &Compose{Files: files}
	var out []Options
	unrouted := 0
	for _, name := range order {
		if p.Model.Services[name].Labels[LabelHost] == "" && p.Model.Services[name].Labels[LabelPrefix] == "" {
			unrouted++
		}
	}
	accessories := map[string]bool{}
	for _, name := range order {
		c, o, err := FromCompose(ctx, files, name, project)
		if err != nil {
			return nil, nil, err
		}
		all.Project, all.dir = c.Project, c.dir
		for _, a := range c.Accessories {
			if !released[a] || steps[a] {
				accessories[a] = true
			}
		}
		if unrouted > 1 && len(o.Routes) == 0 {
			o.Routes = []Route{{Host: name}}
		}
		out = append(out, o)
	}
	for s := range steps {
		delete(accessories, s)
	}
	all.Accessories = slices.Sorted(maps.Keys(accessories))
	return all, out, nil
}

// dependencyOrder lists the services so that each comes after those it
// depends on; among equals, by name.
func dependencyOrder(p *types.Project) []string {
	var out []string
	done := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		if done[name] {
			return
		}
		done[name] = true // a cycle is compose's error, reported when it loads
		for _, dep := range slices.Sorted(maps.Keys(p.Services[name].DependsOn)) {
			if _, ok := p.Services[dep]; ok {
				visit(dep)
			}
		}
		out = append(out, name)
	}
	for _, name := range slices.Sorted(maps.Keys(p.Services)) {
		visit(name)
	}
	return out
}

// routesOf reads a service's routes from its labels (none: nil).
func routesOf(labels map[string]string) []Route {
	prefix := labels[LabelPrefix]
	var routes []Route
	for _, h := range strings.Split(labels[LabelHost], ",") {
		if h = strings.TrimSpace(h); h != "" {
			routes = append(routes, Route{Host: h, Prefix: prefix})
		}
	}
	if len(routes) == 0 && prefix != "" {
		routes = []Route{{Prefix: prefix}}
	}
	return routes
}
