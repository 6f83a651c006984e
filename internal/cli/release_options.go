package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"mvdan.cc/sh/v3/shell"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/release/docker"
)

// releaseOptions are the flags deploy and rollback share: the service, how
// the Docker host releases it, and the Kubernetes target's.
type releaseOptions struct {
	opts    docker.Options
	hosts   []string
	prefix  string
	format  string
	compose []string
	project string
	kube    kubeFlags
	browser browserFlags // --smoke-browser and its companions
	host    hostFlags
	// releaseCommand is --release-command as typed; Validate splits it
	// into opts.ReleaseCommand.
	releaseCommand string
	deploying      bool // deploy, not rollback: --compose without --service is a whole project
}

func (d *releaseOptions) register(cmd *cobra.Command, deploying bool) {
	f := cmd.Flags()
	f.StringVar(&d.opts.Service, "service", "", "the app's name (required): container names, labels, the proxy's service")
	f.StringVar(&d.opts.Proxy, "proxy", "/run/shipshape/proxy.sock", "admin socket of the running shipshape proxy")
	f.StringVar(&d.opts.Network, "network", "shipshape", "Docker network the releases join")
	f.IntVar(&d.opts.Port, "port", 0, "container port (default: the image's lowest EXPOSEd TCP port)")
	f.StringVar(&d.opts.HealthPath, "health-path", "", "route the proxy probes (default: the image's label or HEALTHCHECK URL)")
	f.StringSliceVar(&d.hosts, "host", nil, "host names the proxy routes to the service (default: every host)")
	f.StringVar(&d.prefix, "prefix", "", "path prefix the proxy routes to the service")
	f.StringArrayVarP(&d.opts.Env, "env", "e", nil, "KEY=VALUE for the release's container (repeatable)")
	f.DurationVar(&d.opts.Timeout, "timeout", 60*time.Second, "how long the new release may take to turn healthy")
	f.DurationVar(&d.opts.Drain, "drain", 30*time.Second, "how long requests in flight on the old release may take")
	f.IntVar(&d.opts.Keep, "keep", 3, "stopped releases kept for rollback")
	f.DurationVar(&d.opts.Window, "window", 10*time.Second, "after the switch, smoke-check this long with the old release still up, and switch back on a failure (0: no window)")
	f.StringVar(&d.format, "format", "text", "text or json")
	f.StringSliceVar(&d.compose, "compose", nil, "release --service of this compose project (files in merge order); its accessories stay up under compose")
	f.StringVar(&d.project, "project", "", "with --compose: the compose project name (default: the file's name: or its directory's)")
	if deploying {
		f.StringVar(&d.releaseCommand, "release-command", "", "run this once in a one-off container of the new image (its environment, networks, volumes; on Kubernetes a Job from the app's pod template) before the release starts, e.g. \"alembic upgrade head\"; a failure stops the deploy (default with --compose: the one-off service of the app's image it waits to complete, as init writes it)")
		f.StringVar(&d.opts.PreSwitch, "pre-switch", "", "host command (sh -c) run once the new release is healthy, before traffic moves; a failure removes the new release (SHIPSHAPE_SERVICE, _RELEASE, _IMAGE, _TARGET, _PREVIOUS in its environment)")
		d.browser.registerDeploy(f)
		f.StringVar(&d.opts.PostSwitch, "post-switch", "", "host command (sh -c) run right after the switch, before the window; a failure switches back")
	}
	d.deploying = deploying
	d.kube.register(cmd, deploying)
	d.host.register(cmd)
}

// Validate checks the flags before anything connects.
func (d *releaseOptions) Validate() error {
	if err := validateTextOrJSON(d.format); err != nil {
		return err
	}
	k8s, _ := d.kube.kubernetes()
	switch {
	case d.opts.Service != "":
	case d.deploying && len(d.compose) > 0 && !k8s:
		if len(d.hosts) > 0 || d.prefix != "" {
			return usageErrorf("--host and --prefix name one service's routes: with a whole project, label each service %s and %s", docker.LabelHost, docker.LabelPrefix)
		}
	case d.deploying:
		return usageErrorf("--service NAME is required (or --compose FILE without it, to release every web service of the project)")
	default:
		return usageErrorf("--service NAME is required")
	}
	for _, e := range d.opts.Env {
		if !strings.Contains(e, "=") {
			return usageErrorf("--env %q: use KEY=VALUE", e)
		}
	}
	if d.opts.Window < 0 {
		return usageErrorf("--window %v: a duration, or 0 for no window", d.opts.Window)
	}
	if d.releaseCommand != "" {
		words, err := shell.Fields(d.releaseCommand, func(string) string { return "" })
		if err != nil || len(words) == 0 {
			return usageErrorf("--release-command %q: a command line, e.g. \"alembic upgrade head\" (%v)", d.releaseCommand, err)
		}
		d.opts.ReleaseCommand = words
	}
	if k8s && (d.opts.PreSwitch != "" || d.opts.PostSwitch != "") {
		return usageErrorf("--pre-switch and --post-switch are for one Docker host; on Kubernetes, a Job annotated dev.shipshape.phase: pre-deploy runs before the rollout")
	}
	if d.project != "" && len(d.compose) == 0 {
		return usageErrorf("--project goes with --compose")
	}
	check, err := d.browser.pageCheck(d.deploying && d.opts.Service == "", k8s)
	if err != nil {
		return err
	}
	d.opts.PageCheck = check
	return d.kube.Validate()
}

