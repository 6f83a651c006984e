package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/deploy"
	"github.com/shipshape/shipshape/internal/kubedeploy"
)

// kubeFlags are deploy's, rollback's and releases' flags for --target kubernetes.
type kubeFlags struct {
	target, kubeconfig, context, namespace string
	source                                 string
	values, set                            []string
	createNS, prune, force                 bool
	progressDeadline                       time.Duration
	url, failOn                            string
	portForward                            int
}

func (k *kubeFlags) register(cmd *cobra.Command, deploying bool) {
	f := cmd.Flags()
	f.StringVar(&k.target, "target", "docker", "docker (this host, behind shipshape proxy) or kubernetes")
	f.StringVar(&k.kubeconfig, "kubeconfig", "", "with --target kubernetes: kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
	f.StringVar(&k.context, "context", "", "with --target kubernetes: kubeconfig context (default: the current one)")
	f.StringVarP(&k.namespace, "namespace", "n", "", "with --target kubernetes: namespace (default: the context's, else default)")
	if !deploying {
		return
	}
	f.StringVar(&k.source, "source", "", "with --target kubernetes: kustomization directory, Helm chart or manifests (default: deploy/k8s/overlays/production, deploy/helm/SERVICE or deploy/k8s)")
	f.StringArrayVar(&k.values, "values", nil, "Helm values file (repeatable)")
	f.StringArrayVar(&k.set, "set", nil, "Helm value key=value (repeatable)")
	f.BoolVar(&k.createNS, "create-namespace", false, "create the namespace when it does not exist")
	f.BoolVar(&k.prune, "prune", false, "delete objects shipshape applied earlier for this service that are gone from the rendered set")
	f.BoolVar(&k.force, "force", false, "deploy even when shipshape check finds problems at or above --fail-on")
	f.StringVar(&k.failOn, "fail-on", "error", "lowest check severity that stops the deploy: error, warning, info or none")
	f.DurationVar(&k.progressDeadline, "progress-deadline", 0, "replace the Deployments' progressDeadlineSeconds (default: theirs, or Kubernetes' 10 minutes)")
	f.StringVar(&k.url, "url", "", "smoke-check this URL after the rollout (its health path and page); a failure undoes the rollout")
	f.IntVar(&k.portForward, "port-forward", 0, "smoke-check through a port-forward to this container port of a ready pod instead of --url")
}

func (k *kubeFlags) kubernetes() (bool, error) {
	switch k.target {
	case "docker", "":
		return false, nil
	case "kubernetes", "k8s":
		return true, nil
	}
	return false, usageErrorf("--target %q: docker or kubernetes", k.target)
}

func (k *kubeFlags) connect(cmd *cobra.Command) (*kubedeploy.Client, error) {
	c, err := kubedeploy.Connect(cmd.Context(), k.kubeconfig, k.context)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if k.namespace == "" {
		k.namespace = c.Namespace
	}
	if k.namespace == "" {
		k.namespace = "default"
	}
	return c, nil
}

// deployKube is `shipshape deploy --target kubernetes`.
func (d *deployCommand) deployKube(cmd *cobra.Command, image string) error {
	k := &d.kube
	src := k.source
	if src == "" {
		for _, cand := range []string{"deploy/k8s/overlays/production", filepath.Join("deploy/helm", d.opts.Service), "deploy/k8s"} {
			if _, err := os.Stat(cand); err == nil {
				src = cand
				break
			}
		}
		if src == "" {
			return usageErrorf("no deploy/k8s/overlays/production, deploy/helm/%s or deploy/k8s here: pass --source (shipshape init writes them)", d.opts.Service)
		}
	}
	if !k.force {
		// What is deployed is checked first, as `shipshape check` would.
		check := newCheckCommand()
		args := []string{"--fail-on", k.failOn}
		for _, v := range k.values {
			args = append(args, "--helm-values", v)
		}
		for _, s := range k.set {
			args = append(args, "--helm-set", s)
		}
		check.cmd.SetArgs(append(args, src))
		check.cmd.SetOut(cmd.ErrOrStderr())
		check.cmd.SetErr(cmd.ErrOrStderr())
		check.cmd.SilenceUsage, check.cmd.SilenceErrors = true, true
		if err := check.cmd.ExecuteContext(cmd.Context()); err != nil {
			var ee *exitError
			if errors.As(err, &ee) && ee.code == exitFindings {
				return &exitError{code: exitFindings, err: fmt.Errorf("shipshape check found problems at or above %s in %s (above): fix them, or deploy anyway with --force", k.failOn, src)}
			}
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
		if rev, err := gitRevision(cmd.Context(), "."); err == nil {
			tag = rev.tag
		}
	}
	timeout := d.opts.Timeout
	if !cmd.Flags().Changed("timeout") {
		timeout = 0 // the rollout's own deadline, within 10 minutes
	}
	o := kubedeploy.Options{Source: src, ValueFiles: k.values, Set: k.set, Image: image, Tag: tag, Namespace: k.namespace,
		CreateNS: k.createNS, App: d.opts.Service, Prune: k.prune, ProgressDeadline: k.progressDeadline, Timeout: timeout}
	if k.url != "" && k.portForward != 0 {
		return usageErrorf("--url or --port-forward, not both")
	}
	if k.url != "" || k.portForward != 0 {
		health := d.opts.HealthPath
		if health == "" {
			health = "/"
		}
		host := ""
		if len(d.opts.Routes) > 0 {
			host = d.opts.Routes[0].Host
		}
		o.Smoke = func(ctx context.Context) error {
			url := k.url
			if k.portForward != 0 {
				local, stop, err := kubedeploy.PortForward(ctx, c, k.namespace, d.opts.Service, k.portForward)
				if err != nil {
					return err
				}
				defer stop()
				url = local
			}
			return deploy.Smoke(ctx, url, health, host)
		}
	}
	res, err := kubedeploy.Deploy(cmd.Context(), c, o, d.progress(cmd))
	if res != nil && d.format == "json" {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
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

// rollbackKube is `shipshape rollback --target kubernetes [REVISION]`.
func (d *deployCommand) rollbackKube(cmd *cobra.Command, rev string) error {
	to := int64(0)
	if rev != "" {
		n, err := strconv.ParseInt(rev, 10, 64)
		if err != nil {
			return usageErrorf("revision %q: a number, as shipshape releases --target kubernetes lists them", rev)
		}
		to = n
	}
	c, err := d.kube.connect(cmd)
	if err != nil {
		return err
	}
	t := time.Now()
	restored, err := kubedeploy.Undo(cmd.Context(), c, d.kube.namespace, d.opts.Service, to)
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	progress := d.progress(cmd)
	err = kubedeploy.WaitRestored(cmd.Context(), c, d.kube.namespace, d.opts.Service, func(msg string) {
		if progress != nil {
			progress(deploy.Step{Name: "rollout", Took: time.Since(t), Detail: msg})
		}
	})
	if err != nil {
		return &exitError{code: exitFindings, err: fmt.Errorf("restored revision %d of %s, but it did not roll out: %v", restored, d.opts.Service, err)}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "rolled %s back to revision %d's pod template\n", d.opts.Service, restored)
	return nil
}

// releasesKube is `shipshape releases --target kubernetes NAME`.
func releasesKube(cmd *cobra.Command, k *kubeFlags, name, format string) error {
	c, err := k.connect(cmd)
	if err != nil {
		return err
	}
	revs, sets, err := kubedeploy.Revisions(cmd.Context(), c, k.namespace, name)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	out := cmd.OutOrStdout()
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(revs)
	}
	for i, r := range revs {
		state := ""
		if r.Current {
			state = "current"
		}
		if f := sets[i].Annotations[kubedeploy.AnnotationFailed]; f != "" {
			state = "undone: " + f
		}
		fmt.Fprintf(out, "%4d  %s  %v  %s\n", r.Number, r.Created.UTC().Format(time.RFC3339), r.Images, state)
	}
	return nil
}
