package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/deploy"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/proxy"
)

type deployCommand struct {
	opts    deploy.Options
	hosts   []string
	prefix  string
	format  string
	compose []string
	project string
	kube    kubeFlags
}

func (d *deployCommand) flags(cmd *cobra.Command) {
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
	f.DurationVar(&d.opts.Window, "window", 10*time.Second, "after the switch, smoke-check this long with the old release still up, and switch back on a failure (0: skip)")
	f.StringVar(&d.format, "format", "text", "text or json")
	f.StringSliceVar(&d.compose, "compose", nil, "release --service of this compose project (files in merge order); its accessories stay up under compose")
	f.StringVar(&d.project, "project", "", "with --compose: the compose project name (default: the file's name: or its directory's)")
	_ = cmd.MarkFlagRequired("service")
}

// engine connects to the container engine and, with --compose, fills
// the options from the compose service (starting its accessories).
func (d *deployCommand) engine(cmd *cobra.Command) (*engine.Client, error) {
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
func (d *deployCommand) fromCompose(cmd *cobra.Command) error {
	if len(d.compose) == 0 {
		if d.project != "" {
			return usageErrorf("--project goes with --compose")
		}
		return nil
	}
	c, o, err := deploy.FromCompose(cmd.Context(), d.compose, d.opts.Service, d.project)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	f := cmd.Flags()
	o.Proxy, o.Routes, o.Timeout, o.Drain, o.Keep, o.Window = d.opts.Proxy, d.opts.Routes, d.opts.Timeout, d.opts.Drain, d.opts.Keep, d.opts.Window
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
	if d.opts.Image != "" {
		o.Image = d.opts.Image
	}
	docker := os.Getenv("SHIPSHAPE_DOCKER")
	if docker == "" {
		docker = "docker"
	}
	t := time.Now()
	did, err := c.Up(cmd.Context(), docker)
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	if p := d.progress(cmd); p != nil {
		p(deploy.Step{Name: "compose", Took: time.Since(t), Detail: fmt.Sprintf("project %s: %s", c.Project, did)})
	}
	d.opts = o
	return nil
}

func (d *deployCommand) validate() error {
	if d.opts.Window == 0 {
		d.opts.Window = -1 // the flag's 0 means no window; the library's 0 means the default
	}
	if d.format != "text" && d.format != "json" {
		return usageErrorf("--format %q: text or json", d.format)
	}
	for _, e := range d.opts.Env {
		if !strings.Contains(e, "=") {
			return usageErrorf("--env %q: use KEY=VALUE", e)
		}
	}
	for _, h := range d.hosts {
		d.opts.Routes = append(d.opts.Routes, deploy.Route{Host: h, Prefix: d.prefix})
	}
	if len(d.hosts) == 0 && d.prefix != "" {
		d.opts.Routes = []deploy.Route{{Prefix: d.prefix}}
	}
	return nil
}

func (d *deployCommand) report(cmd *cobra.Command, res *deploy.Result, err error) error {
	out := cmd.OutOrStdout()
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	if d.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(out, "released %s as %s (%s)", d.opts.Service, res.Release, res.Target)
	if res.Previous != "" {
		fmt.Fprintf(out, "; %s stopped and kept for rollback", res.Previous)
	}
	fmt.Fprintln(out)
	return nil
}

func (d *deployCommand) progress(cmd *cobra.Command) func(deploy.Step) {
	if d.format == "json" {
		return nil
	}
	return func(s deploy.Step) {
		fmt.Fprintf(cmd.ErrOrStderr(), "  %-7s %7s  %s\n", s.Name, s.Took.Round(time.Millisecond), s.Detail)
	}
}

func newDeployCommand() *cobra.Command {
	d := &deployCommand{}
	cmd := &cobra.Command{
		Use:   "deploy [IMAGE] --service NAME",
		Short: "Release an image on this Docker host behind shipshape proxy, without dropping a request",
		Long: `deploy starts IMAGE as a new release of the service beside the running
one (on the --network, labelled with the service, release and image),
waits until Docker reports it healthy, has the proxy switch to it once the
proxy's own probe passes, waits while requests in flight on the old release
drain, smoke-checks the new release for --window with the old one still
running (switching back automatically if a check fails), then stops the old release and keeps the newest --keep stopped ones
for rollback. Any failure before the switch removes the new container: the
old release keeps serving. A second deploy of the same service while one
runs fails at once. State is in container labels and the proxy: a deploy
that was killed or lost its engine half-way is tidied up by the next one.

With --compose, the service comes from a compose project: its image (unless
IMAGE is given), environment, networks (where its neighbours find it by the
service's name), named volumes, health check and stop grace period. The
services it depends on (Postgres, Redis) are started with docker compose up
under the pinned project name and never restarted by a deploy; the release
is called PROJECT-SERVICE.

With --target kubernetes it deploys to the cluster of the kubeconfig
(--kubeconfig, --context, --namespace): it renders --source (a kustomization,
a Helm chart with --values/--set, or manifests; default: what shipshape init
wrote), sets IMAGE on the app's containers (default: the commit's tag, as
shipshape build tags it; outside git, the images as written), runs shipshape
check on it (--fail-on, --force),
runs Jobs annotated dev.shipshape.phase: pre-deploy to completion, applies
everything server-side as field manager shipshape, watches each Deployment,
StatefulSet and DaemonSet until it has rolled out, smoke-checks --url, and
undoes the rollout by itself (as kubectl rollout undo) when it misses its
progress deadline or the smoke check fails. --prune deletes what it applied
earlier for the service and is gone from the rendered set.`,
		Example: `  shipshape proxy --admin unix:///run/shipshape/proxy.sock --state /var/lib/shipshape/proxy.json &
  shipshape deploy --service shop --host shop.example.com shop:3f2c1e9a0b1d
  shipshape deploy --compose compose.yaml --service web --host blog.example.com
  shipshape deploy --target kubernetes --service shop -n shop --url https://shop.example.com
  shipshape releases shop
  shipshape rollback --service shop`,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := d.validate(); err != nil {
				return err
			}
			if k8s, err := d.kube.kubernetes(); err != nil {
				return err
			} else if k8s {
				image := ""
				if len(args) == 1 {
					image = args[0]
				}
				return d.deployKube(cmd, image)
			}
			if len(args) == 1 {
				d.opts.Image = args[0]
			} else if len(d.compose) == 0 {
				return usageErrorf("deploy wants an IMAGE, or --compose FILE to take the service's image from")
			}
			c, err := d.engine(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			res, err := deploy.Deploy(cmd.Context(), c, d.opts, d.progress(cmd))
			return d.report(cmd, res, err)
		},
	}
	d.flags(cmd)
	d.kube.register(cmd, true)
	return cmd
}

func newRollbackCommand() *cobra.Command {
	d := &deployCommand{}
	cmd := &cobra.Command{
		Use:   "rollback [RELEASE] --service NAME",
		Short: "Deploy the previous release's image again (or the named release's)",
		Long: `rollback takes the image of the release before the running one (or of
RELEASE, as shipshape releases lists them) and deploys it like deploy does:
as a new release that must turn healthy before the proxy switches to it.`,
		Example: `  shipshape rollback --service shop
  shipshape rollback --service shop 20261122-041218755`,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := d.validate(); err != nil {
				return err
			}
			release := ""
			if len(args) == 1 {
				release = args[0]
			}
			if k8s, err := d.kube.kubernetes(); err != nil {
				return err
			} else if k8s {
				return d.rollbackKube(cmd, release)
			}
			c, err := d.engine(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			res, err := deploy.Rollback(cmd.Context(), c, d.opts, release, d.progress(cmd))
			return d.report(cmd, res, err)
		},
	}
	d.flags(cmd)
	d.kube.register(cmd, false)
	return cmd
}

func newReleasesCommand() *cobra.Command {
	var format string
	var kube kubeFlags
	cmd := &cobra.Command{
		Use:         "releases SERVICE",
		Annotations: map[string]string{noCleanup: "true"},
		Short:       "List a service's releases on this Docker host, newest first",
		Example:     `  shipshape releases shop --format json`,
		Args:        argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if k8s, err := kube.kubernetes(); err != nil {
				return err
			} else if k8s {
				return releasesKube(cmd, &kube, args[0], format)
			}
			c, err := connectEngine(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			list, err := deploy.Releases(cmd.Context(), c, args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			}
			if len(list) == 0 {
				fmt.Fprintf(out, "%s has no releases on this host\n", args[0])
			}
			printReleases(out, "", list)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	kube.register(cmd, false)
	return cmd
}

func newStatusCommand() *cobra.Command {
	var socket, format string
	cmd := &cobra.Command{
		Use:         "status [SERVICE]",
		Annotations: map[string]string{noCleanup: "true"},
		Short:       "What the proxy serves and which releases run, per service",
		Long: `status asks the running shipshape proxy for its services (active and
draining targets, health, pause and maintenance) and the engine for each
service's releases. Both come from where the truth is: the proxy and the
container labels.`,
		Example: `  shipshape status
  shipshape status shop --format json`,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErrorf("--format %q: text or json", format)
			}
			st, err := proxy.NewClient(socket).State(cmd.Context())
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			c, err := connectEngine(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			type service struct {
				Name        string           `json:"name"`
				Active      string           `json:"active,omitempty"`
				Healthy     bool             `json:"healthy"`
				Draining    []string         `json:"draining,omitempty"`
				Paused      bool             `json:"paused,omitempty"`
				Maintenance bool             `json:"maintenance,omitempty"`
				Releases    []deploy.Release `json:"releases"`
			}
			var out []service
			for _, s := range st.Services {
				if len(args) == 1 && s.Name != args[0] {
					continue
				}
				rel, err := deploy.Releases(cmd.Context(), c, s.Name)
				if err != nil {
					return err
				}
				out = append(out, service{s.Name, s.Active, s.Healthy, s.Draining, s.Paused, s.Maintenance, rel})
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			if len(out) == 0 {
				fmt.Fprintln(w, "the proxy serves no service yet")
			}
			for _, s := range out {
				health := "unhealthy"
				if s.Healthy {
					health = "healthy"
				}
				fmt.Fprintf(w, "%s: %s (%s)", s.Name, s.Active, health)
				if len(s.Draining) > 0 {
					fmt.Fprintf(w, ", draining %s", strings.Join(s.Draining, ", "))
				}
				if s.Paused {
					fmt.Fprint(w, ", paused")
				}
				if s.Maintenance {
					fmt.Fprint(w, ", in maintenance")
				}
				fmt.Fprintln(w)
				printReleases(w, "  ", s.Releases)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&socket, "proxy", "/run/shipshape/proxy.sock", "admin socket of the running shipshape proxy")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

// printReleases writes one line per release: id, state, image.
func printReleases(w io.Writer, indent string, list []deploy.Release) {
	for _, r := range list {
		state := "stopped"
		if r.Running {
			state = "running"
		}
		fmt.Fprintf(w, "%s%-20s %-8s %s\n", indent, r.Release, state, r.Image)
	}
}

// connectEngine connects to the container engine; when none answers, the
// one-sentence error is a usage error (exit 2).
func connectEngine(cmd *cobra.Command) (*engine.Client, error) {
	c, err := engine.Connect(cmd.Context())
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return c, nil
}