// routes are --host and --prefix as the proxy's routes.
func (d *releaseOptions) routes() []docker.Route {
	var routes []docker.Route
	for _, h := range d.hosts {
		routes = append(routes, docker.Route{Host: h, Prefix: d.prefix})
	}
	if len(d.hosts) == 0 && d.prefix != "" {
		routes = []docker.Route{{Prefix: d.prefix}}
	}
	return routes
}

// engine connects to the container engine and, with --compose, fills
// the options from the compose service (starting its accessories).
func (d *releaseOptions) engine(cmd *cobra.Command) (*engine.Client, error) {
	c, err := connectEngine(cmd)
	if err != nil {
		return nil, err
	}
	if err := d.fromCompose(cmd); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// fromCompose, with --compose, fills the options from the compose
// service and starts its accessories. Flags given on the command line win
// over the compose file.
func (d *releaseOptions) fromCompose(cmd *cobra.Command) error {
	if len(d.compose) == 0 {
		return nil
	}
	c, o, err := docker.FromCompose(cmd.Context(), d.compose, d.opts.Service, d.project)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	d.overlay(cmd, &o)
	if d.opts.Image != "" {
		o.Image = d.opts.Image
	}
	if err := d.composeUp(cmd, c); err != nil {
		return err
	}
	d.opts = o
	return nil
}

// overlay puts the flags given on the command line over what the compose
// file says of a service.
func (d *releaseOptions) overlay(cmd *cobra.Command, o *docker.Options) {
	f := cmd.Flags()
	o.Proxy, o.Timeout, o.Drain, o.Keep, o.Window, o.LockDir = d.opts.Proxy, d.opts.Timeout, d.opts.Drain, d.opts.Keep, d.opts.Window, d.opts.LockDir
	if len(d.opts.Routes) > 0 {
		o.Routes = d.opts.Routes // the flags win over the service's labels
	}
	if f.Changed("port") {
		o.Port = d.opts.Port
	}
	if f.Changed("health-path") {
		o.HealthPath = d.opts.HealthPath
	}
	if f.Changed("network") {
		o.Network, o.Networks = d.opts.Network, nil
	}
	o.Env = append(o.Env, d.opts.Env...)
	if len(d.opts.ReleaseCommand) > 0 {
		o.SetReleaseCommand(d.opts.ReleaseCommand)
	}
	o.PreSwitch, o.PostSwitch, o.PageCheck = d.opts.PreSwitch, d.opts.PostSwitch, d.opts.PageCheck
}

// composeUp starts the project's accessories under compose.
func (d *releaseOptions) composeUp(cmd *cobra.Command, c *docker.Compose) error {
	t := time.Now()
	dockerCLI, _ := engine.DockerCLI()
	did, err := c.Up(cmd.Context(), dockerCLI)
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	if p := d.progress(cmd); p != nil {
		p(release.Step{Name: "compose", Took: time.Since(t), Detail: fmt.Sprintf("project %s: %s", c.Project, did)})
	}
	return nil
}

func (d *releaseOptions) report(cmd *cobra.Command, res *docker.Result, err error) error {
	out := cmd.OutOrStdout()
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	if d.format == "json" {
		return writeJSON(out, res)
	}
	fmt.Fprintf(out, "released %s as %s (%s)", d.opts.Service, res.Release, res.Target)
	if res.Previous != "" {
		fmt.Fprintf(out, "; %s stopped and kept for rollback", res.Previous)
	}
	fmt.Fprintln(out)
	return nil
}

func (d *releaseOptions) progress(cmd *cobra.Command) func(release.Step) {
	if d.format == "json" {
		return nil
	}
	return func(s release.Step) {
		service := ""
		if s.Service != "" {
			service = s.Service + ": "
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "  %s%-7s %7s  %s\n", service, s.Name, s.Took.Round(time.Millisecond), s.Detail)
	}
}

// validateFailOn is --fail-on of a Kubernetes deploy, as check reads it.
func validateFailOn(s string) error {
	if _, err := lint.ParseSeverity(s); err != nil {
		return usageErrorf("--fail-on: %v", err)
	}
	return nil
}
