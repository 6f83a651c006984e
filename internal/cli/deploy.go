package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/build"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/release/docker"
	"github.com/shipshape/shipshape/internal/release/kube"
)

type deployCommand struct {
	cmd          *cobra.Command
	opts         releaseOptions
	allowSecrets []string
}

func newDeployCommand() *deployCommand {
	verb := &deployCommand{}
	d := &verb.opts
	verb.cmd = &cobra.Command{
		Use:   "deploy [IMAGE] --service NAME | deploy --compose FILE",
		Short: "Release an image on this Docker host behind shipshape proxy without dropping a request, or roll it out to Kubernetes",
		Long: `deploy releases IMAGE as a new release of the service beside the
running one. It runs --release-command (a migration) to completion in a
one-off container of the new image; starts the release on the --network,
labelled with the service, release and image; waits until Docker reports
it healthy; smoke-checks it directly; runs --pre-switch; and has the proxy
switch to it once the proxy's own probe passes: new requests go to the new
release while those in flight on the old one finish (--drain). It then runs
--post-switch and smoke-checks the new release for --window with the old
one still running, switching back automatically if either fails; after the
window it waits for the drain to end, stops the old release and keeps the
newest --keep stopped ones for rollback. Any failure before the switch
removes the new container: the old release keeps serving. A second deploy
of the same service while one runs, from this machine or another, fails at
once: the lock is a container on the Docker host (shipshape-lock-SERVICE),
and the refusal says who holds it and how to break it. State is in container
labels and the proxy: a deploy that was killed or lost its engine half-way
is tidied up by the next one.

--replicas N runs N containers of the release (default: as many as serve
now), which the proxy balances (--balance) and takes out while one fails;
the switch waits for all of them. --canary 10% first sends that share of
clients (kept on their version by a cookie) to the new release for
--canary-for, and the proxy compares its 5xx and connection-error rate and
p99 with the stable release's: past --canary-max-errors or --canary-max-p99
the new release is removed, else it is promoted with the usual switch.
Every deploy reports how many requests the proxy served meanwhile, and how
many failed.

With --compose, the service comes from a compose project: its image (unless
IMAGE is given), environment, networks (where its neighbours find it by the
service's name), named volumes, health check and stop grace period. The
services it depends on (Postgres, Redis) are started with docker compose up
under the pinned project name and never restarted by a deploy; the release
is called PROJECT-SERVICE. A one-off service of the app's own image that it
waits to complete (init's SERVICE-migrate) is run as the release command,
never by compose.

With --compose and no --service, deploy releases every web service of the
project: those with a build: section or the label dev.shipshape.deploy:
"true" (never one labelled "false", a worker left to compose), in
dependency order, under one lock, each health-gated through the proxy. The
old releases keep running until every service has switched and passed its
window; if one fails, those already switched switch back. Each service's
routes come from its labels dev.shipshape.host and dev.shipshape.prefix; a
service without them takes every request when it is the only one, else the
requests for its own name as the host.

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
  shipshape deploy --compose compose.yaml
  shipshape deploy --target kubernetes --service shop -n shop --url https://shop.example.com
  shipshape releases shop
  shipshape rollback --service shop`,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := d.validateKubeBrowser(); err != nil {
				return err
			}
			if err := d.Validate(); err != nil {
				return err
			}
			if err := validateAllowSecret(verb.allowSecrets); err != nil {
				return err
			}
			d.opts.Routes = d.routes()
			image := ""
			if len(args) == 1 {
				image = args[0]
			}
			if k8s, _ := d.kube.kubernetes(); k8s {
				return d.deployKube(cmd, image, verb.allowSecrets)
			}
			if d.opts.Service == "" {
				return d.deployProject(cmd, image, verb.allowSecrets)
			}
			if image == "" && len(d.compose) == 0 {
				return usageErrorf("deploy wants an IMAGE, or --compose FILE to take the service's image from")
			}
			d.opts.Image = image
			c, err := d.engine(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			if err := checkSecrets(cmd, c, []string{d.opts.Image}, verb.allowSecrets, d.progress(cmd)); err != nil {
				return err
			}
			if err := proxyAnswers(cmd, d.opts.Proxy); err != nil {
				return err
			}
			res, err := docker.Deploy(cmd.Context(), c, d.opts, d.progress(cmd))
			return d.report(cmd, res, err)
		},
	}
	d.register(verb.cmd, true)
	registerAllowSecret(verb.cmd, &verb.allowSecrets)
	return verb
}

// validateKubeBrowser refuses the browser's address flags where the
// browser does not choose the address: through --port-forward, the page is
// served to it on 127.0.0.1 with a certificate made for the check.
func (d *releaseOptions) validateKubeBrowser() error {
	k8s, _ := d.kube.kubernetes()
	if !k8s || d.kube.portForward == 0 || d.browser.url == "" || (d.browser.trustCert == "" && len(d.browser.resolve) == 0) {
		return nil
	}
	return usageErrorf("--smoke-trust-cert and --smoke-resolve are for a page the browser reaches by itself; with --port-forward it loads --smoke-browser's page through the port-forward, over HTTPS with a certificate shipshape makes for the check (leave them out, or use --url instead of --port-forward)")
}

