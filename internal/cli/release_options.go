package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"mvdan.cc/sh/v3/shell"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/proxy"
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
	// canary is --canary as typed ("10%"); Validate reads it into
	// opts.Canary, and the thresholds, given in percent, into
	// opts.CanaryThresholds.
	canary       string
	canaryErrors float64
	balance      string
	deploying    bool // deploy, not rollback: --compose without --service is a whole project
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
	f.IntVar(&d.opts.Replicas, "replicas", 0, "containers of the release; the proxy spreads requests over them and switches once every one is healthy (default: as many as the release serving now has, else 1; with --compose, the service's deploy.replicas)")
	f.StringVar(&d.balance, "balance", string(proxy.LeastRequests), "how the proxy spreads requests over the replicas: least-requests (to the one with the fewest in flight) or round-robin")
	if deploying {
		f.StringVar(&d.canary, "canary", "", "first send this share of clients (e.g. 10%) to the new release, each kept on its side by a cookie, for --canary-for; the proxy aborts it when it fails more or answers slower than the release serving, else promotes it")
		f.DurationVar(&d.opts.CanaryFor, "canary-for", 2*time.Minute, "how long a --canary trial lasts before the promotion")
		f.Float64Var(&d.canaryErrors, "canary-max-errors", proxy.DefaultMaxErrorRate*100, "abort a --canary whose rate of 5xx answers and connection errors exceeds the serving release's by more than this many percentage points")
		f.Float64Var(&d.opts.CanaryThresholds.MaxP99, "canary-max-p99", proxy.DefaultMaxP99, fmt.Sprintf("abort a --canary whose p99 latency exceeds this many times the serving release's, plus %v", proxy.P99Grace))
		f.StringVar(&d.releaseCommand, "release-command", "", "run this once in a one-off container of the new image (its environment, networks, volumes; on Kubernetes a Job from the app's pod template) before the release starts, e.g. \"alembic upgrade head\"; a failure stops the deploy (default with --compose: the one-off service of the app's image it waits to complete, as init writes it)")
		f.StringVar(&d.opts.PreSwitch, "pre-switch", "", "command (sh -c) run where shipshape runs once the new release is healthy, before traffic moves; a failure removes the new release (SHIPSHAPE_SERVICE, _RELEASE, _IMAGE, _TARGET, _TARGETS: every replica's address, _PREVIOUS, _PREVIOUS_TARGETS in its environment; a remote host's addresses are forwarded to 127.0.0.1 here)")
		d.browser.registerDeploy(f)
		f.StringVar(&d.opts.PostSwitch, "post-switch", "", "command (sh -c) run where shipshape runs right after the switch, before the window, with --pre-switch's environment; a failure switches back")
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
	if err := d.validateReplicas(k8s); err != nil {
		return err
	}
	check, err := d.browser.pageCheck(d.deploying && d.opts.Service == "", k8s)
	if err != nil {
		return err
	}
	d.opts.PageCheck = check
	return d.kube.Validate()
}

// validateReplicas checks --replicas, --balance and the canary's flags,
// and reads them into the options.
func (d *releaseOptions) validateReplicas(k8s bool) error {
	if k8s && (d.opts.Replicas != 0 || d.canary != "") {
		return usageErrorf("--replicas and --canary are for one Docker host; on Kubernetes the Deployment's replicas: and the rollout's strategy say it")
	}
	if d.opts.Replicas < 0 || d.opts.Replicas > proxy.MaxReplicas {
		return usageErrorf("--replicas %d: from 1 to %d (0: as many as serve now)", d.opts.Replicas, proxy.MaxReplicas)
	}
	d.opts.Balance = proxy.Balance(d.balance)
	if d.balance != string(proxy.LeastRequests) && d.balance != string(proxy.RoundRobin) {
		return usageErrorf("--balance %q: %s or %s", d.balance, proxy.LeastRequests, proxy.RoundRobin)
	}
	if d.canary == "" {
		return nil
	}
	share, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(d.canary), "%")), 64)
	if err != nil || !(share > 0 && share < 100) {
		return usageErrorf("--canary %q: a share of clients above 0%% and below 100%%, e.g. 10%%", d.canary)
	}
	if d.opts.CanaryFor <= 0 || d.opts.CanaryFor > proxy.MaxCanaryFor {
		return usageErrorf("--canary-for %v: above 0, at most %v", d.opts.CanaryFor, proxy.MaxCanaryFor)
	}
	if d.canaryErrors <= 0 || d.canaryErrors >= 100 {
		return usageErrorf("--canary-max-errors %g: percentage points above 0 and below 100, e.g. 1", d.canaryErrors)
	}
	if d.opts.CanaryThresholds.MaxP99 < 1 {
		return usageErrorf("--canary-max-p99 %g: a ratio of 1 or more, e.g. 1.5", d.opts.CanaryThresholds.MaxP99)
	}
	d.opts.Canary, d.opts.CanaryThresholds.MaxErrorRate = share, d.canaryErrors/100
	return nil
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
	o.Balance, o.Canary, o.CanaryFor, o.CanaryThresholds = d.opts.Balance, d.opts.Canary, d.opts.CanaryFor, d.opts.CanaryThresholds
	if f.Changed("replicas") || o.Replicas == 0 {
		o.Replicas = d.opts.Replicas // else the service's deploy.replicas
	}
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
	fmt.Fprintf(out, "released %s as %s (%s)", d.opts.Service, res.Release, strings.Join(res.Targets, ", "))
	if res.Canary != nil {
		fmt.Fprintf(out, " after a canary")
	}
	if res.Previous != "" {
		fmt.Fprintf(out, "; %s stopped and kept for rollback", res.Previous)
	}
	fmt.Fprintf(out, "; the proxy answered %d requests for it during the deploy, %d failed\n", res.Served, res.Failed)
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