// deployKube is `shipshape deploy --target kubernetes`.
func (d *releaseOptions) deployKube(cmd *cobra.Command, image string, allowSecrets []string) error {
	k := &d.kube
	src, err := d.kubeSource()
	if err != nil {
		return err
	}
	if !k.force {
		if err := d.checkBeforeDeploy(cmd, src); err != nil {
			return err
		}
	}
	c, err := k.connect(cmd)
	if err != nil {
		return err
	}
	tag := ""
	if image == "" {
		// The commit's image, as shipshape build tagged it.
		// Outside a git repository, the manifests' images as written.
		if rev, err := build.GitRevision(cmd.Context(), "."); err == nil {
			tag = rev.Tag
		}
	}
	timeout := d.opts.Timeout
	if !cmd.Flags().Changed("timeout") {
		timeout = 0 // the rollout's own deadline, within 10 minutes
	}
	o := kube.Options{Source: src, ValueFiles: k.values, Set: k.set, Image: image, Tag: tag, Namespace: k.namespace,
		CreateNS: k.createNS, App: d.opts.Service, Prune: k.prune, ProgressDeadline: k.progressDeadline, Timeout: timeout,
		Smoke: d.kubeSmoke(c, d.progress(cmd)), ReleaseCommand: d.opts.ReleaseCommand}
	if k.loadImage != "" {
		// The image comes from this engine: scan it as a Docker host deploy does.
		if image != "" {
			eng, err := connectEngine(cmd)
			if err != nil {
				return err
			}
			err = checkSecrets(cmd, eng, []string{image}, allowSecrets, d.progress(cmd))
			eng.Close()
			if err != nil {
				return err
			}
		}
		o.LoadImage, o.ImageArchive = k.loadImage, imageArchive
	}
	res, err := kube.Deploy(cmd.Context(), c, o, d.progress(cmd))
	if res != nil && d.format == "json" {
		_ = writeJSON(cmd.OutOrStdout(), res)
	}
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	if d.format != "json" {
		fmt.Fprintf(cmd.OutOrStdout(), "released %s to namespace %s: revision %d, %d objects applied, %d API requests\n",
			d.opts.Service, k.namespace, res.Revision, len(res.Applied), res.Requests)
	}
	return nil
}

// kubeSource is --source, or what shipshape init wrote.
func (d *releaseOptions) kubeSource() (string, error) {
	if d.kube.source != "" {
		return d.kube.source, nil
	}
	for _, cand := range []string{"deploy/k8s/overlays/production", filepath.Join("deploy/helm", d.opts.Service), "deploy/k8s"} {
		if _, err := os.Stat(cand); err == nil {
			return cand, nil
		}
	}
	return "", usageErrorf("no deploy/k8s/overlays/production, deploy/helm/%s or deploy/k8s here: pass --source (shipshape init writes them)", d.opts.Service)
}

// checkBeforeDeploy lints what is about to be deployed, as shipshape check
// would, its report on stderr; findings at or above --fail-on stop the deploy.
func (d *releaseOptions) checkBeforeDeploy(cmd *cobra.Command, src string) error {
	k := &d.kube
	check := checkOptions{format: "text", failOn: k.failOn, helmValues: k.values, helmSet: k.set, color: "auto", paths: []string{src}}
	stderr := cmd.ErrOrStderr()
	err := check.lint(cmd.InOrStdin(), stderr, stderr, check.useColor(stderr))
	var ee *exitError
	if errors.As(err, &ee) && ee.code == exitFindings {
		return &exitError{code: exitFindings, err: fmt.Errorf("shipshape check found problems at or above %s in %s (above): fix them, or deploy anyway with --force", k.failOn, src)}
	}
	return err
}

// kubeSmoke is the check after the rollout: the HTTP smoke to --url, or
// through a port-forward to a ready pod; then, with --smoke-browser, the
// page in the browser, as given or, with --port-forward, through the
// port-forward behind a TLS front (checkPage). nil without any of them.
func (d *releaseOptions) kubeSmoke(c *kube.Client, progress func(release.Step)) func(context.Context, string) error {
	k := &d.kube
	page := d.opts.PageCheck != nil
	if k.url == "" && k.portForward == 0 && !page {
		return nil
	}
	host := ""
	if len(d.opts.Routes) > 0 {
		host = d.opts.Routes[0].Host
	}
	return func(ctx context.Context, probed string) error {
		// --health-path, else the route the Deployment's readiness probe
		// requests (an API whose / answers 404 is healthy on its probe's
		// route), else /.
		health := cmp.Or(d.opts.HealthPath, probed, "/")
		url, upstream := k.url, ""
		if k.portForward != 0 {
			local, stop, err := kube.PortForward(ctx, c, k.namespace, d.opts.Service, k.portForward)
			if err != nil {
				return err
			}
			defer stop()
			url, upstream = local, local
		}
		if url != "" {
			if err := release.Smoke(ctx, url, health, host); err != nil {
				return err
			}
		}
		if !page {
			return nil
		}
		t := time.Now()
		saw, err := checkPage(d.browser.options(), upstream)(ctx)
		if err != nil {
			return fmt.Errorf("the browser check of %s: %w", d.browser.url, err)
		}
		if progress != nil {
			progress(release.Step{Name: "browser", Took: time.Since(t), Detail: saw})
		}
		return nil
	}
}

// imageArchive reads an image from the container engine as docker save
// writes it, for --load-image.
func imageArchive(ctx context.Context, ref string) (io.ReadCloser, error) {
	c, err := engine.Connect(ctx)
	if err != nil {
		return nil, err
	}
	rc, err := c.ImageSave(ctx, []string{ref})
	if err != nil {
		c.Close()
		return nil, err
	}
	return readCloser{rc, func() { rc.Close(); c.Close() }}, nil
}

type readCloser struct {
	io.Reader
	close func()
}

func (r readCloser) Close() error { r.close(); return nil }
